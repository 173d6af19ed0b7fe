// Records what a source delivers into IndexedDB. `handle` only appends to a buffer (it never awaits, so the UI
// path pays nothing); a short timer writes the buffer in `bulkAdd` batches, one transaction per flush.
import type { RawFrame } from '../../protocol/types.ts';
import type { CapturedPage, SourceEvent } from '../source.ts';
import { chunkExtras, chunkFrames, storedSize, type SessionRecord, type SockscopeDb } from './db.ts';
import { DEFAULT_LIMITS, enforceLimits, readLimits, type Limits } from './limits.ts';

export interface RecorderOptions {
  /** Delay between a frame's arrival and its write. */
  flushMs?: number;
  /** Frames per stored chunk (one IndexedDB record); a flush writes all its chunks in one `bulkAdd`. */
  chunkFrames?: number;
  /** Frames written per transaction at most (a backlog is written in several). */
  transactionFrames?: number;
  /** Frames waiting to be written at most: past it recording stops rather than grow without bound. */
  maxBacklog?: number;
  /** Read at each page load: true keeps recording into the current session ("preserve log"). */
  preserveLog?: () => boolean;
}

export interface RecorderStatus {
  recording: boolean;
  /** Why recording stopped by itself (quota, a limit, a write error); cleared when it is turned on again. */
  error?: string;
  /** The session being recorded, once its first write is done. */
  sessionId?: number;
  /** Frames received and not yet written. */
  pending: number;
  /** Frames written since the recorder started. */
  written: number;
}

type Segment = { kind: 'page'; page: CapturedPage; preserve: boolean } | { kind: 'frames'; instance: string; frames: RawFrame[] };

/** The session being written, as the writer knows it. */
interface OpenSession {
  record: SessionRecord;
  lastSeq: Map<string, number>;
  eio: Set<number>;
}

export class Recorder {
  private enabled = true;
  private error: string | undefined;
  private buffer: Segment[] = [];
  private pendingFrames = 0;
  private written = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> | undefined;
  private current: OpenSession | undefined;
  /** The first page event may continue the last stored session (the panel was reloaded, the page was not). */
  private resumeChecked = false;
  private limits: Limits = DEFAULT_LIMITS;
  private limitsSet = false;
  private readonly listeners = new Set<(status: RecorderStatus) => void>();
  private readonly flushMs: number;
  private readonly chunkFrames: number;
  private readonly transactionFrames: number;
  private readonly maxBacklog: number;
  private readonly preserveLog: () => boolean;

  constructor(
    private readonly db: SockscopeDb,
    options: RecorderOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 250;
    this.chunkFrames = options.chunkFrames ?? 1000;
    this.transactionFrames = options.transactionFrames ?? 4000;
    this.maxBacklog = options.maxBacklog ?? 1_000_000;
    this.preserveLog = options.preserveLog ?? (() => false);
    void readLimits(db).then(
      (l) => {
        if (!this.limitsSet) this.limits = l;
      },
      () => undefined,
    );
  }

  get status(): RecorderStatus {
    return { recording: this.enabled, error: this.error, sessionId: this.current?.record.id, pending: this.pendingFrames, written: this.written };
  }

