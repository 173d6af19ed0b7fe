// A stored session as a Source: the first chunk comes at once (the first screen), the rest streams in the
// background a chunk at a time, so a million frames never hold up the page.
import type { SessionRecord, SockscopeDb } from '../recording/db.ts';
import { readFrames } from '../recording/db.ts';
import type { Source, SourceEvent } from '../source.ts';

export interface RecordedSourceOptions {
  firstChunk?: number;
  chunk?: number;
  onProgress?: (loaded: number, total: number) => void;
}

export class RecordedSource implements Source {
  private stopped = false;
  readonly instance: string;
  /** Settles when streaming ends: everything delivered, stopped, or failed (reported as a status event). */
  finished: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: SockscopeDb,
    private readonly session: SessionRecord,
    private readonly options: RecordedSourceOptions = {},
  ) {
    this.instance = `session-${session.id}`;
  }

  start(onEvent: (event: SourceEvent) => void): void {
    this.stopped = false;
    onEvent({ type: 'page', page: { instance: this.instance, url: this.session.pageUrl, top: true, frameId: 0 } });
    this.finished = this.stream(onEvent);
  }

  stop(): void {
    this.stopped = true;
  }

  private async stream(onEvent: (event: SourceEvent) => void): Promise<void> {
    const { firstChunk = 2000, chunk = 5000, onProgress } = this.options;
    const total = this.session.frameCount;
    let loaded = 0;
    let size = firstChunk;
    try {
      while (!this.stopped) {
        const frames = await readFrames(this.db, this.session, loaded, size);
        if (this.stopped) return;
        if (frames.length > 0) onEvent({ type: 'frames', instance: this.instance, frames });
        loaded += frames.length;
        onProgress?.(loaded, total);
        if (frames.length < size) break;
        size = chunk;
        // Let the page paint between chunks.
        await new Promise((r) => setTimeout(r, 0));
      }
      onEvent({ type: 'status', connected: false, detail: 'loaded' });
    } catch (e) {
      onEvent({ type: 'status', connected: false, detail: `could not read the session: ${(e as Error)?.message ?? e}` });
    }
  }
}
