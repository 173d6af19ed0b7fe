// The background service worker can die at any moment (Chrome stops idle workers, and DevTools can stop them on
// demand). The panel must still end up with every frame exactly once and in order: frames lost with the dying
// worker are asked for again by seq from the page's ring buffer, and what the ring no longer has is counted once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CDPSession, Page, Worker } from 'playwright-core';
import type { DecodedEntry, SioEntry } from '../protocol/types.ts';
import { launchWithExtension, panelEntries, type ExtensionBrowser } from './support/extension.ts';
import { startFixtureServer, type FixtureServer } from './support/fixture-server.ts';

const RING_MAX_FRAMES = 5000;

type RunningStatus = 'stopped' | 'starting' | 'running' | 'stopping';

/**
 * Watches the extension's worker through the DevTools protocol's ServiceWorker domain (on any page's session: the
 * extension's worker lives in the profile's storage partition) and stops it with `ServiceWorker.stopAllWorkers`,
 * what the "Stop" button of chrome://serviceworker-internals does.
 */
async function workerControl(cdp: CDPSession, extensionId: string, handle: Worker) {
  const history: RunningStatus[] = [];
  let status: RunningStatus | undefined;
  const waiters = new Set<() => void>();
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) {
      if (!v.scriptURL.startsWith(`chrome-extension://${extensionId}/`)) continue;
      if (v.runningStatus !== status) history.push((status = v.runningStatus as RunningStatus));
    }
    for (const wake of waiters) wake();
  });
  await cdp.send('ServiceWorker.enable');
  const until = (wanted: RunningStatus, timeoutMs = 10_000) =>
    new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`worker not ${wanted} after ${timeoutMs} ms: ${history.join(' > ')}`)), timeoutMs);
      const check = () => {
        if (status !== wanted) return;
        clearTimeout(timer);
        waiters.delete(check);
        done();
      };
      waiters.add(check);
      check();
    });
  // Playwright keeps one Worker handle across restarts (Chrome keeps the DevTools target of the worker's version,
  // and the handle evaluates in whichever instance runs); a global set in one instance is gone in the next.
  let marker = 0;
  const markerNow = () => handle.evaluate(() => (globalThis as { e2eMarker?: number }).e2eMarker);
  return {
    history,
    until,
    /** Stops the worker and returns once it is stopped; nothing here starts it again. */
    async stop(): Promise<void> {
      await until('running');
      const n = ++marker;
      await expect.poll(() => handle.evaluate((n) => ((globalThis as { e2eMarker?: number }).e2eMarker = n), n)).toBe(n);
      await cdp.send('ServiceWorker.stopAllWorkers');
      await until('stopped');
    },
    /** Waits for the worker that the relay's and the panel's reconnecting ports started: a new instance. */
    async restarted(): Promise<void> {
      await until('running');
      await expect.poll(markerNow, { timeout: 5000 }).toBeUndefined();
      // The relay announced itself to the new instance.
      await expect.poll(() => handle.evaluate(() => (globalThis as unknown as { sockscopeRelays(): unknown[] }).sockscopeRelays().length), { timeout: 5000 }).toBeGreaterThan(0);
    },
  };
}

