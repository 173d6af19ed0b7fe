// Mutated real traffic through the tracker: whatever the bytes, no exception escapes and the log stays well formed.
import fc from 'fast-check';
import { createRequire } from 'node:module';
import { io as ioV4, type Socket } from 'socket.io-client';
import msgpackParser from 'socket.io-msgpack-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatServer, type ChatServer } from '../../app/demo/chat-server.ts';
import { base64ToBytes, bytesToBase64 } from '../bytes.ts';
import { entryToJsonLine } from '../json-output.ts';
import { materialize, Tracker } from '../tracker/tracker.ts';
import type { RawFrame } from '../types.ts';
import { startCaptureProxy } from './support/capture-proxy.ts';
import { untilQuiet } from './support/chat-session.ts';

const require = createRequire(import.meta.url);
const ioV2 = require('socket.io-client-v2') as (url: string, opts: object) => Socket;
const ioV3 = require('socket.io-client-v3') as (url: string, opts: object) => Socket;
const clients = { 2: ioV2, 3: ioV3, 4: ioV4 as (url: string, opts: object) => Socket };

const sessions: RawFrame[][] = [];
const servers: ChatServer[] = [];

/** Runs one short chat session through the capture proxy and keeps its frames. */
async function record(generation: 2 | 3 | 4, parser: 'default' | 'msgpack', transports: string[]): Promise<void> {
  const server = await startChatServer({ generation, parser });
  servers.push(server);
  const proxy = await startCaptureProxy(server.url);
  const options = { transports, forceNew: true, reconnection: false, ...(parser === 'msgpack' ? { parser: msgpackParser } : {}) };
  const client = clients[generation](proxy.url, options);
  const ack = (event: string, ...args: unknown[]) => new Promise<void>((done) => client.emit(event, ...args, () => done()));
  await new Promise<void>((done) => client.once('welcome', () => done()));
  await ack('chat message', 'hello é😀');
  await ack('echo', 1, { nested: [true, null, 'x'] }, 'three');
  await ack('binary', Buffer.from([1, 2, 3]), { inner: Buffer.from('abc') });
  await new Promise<void>((done) => {
    client.once('server got', () => done());
    client.once('server ask', (_q: unknown, reply: (a: string) => void) => reply('answer'));
    client.emit('ping me');
  });
  client.close();
  await untilQuiet(proxy.frames);
  sessions.push([...proxy.frames]);
  await proxy.close();
}

beforeAll(async () => {
  await record(4, 'default', ['polling', 'websocket']);
  await record(4, 'msgpack', ['websocket']);
  await record(2, 'default', ['polling']);
  await record(2, 'default', ['polling', 'websocket']);
  await record(3, 'default', ['polling', 'websocket']);
  await record(3, 'msgpack', ['polling']);
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'replace'; at: number; char: string }
  | { op: 'flip'; at: number; bit: number }
  | { op: 'duplicate'; at: number; length: number }
  | { op: 'opcode' }
  | { op: 'dir' }
  | { op: 'kind'; kind: RawFrame['kind'] }
  | { op: 'drop' }
  | { op: 'repeat' }
  | { op: 'swap' };

const interesting = fc.constantFrom('[', ']', '{', '}', '"', ',', '-', '/', '\\', '\x1e', ':', '0', '5', '9', 'b', '_placeholder', '"num":99', '__proto__', '\u0000', '😀');
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(interesting, fc.string({ maxLength: 4 })) }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), char: fc.oneof(interesting, fc.string({ minLength: 1, maxLength: 1 })) }),
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.constant({ op: 'opcode' as const }),
  fc.constant({ op: 'dir' as const }),
  fc.record({ op: fc.constant('kind' as const), kind: fc.constantFrom<RawFrame['kind']>('open', 'message', 'close', 'error', 'request', 'response') }),
  fc.constant({ op: 'drop' as const }),
  fc.constant({ op: 'repeat' as const }),
  fc.constant({ op: 'swap' as const }),
);

