// The socket.io-client connection to an instrumented server's admin namespace. It runs in a worker in the browser
// (admin-worker.ts), so parsing a 50,000-socket `all_sockets` never blocks the page, and in Node for tests. It reads
// every message (admin-messages.ts) and hands them on in batches: at most one batch per `flushMs`, and a big
// socket list as several batches, so the receiving thread applies it in small tasks.
import { io, type Socket } from 'socket.io-client';
import { ADMIN_EVENTS, readAdminMessage, socketOf, type AdminAction, type AdminServerMessage, type AdminSocket } from './admin-messages.ts';
import type { AdminConnectOptions } from './admin-options.ts';

export type AdminConnectionState = 'connecting' | 'connected' | 'disconnected' | 'refused';

/** The connection → its owner (posted from the worker to the page as is). */
export type AdminConnectionOutput =
  | { type: 'status'; state: AdminConnectionState; detail: string }
  | { type: 'messages'; messages: AdminServerMessage[] }
  | { type: 'rejected'; count: number; reasons: string[] }
  | { type: 'handshake'; nsp: string; id: string; json: string | undefined };

export interface AdminConnectionTuning {
  flushMs: number;
  /** Sockets per batch when a socket list arrives. */
  chunk: number;
}

/** Handshakes kept at most (as many as the model keeps sockets). */
const MAX_HANDSHAKES = 250_000;

export function adminNamespaceUrl(url: string): string {
  const base = url.trim().replace(/\/+$/, '');
  return `${base}/admin`;
}

export class AdminConnection {
  private socket: Socket | undefined;
  private queue: AdminServerMessage[] = [];
  private rejected: string[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sessionId: string | undefined;
  /** `nsp` NUL `id` → handshake (as parsed), for the sockets the server reported and has not seen leave. */
  private readonly handshakes = new Map<string, unknown>();
  private readonly tuning: AdminConnectionTuning;

  constructor(
    private readonly options: AdminConnectOptions,
    private readonly output: (out: AdminConnectionOutput) => void,
    tuning: Partial<AdminConnectionTuning> = {},
  ) {
    this.tuning = { flushMs: 50, chunk: 1_000, ...tuning };
  }

  open(): void {
    const { options } = this;
    let url: string;
    try {
      url = adminNamespaceUrl(new URL(options.url).href);
    } catch {
      this.output({ type: 'status', state: 'refused', detail: `not a URL: ${options.url}` });
      return;
    }
    this.output({ type: 'status', state: 'connecting', detail: url });
    const socket = io(url, {
      path: options.path || '/socket.io',
      // WebSocket first: it needs no CORS setup on the server (polling does), and carries big lists in one frame.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      forceNew: true,
      // The session id the server handed out after a password check stands in for the password on reconnection.
      auth: (cb) => cb(this.sessionId ? { sessionId: this.sessionId } : { username: options.username ?? '', password: options.password ?? '' }),
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.handshakes.clear();
      this.output({ type: 'status', state: 'connected', detail: url });
    });
    socket.on('disconnect', (reason) => {
      this.flush();
      this.output({ type: 'status', state: 'disconnected', detail: reason });
    });
    socket.on('connect_error', (error) => {
      if (this.sessionId) {
        // A server restart forgets sessions: try the credentials again, once.
        this.sessionId = undefined;
        socket.connect();
        return;
      }
      const wrong = error.message === 'invalid credentials';
      const detail = wrong ? 'wrong username or password' : error.message || 'cannot connect';
      // A namespace refusal (the admin namespace's auth) is final for socket.io; a transport error retries.
      this.output({ type: 'status', state: socket.active ? 'connecting' : 'refused', detail });
    });
    socket.onAny((name: unknown, ...args: unknown[]) => this.receive(name, args));
  }

  send(action: AdminAction): void {
    const socket = this.socket;
    if (!socket) return;
    switch (action.type) {
      case 'emit':
        socket.emit('emit', action.nsp, action.filter, action.event, ...action.args);
        return;
      case 'join':
      case 'leave':
        socket.emit(action.type, action.nsp, action.room, action.filter);
        return;
      case '_disconnect':
        socket.emit('_disconnect', action.nsp, action.close, action.filter);
    }
  }

  /** Answers with the handshake of one socket (output `handshake`). */
  handshake(nsp: string, id: string): void {
    const key = `${nsp}\u0000${id}`;
    this.output({ type: 'handshake', nsp, id, json: this.handshakes.has(key) ? JSON.stringify(this.handshakes.get(key)) : undefined });
  }

  close(): void {
    clearTimeout(this.timer);
    this.socket?.disconnect();
    this.socket = undefined;
  }

  private receive(name: unknown, args: unknown[]): void {
    if (typeof name !== 'string' || !(ADMIN_EVENTS as readonly string[]).includes(name)) {
      this.reject(`unexpected admin event ${JSON.stringify(String(name).slice(0, 60))}`);
      return;
    }
    if (name === 'all_sockets' && Array.isArray(args[0]) && args[0].length > this.tuning.chunk) {
      this.socketsInChunks(args[0]);
      return;
    }
    const message = readAdminMessage(name, args);
    if (typeof message === 'string') {
      this.reject(message);
      return;
    }
    if (message.type === 'session') this.sessionId = message.sessionId;
    else if (message.type === 'socket_connected') this.keepHandshake(message.socket);
    else if (message.type === 'all_sockets') for (const s of message.sockets) this.keepHandshake(s);
    else if (message.type === 'socket_disconnected') this.handshakes.delete(`${message.nsp}\u0000${message.id}`);
    this.queue.push(message);
    this.timer ??= setTimeout(() => this.flush(), this.tuning.flushMs);
  }

  /** A big socket list, read and handed on a chunk at a time: the page starts on the first while this reads on. */
  private socketsInChunks(list: unknown[]): void {
    this.flush();
    for (let i = 0; i < list.length; i += this.tuning.chunk) {
      const sockets: AdminSocket[] = [];
      for (let j = i; j < Math.min(list.length, i + this.tuning.chunk); j++) {
        const socket = socketOf(list[j]);
        if (typeof socket === 'string') this.reject(socket);
        else {
          this.keepHandshake(socket);
          sockets.push(socket);
        }
      }
      this.output({ type: 'messages', messages: [{ type: 'all_sockets', sockets }] });
    }
  }

  private keepHandshake(socket: AdminSocket): void {
    if (this.handshakes.size < MAX_HANDSHAKES) this.handshakes.set(`${socket.nsp}\u0000${socket.id}`, socket.handshake);
    socket.handshake = undefined;
  }

  private reject(reason: string): void {
    if (this.rejected.length < 10_000) this.rejected.push(reason);
    this.timer ??= setTimeout(() => this.flush(), this.tuning.flushMs);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.rejected.length > 0) {
      this.output({ type: 'rejected', count: this.rejected.length, reasons: this.rejected.slice(-10) });
      this.rejected = [];
    }
    if (this.queue.length === 0) return;
    const messages = this.queue;
    this.queue = [];
    this.output({ type: 'messages', messages });
  }
}