let browser: ExtensionBrowser;
let server: FixtureServer;
let worker: Awaited<ReturnType<typeof workerControl>>;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchWithExtension(), startFixtureServer()]);
  // In extension pages (the panels): counts what crosses the panel's port (connects, attach requests, frames), and
  // can hold a new connection back, as when the panel's renderer is too busy to reconnect before the relay does.
  await browser.context.addInitScript(() => {
    if (location.protocol !== 'chrome-extension:' || !globalThis.chrome?.runtime?.connect) return;
    type Port = chrome.runtime.Port;
    const stats = { connects: 0, attaches: 0, frames: 0 };
    let held: (() => void)[] | undefined;
    const connect = chrome.runtime.connect.bind(chrome.runtime);
    const counted = (port: Port): Port => {
      stats.connects++;
      const post = port.postMessage.bind(port);
      port.postMessage = (message: { type?: string }) => {
        if (message?.type === 'attach') stats.attaches++;
        post(message);
      };
      port.onMessage.addListener((message: { type?: string; frames?: unknown[] }) => {
        if (message?.type === 'frames') stats.frames += message.frames?.length ?? 0;
      });
      return port;
    };
    /** A port that connects only on release; until then it keeps the listeners and messages it is given. */
    const deferred = (args: unknown[]): Port => {
      let real: Port | undefined;
      const onMessage: ((m: unknown) => void)[] = [];
      const onDisconnect: (() => void)[] = [];
      const posts: unknown[] = [];
      held!.push(() => {
        real = counted((connect as (...a: unknown[]) => Port)(...args));
        for (const f of onMessage) real.onMessage.addListener(f);
        for (const f of onDisconnect) real.onDisconnect.addListener(f);
        for (const m of posts) real.postMessage(m);
      });
      return {
        onMessage: { addListener: (f: (m: unknown) => void) => (real ? real.onMessage.addListener(f) : onMessage.push(f)) },
        onDisconnect: { addListener: (f: () => void) => (real ? real.onDisconnect.addListener(f) : onDisconnect.push(f)) },
        postMessage: (m: unknown) => (real ? real.postMessage(m) : posts.push(m)),
        disconnect: () => real?.disconnect(),
      } as unknown as Port;
    };
    chrome.runtime.connect = ((...args: unknown[]) => (held ? deferred(args) : counted((connect as (...a: unknown[]) => Port)(...args)))) as typeof chrome.runtime.connect;
    Object.assign(globalThis, {
      portStats: stats,
      holdConnections: () => (held = []),
      releaseConnections: () => {
        const release = held ?? [];
        held = undefined;
        for (const f of release) f();
      },
    });
  });
  const control = await browser.context.newPage();
  worker = await workerControl(await browser.context.newCDPSession(control), browser.extensionId, await browser.serviceWorker());
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface PanelState {
  frameCount: number;
  drops: { count: number; reason: string }[];
  droppedTotal: number;
  port: { connects: number; attaches: number; frames: number };
}
const panelState = (panel: Page): Promise<PanelState> =>
  panel.evaluate(() => {
    const g = globalThis as unknown as { sockscopePanel: { store: PanelState }; portStats: PanelState['port'] };
    const { store } = g.sockscopePanel;
    return { frameCount: store.frameCount, drops: [...store.drops], droppedTotal: store.droppedTotal, port: g.portStats };
  });

type StreamWindow = { connected: Promise<void>; sent: number[]; acked: number[]; wireFrames: number; stream(total: number, burst: number, everyMs: number): Promise<number>; serial(n: number): Promise<number>; burst(n: number): number };
/** Runs `f` on the fixture's window (as an expression: a function cannot be passed to the page). */
const inPage = <T>(page: Page, f: (w: StreamWindow) => T | Promise<T>): Promise<T> => page.evaluate(`(${f.toString()})(window)`) as Promise<T>;

/** A page on the stream fixture (its URL unique: the harness finds the tab by URL) and a panel caught up with it. */
async function openStream(name: string): Promise<{ page: Page; panel: Page }> {
  const page = await browser.context.newPage();
  await page.goto(server.page(`stream.html?test=${name}`));
  await page.evaluate(() => (window as unknown as StreamWindow).connected);
  const panel = await browser.openPanel(page);
  await caughtUp(page, panel);
  return { page, panel };
}

/** Waits until the panel holds every frame the page put on the wire, but for those it was told are lost. */
async function caughtUp(page: Page, panel: Page, timeout = 15_000): Promise<PanelState> {
  let state: PanelState | undefined;
  let wire = 0;
  await expect
    .poll(async () => {
      wire = await page.evaluate(() => (window as unknown as StreamWindow).wireFrames);
      state = await panelState(panel);
      return wire - state.frameCount - state.droppedTotal;
    }, { timeout, message: 'frames on the wire the panel neither has nor was told are lost' })
    .toBe(0)
    .catch((e: Error) => {
      throw new Error(`${e.message}\n${wire} frames on the wire; panel: ${JSON.stringify(state)}; worker: ${worker.history.slice(-6).join(' > ')}`);
    });
  return state!;
}

