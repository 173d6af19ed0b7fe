// What a page does before, around and after the panel: sockets created before anything else, in iframes, long
// before the panel opens, across reloads and navigations, and more traffic than the page's ring buffer holds.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { DecodedEntry, SioEntry } from '../protocol/types.ts';
import { launchWithExtension, panelEntries, type ExtensionBrowser } from './support/extension.ts';
import { startFixtureServer, type FixtureServer } from './support/fixture-server.ts';

let browser: ExtensionBrowser;
let server: FixtureServer;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchWithExtension(), startFixtureServer()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Runs `body` with a fresh page at `path` (unique: the harness finds the tab by URL) and its panel; closes both. */
async function withPage(path: string, body: (page: Page, openPanel: () => Promise<Page>) => Promise<void>): Promise<void> {
  const page = await browser.context.newPage();
  let panel: Page | undefined;
  try {
    await page.goto(server.page(path));
    await body(page, async () => (panel = await browser.openPanel(page)));
  } finally {
    await panel?.close();
    await page.close();
  }
}

const sioOf = (entries: DecodedEntry[]) => entries.filter((e): e is SioEntry => e.layer === 'sio');
function byConn(entries: DecodedEntry[]): Map<string, DecodedEntry[]> {
  const conns = new Map<string, DecodedEntry[]>();
  for (const e of entries) conns.set(e.conn, [...(conns.get(e.conn) ?? []), e]);
  return conns;
}
/** The page instance whose hook saw a connection: the hook names conns `<instance>:<n>`. */
const instanceOf = (conn: string) => conn.split(':')[0];

interface PanelState {
  sessions: string[];
  droppedTotal: number;
  drops: { count: number; reason: string }[];
  frameCount: number;
}
function panelState(panel: Page): Promise<PanelState> {
  return panel.evaluate(() => {
    const { store } = (globalThis as unknown as { sockscopePanel: { store: { sessions: { page: { instance: string } }[]; droppedTotal: number; drops: { count: number; reason: string }[]; frameCount: number } } }).sockscopePanel;
    return { sessions: store.sessions.map((s) => s.page.instance), droppedTotal: store.droppedTotal, drops: [...store.drops], frameCount: store.frameCount };
  });
}

async function entriesUntil(panel: Page, done: (entries: DecodedEntry[]) => boolean, timeout = 10_000): Promise<DecodedEntry[]> {
  let entries: DecodedEntry[] = [];
  await expect
    .poll(async () => done((entries = await panelEntries(panel))), { timeout })
    .toBe(true);
  return entries;
}

const hasAck = (label: string) => (entries: DecodedEntry[]) => sioOf(entries).some((e) => e.type === 'ack' && e.dir === 'in' && e.args?.[0] === label);

it('captures a socket created by the first script in <head> from its handshake', async () => {
  await withPage('first-in-head.html', async (page, openPanel) => {
    expect(await page.evaluate(() => (window as unknown as { upgraded: Promise<string> }).upgraded)).toBe('websocket');
    expect(await page.evaluate(() => (window as unknown as { acked: Promise<string> }).acked)).toBe('first in head');
    const panel = await openPanel();
    const entries = await entriesUntil(panel, hasAck('first in head'));
    expect(entries.filter((e) => e.layer === 'error')).toEqual([]);
    expect(new Set(entries.map((e) => e.conn)).size).toBe(1);
    // The polling handshake is the first thing the hook saw, then the namespace connect, the event, the upgrade.
    expect(entries[0]).toMatchObject({ layer: 'eio', type: 'open', dir: 'in', transport: 'polling' });
    const sio = sioOf(entries);
    expect(sio.map((e) => `${e.dir} ${e.type} ${e.event ?? ''}`.trim())).toEqual(['out connect', 'in connect', 'in event welcome', 'out event echo', 'in ack']);
    expect(entries.some((e) => e.layer === 'eio' && e.type === 'upgrade' && e.transport === 'websocket')).toBe(true);
  });
});

