// The standalone app's two senders against a real socket.io 4 server, real socket.io-client sockets and the real
// @socket.io/admin-ui instrumentation.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { instrument } from '@socket.io/admin-ui';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';
import { AdminSender } from './admin-sender.ts';
import { ClientSender } from './client-sender.ts';

let http: HttpServer;
let io: Server;
let url: string;
const clients: Socket[] = [];
const received: { event: string; args: unknown[] }[] = [];

beforeAll(async () => {
  http = createServer();
  io = new Server(http);
  instrument(io, { auth: false, mode: 'development' });
  io.on('connection', (socket: ServerSocket) => {
    socket.on('join', (room: string, ack: () => void) => {
      void socket.join(room);
      ack();
    });
    socket.on('record', (...raw: unknown[]) => {
      const ack = typeof raw.at(-1) === 'function' ? (raw.pop() as (...a: unknown[]) => void) : undefined;
      received.push({ event: 'record', args: raw });
      ack?.({ received: raw.length });
    });
  });
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const c of clients) c.close();
  await new Promise<void>((done) => io.close(() => done()));
});

async function client(ns = '/'): Promise<Socket> {
  const socket = connect(url + ns, { transports: ['websocket'], forceNew: true, reconnection: false });
  clients.push(socket);
  await new Promise<void>((done, fail) => {
    socket.once('connect', () => done());
    socket.once('connect_error', fail);
  });
  return socket;
}

describe('ClientSender (the app emits with its own socket)', () => {
  it('the server gets exactly the composed arguments, binary included, and the ack comes back', async () => {
    const socket = await client();
    const sender = new ClientSender((ns) => (ns === '/' ? socket : undefined));
    const args = parseArgs([
      { kind: 'json', text: '{"a": [1, null, "é"], "b": {"$binary": "AQI="}}' },
      { kind: 'hex', text: 'ff00' },
    ]);
    const result = await sender.send({ target: 'server', ns: '/', event: 'record', args: args.values, ack: true });
    expect(result.ok).toBe(true);
    expect(result.ok && (await result.answer)).toEqual([{ received: 2 }]);
    expect(received.at(-1)).toEqual({ event: 'record', args: [{ a: [1, null, 'é'], b: Buffer.from([1, 2]) }, Buffer.from([0xff, 0])] });
  });

  it('says plainly when it cannot send', async () => {
    const socket = await client();
    const sender = new ClientSender((ns) => (ns === '/' ? socket : undefined));
    expect(await sender.send({ target: 'server', ns: '/other', event: 'x', args: [], ack: false })).toEqual({ ok: false, reason: 'the app has no socket on namespace /other' });
    expect(await sender.send({ target: 'page', ns: '/', event: 'x', args: [], ack: false })).toMatchObject({ ok: false });
    socket.close();
    expect(await sender.send({ target: 'server', ns: '/', event: 'x', args: [], ack: false })).toEqual({ ok: false, reason: 'the socket of namespace / is not connected' });
  });
});

describe('AdminSender (admin mode: the server emits)', () => {
  it('emits to a room, to one socket, or to the whole namespace', async () => {
    const admin = await client('/admin');
    const sender = new AdminSender(admin);
    const [inRoom, other] = await Promise.all([client(), client()]);
    await inRoom.emitWithAck('join', 'lobby');
    const got = (socket: Socket) => {
      const events: unknown[][] = [];
      socket.on('news', (...args) => events.push(args));
      return events;
    };
    const inRoomGot = got(inRoom);
    const otherGot = got(other);

    expect(await sender.send({ target: 'server', ns: '/', event: 'news', args: ['room only', new Uint8Array([7])], ack: false, room: 'lobby' })).toEqual({ ok: true });
    await expect.poll(() => inRoomGot).toEqual([['room only', Buffer.from([7])]]);
    expect(await sender.send({ target: 'server', ns: '/', event: 'news', args: ['just you'], ack: false, room: other.id! })).toEqual({ ok: true });
    await expect.poll(() => otherGot).toEqual([['just you']]);
    expect(await sender.send({ target: 'server', ns: '/', event: 'news', args: ['everyone'], ack: false, room: '' })).toEqual({ ok: true });
    await expect.poll(() => [inRoomGot.length, otherGot.length]).toEqual([2, 2]);
    expect(inRoomGot[1]).toEqual(['everyone']);

    expect(await sender.send({ target: 'server', ns: '/', event: 'news', args: [], ack: true })).toEqual({ ok: false, reason: 'an emit through the admin namespace cannot ask for an ack' });
  });
});