/** Distinct frame seqs in the order the panel's entries hold them, and the steps between neighbours other than 1. */
function seqSteps(entries: DecodedEntry[]): { seqs: number[]; jumps: number[] } {
  const seqs = entries.map((e) => e.seq).filter((seq, i, all) => i === 0 || seq !== all[i - 1]);
  const jumps = seqs.slice(1).map((seq, i) => seq - seqs[i]).filter((step) => step !== 1);
  return { seqs, jumps };
}

const sioOf = (entries: DecodedEntry[]) => entries.filter((e): e is SioEntry => e.layer === 'sio');
const echoesOut = (entries: DecodedEntry[]) => sioOf(entries).filter((e) => e.type === 'event' && e.dir === 'out' && e.event === 'echo').map((e) => e.args?.[0]);
const acksIn = (entries: DecodedEntry[]) => sioOf(entries).filter((e) => e.type === 'ack' && e.dir === 'in').map((e) => e.args?.[0]);

it('a panel open through service-worker restarts mid-stream holds every event once, in order', async () => {
  const TOTAL = 4000;
  const { page, panel } = await openStream('restarts');
  const streamed = inPage(page, (w) => w.stream(4000, 10, 20));
  void streamed.catch(() => {});
  const stoppedAt: number[] = [];
  const progress = () => inPage(page, (w) => w.sent.length);
  for (const fraction of [0.2, 0.4, 0.6, 0.8]) {
    while ((await progress()) < TOTAL * fraction) await new Promise((r) => setTimeout(r, 10));
    stoppedAt.push(await progress());
    await worker.stop();
    await worker.restarted();
    if (fraction === 0.4) {
      // Twice within a second: the panel's resyncs must not be throttled away.
      await worker.stop();
      await worker.restarted();
    }
  }
  expect(await streamed).toBe(TOTAL);
  // And once more as the stream ends, with the last frames possibly in flight: no later frame reveals a hole.
  await worker.stop();
  await worker.restarted();

  const state = await caughtUp(page, panel);
  const entries = await panelEntries(panel);
  const { sent, acked, wireFrames } = await inPage(page, (w) => ({ sent: w.sent, acked: w.acked, wireFrames: w.wireFrames }));
  expect(sent).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1));
  expect(stoppedAt.every((n) => n > 0 && n < TOTAL)).toBe(true);
  // Exactly once and in order: the counters as the page's client sent and got them, no repeats, no holes.
  expect(echoesOut(entries)).toEqual(sent);
  expect(acksIn(entries)).toEqual(acked);
  expect(entries.filter((e) => e.layer === 'error')).toEqual([]);
  expect(new Set(entries.map((e) => e.conn)).size).toBe(1);
  // At the frame level too: every seq the hook gave, once, rising by one, as many as went over the wire.
  expect(seqSteps(entries).jumps).toEqual([]);
  expect(state.frameCount).toBe(wireFrames);
  expect(state.drops).toEqual([]);

  // The worker went away each time and a new instance came up; the panel's port reconnected (two stops close
  // together can cost it one port).
  expect(worker.history.filter((s) => s === 'stopped').length).toBeGreaterThanOrEqual(6);
  expect(state.port.connects).toBeGreaterThanOrEqual(5);
  console.log(`restarts: stopped at ${stoppedAt.join(', ')} of ${TOTAL}; panel port ${JSON.stringify(state.port)}; ${wireFrames} frames`);
  // The page resent what the dying workers lost: more frames crossed the port than the panel kept.
  expect(state.port.frames).toBeGreaterThan(wireFrames);
  await Promise.all([panel.close(), page.close()]);
}, 80_000);

