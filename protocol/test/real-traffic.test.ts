// Real socket.io servers (2, 3, 4) and real clients, over polling, WebSocket and the upgrade: the decoded wire must
// say exactly what the clients' own listeners and ack callbacks saw.
import { afterAll, describe, expect, it } from 'vitest';
import { startChatServer, type ChatServer } from '../../app/demo/chat-server.ts';
import { Tracker } from '../tracker/tracker.ts';
import type { SioEntry } from '../types.ts';
import { runChatSession, untilQuiet, type SessionOptions } from './support/chat-session.ts';
import { startCaptureProxy } from './support/capture-proxy.ts';

const servers = new Map<string, Promise<ChatServer>>();
function serverFor(generation: 2 | 3 | 4, parser: 'default' | 'msgpack'): Promise<ChatServer> {
  const key = `${generation}/${parser}`;
  if (!servers.has(key)) servers.set(key, startChatServer({ generation, parser }));
  return servers.get(key)!;
}

afterAll(async () => {
  await Promise.all([...servers.values()].map(async (s) => (await s).close()));
});

/** Buffers and ArrayBuffers as plain Uint8Arrays, at any depth, so the client's view compares with ours. */
function normalize(value: unknown): unknown {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: normalize(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

const matrix: SessionOptions[] = [];
for (const generation of [2, 3, 4] as const) {
  for (const transports of [['polling'], ['websocket'], ['polling', 'websocket']] as SessionOptions['transports'][]) {
    matrix.push({ generation, parser: 'default', transports });
  }
}
matrix.push({ generation: 4, parser: 'msgpack', transports: ['polling', 'websocket'] });
matrix.push({ generation: 4, parser: 'msgpack', transports: ['polling'] });
matrix.push({ generation: 3, parser: 'msgpack', transports: ['polling', 'websocket'] });
matrix.push({ generation: 2, parser: 'msgpack', transports: ['websocket'] });

describe.each(matrix)('socket.io $generation, $parser parser, $transports', (options) => {
  it('the decoded wire matches what the client saw', async () => {
    const server = await serverFor(options.generation, options.parser);
    const proxy = await startCaptureProxy(server.url);
    let observed;
    try {
      observed = await runChatSession(proxy.url, options);
      await untilQuiet(proxy.frames);
    } finally {
      await proxy.close();
    }
    const tracker = new Tracker();
    for (const frame of proxy.frames) tracker.push(frame);
    tracker.finish();

    expect(tracker.log.filter((e) => e.layer === 'error')).toEqual([]);
    // Two Engine.IO sessions: the main one (/ and /chat) and the refused /chat on its own connection, where a
    // socket.io 2 server also connects `/` (and broadcasts to it) though no client socket listens there.
    expect(tracker.connections).toHaveLength(2);
    const [main, refused] = tracker.connections;
    const all = tracker.log.filter((e): e is SioEntry => e.layer === 'sio');
    const sio = all.filter((e) => e.conn === main.id);
    const events = (dir: 'in' | 'out') => sio.filter((e) => e.type === 'event' && e.dir === dir).map((e) => ({ ns: e.ns, event: e.event, args: e.args }));
    const acks = (dir: 'in' | 'out') => sio.filter((e) => e.type === 'ack' && e.dir === dir);

    // What the client reported sending is what the script emitted, and what the wire says went out.
    expect(observed.sentBy).toBe(options.generation === 4 ? 'onAnyOutgoing' : 'emit wrapper');
    expect(observed.sent).toEqual(observed.scripted);
    expect(events('out')).toEqual(normalize(observed.sent));
    expect(events('in')).toEqual(normalize(observed.received));
    expect(acks('in').map((e) => ({ ns: e.ns, args: e.args }))).toEqual(normalize(observed.acksReceived));
    expect(acks('out').map((e) => ({ ns: e.ns, args: e.args }))).toEqual(normalize(observed.acksSent));
    for (const ack of [...acks('in'), ...acks('out')]) {
      const event = tracker.log[ack.ackOf!] as SioEntry;
      expect(event).toMatchObject({ type: 'event', ns: ack.ns, id: ack.id, ackedBy: ack.index });
      expect(event.dir).not.toBe(ack.dir);
      expect(ack.latency).toBeGreaterThanOrEqual(0);
    }
    const binaryEcho = sio.find((e) => e.event === 'binary echo')!;
    // Four buffers of its own, and the three the client sent, echoed back.
    if (options.parser === 'default') expect(binaryEcho.attachments).toBe(7);

    const eio = options.generation === 2 ? 3 : 4;
    expect(main).toMatchObject({ eio, sio: eio === 3 ? 4 : 5, parser: options.parser, state: 'closed' });
    expect(refused.namespaces.get('/chat')).toMatchObject({ state: 'refused', reason: observed.connectErrors[0].message });
    const refusal = all.find((e) => e.type === 'connect_error' && e.conn === refused.id)!;
    if (options.generation === 2) expect(refusal.data).toBe('not authorized');
    else expect(refusal.data).toEqual({ message: 'not authorized', data: { reason: 'bad token' } });
    expect(observed.connectErrors[0].message).toBe('not authorized');

    expect(main.namespaces.get('/')).toMatchObject({ state: 'disconnected', reason: 'the server disconnected the socket' });
    expect(observed.disconnectReason).toBe('io server disconnect');
    if (options.generation !== 2) expect(main.namespaces.get('/')?.socketId).toEqual(expect.any(String));
    const chat = main.namespaces.get('/chat');
    expect(chat?.state).toBe('disconnected');
    if (options.generation === 2) expect(chat?.query).toBe('token=secret');
    else expect(chat?.auth).toEqual({ token: 'secret' });

    const transportsUsed = new Set(proxy.frames.map((f) => f.transport));
    expect([...transportsUsed].sort()).toEqual([...options.transports].sort());
    if (options.transports.length === 2) {
      expect(main.upgrades).toEqual([expect.objectContaining({ from: 'polling', to: 'websocket', ok: true })]);
      expect(main.transport).toBe('websocket');
    } else {
      expect(main.upgrades).toEqual([]);
      expect(main.transport).toBe(options.transports[0]);
    }
    const lazy = new Tracker({ lazy: true });
    for (const frame of proxy.frames) lazy.push(frame);
    expect(lazy.log.map((e) => [e.layer, e.dir, e.layer === 'sio' ? e.event : e.layer === 'eio' ? e.type : 'error', e.size])).toEqual(
      tracker.log.map((e) => [e.layer, e.dir, e.layer === 'sio' ? e.event : e.layer === 'eio' ? e.type : 'error', e.size]),
    );
  });
});
