// Export and import: real traffic (a real socket.io server and client through the capture proxy) goes out as HAR
// and as Sockscope JSON and comes back the same; hostile and wrong files get a clear message and write nothing.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatServer, type ChatServer } from '../demo/chat-server.ts';
import { Failure } from '../../protocol/failure.ts';
import { framesToHar } from '../../protocol/har-export.ts';
import { framesFromHar, HAR_LIMITS } from '../../protocol/har.ts';
import { runChatSession, untilQuiet } from '../../protocol/test/support/chat-session.ts';
import { startCaptureProxy } from '../../protocol/test/support/capture-proxy.ts';
import { Tracker } from '../../protocol/tracker/tracker.ts';
import type { RawFrame, SioEntry } from '../../protocol/types.ts';
import { SockscopeDb } from '../recording/db.ts';
import { importText, type ImportedFile } from './import-file.ts';
import { exportSession, readAllFrames, writeImportedSession } from './session-io.ts';
import { sessionToDocument } from './session-json.ts';

let server: ChatServer;
let captured: RawFrame[];
beforeAll(async () => {
  server = await startChatServer({ generation: 4, parser: 'msgpack' });
  const proxy = await startCaptureProxy(server.url);
  try {
    await runChatSession(proxy.url, { generation: 4, parser: 'msgpack', transports: ['polling', 'websocket'] });
    await untilQuiet(proxy.frames);
  } finally {
    await proxy.close();
  }
  captured = proxy.frames;
});
afterAll(() => server?.close());

/** What the decoder makes of frames: the Socket.IO packets, connection names left out. */
function decoded(frames: readonly RawFrame[]) {
  const tracker = new Tracker();
  for (const f of frames) tracker.push(f);
  tracker.finish();
  return tracker.log.filter((e): e is SioEntry => e.layer === 'sio').map((e) => ({ dir: e.dir, type: e.type, ns: e.ns, event: e.event, args: e.args, id: e.id, data: e.data }));
}

/**
 * The frames HAR can hold (no WebSocket close or error; connections renamed), field by field. HAR's
 * startedDateTime has whole milliseconds, so times agree within one.
 */
function expectSameFrames(actual: readonly RawFrame[], expected: readonly RawFrame[]) {
  const shape = (frames: readonly RawFrame[]) =>
    frames
      .filter((f) => f.kind !== 'close' && f.kind !== 'error')
      .map((f) => ({ t: f.t, url: f.url, transport: f.transport, dir: f.kind === 'open' ? undefined : f.dir, kind: f.kind, opcode: f.kind === 'open' ? undefined : f.opcode, data: f.kind === 'open' ? undefined : (f.data ?? ''), status: f.status }))
      .sort((a, b) => a.url.localeCompare(b.url) || a.kind.localeCompare(b.kind) || a.t - b.t);
  const a = shape(actual);
  const e = shape(expected);
  expect(a.map(({ t: _, ...rest }) => rest)).toEqual(e.map(({ t: _, ...rest }) => rest));
  a.forEach((f, i) => expect(Math.abs(f.t - e[i].t)).toBeLessThan(1));
}

