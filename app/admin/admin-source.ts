// The page's side of admin mode: owns the connection (in a worker by default), applies what it delivers to the
// model, confirms actions, turns server-side traffic into log entries, and tells views about it a few times a
// second at most, however fast the server talks.
import type { CaptureStore, ServerTraffic } from '../capture/capture-store.ts';
import { ActionLog, type TrackedAction } from './admin-actions.ts';
import type { AdminConnectionOutput, AdminConnectionState } from './admin-connection.ts';
import type { AdminAction } from './admin-messages.ts';
import { AdminModel } from './admin-model.ts';
import type { AdminConnectOptions } from './admin-options.ts';
import type { AdminPageToWorker } from './admin-worker.ts';

export interface AdminLink {
  send(action: AdminAction): void;
  handshake(nsp: string, id: string): void;
  close(): void;
}

export type OpenAdminLink = (options: AdminConnectOptions, output: (out: AdminConnectionOutput) => void) => AdminLink;

/** The default: the connection lives in a dedicated worker. */
export const workerLink: OpenAdminLink = (options, output) => {
  const worker = new Worker(new URL('./admin-worker.ts', import.meta.url), { type: 'module' });
  const post = (message: AdminPageToWorker) => worker.postMessage(message);
  worker.onmessage = (event: MessageEvent<AdminConnectionOutput>) => output(event.data);
  worker.onerror = (event) => output({ type: 'status', state: 'refused', detail: `admin worker failed: ${event.message}` });
  post({ type: 'open', options: { ...options } });
  return {
    send: (action) => post({ type: 'action', action }),
    handshake: (nsp, id) => post({ type: 'handshake', nsp, id }),
    close: () => {
      post({ type: 'close' });
      worker.terminate();
    },
  };
};

/** Views re-read at most this often. */
export const RENDER_INTERVAL_MS = 250;

export class AdminSource {
  readonly model = new AdminModel();
  readonly actions = new ActionLog(this.model);
  state: AdminConnectionState = 'connecting';
  detail = '';
  /** Rises when views should re-read (model, actions, status). */
  version = 0;
  /** Admin messages applied, and how many batches brought them (for benchmarks and the status line). */
  messagesApplied = 0;
  batches = 0;
  private link: AdminLink | undefined;
  /** Handshakes asked for (the details view's socket), by socket key. */
  private readonly handshakes = new Map<string, string | undefined>();
  private traffic: ServerTraffic[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private expiry: ReturnType<typeof setInterval> | undefined;
  private lastCommit = 0;
  private dirty = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly options: AdminConnectOptions,
    private readonly store: CaptureStore | undefined,
    private readonly open: OpenAdminLink = workerLink,
  ) {}

  start(): void {
    this.link = this.open(this.options, (out) => this.receive(out));
    this.expiry = setInterval(() => {
      if (this.actions.expire(Date.now())) this.markDirty();
    }, 500);
  }

  stop(): void {
    clearTimeout(this.timer);
    clearInterval(this.expiry);
    this.link?.close();
    this.link = undefined;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends an action and tracks it until the server's messages show its effect. */
  send(action: AdminAction): TrackedAction {
    const tracked = this.actions.track(action, Date.now());
    this.link?.send(action);
    this.markDirty();
    return tracked;
  }

  /** Asks the connection for a socket's handshake; `handshakeOf` has it once it came (a render later). */
  requestHandshake(nsp: string, id: string): void {
    const key = `${nsp}\u0000${id}`;
    if (this.handshakes.has(key)) return;
    if (this.handshakes.size >= 50) this.handshakes.clear();
    this.handshakes.set(key, undefined);
    this.link?.handshake(nsp, id);
  }

  handshakeOf(nsp: string, id: string): string | undefined {
    return this.handshakes.get(`${nsp}\u0000${id}`);
  }

  private receive(out: AdminConnectionOutput): void {
    switch (out.type) {
      case 'handshake':
        this.handshakes.set(`${out.nsp}\u0000${out.id}`, out.json ?? 'null');
        break;
      case 'status':
        this.state = out.state;
        this.detail = out.detail;
        // A reconnection brings a fresh all_sockets: start from it, not from a picture that missed events.
        if (out.state === 'connected') this.model.resetSockets();
        break;
      case 'rejected':
        for (const reason of out.reasons) this.model.reject(reason);
        this.model.rejected += out.count - out.reasons.length;
        break;
      case 'messages':
        this.batches++;
        this.messagesApplied += out.messages.length;
        for (const message of out.messages) {
          this.actions.observe(message);
          if (message.type === 'event_received' || message.type === 'event_sent') {
            const socket = this.model.socket(message.nsp, message.id);
            this.traffic.push({
              t: message.t,
              nsp: message.nsp,
              socketId: message.id,
              dir: message.type === 'event_received' ? 'in' : 'out',
              transport: socket?.transport === 'polling' ? 'polling' : 'websocket',
              args: message.args,
            });
          } else this.model.apply(message);
        }
        break;
    }
    this.markDirty();
  }

  private markDirty(): void {
    this.dirty = true;
    if (this.timer !== undefined) return;
    const wait = Math.max(0, RENDER_INTERVAL_MS - (performance.now() - this.lastCommit));
    this.timer = setTimeout(() => this.commit(), wait);
  }

  private commit(): void {
    this.timer = undefined;
    this.lastCommit = performance.now();
    if (this.traffic.length > 0) {
      const traffic = this.traffic;
      this.traffic = [];
      this.store?.addServerEntries(traffic);
    }
    this.model.commit();
    if (!this.dirty) return;
    this.dirty = false;
    this.version++;
    for (const listener of this.listeners) listener();
  }
}
