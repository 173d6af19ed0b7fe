// A hostile page: markup and script in event names, payloads and a namespace; prototype keys; huge strings; and
// forged frames through every door a page has (a window message, its own port offered to the relay, a hello to the
// hook, a MessageEvent dispatched at its own socket, the hook's port if its first script can grab it). The panel
// must show the real traffic as text (in the table and in the inspector: its tree, raw frame and copy actions), run
// nothing, stay unpolluted, and hold no forged frame.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DecodedEntry, SioEntry } from '../protocol/types.ts';
import { launchWithExtension, panelEntries, type ExtensionBrowser } from './support/extension.ts';
import { startFixtureServer, type FixtureServer } from './support/fixture-server.ts';

const HTML = '<img src=x onerror="window.pwned=1">';
const SCRIPT = '<script>window.pwned=2</script>';
const SVG = '"><svg onload="window.pwned=3">';
const TEMPLATE = "{{constructor.constructor('window.pwned=4')()}}${window.pwned=5}";
/** hostile.js's prototypeKeys(): JSON.parse keeps "__proto__" as an own key. */
const PROTO_KEYS = '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted2":"yes"}},"toString":"not a function","nested":{"__proto__":{"polluted3":"yes"}}}';

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
  // Every element the panel's DOM ever gets that could run or fetch something, even one removed again at once.
  await panel.evaluate(() => {
    const created: string[] = [];
    (window as unknown as { createdFromPayload: string[] }).createdFromPayload = created;
    // (A stylesheet link the bundle's lazy chunks may add to <head> is the panel's own; one in the app is not.)
    const risky = (el: Element) =>
      /^(img|svg|math|script|iframe|frame|object|embed|video|audio|base|form)$/i.test(el.localName) ||
      [...el.attributes].some((a) => /^on/i.test(a.name)) ||
      (/^(link|style|meta)$/i.test(el.localName) && el.closest('#app') !== null);
    new MutationObserver((records) => {
      for (const record of records) {
        const added = record.type === 'attributes' ? [record.target as Element] : [...record.addedNodes].filter((n): n is Element => n instanceof Element);
        for (const el of added) for (const one of [el, ...el.querySelectorAll('*')]) if (risky(one)) created.push(one.outerHTML.slice(0, 200));
      }
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });

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

  // The inspector shows them as text too: the header, the tree (opened down to a `__proto__` key), the raw frame,
  // and what 'Copy as code' and 'Copy as JSON' give.
  const filter = panel.getByLabel('Filter');
  const details = panel.getByLabel('Details');
  const copied = panel.getByTestId('copy-text');
  const inspect = async (query: string, event: string) => {
    await filter.fill(query);
    await expect.poll(() => panel.locator('.row .c-event').allTextContents()).toEqual([event]);
    await panel.locator('.row').first().click();
    await expect.poll(() => details.locator('header .event').textContent()).toBe(event);
  };
  const copy = async (as: 'code' | 'JSON') => {
    const before = (await copied.count()) ? await copied.textContent() : null;
    await details.getByRole('button', { name: `Copy as ${as}` }).click();
    // The clipboard may be refused (a panel tab in the background); the text is on the element either way.
    await expect.poll(async () => ((await copied.count()) ? await copied.textContent() : null)).not.toBe(before);
    return (await copied.textContent()) ?? '';
  };
  const strings = () => details.locator('.string').allTextContents();
  const ackCallback = '  (...response) => {\n    console.log(response);\n  }';

  // An event named like markup, its argument too.
  await inspect('event:onerror dir:out', HTML);
  expect(await strings()).toEqual([JSON.stringify(SVG)]);
  expect(await details.locator('.raw').textContent()).toBe(`42${JSON.stringify([HTML, SVG])}`);
  expect(await copy('code')).toBe(`socket.emit(${JSON.stringify(HTML)}, ${JSON.stringify(SVG)});`);
  expect(await copy('JSON')).toBe(JSON.stringify([SVG]));

  // Markup, script and template injections as arguments.
  await inspect('event:echo dir:out svg', 'echo');
  expect(await strings()).toEqual([HTML, SCRIPT, SVG, TEMPLATE].map((a) => JSON.stringify(a)));
  expect(await copy('code')).toBe(`socket.emit(\n  "echo",\n${[HTML, SCRIPT, SVG, TEMPLATE].map((a) => `  ${JSON.stringify(a)},\n`).join('')}${ackCallback}\n);`);
  expect(await copy('JSON')).toBe(JSON.stringify([HTML, SCRIPT, SVG, TEMPLATE]));

  // Prototype keys: `__proto__` is a key like any other, opened in the tree, written as a computed key in code.
  await inspect('event:echo dir:out polluted2', 'echo');
  const line = (key: string) => details.locator('.line').filter({ has: panel.locator('.key', { hasText: new RegExp(`^${key}$`) }) });
  await expect.poll(() => details.locator('.key').allTextContents()).toEqual(['0', '__proto__', 'constructor', 'toString', 'nested', '1']);
  await line('__proto__').first().getByRole('button', { expanded: false }).click();
  await expect.poll(() => line('polluted').locator('.string').allTextContents()).toEqual(['"yes"']);
  await line('nested').getByRole('button', { expanded: false }).click();
  await expect.poll(() => line('__proto__').count()).toBe(2);
  await line('__proto__').nth(1).getByRole('button', { expanded: false }).click();
  await expect.poll(() => line('polluted3').locator('.string').allTextContents()).toEqual(['"yes"']);
  const code = await copy('code');
  expect(code).toContain('["__proto__"]: {\n');
  expect(code).not.toMatch(/(^|[^[])"__proto__":/);
  expect(await copy('JSON')).toBe(`[${PROTO_KEYS},[${PROTO_KEYS}]]`);

  // A key that is markup, and one with a right-to-left override and a NUL.
  await inspect('event:echo dir:out bidi', 'echo');
  await expect.poll(() => details.locator('.key').allTextContents()).toEqual(['0', HTML, '\u202e\u0000']);
  expect(await strings()).toEqual([JSON.stringify(SCRIPT), '"bidi and NUL"']);
  expect(await copy('JSON')).toBe(JSON.stringify([{ [HTML]: SCRIPT, '\u202e\u0000': 'bidi and NUL' }]));

  // The inspector's markup holds the strings escaped, and nothing in it was made from them.
  const inspectorHtml = await details.innerHTML();
  expect(inspectorHtml).toContain('&lt;img src=x onerror=');
  expect(inspectorHtml).not.toContain('<img');
  await filter.fill('');
  // An image error of the panel's own, after every one a payload image would have raised: only then is "nothing ran"
  // worth checking.
  await panel.evaluate(() => new Promise((done) => Object.assign(new Image(), { onerror: done, onload: done, src: 'sentinel-does-not-exist' })));
  expect(await panel.evaluate(() => (window as unknown as { createdFromPayload: string[] }).createdFromPayload)).toEqual([]);

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
