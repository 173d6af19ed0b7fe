import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RawFrame } from '../../protocol/types.ts';
import type { SourceEvent } from '../source.ts';
import { chunkFrames, fromFrameChunk, readFrames, SockscopeDb } from './db.ts';
import { enforceLimits, readLimits, usageOf, writeLimits } from './limits.ts';
import { Recorder } from './recorder.ts';

let dbs: SockscopeDb[] = [];
let nameCounter = 0;
function openDb(name = `test-${++nameCounter}`): SockscopeDb {
  const db = new SockscopeDb(name);
  dbs.push(db);
  return db;
}
afterEach(async () => {
  for (const db of dbs) db.close();
  dbs = [];
});

const URL_WS = 'ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket&sid=abc';
function frames(from: number, count: number, instance = 'p1'): SourceEvent {
  const list: RawFrame[] = [];
  for (let i = 0; i < count; i++) {
    const seq = from + i;
    list.push({ seq, t: 1_700_000_000_000 + seq, conn: 'w1', url: URL_WS, transport: 'websocket', dir: seq % 2 ? 'out' : 'in', kind: 'message', opcode: 'text', data: `42["tick",${seq}]` });
  }
  return { type: 'frames', instance, frames: list };
}
const page = (instance: string, url = 'http://127.0.0.1:3000/chat'): SourceEvent => ({ type: 'page', page: { instance, url, top: true, frameId: 0 } });

describe('schema', () => {
  it('has its five tables, version 1, frames keyed by [s+n]', async () => {
    const db = openDb();
    await db.open();
    expect(db.verno).toBe(1);
    expect(db.tables.map((t) => t.name).sort()).toEqual(['frames', 'history', 'sessions', 'settings', 'templates']);
    expect(db.frames.schema.primKey.keyPath).toEqual(['s', 'n']);
    expect(db.sessions.schema.primKey.auto).toBe(true);
  });

  it('stores frames compactly, a chunk per record in columns, and reads back the same raw frames, binary included', () => {
    const all: RawFrame[] = [
      { seq: 1, t: 10.5, conn: 'x1', url: 'http://h/socket.io/?EIO=4&transport=polling', transport: 'polling', dir: 'out', kind: 'request', method: 'POST', data: '40' },
      { seq: 2, t: 11, conn: 'x1', url: 'http://h/socket.io/?EIO=4&transport=polling', transport: 'polling', dir: 'in', kind: 'response', method: 'POST', status: 200, data: 'ok' },
      { seq: 3, t: 12, conn: 'w1', url: URL_WS, transport: 'websocket', dir: 'in', kind: 'message', opcode: 'binary', data: 'AAEC/w==' },
      { seq: 4, t: 13, conn: 'w1', url: URL_WS, transport: 'websocket', dir: 'in', kind: 'close', code: 1006, reason: 'gone' },
      { seq: 5, t: 14, conn: 'w1', url: URL_WS, transport: 'websocket', dir: 'out', kind: 'error' },
    ];
    const chunks = chunkFrames(all, 7, 10, 2);
    expect(chunks.map((c) => [c.s, c.n, c.count])).toEqual([[7, 10, 2], [7, 12, 2], [7, 14, 1]]);
    expect(chunks.map((c) => c.urls.length)).toEqual([1, 1, 1]);
    expect(chunks[0].conns).toEqual(['x1']);
    expect(chunks[1].d[0]).toEqual(new Uint8Array([0, 1, 2, 255]));
    expect(chunks.flatMap((c) => fromFrameChunk(c))).toEqual(all);
  });
});

