// A demo chat server that behaves the same on socket.io 2, 3 and 4: the live target of the app and of wire tests.
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Socket as NetSocket } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { Server as ServerV4 } from 'socket.io';
import msgpackParser from 'socket.io-msgpack-parser';
import { instrument } from '@socket.io/admin-ui';

type AdminUiServer = Parameters<typeof instrument>[0];

export type ServerGeneration = 2 | 3 | 4;

export interface ChatServerOptions {
  generation?: ServerGeneration;
  parser?: 'default' | 'msgpack';
  host?: string;
  /** 0 = ephemeral. */
  port?: number;
  /** Serve files from here (index.html at /) next to socket.io. */
  staticDir?: string;
  /** Let a v3/v4 server accept v2 clients (Engine.IO 3). */
  allowEIO3?: boolean;
  /** More static folders under a URL prefix, e.g. `{ '/app/': 'dist/app' }` (checked before `staticDir`). */
  mounts?: Record<string, string>;
  /** The origin a v3/v4 server lets browsers in from (`cors.origin`); `false`: no CORS headers at all. Default `*`. */
  corsOrigin?: string | false;
  /** The transports the server accepts (default: both). */
  transports?: ('polling' | 'websocket')[];
  /** Serve `@socket.io/admin-ui`'s `/admin` namespace (v3/v4, no auth): what the app's admin mode reads. */
  adminUi?: boolean;
  /** Called with each handshake a namespace sees (before its middleware decides): what reached the server. */
  onHandshake?: (namespace: string, handshake: { auth?: unknown; query: unknown }) => void;
}

export interface ChatServer {
  url: string;
  port: number;
  generation: ServerGeneration;
  /** What the `record` handler received, per namespace, binary as Buffer: the composer's tests check it. */
  records: { ns: string; args: unknown[]; acked: boolean }[];
  close(): Promise<void>;
}

type Listener = (...args: any[]) => void;
type Ack = (...args: unknown[]) => void;

/** The slice of the socket.io API the handlers use, common to 2.x, 3.x and 4.x. */
interface SocketLike {
  id: string;
  handshake: { query: Record<string, unknown>; auth?: Record<string, unknown> };
  /** A Set in 3.x/4.x, a `{ room: room }` object in 2.x. */
  rooms: Set<string> | Record<string, string>;
  on(event: string, listener: Listener): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  /** 2.x calls back when the adapter has added the room; 3.x/4.x may return a promise. */
  join(room: string, callback?: (err?: unknown) => void): unknown;
  disconnect(close?: boolean): unknown;
}

