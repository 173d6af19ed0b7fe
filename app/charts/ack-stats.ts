// Acknowledgement statistics per event name and direction, fed incrementally from the log: every entry is read
// once (O(new entries) per update), latencies are kept in typed arrays, percentiles come from a sorted run that new
// samples are merged into (see percentile.ts for the definition).
import type { DecodedEntry, Direction, SioEntry } from '../../protocol/types.ts';
import { ByteFlags, GrowableF64, GrowableI32 } from './growable.ts';
import { histogram, mergeSorted, niceBinWidth, percentile } from './percentile.ts';
import { ExtremaBuckets } from './time-buckets.ts';

/** Rows beyond this many (event name, direction) pairs are counted, not charted: event names come from the wire. */
export const MAX_ACK_ROWS = 2000;
/** A scatter shows every sample up to this many; above it, each time bucket's fastest and slowest. */
export const SCATTER_ALL_POINTS = 4000;

export interface AckRowStats {
  key: string;
  event: string;
  /** Direction of the emit (out: the client asked, in: the server asked). */
  dir: Direction;
  /** Emits of this event. */
  count: number;
  /** Emits that asked for an ack. */
  asked: number;
  answered: number;
  /** Asked, no ack yet, and older than the timeout. */
  unanswered: number;
  /** Answered, but after the timeout. */
  late: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface LatencyPoint {
  /** Epoch ms of the emit. */
  x: number;
  /** Latency, ms. */
  y: number;
  /** Log index of the emit. */
  index: number;
}

class AckRow {
  count = 0;
  asked = 0;
  answered = 0;
  unanswered = 0;
  late = 0;
  /** Log indices of the emits that asked, in log order; `scanned` of them have been checked against a timeout. */
  readonly waiting = new GrowableI32();
  /** Their times (read without touching the log's entries). */
  readonly waitingT = new GrowableF64();
  scanned = 0;
  readonly latency = new GrowableF64();
  readonly emitT = new GrowableF64();
  readonly emitIndex = new GrowableI32();
  sorted: Float64Array = new Float64Array(0);
  sortedLength = 0;
  readonly buckets: ExtremaBuckets;

  constructor(
    readonly key: string,
    readonly event: string,
    readonly dir: Direction,
    origin: number,
  ) {
    this.buckets = new ExtremaBuckets(origin, 50);
  }

  /** The latencies in ascending order (merging in what came since the last call). */
  sortedLatencies(): Float64Array {
    if (this.sortedLength < this.latency.length) {
      const fresh = this.latency.data.subarray(this.sortedLength, this.latency.length);
      this.sorted = mergeSorted(this.sorted, this.sortedLength, fresh);
      this.sortedLength = this.latency.length;
    }
    return this.sorted;
  }
}

export class AckStats {
  private readonly rows = new Map<string, AckRow>();
  /** The same rows by direction then event name: no key string built per entry. */
  private readonly byDir: Record<Direction, Map<string | number | undefined, AckRow>> = { in: new Map(), out: new Map() };
  private readonly order: AckRow[] = [];
  /** Emits whose ack came, by log index (the tracker also marks `ackedBy`, but a replay must not see acks ahead). */
  private readonly answeredFlags = new ByteFlags();
  private timeout = NaN;
  private origin = NaN;
  /** Emits of event names past MAX_ACK_ROWS. */
  overflow = 0;

  /** Reads one entry; `entries` is the log it belongs to (to find the emit an ack answers). */
  add(entry: DecodedEntry, entries: readonly DecodedEntry[]): void {
    if (entry.layer !== 'sio') return;
    if (entry.type === 'event') {
      const row = this.rowOf(entry);
      if (!row) return;
      row.count++;
      if (entry.id !== undefined) {
        row.asked++;
        row.waiting.push(entry.index);
        row.waitingT.push(entry.t);
      }
    } else if (entry.type === 'ack' && entry.ackOf !== undefined && entry.latency !== undefined) {
      const emit = entries[entry.ackOf] as SioEntry | undefined;
      if (!emit || emit.layer !== 'sio') return;
      const row = this.rowOf(emit);
      if (!row || this.answeredFlags.get(emit.index)) return;
      this.answeredFlags.set(emit.index, 1);
      row.answered++;
      row.latency.push(entry.latency);
      row.emitT.push(emit.t);
      row.emitIndex.push(emit.index);
      row.buckets.add(emit.t, entry.latency, emit.index);
      if (entry.latency > this.timeout) row.late++;
      // Counted unanswered already (it was scanned past the timeout): it is answered now.
      if (row.scanned > 0 && emit.index <= row.waiting.data[row.scanned - 1]) row.unanswered--;
    }
  }