describe('HAR round trip', () => {
  it('exports real traffic the way Chrome writes it', () => {
    const har = framesToHar(captured, { pageUrl: 'http://127.0.0.1/chat' });
    expect(har.log.version).toBe('1.2');
    const ws = har.log.entries.filter((e) => e._resourceType === 'websocket');
    expect(ws.length).toBeGreaterThan(0);
    expect(ws[0].response.status).toBe(101);
    const messages = ws.flatMap((e) => e._webSocketMessages ?? []);
    expect(new Set(messages.map((m) => m.type))).toEqual(new Set(['send', 'receive']));
    // msgpack: binary frames, as base64 with opcode 2; time in epoch seconds.
    expect(messages.some((m) => m.opcode === 2)).toBe(true);
    expect(messages[0].time).toBeGreaterThan(1.6e9);
    expect(messages[0].time).toBeLessThan(1e10);
    const polls = har.log.entries.filter((e) => e._resourceType === 'xhr');
    expect(polls.some((e) => e.request.method === 'POST' && e.request.postData?.text)).toBe(true);
    expect(polls.some((e) => e.request.method === 'GET' && e.response.status === 200 && e.response.content.text?.startsWith('0{'))).toBe(true);
  });

  it('export, import, compare: the same frames and the same decoded events', () => {
    const text = JSON.stringify(framesToHar(captured));
    const back = importText(text, 'session.har') as ImportedFile;
    expect(back).not.toBeInstanceOf(Failure);
    expect(back.kind).toBe('har');
    expect(back.notes).toEqual([]);
    expectSameFrames(back.frames, captured);
    const events = decoded(captured);
    expect(events.filter((e) => e.type === 'event').length).toBeGreaterThan(5);
    expect(decoded(back.frames)).toEqual(events);
  });

  it('Sockscope JSON keeps every frame exactly, close and error included', () => {
    const doc = sessionToDocument({ name: 'chat', pageUrl: 'http://x/', startedAt: 1, endedAt: 2 }, captured);
    const back = importText(JSON.stringify(doc), 'chat.sockscope.json') as ImportedFile;
    expect(back.kind).toBe('sockscope');
    expect(back.info).toEqual({ name: 'chat', pageUrl: 'http://x/', startedAt: 1, endedAt: 2 });
    expect(back.frames).toEqual(captured);
  });

  it('through the database: import, export as HAR and JSON, import again', async () => {
    const db = new SockscopeDb('files-roundtrip');
    const first = importText(JSON.stringify(sessionToDocument({ name: 'chat', pageUrl: 'http://x/', startedAt: 1, endedAt: 2 }, captured)), 'a.json') as ImportedFile;
    const id = await writeImportedSession(db, first);
    const session = (await db.sessions.get(id))!;
    expect(session).toMatchObject({ origin: 'imported', frameCount: captured.length, eioVersions: [4] });
    expect(await readAllFrames(db, session, 7)).toEqual(captured);
    const json = await exportSession(db, id, 'json');
    expect(json.fileName).toBe('chat.sockscope.json');
    expect((importText(json.text, json.fileName) as ImportedFile).frames).toEqual(captured);
    const har = await exportSession(db, id, 'har');
    expect(har.fileName).toBe('chat.har');
    expect(decoded((importText(har.text, har.fileName) as ImportedFile).frames)).toEqual(decoded(captured));
    db.close();
  });
});

