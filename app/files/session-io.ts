// Moving whole sessions between the database and files: writing an imported one (all or nothing) and reading one
// back for export.
import { framesToHar } from '../../protocol/har-export.ts';
import type { RawFrame } from '../../protocol/types.ts';
import { chunkExtras, chunkFrames, readFrames, storedSize, type SessionRecord, type SockscopeDb } from '../recording/db.ts';
import type { ImportedFile, ImportProgress } from './import-file.ts';
import { sessionToDocument } from './session-json.ts';

/** Chunks (of up to 1,000 frames) per `bulkAdd`. */
const BATCH = 20;

/**
 * Stores an imported file as a new session in one transaction: if any write fails, nothing of it is kept, and
 * existing sessions are never touched.
 */
export async function writeImportedSession(db: SockscopeDb, file: ImportedFile, onProgress: (p: ImportProgress) => void = () => undefined): Promise<number> {
  const eio = new Set<number>();
  const record: SessionRecord = {
    name: file.info.name.slice(0, 500),
    pageUrl: file.info.pageUrl,
    instances: [],
    startedAt: file.frames[0]?.t ?? file.info.startedAt,
    endedAt: file.frames[file.frames.length - 1]?.t ?? file.info.endedAt,
    frameCount: file.frames.length,
    sentCount: 0,
    receivedCount: 0,
    bytes: 0,
    eioVersions: [],
    origin: 'imported',
  };
  for (const frame of file.frames) {
    record.bytes += storedSize(frame);
    if (frame.kind === 'message' || frame.kind === 'request' || frame.kind === 'response') {
      if (frame.dir === 'out') record.sentCount++;
      else record.receivedCount++;
    }
  }
  const chunks = chunkFrames(file.frames, 0, 0);
  record.bytes += chunkExtras(chunks, eio);
  record.eioVersions = [...eio].sort();
  return db.transaction('rw', db.sessions, db.frames, async () => {
    const id = (await db.sessions.add(record)) as number;
    for (const c of chunks) c.s = id;
    for (let i = 0; i < chunks.length; i += BATCH) {
      await db.frames.bulkAdd(chunks.slice(i, i + BATCH));
      onProgress({ phase: 'writing', done: Math.min(file.frames.length, (i + BATCH) * 1000), total: file.frames.length });
    }
    return id;
  });
}

/** Every frame of a session, read in chunks. */
export async function readAllFrames(db: SockscopeDb, session: SessionRecord, chunk = 20_000): Promise<RawFrame[]> {
  const out: RawFrame[] = [];
  for (;;) {
    const part = await readFrames(db, session, out.length, chunk);
    for (const f of part) out.push(f);
    if (part.length < chunk) return out;
  }
}

export type ExportFormat = 'har' | 'json';

export async function exportSession(db: SockscopeDb, id: number, format: ExportFormat): Promise<{ fileName: string; text: string }> {
  const session = await db.sessions.get(id);
  if (!session) throw new Error(`session ${id} no longer exists`);
  const frames = await readAllFrames(db, session);
  const base = safeFileName(session.name) || `session-${id}`;
  if (format === 'har') return { fileName: `${base}.har`, text: JSON.stringify(framesToHar(frames, { pageUrl: session.pageUrl, title: session.pageUrl })) };
  const doc = sessionToDocument({ name: session.name, pageUrl: session.pageUrl, startedAt: session.startedAt, endedAt: session.endedAt }, frames);
  return { fileName: `${base}.sockscope.json`, text: JSON.stringify(doc) };
}

function safeFileName(name: string): string {
  return name
    .replace(/[^\w.\- ]+/g, '_')
    .replace(/\s+/g, '-')
    .slice(0, 100);
}
