import type { Direction, PendingPayload, SioEntry, TransportName } from '../types.ts';

/**
 * A Socket.IO entry of the tracker's log: every field, `undefined` where it does not apply, in one order, so code
 * that walks a million entries (the timeline's filter) reads them at monomorphic speed.
 *
 * A class and not an object literal because V8 "pretenures" a literal's allocation site once most of its objects
 * survive, as log entries all do: the site then allocates in the old generation, and every young value stored in an
 * entry (its strings, arguments, pending text) pays a remembered-set write barrier and a visit at each scavenge.
 * A constructor has no allocation site.
 */
export class SioLogEntry implements SioEntry {
  index = 0;
  seq: number;
  conn: string;
  t: number;
  dir: Direction;
  transport: TransportName;
  size: number;
  readonly layer = 'sio' as const;
  type: SioEntry['type'];
  ns: string;
  query: string | undefined = undefined;
  event: string | number | undefined = undefined;
  args: unknown[] | undefined = undefined;
  id: number | undefined = undefined;
  data: unknown = undefined;
  attachments: number | undefined = undefined;
  ackOf: number | undefined = undefined;
  latency: number | undefined = undefined;
  ackedBy: number | undefined = undefined;
  pending: PendingPayload | undefined = undefined;

  constructor(seq: number, conn: string, t: number, dir: Direction, transport: TransportName, size: number, type: SioEntry['type'], ns: string) {
    this.seq = seq;
    this.conn = conn;
    this.t = t;
    this.dir = dir;
    this.transport = transport;
    this.size = size;
    this.type = type;
    this.ns = ns;
  }
}
