// The one place that knows the IndexedDB schema: tables, versions, and the compact form a frame is stored in.
import Dexie, { type EntityTable, type Table } from 'dexie';
import { base64ToBytes, bytesToBase64 } from '../../protocol/bytes.ts';
import type { RawFrame } from '../../protocol/types.ts';

export const DB_NAME = 'sockscope';

/** One recorded page load (or several, with "preserve log"). */
export interface SessionRecord {
  id?: number;
  name: string;
  pageUrl: string;
  /** The top-level page instances the session holds, with the last `seq` stored for each (a panel reload resumes). */
  instances: [instance: string, lastSeq: number][];
  startedAt: number;
  endedAt: number;
  frameCount: number;
  /** Decoded packets are counted when the session is opened; recording counts messages per direction. */
  sentCount: number;
  receivedCount: number;
  /** Approximate bytes stored (frame payloads, URLs interned). */
  bytes: number;
  /** Engine.IO versions seen (`EIO=` of the URLs). */
  eioVersions: number[];
  /** Every distinct URL of the session; a frame stores its index. */
  urls: string[];
  /** Where the session came from. */
  origin: 'recorded' | 'imported';
}

/** A raw frame as stored: short keys, the URL interned in its session, binary data as bytes. */
export interface FrameRecord {
  /** Session id and the frame's position in it: the primary key [s+n]. */
  s: number;
  n: number;
  seq: number;
  t: number;
  c: string;
  u: number;
  /** transport, dir, kind, opcode packed in one small number (see `packKind`). */
  k: number;
  d?: string | Uint8Array;
  m?: string;
  st?: number;
  code?: number;
  reason?: string;
}

export interface TemplateRecord {
  id?: number;
  name: string;
  namespace: string;
  event: string;
  /** The arguments as JSON text, as the composer edits them. */
  args: string;
  ack: boolean;
}

export interface SettingRecord {
  key: string;
  value: unknown;
}

export class SockscopeDb extends Dexie {
  sessions!: EntityTable<SessionRecord, 'id'>;
  frames!: Table<FrameRecord, [number, number]>;
  templates!: EntityTable<TemplateRecord, 'id'>;
  settings!: EntityTable<SettingRecord, 'key'>;

  constructor(name = DB_NAME) {
    super(name);
    // Version 1. A new version adds `this.version(2).stores({...}).upgrade(tx => ...)` below; never edit this one.
    // Frames have no secondary index: the timeline reads a session in `n` order (capture order), a chunk at a time,
    // and every index would be paid on each write.
    this.version(1).stores({
      sessions: '++id, startedAt',
      frames: '[s+n]',
      templates: '++id, name',
      settings: 'key',
    });
  }
}

const TRANSPORTS = ['websocket', 'polling'] as const;
const DIRS = ['out', 'in'] as const;
const KINDS = ['open', 'message', 'close', 'error', 'request', 'response'] as const;
const OPCODES = [undefined, 'text', 'binary'] as const;

function packKind(f: RawFrame): number {
  return TRANSPORTS.indexOf(f.transport) | (DIRS.indexOf(f.dir) << 1) | (KINDS.indexOf(f.kind) << 2) | (OPCODES.indexOf(f.opcode) << 5);
}

/** Interns URLs for one session while it is written. */
export class UrlTable {
  private readonly index = new Map<string, number>();
  constructor(readonly urls: string[] = []) {
    urls.forEach((u, i) => this.index.set(u, i));
  }
  of(url: string): number {
    let i = this.index.get(url);
    if (i === undefined) {
      i = this.urls.length;
      this.urls.push(url);
      this.index.set(url, i);
    }
    return i;
  }
}

export function toFrameRecord(frame: RawFrame, s: number, n: number, urls: UrlTable): FrameRecord {
  const r: FrameRecord = { s, n, seq: frame.seq, t: frame.t, c: frame.conn, u: urls.of(frame.url), k: packKind(frame) };
  if (frame.data !== undefined) {
    // Binary is kept as bytes: three quarters of its base64 size.
    const bytes = frame.opcode === 'binary' ? base64ToBytes(frame.data) : null;
    r.d = bytes ?? frame.data;
  }
  if (frame.method !== undefined) r.m = frame.method;
  if (frame.status !== undefined) r.st = frame.status;
  if (frame.code !== undefined) r.code = frame.code;
  if (frame.reason !== undefined) r.reason = frame.reason;
  return r;
}

export function fromFrameRecord(r: FrameRecord, urls: readonly string[]): RawFrame {
  const frame: RawFrame = {
    seq: r.seq,
    t: r.t,
    conn: r.c,
    url: urls[r.u] ?? '',
    transport: TRANSPORTS[r.k & 1],
    dir: DIRS[(r.k >> 1) & 1],
    kind: KINDS[(r.k >> 2) & 7] ?? 'message',
  };
  const opcode = OPCODES[(r.k >> 5) & 3];
  if (opcode !== undefined) frame.opcode = opcode;
  if (r.d !== undefined) frame.data = typeof r.d === 'string' ? r.d : bytesToBase64(r.d);
  if (r.m !== undefined) frame.method = r.m;
  if (r.st !== undefined) frame.status = r.st;
  if (r.code !== undefined) frame.code = r.code;
  if (r.reason !== undefined) frame.reason = r.reason;
  return frame;
}

/** Bytes a frame takes in the store, roughly: its payload and its fixed fields. */
export function storedSize(r: FrameRecord): number {
  const d = r.d === undefined ? 0 : typeof r.d === 'string' ? r.d.length : r.d.byteLength;
  return 48 + d + r.c.length + (r.m?.length ?? 0) + (r.reason?.length ?? 0);
}

/** Key range of one session's frames. */
export function sessionFrames(db: SockscopeDb, sessionId: number) {
  return db.frames.where('[s+n]').between([sessionId, Dexie.minKey], [sessionId, Dexie.maxKey]);
}

/** Reads `count` frames of a session from position `from` on. */
export async function readFrames(db: SockscopeDb, session: SessionRecord, from: number, count: number): Promise<RawFrame[]> {
  const records = await db.frames
    .where('[s+n]')
    .between([session.id!, from], [session.id!, Dexie.maxKey])
    .limit(count)
    .toArray();
  return records.map((r) => fromFrameRecord(r, session.urls));
}

export function eioVersionOf(url: string): number | undefined {
  const m = /[?&]EIO=(\d+)/.exec(url);
  return m ? Number(m[1]) : undefined;
}