it("shows each iframe's socket as its own connection: same-origin page, srcdoc and about:blank via the parent's io", async () => {
  await withPage('frames.html', async (page, openPanel) => {
    await page.evaluate(() => (window as unknown as { allAcked: Promise<unknown> }).allAcked);
    const panel = await openPanel();
    const labels = ['from top', 'from child', 'from srcdoc', 'from blank'];
    const entries = await entriesUntil(panel, (all) => labels.every((l) => hasAck(l)(all)));
    expect(entries.filter((e) => e.layer === 'error')).toEqual([]);
    const conns = byConn(entries);
    const connOf = (label: string) => sioOf(entries).find((e) => e.type === 'event' && e.event === 'echo' && e.args?.[0] === label)!.conn;
    // Four labels, four connections, each one complete from its handshake.
    expect(new Set(labels.map(connOf)).size).toBe(4);
    expect(conns.size).toBe(4);
    for (const label of labels) {
      const own = conns.get(connOf(label))!;
      expect(own[0], label).toMatchObject({ layer: 'eio', type: 'open', dir: 'in' });
      const packets = sioOf(own).map((e) => `${e.dir} ${e.type} ${e.event ?? ''}`.trim());
      expect(packets.sort(), label).toEqual(['in ack', 'in connect', 'in event welcome', 'out connect', 'out event echo']);
    }
    // The child document has a hook of its own; the srcdoc and about:blank sockets live in the parent's client.
    const top = instanceOf(connOf('from top'));
    expect(instanceOf(connOf('from child'))).not.toBe(top);
    expect(instanceOf(connOf('from srcdoc'))).toBe(top);
    expect(instanceOf(connOf('from blank'))).toBe(top);
    // Every frame of the tab runs the relay, the srcdoc one included (match_origin_as_fallback).
    const relays = (await (await browser.serviceWorker()).evaluate(() => (globalThis as unknown as { sockscopeRelays(): { url?: string; top?: boolean }[] }).sockscopeRelays())).map((r) => `${r.top ? 'top' : 'sub'} ${r.url}`);
    expect(relays).toEqual(expect.arrayContaining([`top ${page.url()}`, `sub ${server.page('frame-child.html')}`, 'sub about:srcdoc']));
  });
});

it('shows a socket that was opened and used long before the panel, from its handshake', async () => {
  await withPage('stream.html?transports=polling,websocket', async (page, openPanel) => {
    await page.evaluate(async () => {
      const w = window as unknown as { connected: Promise<void>; serial(n: number): Promise<number> };
      await w.connected;
      await w.serial(20);
    });
    await page.waitForTimeout(2000);
    const panel = await openPanel();
    let entries = await entriesUntil(panel, (all) => sioOf(all).filter((e) => e.type === 'ack').length === 20);
    expect(entries[0]).toMatchObject({ layer: 'eio', type: 'open', dir: 'in', transport: 'polling' });
    expect(sioOf(entries).find((e) => e.type === 'connect')).toMatchObject({ dir: 'out', ns: '/' });
    // And it goes on live from there.
    await page.evaluate(() => (window as unknown as { socket: { emit(...a: unknown[]): void } }).socket.emit('echo', 'after the panel opened', () => {}));
    entries = await entriesUntil(panel, hasAck('after the panel opened'));
    const echoes = sioOf(entries).filter((e) => e.type === 'event' && e.dir === 'out').map((e) => e.args?.[0]);
    expect(echoes).toEqual([...Array.from({ length: 20 }, (_, i) => i + 1), 'after the panel opened']);
    expect(entries.filter((e) => e.layer === 'error')).toEqual([]);
  });
});

it('gives a second panel, opened while another one streams live, everything from the handshake', async () => {
  await withPage('stream.html?test=second-panel', async (page, openPanel) => {
    await page.evaluate(() => (window as unknown as { connected: Promise<void> }).connected);
    const first = await openPanel();
    // 2000 events and their acks: fewer frames than the ring holds, so nothing may be missing anywhere.
    const streamed = page.evaluate(() => (window as unknown as { stream(t: number, b: number, e: number): Promise<number> }).stream(2000, 20, 10));
    await expect.poll(() => page.evaluate(() => (window as unknown as { sent: number[] }).sent.length)).toBeGreaterThan(500);
    const second = await browser.openPanel(page);
    try {
      await streamed;
      const wireFrames = await page.evaluate(() => (window as unknown as { wireFrames: number }).wireFrames);
      for (const panel of [first, second]) {
        await expect.poll(async () => (await panelState(panel)).frameCount, { timeout: 10_000 }).toBe(wireFrames);
        const entries = await panelEntries(panel);
        expect(entries[0]).toMatchObject({ layer: 'eio', type: 'open', dir: 'in' });
        expect(sioOf(entries).filter((e) => e.type === 'event' && e.dir === 'out').map((e) => e.args?.[0])).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
        expect((await panelState(panel)).drops).toEqual([]);
      }
    } finally {
      await second.close();
    }
  });
});