  private rowOf(emit: SioEntry): AckRow | undefined {
    const known = this.byDir[emit.dir].get(emit.event);
    if (known) return known;
    const event = emit.event === undefined ? '(no name)' : String(emit.event);
    const key = `${emit.dir} ${event}`;
    let row = this.rows.get(key);
    if (row) this.byDir[emit.dir].set(emit.event, row);
    else {
      if (this.rows.size >= MAX_ACK_ROWS) {
        this.overflow++;
        return undefined;
      }
      if (Number.isNaN(this.origin)) this.origin = emit.t;
      row = new AckRow(key, event, emit.dir, this.origin);
      this.rows.set(key, row);
      this.byDir[emit.dir].set(emit.event, row);
      this.order.push(row);
    }
    return row;
  }

  /**
   * Counts emits still waiting for their ack `timeout` ms before `now`. Scanning resumes where it stopped (time only
   * moves forward in one feed), and starts over when the timeout changes.
   */
  settle(now: number, timeout: number): void {
    if (timeout !== this.timeout) {
      this.timeout = timeout;
      for (const row of this.order) {
        row.scanned = 0;
        row.unanswered = 0;
        row.late = 0;
        const latency = row.latency.data;
        for (let i = 0; i < row.latency.length; i++) if (latency[i] > timeout) row.late++;
      }
    }
    const cutoff = now - timeout;
    for (const row of this.order) {
      const waiting = row.waiting.data;
      const times = row.waitingT.data;
      while (row.scanned < row.waiting.length && times[row.scanned] <= cutoff) {
        if (!this.answeredFlags.get(waiting[row.scanned])) row.unanswered++;
        row.scanned++;
      }
    }
  }

  /** One row per (event name, direction), in order of first appearance. */
  table(): AckRowStats[] {
    return this.order.map((row) => {
      const sorted = row.sortedLatencies();
      const n = row.sortedLength;
      return {
        key: row.key,
        event: row.event,
        dir: row.dir,
        count: row.count,
        asked: row.asked,
        answered: row.answered,
        unanswered: row.unanswered,
        late: row.late,
        p50: percentile(sorted, 50, n),
        p90: percentile(sorted, 90, n),
        p99: percentile(sorted, 99, n),
        max: n ? sorted[n - 1] : NaN,
      };
    });
  }

  /** Latency against emit time for one row: every sample when few, else each time bucket's extremes. */
  scatter(key: string): LatencyPoint[] {
    const row = this.rows.get(key);
    if (!row) return [];
    if (row.latency.length > SCATTER_ALL_POINTS) return row.buckets.points();
    const points: LatencyPoint[] = new Array(row.latency.length);
    for (let i = 0; i < row.latency.length; i++) points[i] = { x: row.emitT.data[i], y: row.latency.data[i], index: row.emitIndex.data[i] };
    return points;
  }

  /** Latency histograms of several rows over shared bins from 0 to the largest latency among them. */
  histograms(keys: readonly string[], bins = 40): { width: number; counts: Map<string, number[]> } {
    let max = 0;
    const rows = keys.map((k) => this.rows.get(k)).filter((r): r is AckRow => r !== undefined);
    for (const row of rows) {
      const sorted = row.sortedLatencies();
      if (row.sortedLength > 0) max = Math.max(max, sorted[row.sortedLength - 1]);
    }
    const width = niceBinWidth(max, bins);
    // One empty bin past the slowest, so its bar is not against the edge.
    const used = Math.max(1, Math.ceil(max / width)) + 1;
    const counts = new Map<string, number[]>();
    for (const row of rows) counts.set(row.key, histogram(row.sorted, row.sortedLength, 0, used * width, used));
    return { width, counts };
  }
}
