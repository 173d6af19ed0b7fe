// A real socket.io 4 server instrumented with `@socket.io/admin-ui`, for admin-mode specs and benchmarks, plus
// Node clients to drive it. The same function runs in-process and in the child processes of the two-node spec.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { instrument } from '@socket.io/admin-ui';
import bcrypt from 'bcryptjs';
import { Server, type ServerOptions } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { tagSocketsWithServerId } from '../../app/admin/server/tag-sockets.ts';

export interface InstrumentedServerOptions {
  serverId: string;
  /** Basic auth with this username and password (the server keeps only a bcrypt hash). */
  auth?: { username: string; password: string };
  mode?: 'development' | 'production';
  /** Fixed port (default: any free one). */
  port?: number;
  /** E.g. the Redis adapter, for several nodes. */
  adapter?: ServerOptions['adapter'];
  /** HTML served at `/` (the socket.io client is at /socket.io/socket.io.js). */
  page?: string;
}

export interface InstrumentedServer {
  io: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * Namespaces `/` and `/chat`. A client can ask to `join` / `leave` a room, `say` something to a room (a broadcast,
 * which crosses nodes through the adapter), and `whoami` for the node it is on.
 */
export async function startInstrumentedServer(options: InstrumentedServerOptions): Promise<InstrumentedServer> {
  const http = createServer((req, res) => {
    if (options.page && req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(options.page);
    else res.writeHead(404).end();
  });
  const io = new Server(http, { adapter: options.adapter, cors: { origin: '*' } });
  tagSocketsWithServerId(io, options.serverId);
  const handlers = (nsp: ReturnType<Server['of']>) =>
    nsp.on('connection', (socket) => {
      socket.on('join', (room: string) => socket.join(room));
      socket.on('leave', (room: string) => socket.leave(room));
      socket.on('say', (room: string, text: string) => nsp.to(room).emit('said', options.serverId, text));
      socket.on('whoami', (ack: (id: string) => void) => typeof ack === 'function' && ack(options.serverId));
    });
  handlers(io.of('/'));
  handlers(io.of('/chat'));
  instrument(io, {
    auth: options.auth ? { type: 'basic', username: options.auth.username, password: bcrypt.hashSync(options.auth.password, 6) } : false,
    mode: options.mode ?? 'development',
    serverId: options.serverId,
  });
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    io,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        io.disconnectSockets(true);
        io.close(() => resolve());
      }),
  };
}

/** A Node socket.io client on a namespace, resolved once connected. */
export function nodeClient(url: string, nsp = '/', extra: Parameters<typeof connect>[1] = {}): Promise<ClientSocket> {
  const socket = connect(url + (nsp === '/' ? '' : nsp), { transports: ['websocket'], forceNew: true, reconnection: false, ...extra });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Resolves with the arguments of the next `event` the client receives; rejects after `timeoutMs`. */
export function nextEvent(socket: ClientSocket, event: string, timeoutMs = 15_000): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (...args: unknown[]) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}
