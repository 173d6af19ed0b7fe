import { createRequire } from 'node:module';
import { io as ioV4 } from 'socket.io-client';
import msgpackParser from 'socket.io-msgpack-parser';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startChatServer, type ChatServer } from '../../../app/demo/chat-server.ts';
import type { RawFrame } from '../../types.ts';
import { startCaptureProxy, type CaptureProxy } from './capture-proxy.ts';

type Listener = (...args: any[]) => void;
interface TestClient {
  once(event: string, listener: Listener): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  close(): unknown;
}

const require = createRequire(import.meta.url);
const ioV2 = require('socket.io-client-v2') as (url: string, opts: object) => TestClient;

let server: ChatServer | undefined;
let proxy: CaptureProxy | undefined;
let client: TestClient | undefined;

afterEach(async () => {
  client?.close();
  await proxy?.close();
  await server?.close();
  client = proxy = server = undefined;
});

async function waitFor<T>(find: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  const until = Date.now() + 5000;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const next = (c: TestClient, event: string) => new Promise<unknown[]>((done) => c.once(event, (...a: unknown[]) => done(a)));
const emitAck = (c: TestClient, event: string, ...args: unknown[]) =>
  new Promise<unknown[]>((done) => c.emit(event, ...args, (...reply: unknown[]) => done(reply)));
const messages = (frames: RawFrame[], dir: 'in' | 'out') => frames.filter((f) => f.kind === 'message' && f.dir === dir);
const byConn = (frames: RawFrame[]) => {
  const groups = new Map<string, RawFrame[]>();
  for (const f of frames) groups.set(f.conn, [...(groups.get(f.conn) ?? []), f]);
  return groups;
};
const texts = (frames: RawFrame[]) => frames.filter((f) => f.opcode === 'text').map((f) => f.data);

function expectWellFormed(frames: RawFrame[], proxyUrl: string, eio: 3 | 4) {
  expect(frames.length).toBeGreaterThan(0);
  frames.forEach((f, i) => {
    expect(f.seq).toBe(frames[0].seq + i);
    if (i > 0) expect(f.t).toBeGreaterThanOrEqual(frames[i - 1].t);
    expect(Math.abs(f.t - Date.now())).toBeLessThan(10_000);
    expect(f.url).toContain(`EIO=${eio}`);
    const origin = f.transport === 'polling' ? proxyUrl : proxyUrl.replace(/^http/, 'ws');
    expect(f.url.startsWith(origin + '/socket.io/?'), f.url).toBe(true);
    expect(f.conn).toMatch(f.transport === 'polling' ? /^h\d+$/ : /^w\d+$/);
  });

  // One request then one response per HTTP exchange, on the same conn and URL.
  for (const [conn, pair] of byConn(frames.filter((f) => f.transport === 'polling'))) {
    const [req, res] = pair;
    expect(pair.map((f) => `${f.kind}/${f.dir}`), conn).toEqual(['request/out', 'response/in']);
    expect(req.method).toMatch(/^(GET|POST)$/);
    expect(res.status).toBeTypeOf('number');
    expect(res.url).toBe(req.url);
  }
  for (const ws of byConn(frames.filter((f) => f.transport === 'websocket')).values()) {
    expect(ws[0].kind).toBe('open');
    expect(ws.filter((f) => f.kind === 'open')).toHaveLength(1);
    expect(ws.filter((f) => f.kind === 'close').length).toBeLessThanOrEqual(1);
  }
}

function expectBinaryWebSocket(frames: RawFrame[], eio: 3 | 4) {
  const binary = frames.filter((f) => f.transport === 'websocket' && f.kind === 'message' && f.opcode === 'binary');
  const payloads = binary.map((f) => [...Buffer.from(f.data ?? '', 'base64')]);
  // EIO3 prefixes a binary WebSocket message with the packet type byte (4 = message); EIO4 sends the bytes bare.
  const prefix = eio === 3 ? [4] : [];
  expect(payloads).toContainEqual([...prefix, 9, 8]);
  expect(payloads).toContainEqual([...prefix, 1, 2, 3]);
  expect(payloads).toContainEqual([...prefix, 0xde, 0xad, 0xbe, 0xef]);
  expect(texts(frames).some((d) => d?.startsWith('451-0["binary",{"_placeholder":true,"num":0}]'))).toBe(true);
}

const modes = ['polling', 'websocket', 'default'] as const;

describe.each([
  { generation: 2 as const, eio: 3 as const },
  { generation: 4 as const, eio: 4 as const },
])('socket.io $generation through the proxy', ({ generation, eio }) => {
  it.each(modes)('records %s', async (mode) => {
    server = await startChatServer({ generation });
    proxy = await startCaptureProxy(server.url);
    const { frames } = proxy;
    const transports = mode === 'default' ? {} : { transports: [mode] };
    client = (generation === 2 ? ioV2 : ioV4)(proxy.url, { forceNew: true, reconnection: false, ...transports });
    const c = client;
    await next(c, 'welcome');
    if (mode === 'default') {
      await waitFor(() => messages(frames, 'out').find((f) => f.data === '5'), 'upgrade');
    }
    const [ack] = await emitAck(c, 'binary', Buffer.from([9, 8]));
    expect([...(ack as Uint8Array)]).toEqual([0xde, 0xad, 0xbe, 0xef]);
    const kicked = next(c, 'disconnect');
    c.emit('kick me');
    await kicked;
    if (mode !== 'polling') await waitFor(() => frames.find((f) => f.kind === 'close'), 'close');

    expectWellFormed(frames, proxy.url, eio);
    const polling = frames.filter((f) => f.transport === 'polling');
    const sockets = frames.filter((f) => f.transport === 'websocket');

    if (mode === 'websocket') {
      expect(polling).toEqual([]);
      const [first, second] = messages(frames, 'in');
      expect(first.data).toMatch(/^0\{"sid":"[^"]+","upgrades":\[\],"pingInterval":\d+/);
      // socket.io 2 connects "/" by itself; in v3+ the client asks with "40" and gets the socket id back.
      if (generation === 2) expect(second.data).toBe('40');
      else expect(messages(frames, 'out')[0].data).toBe('40');
    } else {
      const [request, response] = polling;
      expect(request).toMatchObject({ kind: 'request', dir: 'out', method: 'GET', opcode: 'text', data: '', transport: 'polling' });
      expect(response).toMatchObject({ kind: 'response', dir: 'in', status: 200, conn: request.conn, opcode: 'text' });
      // EIO3 polling frames every packet as <length>:<packet>, and socket.io 2 sends its implicit "40" with the handshake.
      expect(response.data).toMatch(eio === 3 ? /^\d+:0\{"sid":".*\}2:40$/ : /^0\{"sid":"[^"]+","upgrades":\["websocket"\]/);
      expect(polling.filter((f) => f.kind === 'request' && f.method === 'POST').every((f) => f.opcode === 'text')).toBe(true);
    }

    if (mode === 'polling') {
      expect(sockets).toEqual([]);
      expect(polling.some((f) => f.kind === 'response' && f.data === 'ok')).toBe(true);
      // Node clients get binary as base64 text packets: EIO3 "<len>:b4<base64>", EIO4 "b<base64>" between \x1e.
      const bodies = polling.map((f) => f.data).join('\n');
      expect(bodies).toMatch(eio === 3 ? /6:b4AQID/ : /(^|\n|\x1e)bAQID(\x1e|\n|$)/);
      expect(polling.some((f) => f.opcode === 'binary')).toBe(false);
    } else {
      expectBinaryWebSocket(frames, eio);
      expect(sockets.at(-1)).toMatchObject({ kind: 'close', code: expect.any(Number), reason: expect.any(String) });
    }

    if (mode === 'default') {
      const ws = texts(sockets);
      const probe = ws.indexOf('2probe');
      expect(probe).toBeGreaterThanOrEqual(0);
      expect(ws.indexOf('3probe')).toBeGreaterThan(probe);
      expect(ws.indexOf('5')).toBeGreaterThan(ws.indexOf('3probe'));
      expect(messages(sockets, 'out')[0].data).toBe('2probe');
      expect(sockets[0].url).toMatch(/[?&]sid=/);
      // A long poll still pending at the probe is released with a noop (if the client had one out: not always).
      const probed = sockets.find((f) => f.data === '3probe')?.seq ?? 0;
      const gets = new Set(polling.filter((f) => f.method === 'GET').map((f) => f.conn));
      const released = polling.filter((f) => f.kind === 'response' && f.seq > probed && gets.has(f.conn));
      expect(released.map((f) => f.data)).toEqual(released.map(() => (eio === 3 ? '1:6' : '6')));
    }
  });
});

describe('capture proxy', () => {
  it('records msgpack as binary WebSocket messages', async () => {
    server = await startChatServer({ parser: 'msgpack' });
    proxy = await startCaptureProxy(server.url);
    client = ioV4(proxy.url, { forceNew: true, reconnection: false, transports: ['websocket'], parser: msgpackParser }) as TestClient;
    await next(client, 'welcome');
    expect(await emitAck(client, 'echo', 'a', 1)).toEqual(['a', 1]);
    const [open, ...rest] = messages(proxy.frames, 'in');
    expect(open.opcode).toBe('text');
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.every((f) => f.opcode === 'binary')).toBe(true);
    expect(messages(proxy.frames, 'out').every((f) => f.opcode === 'binary')).toBe(true);
  });

  it('records EIO3 binary payloads (application/octet-stream) as base64', async () => {
    server = await startChatServer({ generation: 2 });
    proxy = await startCaptureProxy(server.url);
    // Without b64=1 the server may answer with binary payloads, as it does for XHR2 browsers.
    const base = `${proxy.url}/socket.io/?EIO=3&transport=polling`;
    const handshake = await (await fetch(base)).text();
    const sid = /"sid":"([^"]+)"/.exec(handshake)?.[1];
    const url = `${base}&sid=${sid}`;

    // One string packet: 0x00, the length one byte per decimal digit, 0xff, the packet.
    const packet = Buffer.from('42["binary"]');
    const digits = [...String(packet.length)].map(Number);
    const sent = Buffer.concat([Buffer.from([0, ...digits, 0xff]), packet]);
    const post = await fetch(url, { method: 'POST', body: sent, headers: { 'content-type': 'application/octet-stream' } });
    expect(await post.text()).toBe('ok');
    const body = await waitFor(async () => {
      const res = await fetch(url);
      const body = Buffer.from(await res.arrayBuffer());
      return res.headers.get('content-type') === 'application/octet-stream' ? body : undefined;
    }, 'binary payload');

    expectWellFormed(proxy.frames, proxy.url, 3);
    const request = proxy.frames.find((f) => f.kind === 'request' && f.method === 'POST');
    expect(request).toMatchObject({ opcode: 'binary', data: sent.toString('base64') });
    const response = proxy.frames.findLast((f) => f.kind === 'response');
    expect(response).toMatchObject({ opcode: 'binary', data: body.toString('base64') });
    // A binary packet: 0x01, length digits (type byte included), 0xff, type byte 4, data.
    expect(body.includes(Buffer.from([1, 4, 0xff, 4, 1, 2, 3]))).toBe(true);
  });

  it('records a refused upgrade, subprotocols and the close code of the side that closed', async () => {
    server = await startChatServer();
    proxy = await startCaptureProxy(server.url);
    const wsUrl = proxy.url.replace(/^http/, 'ws') + '/socket.io/?EIO=4&transport=websocket';

    const refused = new WebSocket(wsUrl + '&sid=unknown');
    refused.on('error', () => {});
    const status = await new Promise<number | undefined>((done) =>
      refused.once('unexpected-response', (_req, res) => {
        res.resume();
        done(res.statusCode);
      }),
    );
    expect(status).toBe(400);
    refused.terminate();

    const ws = new WebSocket(wsUrl, ['chat.v1']);
    await new Promise((done) => ws.once('open', done));
    expect(ws.protocol).toBe('chat.v1');
    await waitFor(() => proxy?.frames.find((f) => f.kind === 'message'), 'open packet');
    ws.close(4001, 'bye');
    await new Promise((done) => ws.once('close', done));
    await waitFor(() => proxy?.frames.find((f) => f.conn === 'w2' && f.kind === 'close'), 'close');

    expect(proxy.frames.map(({ conn, kind, dir, code, reason, data }) => ({ conn, kind, dir, code, reason, data: kind === 'message' ? data?.[0] : data }))).toEqual([
      { conn: 'w1', kind: 'error', dir: 'in', data: 'Unexpected server response: 400' },
      { conn: 'w1', kind: 'close', dir: 'in', code: 1006, reason: '' },
      { conn: 'w2', kind: 'open', dir: 'in' },
      { conn: 'w2', kind: 'message', dir: 'in', data: '0' },
      { conn: 'w2', kind: 'close', dir: 'out', code: 4001, reason: 'bye' },
    ]);
  });

  it('passes other requests through without recording them', async () => {
    server = await startChatServer();
    proxy = await startCaptureProxy(server.url);
    const res = await fetch(proxy.url + '/index.html');
    expect(res.status).toBe(404);
    await res.arrayBuffer();
    expect(proxy.frames).toEqual([]);
  });
});
