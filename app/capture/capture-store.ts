import { Tracker } from '../../protocol/tracker/tracker.ts';
import type { DecodedEntry, Direction, RawFrame, SioEntry, TransportName } from '../../protocol/types.ts';
import type { CapturedPage, SourceEvent } from '../source.ts';

export interface PageSession {
  page: CapturedPage;
  startedAt: number;
}

/** One event a server reported receiving from (`in`) or sending to (`out`) one of its sockets. */
export interface ServerTraffic {
  t: number;
  nsp: string;
  socketId: string;
  dir: Direction;
  transport: TransportName;
  /** The event name first, as socket.io's `onAny` hands it. */
  args: unknown[];
}

function serverEntry(item: ServerTraffic): SioEntry {
  const [event, ...args] = item.args;
  let size = 0;
  try {
    size = JSON.stringify(item.args)?.length ?? 0;
  } catch {
    size = 0;
  }
  return {
    index: 0,
    seq: -1,
    conn: `server:${item.socketId}`,
    t: item.t,
    dir: item.dir,
    transport: item.transport,
    size,
    layer: 'sio',
    type: 'event',
    ns: item.nsp,
    query: undefined,
    event: typeof event === 'string' || typeof event === 'number' ? event : String(event),
    args,
    id: undefined,
    data: undefined,
    attachments: undefined,
    ackOf: undefined,
    latency: undefined,
    ackedBy: undefined,
    pending: undefined,
    side: 'server',
  };
}

export interface DropNotice {
  count: number;
  reason: string;
}

/**
 * Decodes what a source delivers and keeps the log. The entries live in a plain array (never deep reactive state);
 * `version` rises on every change so views can re-read cheaply.
 */
export class CaptureStore {
  private tracker = new Tracker({ lazy: true });
  /** Raw frames in arrival order, and for each log entry the frame it came from. */
  private frames: RawFrame[] = [];
  private frameOfEntry = new Int32Array(1024);
  readonly sessions: PageSession[] = [];
  readonly drops: DropNotice[] = [];
  frameCount = 0;
  version = 0;
  preserveLog = false;
  private readonly listeners = new Set<() => void>();

  get entries(): readonly DecodedEntry[] {
    return this.tracker.log;
  }

  get connections() {
    return this.tracker.connections;
  }

  /** The raw conn of a connection's open WebSocket (where the composer sends), if it has one. */
  liveWebSocket(id: string): string | undefined {
    return this.tracker.liveWebSocket(id);
  }

  /** Whether a log entry came from a frame Sockscope sent or fired at the page (the composer), not the page. */
  isComposed(entry: DecodedEntry): boolean {
    return this.frameOf(entry)?.origin === 'sockscope';
  }

  get droppedTotal(): number {
    return this.drops.reduce((n, d) => n + d.count, 0);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  handle(event: SourceEvent): void {
    switch (event.type) {
      case 'page':
        if (event.page.top && !this.sessions.some((s) => s.page.instance === event.page.instance)) {
          if (!this.preserveLog && this.sessions.length > 0) this.reset();
          this.sessions.push({ page: event.page, startedAt: Date.now() });
        }
        break;
      case 'frames':
        for (const frame of event.frames) this.add(frame);
        this.frameCount += event.frames.length;
        break;
      case 'dropped':
        this.drops.push({ count: event.count, reason: event.reason });
        break;
      case 'status':
        return;
    }
    this.changed();
  }

  /** Every raw frame received, in arrival order (the panel's raw view). */
  get rawFrames(): readonly RawFrame[] {
    return this.frames;
  }

  /** The raw frame a log entry was decoded from. */
  frameOf(entry: DecodedEntry): RawFrame | undefined {
    return entry.index < this.tracker.log.length ? this.frames[this.frameOfEntry[entry.index]] : undefined;
  }

  private add(frame: RawFrame): void {
    const from = this.tracker.log.length;
    const frameIndex = this.frames.length;
    this.frames.push(frame);
    const added = this.tracker.push(frame);
    if (added === 0) return;
    this.growFrameIndex(from + added);
    this.frameOfEntry.fill(frameIndex, from, from + added);
  }

  private growFrameIndex(size: number): void {
    if (size <= this.frameOfEntry.length) return;
    const grown = new Int32Array(Math.max(this.frameOfEntry.length * 2, size));
    grown.set(this.frameOfEntry);
    this.frameOfEntry = grown;
  }

  /**
   * Server-side traffic (admin mode's event_received / event_sent) joins the log as Socket.IO entries marked
   * `side: 'server'`, on a connection named `server:<socket id>`; they come from no raw frame.
   */
  addServerEntries(traffic: readonly ServerTraffic[]): void {
    if (traffic.length === 0) return;
    const from = this.tracker.log.length;
    for (const item of traffic) this.tracker.append(serverEntry(item));
    this.growFrameIndex(from + traffic.length);
    this.frameOfEntry.fill(-1, from, from + traffic.length);
    this.changed();
  }

  clear(): void {
    this.reset();
    this.changed();
  }

  private reset(): void {
    this.tracker = new Tracker({ lazy: true });
    this.frames = [];
    this.sessions.length = 0;
    this.drops.length = 0;
    this.frameCount = 0;
  }

  private changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }
}