interface NamespaceLike {
  on(event: 'connection', listener: (socket: SocketLike) => void): unknown;
  use(middleware: (socket: SocketLike, next: (err?: Error) => void) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  to(room: string): { emit(event: string, ...args: unknown[]): unknown };
}

interface ServerLike extends NamespaceLike {
  of(name: string): NamespaceLike;
  /** Closes every client, the engine and the attached http server. */
  close(callback?: (err?: Error) => void): void;
}

const require = createRequire(import.meta.url);

const WELCOME_TEXT = 'héllo wörld, € and 😀 from 日本';

function createIo(http: HttpServer, generation: ServerGeneration, parser: 'default' | 'msgpack', allowEIO3: boolean, corsOrigin: string | false, transports?: ChatServerOptions['transports']): ServerLike {
  const only = transports ? { transports } : {};
  if (generation === 2) {
    const factory = require('socket.io-v2') as (srv: HttpServer, opts: object) => ServerLike;
    return factory(http, {
      serveClient: false,
      ...only,
      ...(parser === 'msgpack' ? { parser: require('socket.io-msgpack-parser-v2') as object } : {}),
    });
  }
  const opts = {
    serveClient: false,
    ...(corsOrigin === false ? {} : { cors: { origin: corsOrigin } }),
    ...only,
    allowEIO3,
    ...(parser === 'msgpack' ? { parser: msgpackParser } : {}),
  };
  if (generation === 3) {
    // socket.io 3's package "exports" hide its typings from ESM resolution.
    const { Server } = require('socket.io-v3') as { Server: new (srv: HttpServer, o: typeof opts) => ServerLike };
    return new Server(http, opts);
  }
  return new ServerV4(http, opts) as unknown as ServerLike;
}

function splitAck(args: unknown[]): [unknown[], Ack | undefined] {
  const last = args[args.length - 1];
  return typeof last === 'function' ? [args.slice(0, -1), last as Ack] : [args, undefined];
}

function roomList(rooms: SocketLike['rooms']): string[] {
  return rooms instanceof Set ? [...rooms] : Object.keys(rooms);
}

async function joinRoom(socket: SocketLike, room: string, generation: ServerGeneration): Promise<string[]> {
  if (generation === 2) {
    await new Promise<void>((done, fail) => socket.join(room, (err) => (err ? fail(err) : done())));
  } else {
    await socket.join(room);
  }
  return roomList(socket.rooms);
}

function wireHandlers(io: ServerLike, generation: ServerGeneration, records: ChatServer['records'], onHandshake: ChatServerOptions['onHandshake']): void {
  const stamp = () => ({ ok: true, at: Date.now() });

  const common = (nsp: NamespaceLike, socket: SocketLike, ns: string) => {
    // Keeps what it got, exactly, and answers an ack with how many arguments came.
    socket.on('record', (...raw: unknown[]) => {
      const [args, ack] = splitAck(raw);
      records.push({ ns, args, acked: ack !== undefined });
      ack?.({ received: args.length, ns });
    });
    socket.on('chat message', (...raw: unknown[]) => {
      const [[msg], ack] = splitAck(raw);
      nsp.emit('chat message', msg);
      ack?.(stamp());
    });
    socket.on('echo', (...raw: unknown[]) => {
      const [args, ack] = splitAck(raw);
      ack?.(...args);
    });
  };

  io.on('connection', (socket) => {
    onHandshake?.('/', { auth: socket.handshake.auth, query: socket.handshake.query });
    common(io, socket, '/');
    socket.emit('welcome', { id: socket.id }, WELCOME_TEXT);
    socket.on('join', (...raw: unknown[]) => {
      const [[room], ack] = splitAck(raw);
      joinRoom(socket, String(room), generation).then(
        (rooms) => ack?.(rooms),
        () => ack?.([]),
      );
    });
    socket.on('room message', (payload: { room?: unknown; text?: unknown } | null) => {
      const room = String(payload?.room);
      io.to(room).emit('room message', { room, text: payload?.text, from: socket.id });
    });
    socket.on('ping me', (...raw: unknown[]) => {
      const [, ack] = splitAck(raw);
      ack?.(stamp());
      socket.emit('server ask', 'question', (answer: unknown) => socket.emit('server got', answer));
    });
    socket.on('binary', (...raw: unknown[]) => {
      const [args, ack] = splitAck(raw);
      socket.emit('binary echo', Buffer.from([1, 2, 3]), Buffer.from('€ bytes'), {
        nested: { buf: Buffer.from([0xff, 0x00, 0x7f]), list: ['x', { deep: Buffer.from('deep') }] },
        args,
      });
      ack?.(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    });
    socket.on('kick me', () => socket.disconnect(true));
    // `tick` events as fast as the server can send them, 500 (or `perTurn`) per turn of the event loop (benchmarks,
    // load demos). Over polling, all in one turn makes the number of long-poll responses the same for every client.
    socket.on('flood', (count: unknown, perTurn: unknown) => {
      const total = Math.min(Math.max(0, Number(count) || 0), 1_000_000);
      const step = Math.min(Math.max(1, Number(perTurn) || 500), 1_000_000);
      let sent = 0;
      const burst = () => {
        for (const end = Math.min(total, sent + step); sent < end; sent++) socket.emit('tick', sent, 'payload of a small chat-sized event');
        if (sent < total) setImmediate(burst);
      };
      burst();
    });
  });

  const chat = io.of('/chat');
  chat.use((socket, next) => {
    onHandshake?.('/chat', { auth: socket.handshake.auth, query: socket.handshake.query });
    const token = generation === 2 ? socket.handshake.query.token : socket.handshake.auth?.token;
    if (token === 'secret') return next();
    const err = new Error('not authorized');
    // socket.io 2 sends `err.data` instead of the message when it is set.
    if (generation !== 2) Object.assign(err, { data: { reason: 'bad token' } });
    next(err);
  });
  chat.on('connection', (socket) => common(chat, socket, '/chat'));
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** A folder served under a URL prefix; `root` is a real path (no symlinks), so a file's real path must start with it. */
interface Mount {
  prefix: string;
  root: string;
}

function staticHandler(mounts: Mount[]) {
  const fail = (res: ServerResponse, status: number) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${status}\n`);
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405);
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return fail(res, 400);
    }
    if (pathname.includes('\0')) return fail(res, 400);
    // `/app` -> `/app/`: the app's assets are relative to its folder.
    const bare = mounts.find((m) => m.prefix !== '/' && pathname === m.prefix.slice(0, -1));
    if (bare) return void res.writeHead(301, { location: bare.prefix + (req.url ?? '').slice(pathname.length) }).end();
    const mount = mounts.find((m) => pathname.startsWith(m.prefix));
    if (!mount) return fail(res, 404);
    const root = mount.root;
    let file = resolve(root, '.' + pathname.slice(mount.prefix.length - 1));
    try {
      if ((await stat(file)).isDirectory()) file = resolve(file, 'index.html');
      // realpath also catches symlinks that point outside the root.
      file = await realpath(file);
      if (!file.startsWith(root + sep) || !(await stat(file)).isFile()) return fail(res, 404);
    } catch {
      return fail(res, 404);
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  };
}

export async function startChatServer(opts: ChatServerOptions = {}): Promise<ChatServer> {
  const generation = opts.generation ?? 4;
  const host = opts.host ?? '127.0.0.1';
  const mounts: Mount[] = [];
  for (const [prefix, dir] of Object.entries(opts.mounts ?? {})) mounts.push({ prefix: prefix.endsWith('/') ? prefix : prefix + '/', root: await realpath(resolve(dir)) });
  if (opts.staticDir !== undefined) mounts.push({ prefix: '/', root: await realpath(resolve(opts.staticDir)) });
  const serveStatic = staticHandler(mounts);
  // socket.io takes over the 'request' listeners and calls them for everything outside its path.
  const http = createServer((req, res) => {
    serveStatic(req, res).catch(() => res.headersSent ? res.destroy() : res.writeHead(500).end());
  });
  const sockets = new Set<NetSocket>();
  http.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const io = createIo(http, generation, opts.parser ?? 'default', opts.allowEIO3 ?? false, opts.corsOrigin ?? '*', opts.transports);
  const records: ChatServer['records'] = [];
  wireHandlers(io, generation, records, opts.onHandshake);
  if (opts.adminUi) {
    if (generation === 2) throw new Error('chat server: @socket.io/admin-ui needs socket.io 3 or 4');
    instrument(io as unknown as AdminUiServer, { auth: false, mode: 'development' });
  }

  await new Promise<void>((done, fail) => {
    http.once('error', fail);
    http.listen(opts.port ?? 0, host, () => {
      http.off('error', fail);
      done();
    });
  });
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('chat server: no TCP address');
  const port = address.port;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((done) => {
      io.close(() => done());
      http.closeAllConnections();
      // Upgraded (WebSocket) sockets wait for the peer's close frame; do not let a silent peer hold us up.
      const timer = setTimeout(() => sockets.forEach((s) => s.destroy()), 200);
      timer.unref();
    }));

  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, port, generation, records, close };
}
