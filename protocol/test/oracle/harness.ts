// Wire building and comparison for the oracle tests: Socket.IO messages -> Engine.IO frames / polling bodies ->
// RawFrame records, the reference decode of the same frames, and a canonical form to compare values deeply.
import { expect } from 'vitest';
import type { OutgoingPacket } from '../../encoder.ts';
import type { DecodedEntry, Direction, EioVersion, RawFrame, SioEntry } from '../../types.ts';
import { eioV3, eioV4, isEioError, sync, type OfficialEioPacket, type OfficialSioPacket, type SioMessage } from './official.ts';

export const SID = 'oracleSid00';
const HANDSHAKE = { sid: SID, upgrades: ['websocket'], pingInterval: 25000, pingTimeout: 20000 };

export function handshakeJson(eio: EioVersion): string {
  return JSON.stringify(eio === 4 ? { ...HANDSHAKE, maxPayload: 1e6 } : HANDSHAKE);
}

/** One Socket.IO packet's messages, and which way they go. */
export interface Step {
  dir: Direction;
  messages: SioMessage[];
}

export interface WireOptions {
  eio: EioVersion;
  transport: 'websocket' | 'polling' | 'upgrade';
  /** `upgrade`: how many packets go over polling before the WebSocket takes over. */
  switchAt?: number;
  /**
   * WebSocket: binary frames (else `b<base64>` text frames, as with `b64=1` / `forceBase64`).
   * EIO3 polling: an XHR2 binary payload whenever a batch holds binary (else text with `b4<base64>`).
   */
  binary: boolean;
  /** Polling: after which message (in sending order) a body ends, besides where the direction changes. */
  breaks?: boolean[];
  /** Order in which the two directions' messages go out: true takes the next 'out' message. */
  interleave?: boolean[];
}

export interface Wire {
  frames: RawFrame[];
  /** The reference engine.io-parser's decode of the frames: message payloads per direction, in order. */
  official: Record<Direction, unknown[]>;
}

const toBase64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

/** Merges the two directions' messages into one sending order, keeping each direction's own order. */
function sendingOrder(steps: Step[], interleave: boolean[] = []): { dir: Direction; message: SioMessage }[] {
  const queues: Record<Direction, SioMessage[]> = {
    out: steps.filter((s) => s.dir === 'out').flatMap((s) => s.messages),
    in: steps.filter((s) => s.dir === 'in').flatMap((s) => s.messages),
  };
  const order: { dir: Direction; message: SioMessage }[] = [];
  let k = 0;
  if (interleave.length === 0) return steps.flatMap((s) => s.messages.map((message) => ({ dir: s.dir, message })));
  while (queues.out.length + queues.in.length > 0) {
    const want: Direction = interleave[k++ % interleave.length] ? 'out' : 'in';
    const dir: Direction = queues[want].length > 0 ? want : want === 'out' ? 'in' : 'out';
    order.push({ dir, message: queues[dir].shift()! });
  }
  return order;
}

/**
 * Builds RawFrame records for one Engine.IO session carrying the steps, with the official engine.io-parser.
 * `upgrade`: the session opens on polling, carries the first `switchAt` packets there, upgrades to a WebSocket
 * (probe, noop on the pending GET, upgrade packet) and carries the rest on it.
 */
