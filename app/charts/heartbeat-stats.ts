// Engine.IO heartbeat per connection, as seen on the wire. Engine.IO v4: the server pings, the client answers;
// v3: the client pings. The pinging side is the first non-probe ping's direction. A pong is late when it comes more
// than half the handshake's pingTimeout after its ping (the peer closes the session at pingTimeout); a ping is late
// when it comes more than pingInterval + pingTimeout after the previous one (the waiting side gives up then).
import type { DecodedEntry, Direction, Handshake } from '../../protocol/types.ts';
import { SCATTER_ALL_POINTS } from './ack-stats.ts';
import { GrowableF64, GrowableI32 } from './growable.ts';
import { mergeSorted, percentile } from './percentile.ts';
import { ExtremaBuckets } from './time-buckets.ts';

/** Every ping is charted up to this many per connection; past it, each time bucket's extremes. */
export const MAX_PINGS = SCATTER_ALL_POINTS;

export interface HeartbeatSummary {
  conn: string;
  pingInterval?: number;
  pingTimeout?: number;
  pings: number;
  pongs: number;
  /** Pings followed by another ping (or nothing yet, past pingTimeout) without a pong. */
  missingPongs: number;
  latePongs: number;
  latePings: number;
  /** Median and largest interval between pings, ms. */
  medianInterval: number;
  maxInterval: number;
  maxPongDelay: number;
}

class ConnectionHeartbeat {
  handshake?: Handshake;
  pingDir?: Direction;
  pings = 0;
  pongs = 0;
  missingPongs = 0;
  latePongs = 0;
  latePings = 0;
  maxInterval = NaN;
  maxPongDelay = NaN;
  lastPingT = NaN;
  lastPingIndex = -1;
  awaitingPong = false;
  readonly pingT = new GrowableF64();
  /** Interval since the previous ping (NaN for the first), per ping. */
  readonly interval = new GrowableF64();
  /** Pong delay per answered ping, with the ping's position in pingT. */
  readonly pongDelay = new GrowableF64();
  readonly pongOf = new GrowableI32();
  readonly pingIndex = new GrowableI32();
  /** Every interval seen (uncapped), and a sorted run of them for the median (merged, never re-sorted). */
  readonly allIntervals = new GrowableF64();
  sortedIntervals: Float64Array = new Float64Array(0);
  sortedLength = 0;
  intervalBuckets?: ExtremaBuckets;
  pongBuckets?: ExtremaBuckets;
}

export class HeartbeatStats {
  private readonly conns = new Map<string, ConnectionHeartbeat>();

  add(entry: DecodedEntry): void {
    if (entry.layer !== 'eio') return;
    if (entry.type !== 'open' && entry.type !== 'ping' && entry.type !== 'pong') return;
    let hb = this.conns.get(entry.conn);
    if (!hb) this.conns.set(entry.conn, (hb = new ConnectionHeartbeat()));
    if (entry.type === 'open') {
      hb.handshake = entry.data as Handshake;
      return;
    }
    if (entry.data === 'probe') return; // the upgrade's probe, not the heartbeat
    hb.pingDir ??= entry.type === 'ping' ? entry.dir : entry.dir === 'in' ? 'out' : 'in';
    if (entry.type === 'ping' && entry.dir === hb.pingDir) {
      if (hb.awaitingPong) hb.missingPongs++;
      const interval = entry.t - hb.lastPingT;
      if (!Number.isNaN(interval) && !(interval <= hb.maxInterval)) hb.maxInterval = interval;
      const hs = hb.handshake;
      if (hs && interval > hs.pingInterval + hs.pingTimeout) hb.latePings++;
      hb.pings++;
      hb.lastPingT = entry.t;
      hb.awaitingPong = true;
      hb.intervalBuckets ??= new ExtremaBuckets(entry.t, 1000);
      hb.pongBuckets ??= new ExtremaBuckets(entry.t, 1000);
      hb.lastPingIndex = entry.index;
      if (!Number.isNaN(interval)) {
        hb.intervalBuckets.add(entry.t, interval, entry.index);
        hb.allIntervals.push(interval);
      }
      if (hb.pingT.length < MAX_PINGS) {
        hb.pingT.push(entry.t);
        hb.interval.push(interval);
        hb.pingIndex.push(entry.index);
      }
    } else if (entry.type === 'pong' && entry.dir !== hb.pingDir && hb.awaitingPong) {
      hb.awaitingPong = false;
      hb.pongs++;
      const delay = entry.t - hb.lastPingT;
      if (!(delay <= hb.maxPongDelay)) hb.maxPongDelay = delay;
      if (hb.handshake && delay > hb.handshake.pingTimeout / 2) hb.latePongs++;
      hb.pongBuckets?.add(hb.lastPingT, delay, hb.lastPingIndex);
      if (hb.pingT.length <= MAX_PINGS && hb.pongDelay.length < hb.pingT.length) {
        hb.pongDelay.push(delay);
        hb.pongOf.push(hb.pingT.length - 1);
      }
    }
  }

  connections(): string[] {
    return [...this.conns.keys()];
  }

  summary(conn: string, now: number): HeartbeatSummary | undefined {
    const hb = this.conns.get(conn);
    if (!hb) return undefined;
    if (hb.sortedLength < hb.allIntervals.length) {
      hb.sortedIntervals = mergeSorted(hb.sortedIntervals, hb.sortedLength, hb.allIntervals.data.subarray(hb.sortedLength, hb.allIntervals.length));
      hb.sortedLength = hb.allIntervals.length;
    }
    const overdue = hb.awaitingPong && hb.handshake !== undefined && now - hb.lastPingT > hb.handshake.pingTimeout ? 1 : 0;
    return {
      conn,
      pingInterval: hb.handshake?.pingInterval,
      pingTimeout: hb.handshake?.pingTimeout,
      pings: hb.pings,
      pongs: hb.pongs,
      missingPongs: hb.missingPongs + overdue,
      latePongs: hb.latePongs,
      latePings: hb.latePings,
      medianInterval: percentile(hb.sortedIntervals, 50, hb.sortedLength),
      maxInterval: hb.maxInterval,
      maxPongDelay: hb.maxPongDelay,
    };
  }

  /**
   * Ping intervals and pong delays over time (x: epoch ms of the ping; index: the ping's log index): every ping when
   * few, else each time bucket's shortest and longest.
   */
  series(conn: string): { intervals: { x: number; y: number; index: number }[]; pongDelays: { x: number; y: number; index: number }[] } {
    const hb = this.conns.get(conn);
    if (!hb) return { intervals: [], pongDelays: [] };
    if (hb.pings > MAX_PINGS) return { intervals: hb.intervalBuckets?.points() ?? [], pongDelays: hb.pongBuckets?.points() ?? [] };
    const intervals = [];
    for (let i = 0; i < hb.pingT.length; i++) {
      if (!Number.isNaN(hb.interval.data[i])) intervals.push({ x: hb.pingT.data[i], y: hb.interval.data[i], index: hb.pingIndex.data[i] });
    }
    const pongDelays = [];
    for (let i = 0; i < hb.pongDelay.length; i++) {
      const ping = hb.pongOf.data[i];
      pongDelays.push({ x: hb.pingT.data[ping], y: hb.pongDelay.data[i], index: hb.pingIndex.data[ping] });
    }
    return { intervals, pongDelays };
  }
}