it("starts a new page session on reload, and keeps the old one's entries with 'Preserve log'", async () => {
  await withPage('stream.html?test=reload', async (page, openPanel) => {
    const connectAndEcho = (label: string) =>
      page.evaluate(async (label) => {
        const w = window as unknown as { connected: Promise<void>; socket: { emit(...a: unknown[]): void } };
        await w.connected;
        await new Promise((done) => w.socket.emit('echo', label, done));
      }, label);
    await connectAndEcho('first load');
    const panel = await openPanel();
    const count = panel.getByTestId('entry-count');
    let entries = await entriesUntil(panel, hasAck('first load'));
    const first = (await panelState(panel)).sessions;
    expect(first).toHaveLength(1);
    await expect.poll(() => count.textContent()).toBe(`${entries.length} entries`);

    await page.reload();
    await connectAndEcho('second load');
    entries = await entriesUntil(panel, hasAck('second load'));
    let state = await panelState(panel);
    expect(state.sessions).toHaveLength(1);
    expect(state.sessions[0]).not.toBe(first[0]);
    // Nothing of the first load is left, not even frames that were still on their way.
    expect(new Set(entries.map((e) => instanceOf(e.conn)))).toEqual(new Set(state.sessions));
    expect(hasAck('first load')(entries)).toBe(false);
    await expect.poll(() => count.textContent()).toBe(`${entries.length} entries`);
    const secondCount = entries.length;

    await panel.getByLabel('Preserve log').check();
    await page.reload();
    await connectAndEcho('third load');
    entries = await entriesUntil(panel, hasAck('third load'));
    state = await panelState(panel);
    expect(state.sessions).toHaveLength(2);
    expect(new Set(entries.map((e) => instanceOf(e.conn)))).toEqual(new Set(state.sessions));
    expect(hasAck('second load')(entries)).toBe(true);
    // The second load's entries are still there, first and unchanged in number.
    expect(entries.slice(0, secondCount).every((e) => instanceOf(e.conn) === state.sessions[0])).toBe(true);
    expect(entries.slice(secondCount).every((e) => instanceOf(e.conn) === state.sessions[1])).toBe(true);
    await expect.poll(() => count.textContent()).toBe(`${entries.length} entries`);
  });
});

