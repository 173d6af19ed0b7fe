// Drives one scripted session of the demo chat with a real socket.io client and records what the client saw,
// so tests can compare the decoded wire with the client's own view.
import { createRequire } from 'node:module';
import { io as ioV4 } from 'socket.io-client';
import msgpackParser from 'socket.io-msgpack-parser';

const require = createRequire(import.meta.url);

type Listener = (...args: any[]) => void;
/** The part of the client API common to socket.io-client 2, 3 and 4. */
interface ClientSocket {
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  close(): unknown;
  onAny?(listener: Listener): unknown;
  /** socket.io-client >= 4.5: every event the socket puts on the wire, as it sends it. */
  onAnyOutgoing?(listener: Listener): unknown;
  onevent?: (packet: { data: unknown[] }) => void;
}

export interface ObservedEvent {
  ns: string;
  event: string;
  args: unknown[];
}

export interface Observed {
  /** Events the script asked the client to emit, in order. */
  scripted: ObservedEvent[];
  /**
   * Events the client says it sent: its own `onAnyOutgoing` where it has one (socket.io-client >= 4.5); for older
   * clients, a wrapper around the script's emits (`sentBy` says which).
   */
  sent: ObservedEvent[];
  sentBy: 'onAnyOutgoing' | 'emit wrapper';
  /** Events the client's listeners received (onAny, or the v2 client's onevent). */
  received: ObservedEvent[];
  /** Arguments of each ack callback the client's emits got back. */
  acksReceived: { ns: string; args: unknown[] }[];
  /** What the client answered to the server's ack requests. */
  acksSent: { ns: string; args: unknown[] }[];
  connectErrors: { ns: string; message: string; data?: unknown }[];
  disconnectReason?: string;
}

export interface SessionOptions {
  generation: 2 | 3 | 4;
  parser: 'default' | 'msgpack';
  transports: ('polling' | 'websocket')[];
}

function clientFactory(generation: 2 | 3 | 4): (url: string, opts: object) => ClientSocket {
  if (generation === 2) return require('socket.io-client-v2') as (url: string, opts: object) => ClientSocket;
  if (generation === 3) return require('socket.io-client-v3') as (url: string, opts: object) => ClientSocket;
  return ioV4 as unknown as (url: string, opts: object) => ClientSocket;
}

function parserFor(generation: 2 | 3 | 4, parser: 'default' | 'msgpack'): object {
  if (parser === 'default') return {};
  return { parser: generation === 2 ? (require('socket.io-msgpack-parser-v2') as object) : msgpackParser };
}

const ECHO_ARGS = [1, 2.5, -3, 'two', { a: [1, { b: null }] }, [true, false], '日本語 😀 \u2028 "quoted"', ''];
/** An own `__proto__` key, as a hostile payload carries it. (msgpack decoders refuse or mis-assign such keys.) */
const PROTO_ARG: unknown = JSON.parse('{"__proto__":{"polluted":true},"ok":1}');


/**
 * Connects `/` and `/chat` (authorised), tries `/chat` with a bad token on a second connection, emits events of
 * every argument shape with acks, joins a room, answers a server ack, sends and receives binary, then gets kicked.
 */
