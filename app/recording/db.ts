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
  /** Approximate bytes stored (payloads, fixed columns, each chunk's distinct URLs and connection names). */
  bytes: number;
  /** Engine.IO versions seen (`EIO=` of the URLs). */
  eioVersions: number[];
  /** Where the session came from. */
  origin: 'recorded' | 'imported';
}

/**
 * Frames are stored a chunk per record (up to `CHUNK_FRAMES`), in columns: IndexedDB pays per record, so one record
 * per frame caps writes near 7,000 frames/s in Chromium, and typed-array columns clone fast and store small. The
 * primary key [s+n] is the session and the position of the chunk's first frame.
 */
export interface FrameChunk {
  s: number;
  n: number;
  count: number;
  seq: Float64Array;
  t: Float64Array;
  /** URLs and connection names, interned per chunk (a polling URL is new with every request: per session, the
   *  table would grow without bound), and each frame's index into them. */
  urls: string[];
  u: Uint32Array;
  /** transport, dir, kind, opcode packed in one byte (see `packKind`). */
  k: Uint8Array;
  conns: string[];
  ci: Uint32Array;
  /** Payloads: text as is, binary as bytes (three quarters of its base64). */
  d: (string | Uint8Array | undefined)[];
  /** The rare fields, for the frames that have them: [index in chunk, fields]. */
  x: [number, FrameExtras][];
}

interface FrameExtras {
  m?: string;
  st?: number;
  code?: number;
  reason?: string;
}

export const CHUNK_FRAMES = 1000;

/** A named composer draft. `draft` is checked when read (app/composer/template-store.ts): stored data is not trusted. */
export interface TemplateRecord {
  id?: number;
  name: string;
  draft: unknown;
  savedAt: number;
}

/** One send from the composer, newest kept (see HISTORY_MAX). */
export interface HistoryRecord {
  id?: number;
  draft: unknown;
  conn: string;
  sentAt: number;
  outcome: string;
}

export interface SettingRecord {
  key: string;
  value: unknown;
}

export class SockscopeDb extends Dexie {
  sessions!: EntityTable<SessionRecord, 'id'>;
  frames!: Table<FrameChunk, [number, number]>;
  templates!: EntityTable<TemplateRecord, 'id'>;
  history!: EntityTable<HistoryRecord, 'id'>;
  settings!: EntityTable<SettingRecord, 'key'>;