it("starts a new page session when the tab goes to another page or path, and keeps the old ones with 'Preserve log'", async () => {
  await withPage('stream.html?test=navigate', async (page, openPanel) => {
    // Each page echoes a label of its own: stream.html the one it is given, first-in-head.html 'first in head',
    // nested/echo.html its path.
    const streamEcho = (label: string) =>
      page.evaluate(async (label) => {
        const w = window as unknown as { connected: Promise<void>; socket: { emit(...a: unknown[]): void } };
        await w.connected;
        await new Promise((done) => w.socket.emit('echo', label, done));
      }, label);
    const pageAck = () => page.evaluate(() => (window as unknown as { acked: Promise<unknown> }).acked);
    await streamEcho('on stream.html');
    const panel = await openPanel();
    const count = panel.getByTestId('entry-count');
    /** The log once `done` holds and the panel's count shows all of it (a page may still be upgrading, say). */
    const settled = async (done: (entries: DecodedEntry[]) => boolean) => {
      let entries: DecodedEntry[] = [];
      await expect
        .poll(async () => {
          entries = await panelEntries(panel);
          return done(entries) && (await count.textContent()) === `${entries.length} entries`;
        }, { timeout: 10_000 })
        .toBe(true);
      return entries;
    };
    /** Which of `sessions` each entry came from, by position; -1 for none of them. */
    const sessionOf = (entries: DecodedEntry[], sessions: string[]) => entries.map((e) => sessions.indexOf(instanceOf(e.conn)));
    let entries = await settled(hasAck('on stream.html'));
    let sessions = (await panelState(panel)).sessions;
    expect(sessions).toHaveLength(1);
    const seen = [...sessions];

    /** After a navigation without 'Preserve log': one session, new, and nothing in the log from the pages before. */
    const onlyTheNewPage = async (label: string, gone: string[]) => {
      entries = await settled(hasAck(label));
      sessions = (await panelState(panel)).sessions;
      expect(sessions).toHaveLength(1);
      expect(seen).not.toContain(sessions[0]);
      seen.push(sessions[0]);
      expect(new Set(entries.map((e) => instanceOf(e.conn)))).toEqual(new Set(sessions));
      for (const old of gone) expect(hasAck(old)(entries), old).toBe(false);
    };

    // Another page in the same folder of the same server.
    await page.goto(server.page('first-in-head.html?test=navigate'));
    expect(await pageAck()).toBe('first in head');
    await onlyTheNewPage('first in head', ['on stream.html']);

    // A page on another path.
    await page.goto(server.page('nested/echo.html'));
    expect(await pageAck()).toBe('/nested/echo.html');
    await onlyTheNewPage('/nested/echo.html', ['on stream.html', 'first in head']);
    const nested = entries;

    // With 'Preserve log' the pages before stay, unchanged and first, each under its own session: back to the top
    // folder, then to another page there.
    await panel.getByLabel('Preserve log').check();
    await page.goto(server.page('stream.html?test=navigate-back'));
    await streamEcho('back on stream.html');
    entries = await settled(hasAck('back on stream.html'));
    const two = (await panelState(panel)).sessions;
    expect(two).toHaveLength(2);
    expect(two[0]).toBe(seen[seen.length - 1]);
    expect(seen).not.toContain(two[1]);
    expect(entries.slice(0, nested.length)).toEqual(nested);
    expect(sessionOf(entries, two)).toEqual([...sessionOf(entries, two)].sort());
    expect(sessionOf(entries, two)).not.toContain(-1);
    const backOnStream = entries;

    await page.goto(server.page('first-in-head.html?test=navigate-preserved'));
    expect(await pageAck()).toBe('first in head');
    entries = await settled(hasAck('first in head'));
    const three = (await panelState(panel)).sessions;
    expect(three).toHaveLength(3);
    expect(three.slice(0, 2)).toEqual(two);
    expect(entries.slice(0, backOnStream.length)).toEqual(backOnStream);
    expect(hasAck('/nested/echo.html')(entries) && hasAck('back on stream.html')(entries)).toBe(true);
    expect(sessionOf(entries, three)).toEqual([...sessionOf(entries, three)].sort());
    expect(new Set(sessionOf(entries, three))).toEqual(new Set([0, 1, 2]));
  });
});

it('shows how many frames the ring buffer let go before the panel opened, and the newest 5000', async () => {
  const TOTAL = 3000;
  await withPage('stream.html?test=overflow', async (page, openPanel) => {
    const wireFrames = await page.evaluate(async (total) => {
      const w = window as unknown as { connected: Promise<void>; serial(n: number): Promise<number>; wireFrames: number };
      await w.connected;
      await w.serial(total);
      return w.wireFrames;
    }, TOTAL);
    // open, the Engine.IO open packet, the namespace connect both ways, `welcome`, then an event and its ack per
    // counter: the ring keeps the last 2500 pairs.
    expect(wireFrames).toBe(5 + 2 * TOTAL);
    const lost = wireFrames - 5000;
    const panel = await openPanel();
    const entries = await entriesUntil(panel, (all) => sioOf(all).some((e) => e.type === 'ack' && e.args?.[0] === TOTAL));
    const state = await panelState(panel);
    expect(state.frameCount).toBe(5000);
    expect(state.drops).toEqual([{ count: lost, reason: 'page buffer full' }]);
    await expect.poll(() => panel.getByTestId('dropped').textContent()).toBe(`${lost.toLocaleString('en')} frames dropped: buffer full`);
    // The newest frames, all of them: the oldest kept is an event whose ack follows, up to the last counter.
    const sio = sioOf(entries);
    const echoes = sio.filter((e) => e.type === 'event' && e.dir === 'out').map((e) => e.args?.[0] as number);
    const acks = sio.filter((e) => e.type === 'ack' && e.dir === 'in').map((e) => e.args?.[0] as number);
    const firstKept = TOTAL - 2500 + 1;
    expect(echoes).toEqual(Array.from({ length: 2500 }, (_, i) => firstKept + i));
    expect(acks).toEqual(echoes);
    expect(sio).toHaveLength(5000);
  });
});
