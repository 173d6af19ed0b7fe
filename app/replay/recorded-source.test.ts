import 'fake-indexeddb/auto';
import { expect, it } from 'vitest';
import type { RawFrame } from '../../protocol/types.ts';
import { SockscopeDb } from '../recording/db.ts';
import { Recorder } from '../recording/recorder.ts';
import type { SourceEvent } from '../source.ts';
import { RecordedSource } from './recorded-source.ts';

it('delivers a stored session lazily: a small first chunk, then the rest in chunks, in order', async () => {
  const db = new SockscopeDb('recorded-source');
  const recorder = new Recorder(db);
  recorder.handle({ type: 'page', page: { instance: 'p', url: 'http://h/', top: true, frameId: 0 } });
  const frames: RawFrame[] = Array.from({ length: 5000 }, (_, i) => ({ seq: i + 1, t: 1000 + i, conn: 'w', url: 'ws://h/socket.io/?EIO=4', transport: 'websocket', dir: 'in', kind: 'message', opcode: 'text', data: `42["n",${i}]` }));
  recorder.handle({ type: 'frames', instance: 'p', frames });
  await recorder.flush();
  const [session] = await db.sessions.toArray();

  const events: SourceEvent[] = [];
  const progress: number[] = [];
  const source = new RecordedSource(db, session, { firstChunk: 100, chunk: 1000, onProgress: (loaded) => progress.push(loaded) });
  await new Promise<void>((done) =>
    source.start((e) => {
      events.push(e);
      if (e.type === 'status') done();
    }),
  );
  expect(events[0]).toEqual({ type: 'page', page: { instance: `session-${session.id}`, url: 'http://h/', top: true, frameId: 0 } });
  const chunks = events.filter((e) => e.type === 'frames');
  expect(chunks.map((e) => e.frames.length)).toEqual([100, 1000, 1000, 1000, 1000, 900]);
  expect(chunks.flatMap((e) => e.frames)).toEqual(frames);
  expect(progress.at(-1)).toBe(5000);
  expect(events.at(-1)).toEqual({ type: 'status', connected: false, detail: 'loaded' });
  db.close();
});

it('stops streaming when stopped', async () => {
  const db = new SockscopeDb('recorded-source-stop');
  const recorder = new Recorder(db);
  recorder.handle({ type: 'page', page: { instance: 'p', url: 'http://h/', top: true, frameId: 0 } });
  recorder.handle({ type: 'frames', instance: 'p', frames: Array.from({ length: 3000 }, (_, i) => ({ seq: i + 1, t: i, conn: 'w', url: 'ws://h/', transport: 'websocket', dir: 'in', kind: 'message', data: '3' })) });
  await recorder.flush();
  const [session] = await db.sessions.toArray();
  const sizes: number[] = [];
  const source = new RecordedSource(db, session, { firstChunk: 10, chunk: 10 });
  source.start((e) => {
    if (e.type !== 'frames') return;
    sizes.push(e.frames.length);
    if (sizes.length === 3) source.stop();
  });
  await source.finished;
  expect(sizes).toEqual([10, 10, 10]);
  db.close();
});
