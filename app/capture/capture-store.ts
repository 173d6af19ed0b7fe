import { Tracker } from '../../protocol/tracker/tracker.ts';
import type { DecodedEntry, RawFrame } from '../../protocol/types.ts';
import type { CapturedPage, SourceEvent } from '../source.ts';

export interface PageSession {
  page: CapturedPage;
  startedAt: number;
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
    if (from + added > this.frameOfEntry.length) {
      const grown = new Int32Array(Math.max(this.frameOfEntry.length * 2, from + added));
      grown.set(this.frameOfEntry);
      this.frameOfEntry = grown;
    }
    this.frameOfEntry.fill(frameIndex, from, from + added);
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
