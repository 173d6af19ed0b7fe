// One client-mode connection: one Manager (so one Engine.IO session) and a socket per namespace, with
// socket.io-client 4 or 2. Traffic reaches the timeline through the tap, not through here: this only follows the
// connection's life (connects, reconnection attempts and their backoff, disconnect reasons, failures explained).
import { explainFailure, isTransportError, type FailureExplanation, type ProbeResult } from './connect-failure.ts';
import { parseAuth, parseQuery, type ClientConnectOptions } from './connect-options.ts';
import { probe, probeUrl } from './probe.ts';

type Listener = (...args: any[]) => void;

/** The part of a socket.io-client Socket (2.x and 4.x alike) used here. */
interface ClientSocket {
  id?: string;
  connected: boolean;
  on(event: string, listener: Listener): unknown;
  onAny?(listener: Listener): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  disconnect(): unknown;
}

/** The part of a socket.io-client Manager (2.x and 4.x alike) used here. */
interface ClientManager {
  on(event: string, listener: Listener): unknown;
  socket(namespace: string, options?: object): ClientSocket;
  engine?: { transport?: { name?: string }; on(event: string, listener: Listener): unknown };
  reconnectionDelay(): number;
  reconnectionDelayMax(): number;
  randomizationFactor(): number;
}

export type NamespacePhase = 'connecting' | 'connected' | 'disconnected' | 'refused';

export interface NamespaceState {
  namespace: string;
  phase: NamespacePhase;
  socketId?: string;
  /** Events received on it (socket.io-client 4's onAny; none are declared as listeners). */
  events: number;
  lastReason?: string;
  failure?: FailureExplanation;
}

export interface StatusLine {
  t: number;
  text: string;
  error: boolean;
}

export interface SessionState {
  phase: 'connecting' | 'open' | 'reconnecting' | 'failed' | 'closed';
  transport?: string;
  /** The reconnection attempt under way (0: none). */
  attempt: number;
  backoff?: { min: number; max: number; jitter: number };
  namespaces: NamespaceState[];
  /** Newest last, at most MAX_LINES. */
  lines: StatusLine[];
}

const MAX_LINES = 200;
const MAX_ARG_TEXT = 200;

export interface SessionEnv {
  appOrigin: string;
  fetch: typeof fetch;
  onChange(state: SessionState): void;
}

function describe(value: unknown): string {
  try {
    const text = value instanceof ArrayBuffer ? `<${value.byteLength} bytes>` : (JSON.stringify(value) ?? String(value));
    return text.length > MAX_ARG_TEXT ? text.slice(0, MAX_ARG_TEXT) + '…' : text;
  } catch {
    return '(unprintable)';
  }
}

async function loadManager(options: ClientConnectOptions, engineQuery: Record<string, string>): Promise<ClientManager> {
  const transports = options.transports.split(',');
  const common = { path: options.path, transports, query: engineQuery, reconnectionDelayMax: 5000 };
  if (options.generation === 4) {
    const { Manager } = await import('socket.io-client');
    const parser = options.parser === 'msgpack' ? (await import('socket.io-msgpack-parser')).default : undefined;
    return new Manager(options.url, { ...common, ...(parser ? { parser } : {}) }) as unknown as ClientManager;
  }
  const v2 = (await import('socket.io-client-v2')).default;
  const parser = options.parser === 'msgpack' ? (await import('socket.io-msgpack-parser-v2')).default : undefined;
  return new v2.Manager(options.url, { ...common, ...(parser ? { parser } : {}) }) as ClientManager;
}

export class ClientSession {
  private manager: ClientManager | undefined;
  private readonly sockets = new Map<string, ClientSocket>();
  private readonly state: SessionState;
  private probing: Promise<{ configured: ProbeResult; defaultPath?: ProbeResult }> | undefined;
  private closed = false;
  private lastAttemptAt = 0;

  constructor(
    readonly options: ClientConnectOptions,
    private readonly env: SessionEnv,
  ) {
    this.state = {
      phase: 'connecting',
      attempt: 0,
      namespaces: options.namespaces.map((namespace) => ({ namespace, phase: 'connecting', events: 0 })),
      lines: [],
    };
  }

