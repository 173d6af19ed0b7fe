// The one test that opens real DevTools: the extension's panel registers there and, selected, shows the inspected
// tab's traffic. Everything that reads DevTools internals stays in this file (they change between Chrome versions).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { DecodedEntry, SioEntry } from '../protocol/types.ts';
import { launchWithExtension, type ExtensionBrowser } from './support/extension.ts';
import { startFixtureServer, type FixtureServer } from './support/fixture-server.ts';

let browser: ExtensionBrowser;
let server: FixtureServer;
let cdp: BrowserCdp | undefined;

beforeAll(async () => {
  [browser, server] = await Promise.all([
    // DevTools opens docked on every new tab; a second, port-based CDP endpoint lets us reach its front-end, which
    // Playwright's own connection does not show.
    launchWithExtension({ args: ['--auto-open-devtools-for-tabs', '--remote-debugging-port=0'] }),
    startFixtureServer(),
  ]);
});
afterAll(async () => {
  cdp?.close();
  await browser?.close();
  await server?.close();
});

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
  title: string;
}

/** A flat-session CDP client on the browser endpoint. */
class BrowserCdp {
  private nextId = 0;
  private readonly pending = new Map<number, { done(v: unknown): void; fail(e: Error): void }>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
      const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id!);
      if (message.error) waiter.fail(new Error(message.error.message));
      else waiter.done(message.result);
    });
  }

  /** Chrome writes the port it picked for --remote-debugging-port=0, and the browser target's path, here. */
  static async open(userDataDir: string): Promise<BrowserCdp> {
    const file = join(userDataDir, 'DevToolsActivePort');
    await expect.poll(() => existsSync(file)).toBe(true);
    const [port, path] = readFileSync(file, 'utf8').split('\n');
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    await new Promise((done, fail) => ws.once('open', done).once('error', fail));
    return new BrowserCdp(ws);
  }

  send<T>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = ++this.nextId;
    this.ws.send(JSON.stringify({ id, method, params, sessionId }));
    return new Promise<T>((done, fail) => this.pending.set(id, { done: done as (v: unknown) => void, fail }));
  }

  async targets(): Promise<TargetInfo[]> {
    return (await this.send<{ targetInfos: TargetInfo[] }>('Target.getTargets')).targetInfos;
  }

  async attach(targetId: string): Promise<string> {
    return (await this.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true })).sessionId;
  }

  async evaluate<T>(sessionId: string, expression: string): Promise<T> {
    const reply = await this.send<{ result: { value: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
      'Runtime.evaluate',
      { expression, awaitPromise: true, returnByValue: true },
      sessionId,
    );
    if (reply.exceptionDetails) throw new Error(reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text);
    return reply.result.value;
  }

  close(): void {
    this.ws.close();
  }
}

it('registers the Socket.IO panel in DevTools, and selecting it loads panel.html showing the inspected tab', async () => {
  const page = await browser.context.newPage();
  await page.goto(server.page('stream.html?test=devtools'));
  await page.evaluate(async () => {
    const w = window as unknown as { connected: Promise<void>; serial(n: number): Promise<number> };
    await w.connected;
    await w.serial(3);
  });
  cdp = await BrowserCdp.open(browser.userDataDir);

  // The DevTools front-end docked to this tab: a devtools:// page whose title names the inspected URL.
  let frontEnd: TargetInfo | undefined;
  await expect
    .poll(async () => (frontEnd = (await cdp!.targets()).find((t) => t.type === 'page' && t.url.startsWith('devtools://') && t.title.includes('stream.html?test=devtools'))), { timeout: 15_000 })
    .toBeDefined();
  // Our devtools_page runs inside DevTools (one per DevTools window).
  const origin = `chrome-extension://${browser.extensionId}`;
  await expect.poll(async () => (await cdp!.targets()).some((t) => t.url === `${origin}/extension/devtools/devtools.html`), { timeout: 10_000 }).toBe(true);

  // The panel is one of the inspector's tabs: DevTools keys an extension panel by origin + title.
  const session = await cdp.attach(frontEnd!.targetId);
  const panelId = `${origin}Socket.IO`;
  const inspectorView = `(await import('./ui/legacy/legacy.js')).InspectorView.InspectorView.instance()`;
  await expect.poll(() => cdp!.evaluate<string[]>(session, `(async () => (${inspectorView}).tabbedPane.tabIds())()`), { timeout: 10_000 }).toContain(panelId);
  // Titled as chrome.devtools.panels.create named it. (The tab strip in the DOM is not used: with several tabs
  // open, the front-end can be a hidden page that does not lay its header out.)
  expect(await cdp.evaluate(session, `(async () => (${inspectorView}).tabbedPane.tabsById.get(${JSON.stringify(panelId)}).title)()`)).toBe('Socket.IO');
  // Selecting it loads our panel.html in the front-end.
  await cdp.evaluate(session, `(async () => { await (${inspectorView}).showPanel(${JSON.stringify(panelId)}); })()`);
  expect(await cdp.evaluate(session, `(async () => (${inspectorView}).tabbedPane.selectedTabId)()`)).toBe(panelId);
  let panelTarget: TargetInfo | undefined;
  await expect
    .poll(async () => (panelTarget = (await cdp!.targets()).find((t) => t.url.startsWith(`${origin}/extension/panel/panel.html`))), { timeout: 10_000 })
    .toBeDefined();

  // Inside DevTools the panel knows the inspected tab from chrome.devtools and shows its traffic from the handshake.
  const panelSession = await cdp.attach(panelTarget!.targetId);
  const tabId = await (await browser.serviceWorker()).evaluate(
    (url) => (globalThis as unknown as { sockscopeRelays(): { tabId: number; url?: string; top?: boolean }[] }).sockscopeRelays().find((r) => r.top && r.url === url)?.tabId,
    page.url(),
  );
  expect(tabId).toEqual(expect.any(Number));
  await expect.poll(() => cdp!.evaluate(panelSession, 'globalThis.sockscopePanel?.tabId'), { timeout: 10_000 }).toBe(tabId);
  let entries: DecodedEntry[] = [];
  await expect
    .poll(async () => {
      entries = await cdp!.evaluate<DecodedEntry[]>(panelSession, 'JSON.parse(JSON.stringify(sockscopePanel.decoded(), (k, v) => (k === "pending" ? undefined : v)))');
      return entries.filter((e): e is SioEntry => e.layer === 'sio' && e.type === 'ack' && e.dir === 'in').map((e) => e.args?.[0]);
    }, { timeout: 10_000 })
    .toEqual([1, 2, 3]);
  expect(entries[0]).toMatchObject({ layer: 'eio', type: 'open', dir: 'in' });
  // The status bar follows on the panel's next tick (a 250 ms timer, throttled further while DevTools is hidden).
  await expect
    .poll(() => cdp!.evaluate(panelSession, `document.querySelector('[data-testid="entry-count"]').textContent`), { timeout: 10_000 })
    .toBe(`${entries.length} entries`);
  // Inside DevTools the theme comes from chrome.devtools.panels.themeName ('default' in a fresh profile).
  expect(await cdp.evaluate(panelSession, `[chrome.devtools.panels.themeName, document.querySelector('.panel').dataset.theme]`)).toEqual(['default', 'light']);
  await page.close();
});
