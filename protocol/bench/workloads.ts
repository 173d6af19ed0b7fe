// Prebuilt inputs for the decode benchmark. Everything is encoded with the official socket.io-parser Encoder, so
// neither decoder reads a wire form produced by our own encoder. Content is pseudo-random but seeded: every run
// decodes the same bytes.

import { Buffer } from 'node:buffer';
import { Encoder, PacketType } from 'socket.io-parser';
import type { RawFrame } from '../types.ts';

export type WorkloadId = 'a' | 'b' | 'c' | 'd';

/** One frame in every form a decoder under test wants it. */
export interface BenchFrame {
  /** What the hook hands the tracker (binary: base64 `data`). */
  raw: RawFrame;
  /** Text frame / polling body as a string; binary frame: the bytes (what `ws` or the browser gives). */
  wire: string | Buffer;
}

export interface Workload {
  id: WorkloadId;
  title: string;
  transport: 'websocket' | 'polling';
  frames: BenchFrame[];
  /** The JSON part of every Socket.IO packet, as separate strings (the `JSON.parse` floor). */
  jsonPayloads: string[];
  /** Bytes on the wire per pass: UTF-8 text + raw attachment bytes (not their base64). */
  bytes: number;
  /** Socket.IO packets per pass (a binary event with its attachments counts once). */
  packets: number;
}

// --- deterministic content ------------------------------------------------------------------------------------

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const USERS = ['alice', 'bob', 'carol', 'dave', 'émilie', 'józef', '李雷', 'mañana', 'zoë', 'søren'];
const WORDS = [
  'hello', 'world', 'socket', 'event', 'ping', 'latency', 'ok', 'déjà', 'vu', 'naïve', 'café', 'über', '日本語',
  'テキスト', '😀', '🚀', 'ça', 'va', 'lorem', 'ipsum', 'dolor', 'sit', 'amet', 'the', 'quick', 'brown', 'fox',
  'jumps', 'over', 'lazy', 'dog', '"quoted"', 'back\\slash', 'tab\there', 'line\nbreak', 'Ωmega', 'русский',
];
const EVENTS = ['chat message', 'typing', 'presence', 'cursor', 'reaction', 'read'];

class Gen {
  private readonly rnd: () => number;
  constructor(seed: number) {
    this.rnd = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  rnd01(): number {
    return this.int(1e6) / 1e6;
  }
  float(): number {
    return Math.round((this.rnd() * 2000 - 1000) * 1e4) / 1e4;
  }
  words(min: number, max: number): string {
    const n = min + this.int(max - min + 1);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.pick(WORDS));
    return out.join(' ');
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

/** A nested value of roughly `target` JSON characters: objects, arrays, strings, numbers, unicode, null, booleans. */
function bigValue(g: Gen, target: number): unknown {
  const items: unknown[] = [];
  const root = {
    room: `room-${g.int(1000)}`,
    ts: 1_700_000_000_000 + g.int(1e9),
    version: g.float(),
    flags: { archived: g.int(2) === 0, pinned: null, muted: g.int(2) === 1 },
    items,
  };
  while (JSON.stringify(root).length < target) {
    items.push({
      id: g.int(1e9),
      author: { name: g.pick(USERS), id: `u${g.int(1e6)}`, roles: [g.pick(['admin', 'mod', 'user']), 'member'] },
      text: g.words(4, 18),
      score: g.float(),
      ratio: g.rnd01(),
      tags: [g.pick(WORDS), g.pick(WORDS), g.int(100)],
      matrix: [
        [g.int(10), g.float()],
        [g.int(10), -g.int(1000)],
      ],
      meta: { seen: g.int(2) === 0, edits: g.int(5), parent: g.int(3) === 0 ? null : g.int(1e6), emoji: '🎉✨' },
    });
  }
  return root;
}

// --- encoding with the official parser ------------------------------------------------------------------------

const encoder = new Encoder();

/** Official socket.io-parser encoding: `[text, ...attachments]`. */
function encode(type: number, nsp: string, data: unknown, id?: number): (string | Buffer)[] {
  return encoder.encode({ type, nsp, data, id }) as (string | Buffer)[];
}

/** Index where socket.io-parser's decodeString starts the JSON (header skipped); -1 if none. */
function jsonStart(sio: string): number {
  let i = 1;
  if (sio[0] === '5' || sio[0] === '6') i = sio.indexOf('-') + 1;
  if (sio[i] === '/') {
    const comma = sio.indexOf(',', i);
    i = comma < 0 ? sio.length : comma + 1;
  }
  while (i < sio.length && sio.charCodeAt(i) >= 48 && sio.charCodeAt(i) <= 57) i++;
  return i < sio.length ? i : -1;
}

const WS_URL = 'ws://localhost:3000/socket.io/?EIO=4&transport=websocket';
const POLL_URL = 'http://localhost:3000/socket.io/?EIO=4&transport=polling&sid=bench-sid-0001';

function wsText(seq: number, text: string): BenchFrame {
  return {
    raw: { seq, t: 1000 + seq, conn: 'ws1', url: WS_URL, transport: 'websocket', dir: 'in', kind: 'message', opcode: 'text', data: text },
    wire: text,
  };
}

function wsBinary(seq: number, bytes: Buffer): BenchFrame {
  return {
    raw: {
      seq, t: 1000 + seq, conn: 'ws1', url: WS_URL, transport: 'websocket', dir: 'in', kind: 'message', opcode: 'binary',
      data: bytes.toString('base64'),
    },
    wire: bytes,
  };
}

function finish(id: WorkloadId, title: string, transport: Workload['transport'], frames: BenchFrame[], sioTexts: string[], packets: number): Workload {
  let bytes = 0;
  for (const f of frames) bytes += typeof f.wire === 'string' ? Buffer.byteLength(f.wire, 'utf8') : f.wire.length;
  const jsonPayloads: string[] = [];
  for (const s of sioTexts) {
    const at = jsonStart(s);
    if (at >= 0) jsonPayloads.push(s.slice(at));
  }
  return { id, title, transport, frames, jsonPayloads, bytes, packets };
}

/** a. ~100-byte chat events. */
function chat(count: number): Workload {
  const g = new Gen(1);
  const frames: BenchFrame[] = [];
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const event = i % 5 === 0 ? g.pick(EVENTS) : 'chat message';
    const [text] = encode(PacketType.EVENT, '/', [event, { user: g.pick(USERS), text: g.words(3, 9), ts: 1_700_000_000 + g.int(1e6) }]);
    texts.push(text as string);
    frames.push(wsText(i, '4' + text));
  }
  return finish('a', 'small chat events (~100 B), WS text', 'websocket', frames, texts, count);
}

/** b. ~10 KB nested JSON events. */
function large(count: number): Workload {
  const g = new Gen(2);
  const frames: BenchFrame[] = [];
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const [text] = encode(PacketType.EVENT, i % 4 === 3 ? '/admin' : '/', ['state', bigValue(g, 9_800)]);
    texts.push(text as string);
    frames.push(wsText(i, '4' + text));
  }
  return finish('b', 'large JSON events (~10 KB), WS text', 'websocket', frames, texts, count);
}

