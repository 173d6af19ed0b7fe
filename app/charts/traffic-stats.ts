// Traffic over time, per scope: the whole capture, each connection, each namespace (across connections). Events
// per second (Socket.IO events) and bytes per second (every packet in the scope), in and out.
import type { DecodedEntry } from '../../protocol/types.ts';
import { SumBuckets } from './time-buckets.ts';

/** Scopes past this many (connections + namespaces) are not charted; namespaces come from the wire. */
export const MAX_TRAFFIC_SCOPES = 200;

export const EVENTS_IN = 0;
export const EVENTS_OUT = 1;
export const BYTES_IN = 2;
export const BYTES_OUT = 3;

export interface TrafficScope {
  /** 'all', 'conn:<id>' or 'ns:<name>'. */
  key: string;
  label: string;
}

export class TrafficStats {
  private readonly scopes = new Map<string, SumBuckets>();
  private readonly labels: TrafficScope[] = [];
  private origin = NaN;
  /** Entries of scopes past MAX_TRAFFIC_SCOPES (still in 'all'). */
  overflow = 0;

  // The last connection's and namespace's buckets: consecutive entries mostly share them (no key per entry).
  private lastConn: string | undefined;
  private lastConnBuckets: SumBuckets | undefined;
  private lastNs: string | undefined;
  private lastNsBuckets: SumBuckets | undefined;

  add(entry: DecodedEntry): void {
    if (Number.isNaN(this.origin)) this.origin = entry.t;
    const event = entry.layer === 'sio' && entry.type === 'event';
    const inbound = entry.dir === 'in';
    this.count(this.scope('all', 'All traffic'), entry, event, inbound);
    if (entry.conn !== this.lastConn) {
      this.lastConn = entry.conn;
      this.lastConnBuckets = this.scope(`conn:${entry.conn}`, `Connection ${entry.conn}`);
    }
    this.count(this.lastConnBuckets, entry, event, inbound);
    if (entry.layer === 'sio') {
      if (entry.ns !== this.lastNs) {
        this.lastNs = entry.ns;
        this.lastNsBuckets = this.scope(`ns:${entry.ns}`, `Namespace ${entry.ns}`);
      }
      this.count(this.lastNsBuckets, entry, event, inbound);
    }
  }

  private count(buckets: SumBuckets | undefined, entry: DecodedEntry, event: boolean, inbound: boolean): void {
    if (!buckets) {
      this.overflow++;
      return;
    }
    buckets.addPair(entry.t, inbound ? EVENTS_IN : EVENTS_OUT, event ? 1 : 0, inbound ? BYTES_IN : BYTES_OUT, entry.size);
  }

  private scope(key: string, label: string): SumBuckets | undefined {
    let buckets = this.scopes.get(key);
    if (!buckets) {
      if (this.scopes.size >= MAX_TRAFFIC_SCOPES) return undefined;
      buckets = new SumBuckets(this.origin, 4);
      this.scopes.set(key, buckets);
      this.labels.push({ key, label });
    }
    return buckets;
  }

  list(): TrafficScope[] {
    return this.labels;
  }

  get(key: string): SumBuckets | undefined {
    return this.scopes.get(key);
  }
}