export function buildWire(steps: Step[], options: WireOptions): Wire {
  const { eio, transport, binary } = options;
  const frames: RawFrame[] = [];
  const official: Record<Direction, unknown[]> = { out: [], in: [] };
  let seq = 0;
  let t = 1_000;
  const base = { t: 0, seq: 0 };
  const push = (frame: Omit<RawFrame, 'seq' | 't'>) => frames.push({ ...base, ...frame, seq: ++seq, t: (t += 1.5) });
  const messagePacket = (m: SioMessage): OfficialEioPacket => ({ type: 'message', data: m });
  const record = (dir: Direction, packets: OfficialEioPacket[]) => {
    for (const p of packets) {
      if (isEioError(p)) throw new Error(`the reference engine.io-parser could not read its own output: ${JSON.stringify(p)}`);
      if (p.type === 'message') official[dir].push(p.data ?? '');
    }
  };

  const wsUrl = `ws://localhost/socket.io/?EIO=${eio}&transport=websocket${transport === 'upgrade' ? `&sid=${SID}` : ''}`;
  const wsFrame = (dir: Direction, packet: OfficialEioPacket) => {
    const encoded =
      eio === 4
        ? sync<string | Buffer>((done) => eioV4.encodePacket(packet, binary, done))
        : sync<string | Buffer>((done) => eioV3.encodePacket(packet, binary, done));
    const frame = typeof encoded === 'string' ? { opcode: 'text' as const, data: encoded } : { opcode: 'binary' as const, data: toBase64(encoded) };
    push({ conn: 'ws1', url: wsUrl, transport: 'websocket', dir, kind: 'message', ...frame });
    record(dir, [eio === 4 ? eioV4.decodePacket(encoded, 'nodebuffer') : eioV3.decodePacket(encoded)]);
  };
  const overWebSocket = (part: Step[]) => {
    for (const { dir, message } of sendingOrder(part, options.interleave)) wsFrame(dir, messagePacket(message));
  };

  if (transport === 'websocket') {
    push({ conn: 'ws1', url: wsUrl, transport, dir: 'in', kind: 'open' });
    wsFrame('in', { type: 'open', data: handshakeJson(eio) });
    overWebSocket(steps);
    return { frames, official };
  }

  const url = `http://localhost/socket.io/?EIO=${eio}&transport=polling&sid=${SID}`;
  let exchange = 0;
  const body = (dir: Direction, packets: OfficialEioPacket[]) => {
    let payload: string | Buffer;
    if (eio === 4) payload = sync<string>((done) => eioV4.encodePayload(packets, done));
    else payload = sync<string | Buffer>((done) => eioV3.encodePayload(packets, binary, done));
    const conn = `xhr${++exchange}`;
    const data = typeof payload === 'string' ? { opcode: 'text' as const, data: payload } : { opcode: 'binary' as const, data: toBase64(payload) };
    if (dir === 'out') push({ conn, url, transport: 'polling', dir, kind: 'request', method: 'POST', ...data });
    else push({ conn, url, transport: 'polling', dir, kind: 'response', method: 'GET', status: 200, ...data });
    if (dir === 'out') push({ conn, url, transport: 'polling', dir: 'in', kind: 'response', method: 'POST', status: 200, opcode: 'text', data: 'ok' });
    const decoded: OfficialEioPacket[] = [];
    if (eio === 4) decoded.push(...eioV4.decodePayload(payload as string, 'nodebuffer'));
    else eioV3.decodePayload(payload, (p) => void decoded.push(p));
    record(dir, decoded);
  };
  const overPolling = (part: Step[]) => {
    let batch: OfficialEioPacket[] = [];
    let batchDir: Direction | undefined;
    sendingOrder(part, options.interleave).forEach(({ dir, message }, i) => {
      if (batchDir !== undefined && dir !== batchDir) {
        body(batchDir, batch);
        batch = [];
      }
      batchDir = dir;
      batch.push(messagePacket(message));
      if (options.breaks?.[i % Math.max(1, options.breaks.length)]) {
        body(dir, batch);
        batch = [];
        batchDir = undefined;
      }
    });
    if (batchDir !== undefined && batch.length > 0) body(batchDir, batch);
  };

  body('in', [{ type: 'open', data: handshakeJson(eio) }]);
  if (transport === 'polling') {
    overPolling(steps);
    return { frames, official };
  }
  const switchAt = Math.min(options.switchAt ?? 0, steps.length);
  overPolling(steps.slice(0, switchAt));
  push({ conn: 'ws1', url: wsUrl, transport: 'websocket', dir: 'out', kind: 'open' });
  wsFrame('out', { type: 'ping', data: 'probe' });
  wsFrame('in', { type: 'pong', data: 'probe' });
  body('in', [{ type: 'noop' }]);
  wsFrame('out', { type: 'upgrade' });
  overWebSocket(steps.slice(switchAt));
  return { frames, official };
}

/** A value in a form deep equality can compare: bytes as hex, objects as ordered key lists (`__proto__` safe). */
export function canon(value: unknown): unknown {
  if (value === undefined) return { $undefined: true };
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex') };
  if (value instanceof ArrayBuffer) return { $bytes: Buffer.from(value).toString('hex') };
  if (value instanceof Date) return { $date: value.getTime() };
  if (Array.isArray(value)) return Array.from(value, canon);
  if (value !== null && typeof value === 'object') return { $object: Object.keys(value).map((k) => [k, canon((value as Record<string, unknown>)[k])]) };
  return value;
}

/** The fields of a decoded Socket.IO entry that describe the packet (not its place in the log). */
export interface PacketView {
  type: string;
  ns: string;
  query?: string;
  event?: unknown;
  args?: unknown;
  id?: number;
  data?: unknown;
  attachments?: number;
}

const TYPE_NAMES = ['connect', 'disconnect', 'event', 'ack', 'connect_error', 'event', 'ack'];