/** c. BINARY_EVENT (some BINARY_ACK) with 1..3 attachments of 0.5..4 KB, EIO4 WebSocket. */
function binary(count: number): Workload {
  const g = new Gen(3);
  const frames: BenchFrame[] = [];
  const texts: string[] = [];
  let seq = 0;
  for (let i = 0; i < count; i++) {
    const n = 1 + g.int(3);
    const files = [];
    for (let k = 0; k < n; k++) {
      files.push({ name: `file-${g.int(1000)}.bin`, type: g.pick(['image/png', 'application/octet-stream']), data: g.bytes(512 + g.int(3584)) });
    }
    const isAck = i % 10 === 9;
    const parts = isAck
      ? encode(PacketType.ACK, '/', [{ ok: true, files }], i)
      : encode(PacketType.EVENT, '/', ['upload', { from: g.pick(USERS), note: g.words(2, 6), files }]);
    texts.push(parts[0] as string);
    frames.push(wsText(seq++, '4' + (parts[0] as string)));
    for (const b of parts.slice(1)) frames.push(wsBinary(seq++, b as Buffer));
  }
  return finish('c', 'binary events + attachments (few KB), EIO4 WS', 'websocket', frames, texts, count);
}

/** d. EIO4 polling bodies of 50 packets: events, events asking for an ack, acks, a namespace. */
function polling(bodies: number): Workload {
  const g = new Gen(4);
  const frames: BenchFrame[] = [];
  const texts: string[] = [];
  let ackId = 0;
  for (let b = 0; b < bodies; b++) {
    const packets: string[] = [];
    for (let k = 0; k < 50; k++) {
      const r = g.int(10);
      const nsp = r === 0 ? '/chat' : '/';
      let text: string;
      if (r < 5) {
        [text] = encode(PacketType.EVENT, nsp, [g.pick(EVENTS), { user: g.pick(USERS), text: g.words(2, 10) }]) as string[];
      } else if (r < 8) {
        [text] = encode(PacketType.EVENT, nsp, ['fetch', { page: g.int(50), q: g.words(1, 3) }], ackId++) as string[];
      } else {
        [text] = encode(PacketType.ACK, nsp, [{ ok: true, rows: [g.int(100), g.float(), g.pick(WORDS)] }], g.int(ackId + 1)) as string[];
      }
      texts.push(text);
      packets.push('4' + text);
    }
    const body = packets.join('\x1e');
    frames.push({
      raw: { seq: b, t: 1000 + b, conn: `xhr${b}`, url: POLL_URL, transport: 'polling', dir: 'in', kind: 'response', status: 200, data: body },
      wire: body,
    });
  }
  return finish('d', 'EIO4 polling payloads, 50 packets each', 'polling', frames, texts, bodies * 50);
}

export function buildWorkloads(): Workload[] {
  return [chat(2000), large(150), binary(300), polling(60)];
}