export async function runChatSession(url: string, options: SessionOptions): Promise<Observed> {
  const { generation } = options;
  const io = clientFactory(generation);
  const base = { transports: options.transports, reconnection: false, ...parserFor(generation, options.parser) };
  const observed: Observed = { scripted: [], sent: [], sentBy: 'emit wrapper', received: [], acksReceived: [], acksSent: [], connectErrors: [] };
  /** Sockets whose outgoing events the client reports itself. */
  const reporting = new Set<ClientSocket>();
  const sockets: ClientSocket[] = [];
  const open = (ns: string, token: string, forceNew = false): ClientSocket => {
    const auth = ns === '/' ? {} : generation === 2 ? { query: { token } } : { auth: { token } };
    const socket = io(ns === '/' ? url : url + ns, { ...base, ...auth, forceNew });
    sockets.push(socket);
    // A listener gets the ack callback as a last argument: not part of what came over the wire.
    const record = (event: string, ...args: unknown[]) =>
      observed.received.push({ ns, event, args: typeof args.at(-1) === 'function' ? args.slice(0, -1) : args });
    if (socket.onAnyOutgoing) {
      // The ack callback is not on the wire either (the client turns it into the packet id).
      socket.onAnyOutgoing((event: string, ...args: unknown[]) =>
        observed.sent.push({ ns, event, args: typeof args.at(-1) === 'function' ? args.slice(0, -1) : args }),
      );
      reporting.add(socket);
      observed.sentBy = 'onAnyOutgoing';
    }
    if (socket.onAny) socket.onAny(record);
    else {
      const onevent = socket.onevent!;
      socket.onevent = function (this: ClientSocket, packet) {
        const [event, ...args] = packet.data;
        record(String(event), ...args);
        onevent.call(this, packet);
      };
    }
    return socket;
  };
  const script = (socket: ClientSocket, ns: string, event: string, args: unknown[]) => {
    observed.scripted.push({ ns, event, args });
    if (!reporting.has(socket)) observed.sent.push({ ns, event, args });
  };
  const emit = (socket: ClientSocket, ns: string, event: string, ...args: unknown[]) => {
    script(socket, ns, event, args);
    socket.emit(event, ...args);
  };
  // No time limit of their own: a step that never completes fails the test at vitest's timeout.
  const emitWithAck = (socket: ClientSocket, ns: string, event: string, ...args: unknown[]) =>
    new Promise<void>((done) => {
      script(socket, ns, event, args);
      socket.emit(event, ...args, (...reply: unknown[]) => {
        observed.acksReceived.push({ ns, args: reply });
        done();
      });
    });
  const next = (socket: ClientSocket, event: string) => new Promise<unknown[]>((done) => socket.once(event, (...a: unknown[]) => done(a)));

  try {
    const main = open('/', '');
    const welcome = next(main, 'welcome');
    main.on('server ask', (_question: unknown, answer: (...a: unknown[]) => void) => {
      observed.acksSent.push({ ns: '/', args: ['answer', 42] });
      answer('answer', 42);
    });
    await welcome;
    const chat = open('/chat', 'secret');
    await next(chat, 'connect');

    const refused = open('/chat', 'wrong', true);
    const [error] = await next(refused, generation === 2 ? 'error' : 'connect_error');
    observed.connectErrors.push(
      typeof error === 'string' ? { ns: '/chat', message: error } : { ns: '/chat', message: (error as Error).message, data: (error as { data?: unknown }).data },
    );

    await emitWithAck(main, '/', 'chat message', 'hello é😀');
    await emitWithAck(main, '/', 'echo', ...ECHO_ARGS, ...(options.parser === 'default' ? [PROTO_ARG] : []));
    await emitWithAck(main, '/', 'echo');
    await emitWithAck(chat, '/chat', 'echo', { from: 'chat' }, [1, 2, 3]);
    await emitWithAck(main, '/', 'join', 'lobby');
    const roomMessage = next(main, 'room message');
    emit(main, '/', 'room message', { room: 'lobby', text: 'hi room' });
    await roomMessage;
    const serverGot = next(main, 'server got');
    await emitWithAck(main, '/', 'ping me');
    await serverGot;
    const echo = next(main, 'binary echo');
    await emitWithAck(main, '/', 'binary', Buffer.from([1, 2, 3]), { inner: Buffer.from('abc'), empty: Buffer.alloc(0) });
    await echo;
    const disconnected = next(main, 'disconnect');
    emit(main, '/', 'kick me');
    [observed.disconnectReason] = (await disconnected) as [string];
  } finally {
    for (const socket of sockets) socket.close();
  }
  return observed;
}

/** Resolves once `frames` has not grown for `quietMs` (the closing packets of a session are in), or after `maxMs`. */
export async function untilQuiet(frames: readonly unknown[], quietMs = 150, maxMs = 5000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let seen = frames.length;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    if (frames.length !== seen) {
      seen = frames.length;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) return;
  }
}