  subscribe(listener: (status: RecorderStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setLimits(limits: Limits): void {
    this.limitsSet = true;
    this.limits = limits;
  }

  /** Turning recording on clears a stopped recorder's error; the next page load (or frame) starts a session. */
  setRecording(on: boolean): void {
    this.enabled = on;
    if (on) this.error = undefined;
    else {
      // What was not yet written is dropped: off means nothing more is stored.
      this.buffer = [];
      this.pendingFrames = 0;
      this.current = undefined;
      this.resumeChecked = true;
    }
    this.notify();
  }

  handle(event: SourceEvent): void {
    if (!this.enabled) return;
    if (event.type === 'page') {
      if (event.page.top) this.buffer.push({ kind: 'page', page: event.page, preserve: this.preserveLog() });
    } else if (event.type === 'frames' && event.frames.length > 0) {
      this.buffer.push({ kind: 'frames', instance: event.instance, frames: event.frames });
      this.pendingFrames += event.frames.length;
      if (this.pendingFrames > this.maxBacklog) {
        this.stop(`Recording stopped: more than ${this.maxBacklog.toLocaleString('en')} frames were waiting to be written (the disk is too slow for this traffic). What was stored is kept.`);
        return;
      }
    } else return;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushMs);
  }

  /** Writes everything buffered; resolves when it is stored (or recording stopped). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.buffer.length === 0) return;
    this.writing = this.writeAll().finally(() => (this.writing = undefined));
    await this.writing;
  }

  private async writeAll(): Promise<void> {
    while (this.buffer.length > 0 && this.enabled) {
      const take = this.takeBatch();
      try {
        await this.write(take);
      } catch (e) {
        this.stop(describeWriteError(e));
        return;
      }
      try {
        await enforceLimits(this.db, this.limits, this.current?.record.id);
      } catch {
        // Dropping old sessions failed: the next flush tries again.
      }
      if (this.current && this.current.record.bytes > this.limits.maxBytes) {
        const mb = (n: number) => `${Math.round(n / 1024 / 1024).toLocaleString('en')} MB`;
        this.stop(`Recording stopped: this session alone reached the size limit (${mb(this.limits.maxBytes)}). It is kept as recorded so far; raise the limit in Sessions → Limits to record more.`);
        return;
      }
      this.notify();
    }
  }

  /** Segments worth up to `transactionFrames` frames, split if one is larger. */
  private takeBatch(): Segment[] {
    const out: Segment[] = [];
    let frames = 0;
    while (this.buffer.length > 0 && frames < this.transactionFrames) {
      const seg = this.buffer[0];
      if (seg.kind === 'page') {
        out.push(this.buffer.shift()!);
        continue;
      }
      const room = this.transactionFrames - frames;
      if (seg.frames.length <= room) {
        out.push(this.buffer.shift()!);
        frames += seg.frames.length;
      } else {
        out.push({ kind: 'frames', instance: seg.instance, frames: seg.frames.slice(0, room) });
        seg.frames = seg.frames.slice(room);
        frames += room;
      }
    }
    return out;
  }

  private async write(segments: Segment[]): Promise<void> {
    const { db } = this;
    let count = 0;
    for (const s of segments) if (s.kind === 'frames') count += s.frames.length;
    if (!this.resumeChecked) {
      this.resumeChecked = true;
      const first = segments.find((s) => s.kind === 'page');
      const last = await db.sessions.orderBy('id').last();
      if (first && last && last.origin === 'recorded' && last.instances.some(([i]) => i === first.page.instance)) this.current = openSession(last);
    }
    // The writer's view changes only once the transaction commits: a failed write leaves memory as it was.
    let session = this.current ? cloneOpen(this.current) : undefined;
    /** Per session written to: its position before this batch, and the frames to add. */
    const touched = new Map<OpenSession, { from: number; frames: RawFrame[] }>();
    for (const seg of segments) {
      if (seg.kind === 'page') {
        const { page } = seg;
        if (session?.lastSeq.has(page.instance)) continue;
        if (session && seg.preserve) session.lastSeq.set(page.instance, 0);
        else session = newSession(page.url, page.instance, page);
        continue;
      }
      session ??= newSession('', undefined);
      let batch = touched.get(session);
      if (!batch) touched.set(session, (batch = { from: session.record.frameCount, frames: [] }));
      const last = session.lastSeq.get(seg.instance) ?? -Infinity;
      for (const frame of seg.frames) {
        if (frame.seq <= last) continue; // already stored before a panel reload
        batch.frames.push(frame);
        addToStats(session, frame);
      }
      if (seg.frames.length > 0) session.lastSeq.set(seg.instance, Math.max(last, seg.frames[seg.frames.length - 1].seq));
    }
    const writes = [...touched].map(([open, batch]) => {
      const chunks = chunkFrames(batch.frames, 0, batch.from, this.chunkFrames);
      open.record.bytes += chunkExtras(chunks, open.eio);
      return { open, chunks };
    });
    await db.transaction('rw', db.sessions, db.frames, async () => {
      for (const { open, chunks } of writes) {
        const rec = sealRecord(open);
        let id = rec.id;
        if (id === undefined) {
          delete rec.id;
          id = open.record.id = (await db.sessions.add(rec)) as number;
        } else await db.sessions.put(rec);
        for (const c of chunks) c.s = id;
        if (chunks.length > 0) await db.frames.bulkAdd(chunks);
      }
    });
    this.current = session;
    this.pendingFrames -= count;
    this.written += count;
  }

  private stop(message: string): void {
    this.enabled = false;
    this.error = message;
    this.buffer = [];
    this.pendingFrames = 0;
    this.current = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.notify();
  }

  private notify(): void {
    const status = this.status;
    for (const l of this.listeners) l(status);
  }
}

function newSession(url: string, instance: string | undefined, page?: CapturedPage): OpenSession {
  const now = Date.now();
  const record: SessionRecord = {
    name: nameFor(page?.url ?? url, now),
    pageUrl: url,
    instances: [],
    startedAt: now,
    endedAt: now,
    frameCount: 0,
    sentCount: 0,
    receivedCount: 0,
    bytes: 0,
    eioVersions: [],
    origin: 'recorded',
  };
  const lastSeq = new Map<string, number>();
  if (instance !== undefined) lastSeq.set(instance, 0);
  return { record, lastSeq, eio: new Set() };
}

export function nameFor(url: string, at: number): string {
  let where = url;
  try {
    const u = new URL(url);
    where = u.host + u.pathname;
  } catch {
    where = url || 'page';
  }
  return `${where.slice(0, 80)} — ${new Date(at).toISOString().slice(0, 19).replace('T', ' ')}`;
}

function openSession(record: SessionRecord): OpenSession {
  return { record: { ...record }, lastSeq: new Map(record.instances), eio: new Set(record.eioVersions) };
}

function cloneOpen(open: OpenSession): OpenSession {
  return { record: { ...open.record }, lastSeq: new Map(open.lastSeq), eio: new Set(open.eio) };
}

function addToStats(open: OpenSession, frame: RawFrame): void {
  const r = open.record;
  if (r.frameCount === 0) r.startedAt = r.endedAt = frame.t;
  r.frameCount++;
  if (frame.kind === 'message' || frame.kind === 'request' || frame.kind === 'response') {
    if (frame.dir === 'out') r.sentCount++;
    else r.receivedCount++;
  }
  r.endedAt = Math.max(r.endedAt, frame.t);
  r.bytes += storedSize(frame);
  if (!r.pageUrl) r.pageUrl = frame.url;
}

function sealRecord(open: OpenSession): SessionRecord {
  const rec = open.record;
  rec.instances = [...open.lastSeq];
  rec.eioVersions = [...open.eio].sort();
  return { ...rec };
}

export function describeWriteError(e: unknown): string {
  const name = (e as { name?: string })?.name;
  const inner = (e as { inner?: { name?: string } })?.inner?.name;
  if (name === 'QuotaExceededError' || inner === 'QuotaExceededError')
    return 'Recording stopped: the browser refused to store more (storage quota reached). Sessions already stored are kept; delete some or lower the limits, then turn recording on again.';
  return `Recording stopped: the browser could not store the frames (${name ?? 'error'}: ${(e as Error)?.message ?? String(e)}). Sessions already stored are kept.`;
}