function mutateData(frame: RawFrame, m: Mutation): RawFrame {
  const data = frame.data ?? '';
  if (frame.opcode === 'binary' && m.op !== 'insert' && m.op !== 'replace') {
    const bytes = base64ToBytes(data) ?? new Uint8Array();
    const at = bytes.length === 0 ? 0 : m.op === 'truncate' || m.op === 'flip' || m.op === 'duplicate' ? m.at % bytes.length : 0;
    let out = bytes;
    if (m.op === 'truncate') out = bytes.slice(0, at);
    else if (m.op === 'flip' && bytes.length > 0) (out = bytes.slice())[at] ^= 1 << m.bit;
    else if (m.op === 'duplicate') out = Uint8Array.from([...bytes.slice(0, at), ...bytes.slice(at, at + m.length), ...bytes.slice(at)]);
    return { ...frame, data: bytesToBase64(out) };
  }
  const at = 'at' in m ? m.at % (data.length + 1) : 0;
  switch (m.op) {
    case 'truncate':
      return { ...frame, data: data.slice(0, at) };
    case 'insert':
      return { ...frame, data: data.slice(0, at) + m.text + data.slice(at) };
    case 'replace':
      return { ...frame, data: data.slice(0, at) + m.char + data.slice(at + 1) };
    case 'flip':
      return { ...frame, data: data.slice(0, at) + String.fromCharCode((data.charCodeAt(at) || 0) ^ (1 << m.bit)) + data.slice(at + 1) };
    case 'duplicate':
      return { ...frame, data: data.slice(0, at) + data.slice(at, at + m.length) + data.slice(at) };
    default:
      return frame;
  }
}

function applyMutations(frames: RawFrame[], mutations: [number, Mutation][]): RawFrame[] {
  const out = frames.map((f) => ({ ...f }));
  for (const [where, m] of mutations) {
    if (out.length === 0) break;
    const i = where % out.length;
    const f = out[i];
    if (m.op === 'opcode') out[i] = { ...f, opcode: f.opcode === 'binary' ? 'text' : 'binary' };
    else if (m.op === 'dir') out[i] = { ...f, dir: f.dir === 'in' ? 'out' : 'in' };
    else if (m.op === 'kind') out[i] = { ...f, kind: m.kind };
    else if (m.op === 'drop') out.splice(i, 1);
    else if (m.op === 'repeat') out.splice(i, 0, { ...f });
    else if (m.op === 'swap' && i + 1 < out.length) [out[i], out[i + 1]] = [out[i + 1], out[i]];
    else out[i] = mutateData(f, m);
  }
  return out;
}

function decodeAll(frames: RawFrame[], lazy: boolean) {
  const tracker = new Tracker({ lazy });
  for (const f of frames) tracker.push(f);
  tracker.finish();
  for (const entry of tracker.log) {
    if (entry.layer === 'sio') materialize(entry);
    entryToJsonLine(entry);
  }
  return tracker;
}

describe('fuzz: mutated real frames', () => {
  it('recorded real sessions decode without errors before mutation', () => {
    expect(sessions).toHaveLength(6);
    const kinds: [number | undefined, string][] = [];
    for (const frames of sessions) {
      const tracker = decodeAll(frames, false);
      kinds.push([tracker.connections[0]?.eio, tracker.connections[0]?.parser]);
      expect(tracker.log.filter((e) => e.layer === 'error')).toEqual([]);
      expect(tracker.log.filter((e) => e.layer === 'sio' && e.type === 'ack').length).toBeGreaterThanOrEqual(4);
    }
    // socket.io 4, 2, then 3 (whose wire is Engine.IO 4, like socket.io 4's).
    expect(kinds).toEqual([[4, 'default'], [4, 'msgpack'], [3, 'default'], [3, 'default'], [4, 'default'], [4, 'msgpack']]);
  });

  it('no exception escapes, and no internal error hides one', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 8 }), fc.boolean(), (which, mutations, lazy) => {
        const frames = applyMutations(sessions[which % sessions.length], mutations);
        const tracker = decodeAll(frames, lazy);
        tracker.log.forEach((entry, i) => {
          expect(entry.index).toBe(i);
          if (entry.layer === 'error') {
            expect(entry.error).not.toMatch(/internal decoder error/);
            expect(typeof entry.raw).toBe('string');
          }
        });
      }),
      { numRuns: 3000 },
    );
  });
});