  constructor(name = DB_NAME) {
    super(name);
    // Version 1. A new version adds `this.version(2).stores({...}).upgrade(tx => ...)` below; never edit this one.
    // Frame chunks have no secondary index: the timeline reads a session in `n` order (capture order), a chunk at a
    // time, and every index would be paid on each write.
    this.version(1).stores({
      sessions: '++id, startedAt',
      frames: '[s+n]',
      templates: '++id, &name',
      history: '++id, sentAt',
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

/** One chunk of consecutive frames of session `s`, the first at position `n`. */
export function toFrameChunk(frames: readonly RawFrame[], s: number, n: number): FrameChunk {
  const count = frames.length;
  const chunk: FrameChunk = {
    s,
    n,
    count,
    seq: new Float64Array(count),
    t: new Float64Array(count),
    urls: [],
    u: new Uint32Array(count),
    k: new Uint8Array(count),
    conns: [],
    ci: new Uint32Array(count),
    d: new Array(count),
    x: [],
  };
  const conns = new Map<string, number>();
  const urls = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const f = frames[i];
    chunk.seq[i] = f.seq;
    chunk.t[i] = f.t;
    chunk.u[i] = intern(urls, chunk.urls, f.url);
    chunk.k[i] = packKind(f);
    chunk.ci[i] = intern(conns, chunk.conns, f.conn);
    if (f.data !== undefined) chunk.d[i] = (f.opcode === 'binary' && base64ToBytes(f.data)) || f.data;
    if (f.method !== undefined || f.status !== undefined || f.code !== undefined || f.reason !== undefined) {
      const extras: FrameExtras = {};
      if (f.method !== undefined) extras.m = f.method;
      if (f.status !== undefined) extras.st = f.status;
      if (f.code !== undefined) extras.code = f.code;
      if (f.reason !== undefined) extras.reason = f.reason;
      chunk.x.push([i, extras]);
    }
  }
  return chunk;
}

function intern(index: Map<string, number>, list: string[], value: string): number {
  let i = index.get(value);
  if (i === undefined) {
    index.set(value, (i = list.length));
    list.push(value);
  }
  return i;
}

export function fromFrameChunk(chunk: FrameChunk, out: RawFrame[] = []): RawFrame[] {
  const extras = new Map(chunk.x);
  for (let i = 0; i < chunk.count; i++) {
    const k = chunk.k[i];
    const frame: RawFrame = {
      seq: chunk.seq[i],
      t: chunk.t[i],
      conn: chunk.conns[chunk.ci[i]] ?? '',
      url: chunk.urls[chunk.u[i]] ?? '',
      transport: TRANSPORTS[k & 1],
      dir: DIRS[(k >> 1) & 1],
      kind: KINDS[(k >> 2) & 7] ?? 'message',
    };
    const opcode = OPCODES[(k >> 5) & 3];
    if (opcode !== undefined) frame.opcode = opcode;
    const d = chunk.d[i];
    if (d !== undefined) frame.data = typeof d === 'string' ? d : bytesToBase64(d);
    const x = extras.get(i);
    if (x) {
      if (x.m !== undefined) frame.method = x.m;
      if (x.st !== undefined) frame.status = x.st;
      if (x.code !== undefined) frame.code = x.code;
      if (x.reason !== undefined) frame.reason = x.reason;
    }
    out.push(frame);
  }
  return out;
}

/** Bytes a frame takes in the store, roughly: its payload and its fixed columns. */
export function storedSize(frame: RawFrame): number {
  const d = frame.data === undefined ? 0 : frame.opcode === 'binary' ? Math.floor((frame.data.length * 3) / 4) : frame.data.length;
  return 24 + d + (frame.method?.length ?? 0) + (frame.reason?.length ?? 0);
}

/** Splits frames into chunks of at most `CHUNK_FRAMES`, numbered on from `n`. */
export function chunkFrames(frames: readonly RawFrame[], s: number, n: number, size = CHUNK_FRAMES): FrameChunk[] {
  const out: FrameChunk[] = [];
  for (let i = 0; i < frames.length; i += size) out.push(toFrameChunk(frames.slice(i, i + size), s, n + i));
  return out;
}

/** What chunks add to a session's description: the bytes of their interned names, and the Engine.IO versions. */
export function chunkExtras(chunks: readonly FrameChunk[], eio: Set<number>): number {
  let bytes = 0;
  for (const c of chunks) {
    for (const url of c.urls) {
      bytes += url.length;
      const v = eioVersionOf(url);
      if (v !== undefined) eio.add(v);
    }
    for (const conn of c.conns) bytes += conn.length;
  }
  return bytes;
}

/** Key range of one session's frames. */
export function sessionFrames(db: SockscopeDb, sessionId: number) {
  return db.frames.where('[s+n]').between([sessionId, Dexie.minKey], [sessionId, Dexie.maxKey]);
}

/** Reads `count` frames of a session from position `from` on (fewer at its end). */
export async function readFrames(db: SockscopeDb, session: SessionRecord, from: number, count: number): Promise<RawFrame[]> {
  const id = session.id!;
  // Chunk keys are the positions of their first frames: the chunk holding `from` starts at or before it, and every
  // other chunk needed starts after it and before `from + count`.
  const first = await db.frames.where('[s+n]').between([id, Dexie.minKey], [id, from], true, true).last();
  const rest = await db.frames.where('[s+n]').between([id, from], [id, from + count], false, false).toArray();
  const chunks = first && first.n + first.count > from ? [first, ...rest] : rest;
  if (chunks.length === 0) return [];
  const frames: RawFrame[] = [];
  for (const c of chunks) fromFrameChunk(c, frames);
  const skip = from - chunks[0].n;
  return frames.slice(skip, skip + count);
}

export function eioVersionOf(url: string): number | undefined {
  const m = /[?&]EIO=(\d+)/.exec(url);
  return m ? Number(m[1]) : undefined;
}