describe('import of broken, hostile or wrong files', () => {
  const wsHar = (messages: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      log: {
        version: '1.2',
        entries: [{ startedDateTime: '2025-01-01T00:00:00.000Z', time: 1, request: { method: 'GET', url: 'ws://h/socket.io/?EIO=4&transport=websocket' }, response: { status: 101 }, _webSocketMessages: messages, ...extra }],
      },
    });
  const reason = (text: string, name = 'f.har') => {
    const r = importText(text, name);
    return r instanceof Failure ? r.reason : 'accepted';
  };

  it('says what is wrong', () => {
    expect(reason('')).toBe('f.har: the file is empty');
    expect(reason('<!doctype html><html><body>hi</body></html>')).toMatch(/HTML or XML, not a HAR/);
    expect(reason('{"log":{"entries":[')).toMatch(/^f\.har: invalid JSON/);
    expect(reason('[1,2]')).toMatch(/not a JSON document/);
    expect(reason('{"hello":1}')).toBe('f.har: not a HAR file: no "log" object');
    expect(reason('{"log":{"entries":{}}}')).toBe('f.har: not a HAR file: no log.entries array');
    expect(reason(JSON.stringify({ log: { entries: [{ startedDateTime: '2025-01-01T00:00:00Z', request: { url: 'https://example.com/app.js' } }] } }))).toMatch(
      /no Socket\.IO traffic in this HAR: none of its 1 entries has an Engine\.IO URL/,
    );
    expect(reason(JSON.stringify({ format: 'sockscope-session', version: 99, session: {}, frames: [] }), 's.json')).toMatch(/version 99 is not supported/);
    expect(reason(JSON.stringify({ format: 'sockscope-session', version: 1, session: {}, frames: [{ seq: 'x' }] }), 's.json')).toMatch(/frame 0: raw frame: seq must be a number/);
  });

  it('__proto__ and constructor keys stay data: nothing is polluted', () => {
    const text = `{"__proto__":{"polluted":1},"log":{"__proto__":{"polluted":2},"entries":[{"__proto__":{"request":{"url":"ws://h/socket.io/?EIO=4"}},"constructor":{"prototype":{"polluted":3}},"startedDateTime":"2025-01-01T00:00:00Z","request":{"url":"ws://h/socket.io/?EIO=4&transport=websocket","__proto__":{"method":"X"}},"_webSocketMessages":[{"type":"receive","time":1735689600.5,"opcode":1,"data":"42[\\"__proto__\\",{\\"__proto__\\":{\\"polluted\\":4}}]","__proto__":{"x":1}}]}]}}`;
    const r = importText(text, 'evil.har') as ImportedFile;
    expect(r.frames.map((f) => f.data)).toEqual([undefined, '42["__proto__",{"__proto__":{"polluted":4}}]']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(r.frames[1], '__proto__')).toBe(false);
    // An entry whose only request is an inherited-looking key is not read as one.
    const fake = `{"log":{"entries":[{"__proto__":{"request":{"url":"ws://h/socket.io/?EIO=4"},"startedDateTime":"2025-01-01T00:00:00Z"}}]}}`;
    expect(reason(fake)).toMatch(/no Socket\.IO traffic/);
  });

  it('HTML in strings is kept as text (the UI shows text, never markup)', () => {
    const r = importText(wsHar([{ type: 'receive', time: 1735689600.5, opcode: 1, data: '42["<img src=x onerror=alert(1)>"]' }]), 'x.har') as ImportedFile;
    expect(r.frames[1].data).toBe('42["<img src=x onerror=alert(1)>"]');
  });

  it('absurd sizes are refused or skipped, and say so', () => {
    const saved = { ...HAR_LIMITS };
    try {
      HAR_LIMITS.entries = 2;
      const three = JSON.stringify({ log: { entries: [{}, {}, {}] } });
      expect(reason(three)).toMatch(/HAR has 3 entries; the limit is 2/);
      HAR_LIMITS.stringChars = 10;
      const r = importText(wsHar([{ type: 'send', time: 1735689600.5, opcode: 1, data: '42["a very long message"]' }, { type: 'send', time: 1735689600.6, opcode: 1, data: '2' }]), 'big.har') as ImportedFile;
      expect(r.frames.map((f) => f.data)).toEqual([undefined, '2']);
      expect(r.notes).toEqual(['entry 0: 1 WebSocket message(s) over 10 characters']);
    } finally {
      Object.assign(HAR_LIMITS, saved);
    }
    const bad = importText(wsHar([{ type: 'send', time: -5, opcode: 1, data: '2' }, { type: 'x' }, 'nope', { type: 'send', time: 1e9, opcode: 9, data: '2' }]), 'bad.har') as ImportedFile;
    expect(bad.notes).toEqual(['entry 0: 4 malformed WebSocket message(s)']);
  });

  it('reads a HAR as Playwright recordHar writes it (polling bodies, base64 text)', () => {
    const url = 'http://127.0.0.1:3000/socket.io/?EIO=4&transport=polling&t=x';
    const har = {
      log: {
        version: '1.2',
        creator: { name: 'Playwright', version: '1.65' },
        entries: [
          { startedDateTime: '2025-01-01T00:00:00.000Z', time: 3, request: { method: 'GET', url, headers: [] }, response: { status: 200, content: { size: 10, mimeType: 'text/plain; charset=UTF-8', text: btoa('0{"sid":"a","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'), encoding: 'base64' } } },
          { startedDateTime: '2025-01-01T00:00:00.010Z', time: 2, request: { method: 'POST', url: url + '&sid=a', postData: { mimeType: 'text/plain;charset=UTF-8', text: '40' } }, response: { status: 200, content: { size: 2, mimeType: 'text/html', text: 'ok' } } },
          { startedDateTime: '2025-01-01T00:00:00.020Z', time: 2, request: { method: 'GET', url: url + '&sid=a' }, response: { status: 200, content: { size: 2, mimeType: 'text/plain', text: '40{"sid":"b"}\x1e42["hello",1]' } } },
        ],
      },
    };
    const r = importText(JSON.stringify(har), 'pw.har') as ImportedFile;
    expect(decoded(r.frames).map((e) => [e.dir, e.type, e.event, e.args])).toEqual([
      ['out', 'connect', undefined, undefined],
      ['in', 'connect', undefined, undefined],
      ['in', 'event', 'hello', [1]],
    ]);
  });
});

describe('a failed import', () => {
  it('leaves existing sessions untouched and stores nothing of itself', async () => {
    const db = new SockscopeDb('files-failed');
    const good = importText(JSON.stringify(sessionToDocument({ name: 'kept', pageUrl: '', startedAt: 0, endedAt: 0 }, captured)), 'kept.json') as ImportedFile;
    await writeImportedSession(db, good);
    const before = { sessions: await db.sessions.toArray(), frames: await db.frames.count() };
    // The disk gives out in the second bulkAdd (chunks of 1,000 frames, 20 chunks a batch).
    const big: ImportedFile = { ...good, info: { ...good.info, name: 'big' }, frames: Array.from({ length: 25_000 }, (_, i) => ({ ...captured[i % captured.length], seq: i + 1 })) };
    let written = 0;
    db.frames.hook('creating', () => {
      if (++written > 22) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await expect(writeImportedSession(db, big)).rejects.toThrow(/quota/i);
    expect(await db.sessions.toArray()).toEqual(before.sessions);
    expect(await db.frames.count()).toBe(before.frames);
    db.close();
  });
});