export function viewOfEntry(entry: SioEntry): PacketView {
  const view: PacketView = { type: entry.type, ns: entry.ns };
  if (entry.query !== undefined) view.query = entry.query;
  if (entry.event !== undefined) view.event = canon(entry.event);
  if (entry.args !== undefined) view.args = canon(entry.args);
  if (entry.id !== undefined) view.id = entry.id;
  if (entry.data !== undefined) view.data = canon(entry.data);
  if (entry.attachments !== undefined) view.attachments = entry.attachments;
  return view;
}

/**
 * What we should log for a packet the reference decoder gave. Deliberate differences, in the mapping itself:
 * BINARY_EVENT / BINARY_ACK (5/6, kept by parser 3.x) are `event` / `ack` with `attachments` = the number of
 * binary messages (parser 4.x reports 2/3 and drops the count); a `?query` in the namespace (protocol v4
 * CONNECT) is split off into `query`; `data[0]` of an event is `event`, the rest `args`.
 */
export function viewOfOfficial(packet: OfficialSioPacket, attachments: number | undefined): PacketView {
  const q = packet.nsp.indexOf('?');
  const view: PacketView = { type: TYPE_NAMES[packet.type], ns: q < 0 ? packet.nsp : packet.nsp.slice(0, q) };
  if (q >= 0) view.query = packet.nsp.slice(q + 1);
  const data = packet.data;
  if (view.type === 'event' && Array.isArray(data)) {
    view.event = canon(data[0]);
    view.args = canon(data.slice(1));
  } else if (view.type === 'ack' && data !== undefined) view.args = canon(data);
  else if (data !== undefined) view.data = canon(data);
  if (packet.id !== undefined) view.id = packet.id;
  if (attachments !== undefined) view.attachments = attachments;
  return view;
}

/** Number of attachments a packet's messages announce (`5N-` / `6N-`), or undefined for other packets. */
export function announcedAttachments(messages: SioMessage[]): number | undefined {
  const head = messages[0];
  return typeof head === 'string' && /^[56]/.test(head) ? messages.length - 1 : undefined;
}

export const sioEntries = (log: DecodedEntry[], dir?: Direction) =>
  log.filter((e): e is SioEntry => e.layer === 'sio' && (dir === undefined || e.dir === dir));
/** Error entries; one that stands for an exception caught inside the tracker fails the test outright. */
export const errorEntries = (log: DecodedEntry[]) => {
  const errors = log.filter((e) => e.layer === 'error');
  for (const e of errors) expect(e.error).not.toMatch(/internal decoder error/);
  return errors;
};

/** engine.io-parser's reading of our frames or body: the message payloads, or the reason it refused them. */
export function officialMessages(eio: EioVersion, transport: 'websocket' | 'polling', encoded: (string | Uint8Array)[]): unknown[] {
  const asBuffer = (m: string | Uint8Array) => (typeof m === 'string' ? m : Buffer.from(m.buffer, m.byteOffset, m.byteLength));
  const packets: OfficialEioPacket[] = [];
  for (const unit of encoded) {
    if (transport === 'websocket') packets.push(eio === 4 ? eioV4.decodePacket(asBuffer(unit), 'nodebuffer') : eioV3.decodePacket(asBuffer(unit)));
    else if (eio === 4) packets.push(...eioV4.decodePayload(unit as string, 'nodebuffer'));
    else eioV3.decodePayload(asBuffer(unit), (p) => void packets.push(p));
  }
  for (const p of packets) expect(p.type, `engine.io-parser: ${JSON.stringify(p)}`).toBe('message');
  return packets.map((p) => p.data);
}


const OUTGOING_TYPES = ['connect', 'disconnect', 'event', 'ack', 'connect_error'] as const;

/** The reference packet shape, in our terms. */
export function toOutgoing(p: OfficialSioPacket): OutgoingPacket {
  const q = p.nsp.indexOf('?');
  const out: OutgoingPacket = { type: OUTGOING_TYPES[p.type], ns: q < 0 ? p.nsp : p.nsp.slice(0, q) };
  if (q >= 0) out.query = p.nsp.slice(q + 1);
  if (p.id !== undefined) out.id = p.id;
  const data = p.data as unknown[];
  if (p.type === 2) {
    out.event = data[0] as string | number;
    out.args = data.slice(1);
  } else if (p.type === 3) out.args = data;
  else if (p.data !== undefined) out.data = p.data;
  return out;
}

/** What JSON.stringify + JSON.parse make of a value, Buffers aside (they travel as attachments). */
export function jsonify(value: unknown): unknown {
  if (value instanceof Uint8Array) return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : jsonify(v)));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, jsonify((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

