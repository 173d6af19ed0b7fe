// What the charts read: acks, traffic and heartbeat folded from the log, up to a position. Live, the position is
// the end of the log and each update reads only what came since the last; a replay moving back starts over.
import type { DecodedEntry } from '../../protocol/types.ts';
import { AckStats } from './ack-stats.ts';
import { HeartbeatStats } from './heartbeat-stats.ts';
import { TrafficStats } from './traffic-stats.ts';

export class ChartsModel {
  acks = new AckStats();
  traffic = new TrafficStats();
  heartbeat = new HeartbeatStats();
  /** Entries read so far. */
  position = 0;
  /** Time of the first and of the last entry read. */
  firstT = NaN;
  lastT = NaN;
  private log: readonly DecodedEntry[] | undefined;

  /**
   * Reads entries [position, end) of `entries`, for at most about `budgetMs` (a first read of a million entries is
   * spread over several calls); starts over when the log was replaced or `end` went back. True when it reached `end`.
   */
  feed(entries: readonly DecodedEntry[], end = entries.length, budgetMs = Infinity): boolean {
    end = Math.min(end, entries.length);
    if (entries !== this.log || end < this.position) this.reset(entries);
    const { acks, traffic, heartbeat } = this;
    const until = performance.now() + budgetMs;
    while (this.position < end) {
      const stop = Math.min(end, this.position + 8192);
      for (let i = this.position; i < stop; i++) {
        const entry = entries[i];
        if (i === 0) this.firstT = entry.t;
        acks.add(entry, entries);
        traffic.add(entry);
        heartbeat.add(entry);
      }
      this.lastT = entries[stop - 1].t;
      this.position = stop;
      if (performance.now() >= until) break;
    }
    return this.position >= end;
  }

  private reset(entries: readonly DecodedEntry[]): void {
    this.log = entries;
    this.acks = new AckStats();
    this.traffic = new TrafficStats();
    this.heartbeat = new HeartbeatStats();
    this.position = 0;
    this.firstT = NaN;
    this.lastT = NaN;
  }
}
