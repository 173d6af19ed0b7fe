// A stored session opened in the panel: its frames load lazily from the database into memory, and a player feeds
// them to the store the views read.
import type { RawFrame } from '../../protocol/types.ts';
import { CaptureStore } from '../capture/capture-store.ts';
import type { SessionRecord, SockscopeDb } from '../recording/db.ts';
import { Player } from './player.ts';
import { RecordedSource } from './recorded-source.ts';

export class OpenedSession {
  readonly store = new CaptureStore();
  readonly frames: RawFrame[] = [];
  readonly player: Player;
  loaded = 0;
  readonly total: number;
  error: string | undefined;
  /** performance.now() when the first chunk arrived (for the first-screen figure). */
  firstChunkAt: number | undefined;
  private readonly source: RecordedSource;

  constructor(
    db: SockscopeDb,
    readonly session: SessionRecord,
  ) {
    this.total = session.frameCount;
    this.source = new RecordedSource(db, session, {
      onProgress: (loaded) => (this.loaded = loaded),
    });
    this.player = new Player(this.store, () => this.frames, { instance: this.source.instance, url: session.pageUrl, top: true, frameId: 0 });
    this.source.start((event) => {
      if (event.type === 'frames') {
        for (const f of event.frames) this.frames.push(f);
        // The first screen: shown now, not at the next animation frame.
        if (this.firstChunkAt === undefined) {
          this.firstChunkAt = performance.now();
          this.player.tick(performance.now());
        }
      } else if (event.type === 'status' && event.detail && event.detail !== 'loaded') this.error = event.detail;
    });
  }

  get loading(): boolean {
    return this.loaded < this.total && this.error === undefined;
  }

  close(): void {
    this.source.stop();
  }
}