it("frames the page's ring let go while the panel was away are counted once, and the panel carries on", async () => {
  const BURST = 5500;
  const lost = BURST - RING_MAX_FRAMES;
  const { page, panel } = await openStream('burst');
  await inPage(page, (w) => w.serial(10));
  expect((await caughtUp(page, panel)).drops).toEqual([]);

  // The panel's port dies with the worker and its reconnection is held back; the relay's comes back on its own.
  await panel.evaluate(() => (globalThis as unknown as { holdConnections(): void }).holdConnections());
  await worker.stop();
  await worker.restarted();
  // A second panel on the tab sees the burst go through (and gets all of it) while the first one is away.
  const probe = await browser.openPanel(page);
  await caughtUp(page, probe);
  await page.evaluate((n) => (window as unknown as StreamWindow).burst(n), BURST);
  expect((await caughtUp(page, probe)).drops).toEqual([]);
  await probe.close();

  // Back, the panel asks from its last seq; the page's ring now starts 500 frames later.
  await panel.evaluate(() => (globalThis as unknown as { releaseConnections(): void }).releaseConnections());
  const after = await caughtUp(page, panel);
  expect(after.drops).toEqual([{ count: lost, reason: 'page buffer full' }]);
  expect(after.frameCount).toBe((await inPage(page, (w) => w.wireFrames)) - lost);
  await expect.poll(() => panel.getByTestId('dropped').textContent()).toBe(`${lost.toLocaleString('en')} frames dropped: buffer full`);

  // It carries on live, told once, and nothing else is missing or repeated.
  await inPage(page, (w) => w.serial(10));
  const end = await caughtUp(page, panel);
  expect(end.drops).toHaveLength(1);
  const entries = await panelEntries(panel);
  const { sent, acked } = await inPage(page, (w) => ({ sent: w.sent, acked: w.acked }));
  expect(echoesOut(entries)).toEqual([...sent.slice(0, 10), ...sent.slice(10 + lost)]);
  expect(acksIn(entries)).toEqual(acked);
  expect(seqSteps(entries).jumps).toEqual([lost + 1]);
  expect(entries.filter((e) => e.layer === 'error')).toEqual([]);
  await Promise.all([panel.close(), page.close()]);
}, 60_000);

it('under more traffic than the ring covers during a restart, the panel lacks exactly the frames it was told are lost', async () => {
  // About 6000 frames a second: a restart while the panel is still decoding a backlog can cost more than the
  // 5000 frames the page keeps. Whether it does depends on the machine; what the panel shows must add up either way.
  const TOTAL = 12_000;
  const { page, panel } = await openStream('flood');
  const streamed = inPage(page, (w) => w.stream(12_000, 60, 20));
  void streamed.catch(() => {});
  for (const fraction of [0.25, 0.5, 0.75]) {
    while ((await inPage(page, (w) => w.sent.length)) < TOTAL * fraction) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    await worker.restarted();
  }
  expect(await streamed).toBe(TOTAL);
  const state = await caughtUp(page, panel, 30_000);
  const entries = await panelEntries(panel);
  const wireFrames = await inPage(page, (w) => w.wireFrames);
  expect(state.frameCount + state.droppedTotal).toBe(wireFrames);
  // One hole per notice, as wide as the notice says; otherwise every frame once, in order.
  const { jumps } = seqSteps(entries);
  expect(jumps.map((step) => step - 1)).toEqual(state.drops.map((d) => d.count));
  const rising = (list: unknown[]) => list.every((v, i) => i === 0 || (v as number) > (list[i - 1] as number));
  expect(rising(echoesOut(entries))).toBe(true);
  expect(rising(acksIn(entries))).toBe(true);
  expect(acksIn(entries).at(-1)).toBe(TOTAL);
  console.log(`flood: ${wireFrames} frames, ${state.drops.length} losses (${state.droppedTotal} frames), ${state.port.frames} frames over the panel's port`);
  await Promise.all([panel.close(), page.close()]);
}, 60_000);
