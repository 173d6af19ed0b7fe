// A hostile page: markup and script in event names, payloads and a namespace; prototype keys; huge strings; and
// forged frames through every door a page has (a window message, its own port offered to the relay, a hello to the
// hook, a MessageEvent dispatched at its own socket, the hook's port if its first script can grab it). The panel
// must show the real traffic as text, run nothing, stay unpolluted, and hold no forged frame.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DecodedEntry, SioEntry } from '../protocol/types.ts';
import { launchWithExtension, panelEntries, type ExtensionBrowser } from './support/extension.ts';
import { startFixtureServer, type FixtureServer } from './support/fixture-server.ts';

const HTML = '<img src=x onerror="window.pwned=1">';
const SCRIPT = '<script>window.pwned=2</script>';
const SVG = '"><svg onload="window.pwned=3">';

let server: FixtureServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startFixtureServer({ generation: 4 }), launchWithExtension()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Seen {
  seen: { acks: unknown[][]; broadcasts: unknown[]; events: string[]; connectErrors: string[]; forgedDispatchSeen: number };
  hookPortsOffered: number;
  early: { portsSeen: number; messagesSeen: number };
  pwned: unknown;
}

it('shows a hostile page’s traffic as text, runs none of it, and takes no forged frame', async () => {
  const page = await browser.context.newPage();
  await page.goto(server.page('hostile.html'));
  const panel = await browser.openPanel(page);
  const dialogs: string[] = [];
  panel.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const panelErrors: string[] = [];
  panel.on('pageerror', (e) => panelErrors.push(String(e)));

  const result = (await page.evaluate(() => (window as unknown as { runHostile(): Promise<unknown> }).runHostile())) as Seen;

  // The page's own client saw the round trips (and, being fooled by the dispatched event, the forged packet too).
  expect(result.seen.acks[0]).toEqual([HTML, SCRIPT, SVG, expect.stringContaining('constructor.constructor')]);
  expect(result.seen.acks[2]).toEqual(['L'.repeat(200_000)]);
  expect(result.seen.broadcasts).toHaveLength(1);
  expect(result.seen.connectErrors).toEqual(['Invalid namespace']);
  expect(result.seen.forgedDispatchSeen).toBe(1);
  expect(result.pwned).toBeNull();

  let entries: DecodedEntry[] = [];
  const sio = () => entries.filter((e): e is SioEntry => e.layer === 'sio');
  await expect
    .poll(async () => {
      entries = await panelEntries(panel);
      return sio().filter((e) => e.type === 'ack' && e.dir === 'in').length;
    }, { timeout: 10_000 })
    .toBe(5);

  // Every event name crossed as data, the markup ones included.
  const outNames = sio().filter((e) => e.type === 'event' && e.dir === 'out').map((e) => e.event);
  expect(outNames).toEqual(['echo', 'echo', 'echo', 'echo', 'chat message', HTML, SCRIPT, '__proto__', 'constructor', 'hasOwnProperty', 'toString', 'echo']);
  expect(sio().filter((e) => e.type === 'event' && e.dir === 'in').map((e) => e.event)).toEqual(['welcome', 'chat message']);
  expect(sio().filter((e) => e.type === 'connect_error').map((e) => e.ns)).toEqual([expect.stringContaining('<img')]);
  expect(entries.filter((e) => e.layer === 'error')).toEqual([]);

  // No forged frame, through any door.
  const everything = JSON.stringify(entries);
  expect(everything).not.toContain('FORGED-FRAME');
  expect(everything).not.toContain('forged via dispatchEvent');
  const store = await panel.evaluate(() => {
    const { store } = (globalThis as unknown as { sockscopePanel: { store: { connections: { conn?: string; url: string }[]; sessions: { page: { instance: string; url: string } }[] } } }).sockscopePanel;
    return { urls: store.connections.map((c) => c.url), sessions: store.sessions.map((s) => s.page) };
  });
  expect(store.sessions).toEqual([{ instance: expect.not.stringMatching(/^(page|forged|early)$/), url: page.url(), top: true, frameId: 0 }]);
  expect(store.urls.every((u) => u.startsWith(server.url.replace('http', 'ws')) || u.startsWith(server.url))).toBe(true);
  expect(new Set(entries.map((e) => e.conn.split(':')[0])).size).toBe(1);

  // The hostile strings are in the panel as text: the table shows them, and its markup holds them escaped.
  await panel.bringToFront();
  await expect.poll(() => panel.locator('.row .c-event', { hasText: HTML }).count()).toBe(1);
  expect(await panel.locator('.row .c-event', { hasText: SCRIPT }).count()).toBe(1);
  expect(await panel.locator('.row .c-event').allTextContents()).toContain('__proto__');
  const previews = await panel.locator('.row .c-data').allTextContents();
  expect(previews.some((p) => p.includes('<img src=x onerror=\\"window.pwned=1\\">'))).toBe(true);
  expect(previews.some((p) => p.includes('"__proto__":{"polluted":"yes"}'))).toBe(true);
  const long = previews.find((p) => p.startsWith('"LLLL'));
  expect(long?.length).toBeLessThanOrEqual(201);
  expect(await panel.locator('.timeline .body').innerHTML()).toContain('&lt;img src=x onerror=');

  // Nothing ran, nothing was created from the payloads, nothing was polluted: panel, page and service worker.
  const inPanel = await panel.evaluate(() => ({
    pwned: (window as unknown as { pwned?: unknown }).pwned ?? null,
    elements: document.querySelectorAll('#app img, #app svg, #app script, #app iframe, #app object, #app embed, #app [onerror], #app [onload]').length,
    polluted: [({} as Record<string, unknown>).polluted, ({} as Record<string, unknown>).polluted2, ({} as Record<string, unknown>).polluted3, Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')],
  }));
  expect(inPanel).toEqual({ pwned: null, elements: 0, polluted: [undefined, undefined, undefined, false] });
  expect(await page.evaluate(() => [(window as unknown as { pwned?: unknown }).pwned ?? null, ({} as Record<string, unknown>).polluted ?? null])).toEqual([null, null]);
  const worker = await browser.serviceWorker();
  expect(await worker.evaluate(() => [({} as Record<string, unknown>).polluted ?? null, ({} as Record<string, unknown>).polluted2 ?? null])).toEqual([null, null]);
  expect(dialogs).toEqual([]);
  expect(panelErrors).toEqual([]);

  // What the page got out of its attempts on the handshake: not the hook's port, neither from its first script
  // (before the hook has heard from the relay over the port) nor after load.
  expect(result.early).toEqual({ portsSeen: 0, messagesSeen: 0 });
  expect(result.hookPortsOffered).toBe(0);
  await panel.close();
  await page.close();
});