  async open(): Promise<void> {
    const auth = parseAuth(this.options.auth);
    if ('error' in auth) throw new Error(auth.error);
    const query = parseQuery(this.options.query);
    // socket.io 2 has no `auth`: its fields travel in the handshake query, where 2.x middlewares read them.
    const engineQuery: Record<string, string> = { ...query };
    if (this.options.generation === 2) for (const [k, v] of Object.entries(auth.value)) engineQuery[k] = typeof v === 'string' ? v : JSON.stringify(v);
    this.line(`connecting to ${this.options.url}${this.options.path} with socket.io-client ${this.options.generation}, ${this.options.transports}, ${this.options.parser} parser`);
    const manager = await loadManager(this.options, engineQuery);
    if (this.closed) return;
    this.manager = manager;
    this.state.backoff = { min: manager.reconnectionDelay(), max: manager.reconnectionDelayMax(), jitter: manager.randomizationFactor() };
    this.followManager(manager);
    for (const ns of this.state.namespaces) {
      const socket = manager.socket(ns.namespace, this.options.generation === 4 ? { auth: auth.value } : {});
      this.sockets.set(ns.namespace, socket);
      this.followSocket(socket, ns);
    }
    this.changed();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const socket of this.sockets.values()) socket.disconnect();
    this.state.phase = 'closed';
    this.line('disconnected by you');
  }

  /** The socket of a namespace this session joined (the composer and re-emit send with it). */
  socketFor(namespace: string): ClientSocket | undefined {
    return this.closed ? undefined : this.sockets.get(namespace);
  }

  private followManager(manager: ClientManager): void {
    manager.on('open', () => {
      this.state.phase = 'open';
      this.state.attempt = 0;
      const engine = manager.engine;
      this.state.transport = engine?.transport?.name;
      engine?.on('upgrade', (transport: { name?: string }) => {
        this.state.transport = transport?.name;
        this.line(`upgraded to ${transport?.name}`);
      });
      this.line(`Engine.IO session open over ${this.state.transport ?? 'an unknown transport'}`);
    });
    manager.on('close', (reason: unknown) => {
      if (this.closed) return;
      this.line(`connection closed: ${describe(reason)}`, true);
    });
    manager.on('reconnect_attempt', (attempt: unknown) => {
      const at = performance.now();
      const waited = this.lastAttemptAt ? ` after ${((at - this.lastAttemptAt) / 1000).toFixed(1)} s` : '';
      this.lastAttemptAt = at;
      this.state.phase = 'reconnecting';
      this.state.attempt = Number(attempt) || 0;
      this.line(`reconnection attempt ${this.state.attempt}${waited}`);
    });
    manager.on('reconnect_error', (err: { message?: unknown }) => this.line(`reconnection attempt ${this.state.attempt} failed: ${describe(err?.message)}`, true));
    manager.on('reconnect', (attempt: unknown) => this.line(`reconnected after ${describe(attempt)} attempt(s)`));
    manager.on('reconnect_failed', () => {
      this.state.phase = 'failed';
      this.line('gave up reconnecting', true);
    });
  }

  private followSocket(socket: ClientSocket, ns: NamespaceState): void {
    socket.on('connect', () => {
      ns.phase = 'connected';
      ns.socketId = socket.id;
      ns.failure = undefined;
      this.line(`${ns.namespace} connected as ${socket.id}`);
    });
    socket.on('disconnect', (reason: unknown) => {
      ns.phase = 'disconnected';
      ns.lastReason = String(reason);
      if (!this.closed) this.line(`${ns.namespace} disconnected: ${ns.lastReason}`, true);
    });
    socket.on('connect_error', (err: { message?: unknown; data?: unknown; description?: unknown }) => void this.failed(ns, err));
    // socket.io 2: a middleware's refusal is an `error` event carrying its message (or its `err.data`); the
    // Manager also passes its own transport errors (Error objects) to every socket as `error` events.
    if (this.options.generation === 2) {
      socket.on('error', (value: unknown) => {
        if (value instanceof Error) void this.failed(ns, value);
        else void this.failed(ns, typeof value === 'string' ? { message: value } : { message: 'middleware error', data: value });
      });
    }
    socket.onAny?.(() => {
      ns.events++;
      this.changedSoon();
    });
  }

  private async failed(ns: NamespaceState, err: { message?: unknown; data?: unknown; description?: unknown }): Promise<void> {
    const message = typeof err?.message === 'string' ? err.message : String(err);
    const transport = isTransportError(message);
    if (!transport) ns.phase = 'refused';
    const status = typeof err?.description === 'number' ? err.description : undefined;
    const probeResults = transport ? await this.probeOnce() : undefined;
    if (this.closed) return;
    ns.failure = explainFailure({
      message,
      data: err?.data,
      status,
      namespace: ns.namespace,
      generation: this.options.generation,
      appOrigin: this.env.appOrigin,
      serverUrl: this.options.url,
      path: this.options.path,
      transports: this.options.transports,
      probe: probeResults,
    });
    this.line(`${ns.namespace} connect_error: ${message}${err?.data !== undefined ? ` ${describe(err.data)}` : ''}`, true);
  }

  /** One set of probes per session (every reconnection attempt fails the same way). */
  private probeOnce(): Promise<{ configured: ProbeResult; defaultPath?: ProbeResult }> {
    this.probing ??= (async () => {
      const eio = this.options.generation === 2 ? 3 : 4;
      const configured = await probe(this.env.fetch, probeUrl(this.options.url, this.options.path, eio));
      const defaultPath =
        configured.kind !== 'unreachable' && this.options.path.replace(/\/+$/, '') !== '/socket.io' ? await probe(this.env.fetch, probeUrl(this.options.url, '/socket.io', eio)) : undefined;
      return { configured, defaultPath };
    })();
    return this.probing;
  }

  private line(text: string, error = false): void {
    this.state.lines = [...this.state.lines.slice(-(MAX_LINES - 1)), { t: Date.now(), text, error }];
    this.changed();
  }

  private changeQueued = false;
  /** Event counts change with every event: folded into one update per 200 ms. */
  private changedSoon(): void {
    if (this.changeQueued) return;
    this.changeQueued = true;
    setTimeout(() => {
      this.changeQueued = false;
      this.changed();
    }, 200);
  }

  private changed(): void {
    this.env.onChange({ ...this.state, namespaces: this.state.namespaces.map((n) => ({ ...n })) });
  }
}