describe('Recorder', () => {
  it('writes nothing per frame: the buffer goes out in one bulkAdd of chunks on its timer', async () => {
    const db = openDb();
    const recorder = new Recorder(db, { flushMs: 20, chunkFrames: 1000 });
    const bulkAdd = vi.spyOn(db.frames, 'bulkAdd');
    const add = vi.spyOn(db.frames, 'add');
    recorder.handle(page('p1'));
    for (let i = 0; i < 25; i++) recorder.handle(frames(1 + i * 100, 100));
    expect(recorder.status.pending).toBe(2500);
    expect(bulkAdd).not.toHaveBeenCalled();
    // The timer, not the caller, writes.
    await vi.waitFor(() => expect(recorder.status.written).toBe(2500));
    expect(add).not.toHaveBeenCalled();
    expect(bulkAdd.mock.calls.map((c) => c[0].map((chunk) => chunk.count))).toEqual([[1000, 1000, 500]]);
    expect(await db.frames.count()).toBe(3);
    expect(recorder.status).toMatchObject({ pending: 0, recording: true });
  });

  it('keeps session statistics and reads frames back in order', async () => {
    const db = openDb();
    const recorder = new Recorder(db);
    recorder.handle(page('p1'));
    recorder.handle(frames(1, 10));
    await recorder.flush();
    const [session] = await db.sessions.toArray();
    expect(session).toMatchObject({ pageUrl: 'http://127.0.0.1:3000/chat', frameCount: 10, sentCount: 5, receivedCount: 5, eioVersions: [4], origin: 'recorded' });
    expect(session.name).toMatch(/^127\.0\.0\.1:3000\/chat — \d{4}-/);
    expect(session.bytes).toBeGreaterThan(10 * 10);
    expect(session.endedAt).toBe(1_700_000_000_010);
    const back = await readFrames(db, session, 3, 4);
    expect(back.map((f) => f.seq)).toEqual([4, 5, 6, 7]);
    expect(back[0]).toEqual((frames(4, 1) as { frames: RawFrame[] }).frames[0]);
    expect((await readFrames(db, session, 8, 100)).map((f) => f.seq)).toEqual([9, 10]);
    expect(await readFrames(db, session, 10, 5)).toEqual([]);
  });

  it('reads any range across chunk boundaries', async () => {
    const db = openDb();
    const recorder = new Recorder(db, { chunkFrames: 3 });
    recorder.handle(page('p1'));
    recorder.handle(frames(1, 5));
    await recorder.flush();
    recorder.handle(frames(6, 7));
    await recorder.flush();
    const [session] = await db.sessions.toArray();
    expect((await db.frames.toArray()).map((c) => [c.n, c.count])).toEqual([[0, 3], [3, 2], [5, 3], [8, 3], [11, 1]]);
    for (let from = 0; from <= 12; from++) {
      for (const count of [1, 2, 4, 12]) {
        const expected = Array.from({ length: Math.max(0, Math.min(count, 12 - from)) }, (_, i) => from + i + 1);
        expect((await readFrames(db, session, from, count)).map((f) => f.seq)).toEqual(expected);
      }
    }
  });

  it('starts a session per page load, or continues it with preserve log', async () => {
    const db = openDb();
    let preserve = false;
    const recorder = new Recorder(db, { preserveLog: () => preserve });
    recorder.handle(page('p1'));
    recorder.handle(frames(1, 3, 'p1'));
    recorder.handle(page('p2'));
    recorder.handle(frames(1, 4, 'p2'));
    preserve = true;
    recorder.handle(page('p3'));
    recorder.handle(frames(1, 5, 'p3'));
    await recorder.flush();
    const sessions = await db.sessions.toArray();
    expect(sessions.map((s) => s.frameCount)).toEqual([3, 9]);
    expect(sessions[1].instances.map(([i]) => i)).toEqual(['p2', 'p3']);
  });

  it('a reloaded panel continues the session of the same page without storing frames twice', async () => {
    const db = openDb();
    const first = new Recorder(db);
    first.handle(page('p1'));
    first.handle(frames(1, 10));
    await first.flush();
    // The page's ring buffer replays what it still has to the new panel.
    const second = new Recorder(db);
    second.handle(page('p1'));
    second.handle(frames(5, 10));
    await second.flush();
    const sessions = await db.sessions.toArray();
    expect(sessions).toHaveLength(1);
    expect(sessions[0].frameCount).toBe(14);
    const seqs = (await readFrames(db, sessions[0], 0, 100)).map((r) => r.seq);
    expect(seqs).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
  });

  it('records nothing while turned off', async () => {
    const db = openDb();
    const recorder = new Recorder(db);
    recorder.setRecording(false);
    recorder.handle(page('p1'));
    recorder.handle(frames(1, 10));
    await recorder.flush();
    expect(await db.frames.count()).toBe(0);
    recorder.setRecording(true);
    recorder.handle(page('p2'));
    recorder.handle(frames(1, 2, 'p2'));
    await recorder.flush();
    expect((await db.sessions.toArray()).map((s) => s.frameCount)).toEqual([2]);
  });

  it('quota: recording stops with a clear message and what was stored stays intact', async () => {
    const db = openDb();
    const recorder = new Recorder(db);
    recorder.handle(page('p1'));
    recorder.handle(frames(1, 50));
    await recorder.flush();
    // The browser's refusal, as IndexedDB raises it, from inside the write.
    let full = true;
    db.frames.hook('creating', () => {
      if (full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    recorder.handle(frames(51, 50));
    await recorder.flush();
    expect(recorder.status.recording).toBe(false);
    expect(recorder.status.error).toMatch(/storage quota reached/);
    expect(recorder.status.error).toMatch(/already stored are kept/);
    full = false;
    const [session] = await db.sessions.toArray();
    expect(session.frameCount).toBe(50);
    expect((await readFrames(db, session, 0, 1000)).map((f) => f.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // Nothing more is taken while stopped.
    recorder.handle(frames(101, 5));
    await recorder.flush();
    expect(await db.frames.count()).toBe(1);
  });
});

describe('limits', () => {
  it('are kept in settings, sanitised', async () => {
    const db = openDb();
    expect(await readLimits(db)).toEqual({ maxBytes: 500 * 1024 * 1024, maxSessions: 50 });
    expect(await writeLimits(db, { maxBytes: 5, maxSessions: 1e9 })).toEqual({ maxBytes: 1024 * 1024, maxSessions: 10_000 });
    await db.settings.put({ key: 'limits', value: { maxBytes: 'lots', maxSessions: 3 } });
    expect(await readLimits(db)).toEqual({ maxBytes: 500 * 1024 * 1024, maxSessions: 3 });
  });

  it('drop the oldest sessions first, never the one being recorded', async () => {
    const db = openDb();
    const recorder = new Recorder(db);
    recorder.setLimits({ maxBytes: 1e9, maxSessions: 2 });
    for (const p of ['a', 'b', 'c']) {
      recorder.handle(page(p));
      recorder.handle(frames(1, 5, p));
      await recorder.flush();
    }
    const left = await db.sessions.toArray();
    expect(left.map((s) => s.instances[0][0])).toEqual(['b', 'c']);
    expect((await db.frames.toArray()).map((c) => c.s)).toEqual(left.map((s) => s.id));
    // By size: only the current session fits.
    const bytes = usageOf(left).bytes;
    expect(await enforceLimits(db, { maxBytes: bytes - 1, maxSessions: 10 }, left[1].id)).toEqual([left[0].id]);
    expect((await db.sessions.toArray()).map((s) => s.id)).toEqual([left[1].id]);
  });

  it('stop recording, with a message, when the session being recorded alone outgrows the size limit', async () => {
    const db = openDb();
    const recorder = new Recorder(db);
    recorder.setLimits({ maxBytes: 1000, maxSessions: 10 });
    recorder.handle(page('p1'));
    recorder.handle(frames(1, 10));
    await recorder.flush();
    expect(recorder.status.recording).toBe(true);
    recorder.handle(frames(11, 40));
    await recorder.flush();
    expect(recorder.status).toMatchObject({ recording: false, error: expect.stringMatching(/this session alone reached the size limit/) });
    const [session] = await db.sessions.toArray();
    expect(session.frameCount).toBe(50);
  });
});
