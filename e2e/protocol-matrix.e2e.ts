// Real servers (socket.io 2, 3, 4; both parsers) and their browser clients, over polling, WebSocket and the
// upgrade: the panel must decode exactly what the page's own client saw.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodedEntry, SioEntry } from '../protocol/types.ts';
import { launchWithExtension, panelEntries, type ExtensionBrowser } from './support/extension.ts';
import { startFixtureServer, type FixtureServer } from './support/fixture-server.ts';

let browser: ExtensionBrowser;
const servers = new Map<string, Promise<FixtureServer>>();

function serverFor(generation: 2 | 3 | 4, parser: 'default' | 'msgpack'): Promise<FixtureServer> {
  const key = `${generation}/${parser}`;
  if (!servers.has(key)) servers.set(key, startFixtureServer({ generation, parser }));
  return servers.get(key)!;
}

beforeAll(async () => {
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([...servers.values()].map(async (s) => (await s).close()));
});

interface Observed {
  sent: { ns: string; event: string; args: unknown[] }[];
  received: { ns: string; event: string; args: unknown[] }[];
  acksReceived: { ns: string; args: unknown[] }[];
  acksSent: { ns: string; args: unknown[] }[];
  connectErrors: { ns: string; message: string; data?: unknown }[];
  disconnectReason: string;
  /** `socket.id` of the page's /chat socket once connected. */
  chatSocketId: string;
}

const cases: { generation: 2 | 3 | 4; parser: 'default' | 'msgpack'; transports: string }[] = [];
for (const generation of [2, 3, 4] as const) for (const transports of ['polling', 'websocket', 'polling,websocket']) cases.push({ generation, parser: 'default', transports });
cases.push({ generation: 4, parser: 'msgpack', transports: 'polling,websocket' });

describe.each(cases)('socket.io $generation ($parser parser) over $transports', ({ generation, parser, transports }) => {
  it('the panel shows what the page client saw, from the handshake on', async () => {
    const server = await serverFor(generation, parser);
    const page = await browser.context.newPage();
    try {
      await page.goto(server.page(`chat.html?v=${generation}&transports=${transports}${parser === 'msgpack' ? '&parser=msgpack' : ''}`));
      // The panel opens while (or after) the page talks: the page's buffer must still hold the handshake.
      const panel = await browser.openPanel(page);
      await page.evaluate(() => (window as unknown as { scenario: Promise<void> }).scenario);
      const observed = (await page.evaluate(() => (window as unknown as { observed: unknown }).observed)) as Observed;
      let entries: DecodedEntry[] = [];
      await expect
        .poll(async () => {
          entries = await panelEntries(panel);
          return entries.some((e) => e.layer === 'sio' && e.type === 'disconnect' && e.dir === 'in' && e.ns === '/');
        }, { timeout: 10_000 })
        .toBe(true);
      await panel.close();

      expect(entries.filter((e) => e.layer === 'error')).toEqual([]);
      const connections = [...new Set(entries.map((e) => e.conn))];
      expect(connections).toHaveLength(2);
      const main = connections[0];
      const sio = entries.filter((e): e is SioEntry => e.layer === 'sio');
      const mine = sio.filter((e) => e.conn === main);
      const binary = (args: unknown) => JSON.parse(JSON.stringify(args));
      const events = (dir: 'in' | 'out') => mine.filter((e) => e.type === 'event' && e.dir === dir).map((e) => ({ ns: e.ns, event: e.event, args: binary(e.args) }));
      const acks = (dir: 'in' | 'out') => mine.filter((e) => e.type === 'ack' && e.dir === dir);

      expect(entries[0]).toMatchObject({ layer: 'eio', type: 'open', dir: 'in' });
      expect(events('out')).toEqual(observed.sent);
      expect(events('in')).toEqual(observed.received);
      expect(acks('in').map((e) => ({ ns: e.ns, args: binary(e.args) }))).toEqual(observed.acksReceived);
      expect(acks('out').map((e) => ({ ns: e.ns, args: binary(e.args) }))).toEqual(observed.acksSent);
      for (const ack of [...acks('in'), ...acks('out')]) expect(ack.latency).toBeGreaterThanOrEqual(0);

      // The /chat CONNECT carries the auth the page gave its client: v3/v4 as the CONNECT payload, v2 as the query
      // string of the namespace. The server's answer names the socket (v3/v4 `{sid}`; v2 answers with no payload).
      const chatConnect = (dir: 'in' | 'out') => mine.filter((e) => e.type === 'connect' && e.ns === '/chat' && e.dir === dir);
      expect(chatConnect('out')).toHaveLength(1);
      expect(chatConnect('in')).toHaveLength(1);
      const [asked] = chatConnect('out');
      const [answered] = chatConnect('in');
      if (generation === 2) {
        expect(asked.query).toBe('token=secret');
        expect(asked.data).toBeUndefined();
        expect(answered.data).toBeUndefined();
      } else {
        expect(asked.data).toEqual({ token: 'secret' });
        expect(asked.query).toBeUndefined();
        expect(answered.data).toEqual({ sid: observed.chatSocketId });
        expect(observed.chatSocketId).toMatch(/^[\w-]{8,}$/);
      }
      expect(asked.index).toBeLessThan(answered.index);

      const refusal = sio.find((e) => e.type === 'connect_error')!;
      expect(refusal.conn).not.toBe(main);
      const refusedAsk = sio.find((e) => e.conn === refusal.conn && e.type === 'connect' && e.dir === 'out' && e.ns === '/chat')!;
      if (generation === 2) expect(refusedAsk.query).toBe('token=wrong');
      else expect(refusedAsk.data).toEqual({ token: 'wrong' });
      expect(observed.connectErrors[0].message).toBe('not authorized');
      if (generation === 2) expect(refusal.data).toBe('not authorized');
      else expect(refusal.data).toEqual({ message: 'not authorized', data: { reason: 'bad token' } });
      expect(observed.disconnectReason).toBe('io server disconnect');

      const roomBroadcast = events('in').find((e) => e.event === 'room message');
      expect(roomBroadcast?.args).toEqual([{ room: 'lobby', text: 'hi room', from: expect.any(String) }]);
      const echo = mine.find((e) => e.event === 'binary echo')!;
      if (parser === 'default') expect(echo.attachments).toBe(6);

      const used = new Set(entries.filter((e) => e.conn === main).map((e) => e.transport));
      expect([...used].sort()).toEqual(transports.split(',').sort());
      if (transports === 'polling,websocket') expect(entries.some((e) => e.conn === main && e.layer === 'eio' && e.type === 'upgrade')).toBe(true);
    } finally {
      await page.close();
    }
  });
});
