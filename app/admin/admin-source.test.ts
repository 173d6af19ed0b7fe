// Admin mode against a real instrumented socket.io 4 server in Node: the connection (in-thread here, a worker in
// the browser) reads what `instrument()` sends, the model follows real clients, and the actions act on the server.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { instrument } from '@socket.io/admin-ui';
import bcrypt from 'bcryptjs';
import { Server } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureStore } from '../capture/capture-store.ts';
import { AdminConnection } from './admin-connection.ts';
import { AdminSource, type OpenAdminLink } from './admin-source.ts';
import type { AdminConnectOptions } from './admin-options.ts';

const inThread: OpenAdminLink = (options, output) => {
  const connection = new AdminConnection(options, output);
  connection.open();
  return connection;
};

interface Instrumented {
  io: Server;
  http: HttpServer;
  url: string;
}

async function startServer(auth: false | { username: string; password: string }, mode: 'development' | 'production' = 'development'): Promise<Instrumented> {
  const http = createServer();
  const io = new Server(http);
  io.on('connection', (socket) => socket.on('join', (room: string) => socket.join(room)));
  instrument(io, { auth: auth && { type: 'basic', username: auth.username, password: bcrypt.hashSync(auth.password, 4) }, mode, serverId: 'unit' });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { io, http, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

const clients: ClientSocket[] = [];
function client(url: string): Promise<ClientSocket> {
  const socket = connectClient(url, { transports: ['websocket'], forceNew: true });
  clients.push(socket);
  return new Promise((resolve) => socket.on('connect', () => resolve(socket)));
}

function source(options: AdminConnectOptions, store?: CaptureStore): AdminSource {
  const s = new AdminSource(options, store, inThread);
  s.start();
  sources.push(s);
  return s;
}
const sources: AdminSource[] = [];

let open: Instrumented;
let secured: Instrumented;
let production: Instrumented;

beforeAll(async () => {
  open = await startServer(false);
  secured = await startServer({ username: 'admin', password: 'right horse' });
  production = await startServer(false, 'production');
});
afterAll(async () => {
  for (const s of sources) s.stop();
  for (const c of clients) c.disconnect();
  for (const server of [open, secured, production]) {
    server?.io.close();
  }
});

describe('admin source, no auth', () => {
  it('shows live sockets and rooms, server stats, and server-side traffic as log entries', async () => {
    const store = new CaptureStore();
    const admin = source({ url: open.url }, store);
    const a = await client(open.url);
    await expect.poll(() => admin.model.socket('/', a.id!)).toBeDefined();
    await expect.poll(() => admin.model.servers.get('unit')?.pid, { timeout: 5_000 }).toBe(process.pid);
    expect(admin.model.developmentMode).toBe(true);
    admin.requestHandshake('/', a.id!);
    await expect.poll(() => JSON.parse(admin.handshakeOf('/', a.id!) ?? '{}').query?.transport).toBe('websocket');
    a.emit('join', 'lobby');
    await expect.poll(() => admin.model.socket('/', a.id!)?.rooms.includes('lobby')).toBe(true);
    const entry = () => store.entries.find((e) => e.layer === 'sio' && e.side === 'server' && e.event === 'join');
    await expect.poll(entry).toMatchObject({ conn: `server:${a.id}`, dir: 'in', ns: '/', args: ['lobby'] });
    const id = a.id!;
    a.disconnect();
    await expect.poll(() => admin.model.socket('/', id)).toBeUndefined();
  });

  it('join, leave, emit and disconnect act on the server and are confirmed by its messages', async () => {
    const admin = source({ url: open.url });
    const b = await client(open.url);
    const id = b.id!;
    await expect.poll(() => admin.model.socket('/', id)).toBeDefined();
    const server = () => open.io.of('/').sockets.get(id);

    const join = admin.send({ type: 'join', nsp: '/', room: 'vip', filter: id });
    await expect.poll(() => join.state).toBe('confirmed');
    expect(join.outcome).toBe(`confirmed: socket ${id} joined room "vip"`);
    expect(server()?.rooms.has('vip')).toBe(true);

    const got = new Promise((resolve) => b.once('notice', (...args) => resolve(args)));
    const emit = admin.send({ type: 'emit', nsp: '/', filter: 'vip', event: 'notice', args: ['hello', { n: 1 }] });
    expect(await got).toEqual(['hello', { n: 1 }]);
    await expect.poll(() => emit.state).toBe('confirmed');

    const leave = admin.send({ type: 'leave', nsp: '/', room: 'vip', filter: id });
    await expect.poll(() => leave.state).toBe('confirmed');
    expect(server()?.rooms.has('vip')).toBe(false);

    const kick = admin.send({ type: '_disconnect', nsp: '/', close: false, filter: id });
    await expect.poll(() => kick.state).toBe('confirmed');
    expect(kick.outcome).toMatch(/disconnected \(server namespace disconnect\)/);
    expect(server()).toBeUndefined();
  });
});

describe('admin source, basic auth', () => {
  it('connects with the right password and keeps the session id it returns', async () => {
    const admin = source({ url: secured.url, username: 'admin', password: 'right horse' });
    await expect.poll(() => admin.state).toBe('connected');
    await expect.poll(() => admin.model.sessionId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('says so when the password is wrong, and stays refused', async () => {
    const admin = source({ url: secured.url, username: 'admin', password: 'wrong' });
    await expect.poll(() => admin.state).toBe('refused');
    expect(admin.detail).toBe('wrong username or password');
  });
});

describe('admin source, production mode', () => {
  it('gets statistics only: no socket list, and says which mode the server is in', async () => {
    const admin = source({ url: production.url });
    await client(production.url);
    await expect.poll(() => admin.model.features).toBeDefined();
    expect(admin.model.developmentMode).toBe(false);
    expect(admin.model.supports('JOIN')).toBe(true);
    // The client and the admin connection itself.
    await expect.poll(() => admin.model.servers.get('unit')?.clientsCount, { timeout: 5_000 }).toBe(2);
    expect(admin.model.sockets.size).toBe(0);
  });
});
