// The hook must be invisible: one page runs a battery of WebSocket, XHR and fetch behaviours (Engine.IO URLs,
// which the hook records, next to plain ones) in a browser without the extension and in one with it, and the
// two results must be identical. The extension must also have recorded the Engine.IO traffic.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DecodedEntry, SioEntry } from '../protocol/types.ts';
import { startEchoServer, type EchoServer } from './support/echo-server.ts';
import { launchWithExtension, panelEntries } from './support/extension.ts';
import { startFixtureServer, type FixtureServer } from './support/fixture-server.ts';
import { freePort } from './support/free-port.ts';


let server: FixtureServer;
let echo: EchoServer;
let dead: number;

beforeAll(async () => {
  [server, echo, dead] = await Promise.all([startFixtureServer({ generation: 4 }), startEchoServer(), freePort()]);
});
afterAll(async () => {
  await echo?.close();
  await server?.close();
});

type Result = Record<string, unknown>;

const INSIDE = 'inside wrapped calls';
interface Inside {
  wsToString: { stack: string; limit: number };
  fetchInitGetter: { stack: string; limit: number };
}

/**
 * The one known difference, and it is inherent: page code that runs *during* a wrapped call (the native converting
 * `new WebSocket(url)`'s argument with the page's own toString, a getter of fetch's init object) runs with the
 * wrapper on the stack. An error it creates there shows the hook's frames, and, inside a native call, the raised
 * Error.stackTraceLimit that keeps errors thrown by the native itself exactly as deep as without the hook. Errors
 * that come out of a wrapped call are scrubbed; code running inside it cannot be hidden from. Everything else about
 * this section must still be identical.
 */
function narrowInside(value: unknown): unknown {
  const section = structuredClone(value) as Inside;
  for (const probe of [section.wsToString, section.fetchInitGetter]) {
    probe.stack = probe.stack
      .split('\n')
      .filter((line) => !line.includes('chrome-extension://'))
      .join('\n');
  }
  section.wsToString.limit = NaN;
  return section;
}

/**
 * Both browsers run the page's JavaScript without V8's optimising tiers. With them, whether an error a native throws
 * lists the frame that called it can depend on whether that function had been inlined when it ran, which background
 * compilation decides at a moment that differs from run to run: once in about eight CI runs, the hooked page's
 * InvalidStateError from `xhr.responseXML` lacked the frame of the arrow function that read it.
 */
const SAME_JIT_EVERY_RUN = ['--js-flags=--no-opt --no-maglev'];

async function runBattery(withExtension: boolean): Promise<{ result: Result; entries: DecodedEntry[]; urls: string[] }> {
  const browser = await launchWithExtension({ extension: withExtension, args: SAME_JIT_EVERY_RUN });
  try {
    const page = await browser.context.newPage();
    await page.goto(server.page(`transparency.html?echo=${echo.port}&dead=${dead}`));
    // With the extension the panel is attached before the run, so the hook streams live while the page works.
    const panel = withExtension ? await browser.openPanel(page) : undefined;
    const result = (await page.evaluate(() => (window as unknown as { runTransparency(): Promise<Result> }).runTransparency())) as Result;
    if (!panel) return { result, entries: [], urls: [] };
    // The socket.io sections run last: once their connections are in the panel, everything before them is too.
    const readUrls = () =>
      panel.evaluate(() =>
        (globalThis as unknown as { sockscopePanel: { store: { connections: { url: string }[] } } }).sockscopePanel.store.connections.map((c) => c.url),
      );
    let urls: string[] = [];
    await expect.poll(async () => (urls = await readUrls()).filter((u) => u.includes('/socket.io/?EIO=4')).length, { timeout: 15_000 }).toBe(3);
    const entries = await panelEntries(panel);
    return { result, entries, urls };
  } finally {
    await browser.close();
  }
}

it('a page cannot tell whether the extension is installed', { timeout: 120_000 }, async () => {
  const plain = await runBattery(false);
  const hooked = await runBattery(true);

  // The battery itself worked (a section that fails the same way in both browsers would prove nothing).
  const failed = Object.entries(plain.result).filter(([, v]) => v && typeof v === 'object' && 'sectionFailed' in v);
  expect(failed).toEqual([]);
  const text = plain.result['ws text eio'] as unknown[][];
  expect(text.filter((step) => step[0] === 'message:handler').map((step) => step[1])).toEqual(['hello', 'second ✓ \u0000 😀']);
  expect(text.find((step) => step[0] === 'close:handler')).toEqual(['close:handler', 4000, 'client bye ✓', true, 3]);
  expect(plain.result['socket.io ws']).toContainEqual(['ack', '431["x",{"y":[1,null,"✓"]}]']);
  const socketIo = plain.result['socket.io ws'] as [string, ...unknown[]][];
  expect(plain.result['socket.io ws (unrecorded twin)']).toEqual(socketIo.map((step) => (step[0] === 'url' ? [step[0], String(step[1]).replace('EIO', '%45IO')] : step)));

  // Identical, section by section, so that every difference is reported.
  expect(Object.keys(hooked.result)).toEqual(Object.keys(plain.result));
  for (const key of Object.keys(plain.result)) {
    if (key === INSIDE) expect.soft(narrowInside(hooked.result[key]), key).toEqual(narrowInside(plain.result[key]));
    else expect.soft(hooked.result[key], key).toEqual(plain.result[key]);
  }

  // And the extension saw the Engine.IO traffic, and only that.
  expect(hooked.entries.length).toBeGreaterThan(50);
  const sio = hooked.entries.filter((e): e is SioEntry => e.layer === 'sio');
  expect(sio.filter((e) => e.event === 'welcome' && e.dir === 'in')).toHaveLength(3);
  expect(sio.filter((e) => e.type === 'ack' && e.dir === 'in').length).toBeGreaterThanOrEqual(2);
  expect(hooked.urls.some((u) => u.startsWith(`ws://127.0.0.1:${echo.port}/ws?EIO=4`))).toBe(true);
  expect(hooked.urls.some((u) => u.startsWith(`http://127.0.0.1:${echo.port}/json?EIO=4`))).toBe(true);
  expect(hooked.urls.some((u) => u.startsWith(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`))).toBe(true);
  expect(hooked.urls.some((u) => u.startsWith(`${server.url}/socket.io/?EIO=4&transport=polling`))).toBe(true);
  expect(hooked.urls.filter((u) => u.includes('plain=1') || u.includes('%45IO'))).toEqual([]);
});
