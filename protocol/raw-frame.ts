import { Failure } from './failure.ts';
import type { RawFrame } from './types.ts';

const KINDS = new Set(['open', 'message', 'close', 'error', 'request', 'response']);
const MAX_DATA_CHARS = 256 * 1024 * 1024;

/**
 * Checks that an untrusted value (a capture file line, a message from a page) is a raw frame, and copies only the
 * known fields: nothing else of the input survives. `dataOverride` stands in for `data` (the relay's base64 of a
 * binary frame) without a copy of the whole object.
 */
export function toRawFrame(value: unknown, dataOverride?: unknown): RawFrame | Failure {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return new Failure('a raw frame must be an object');
  const v = value as Record<string, unknown>;
  const data = dataOverride ?? v.data;
  if (typeof v.seq !== 'number' || !Number.isFinite(v.seq)) return new Failure('raw frame: seq must be a number');
  if (typeof v.t !== 'number' || !Number.isFinite(v.t)) return new Failure('raw frame: t must be a number');
  if (typeof v.conn !== 'string' || v.conn.length > 200) return new Failure('raw frame: conn must be a short string');
  if (typeof v.url !== 'string' || v.url.length > 64 * 1024) return new Failure('raw frame: url must be a string');
  if (v.transport !== 'websocket' && v.transport !== 'polling') return new Failure('raw frame: transport must be websocket or polling');
  if (v.dir !== 'in' && v.dir !== 'out') return new Failure('raw frame: dir must be in or out');
  if (typeof v.kind !== 'string' || !KINDS.has(v.kind)) return new Failure('raw frame: unknown kind');
  if (v.opcode !== undefined && v.opcode !== 'text' && v.opcode !== 'binary') return new Failure('raw frame: opcode must be text or binary');
  if (data !== undefined && (typeof data !== 'string' || data.length > MAX_DATA_CHARS)) return new Failure('raw frame: data must be a string');
  if (v.method !== undefined && typeof v.method !== 'string') return new Failure('raw frame: method must be a string');
  for (const key of ['status', 'code'] as const) {
    if (v[key] !== undefined && (typeof v[key] !== 'number' || !Number.isFinite(v[key]))) return new Failure(`raw frame: ${key} must be a number`);
  }
  if (v.reason !== undefined && typeof v.reason !== 'string') return new Failure('raw frame: reason must be a string');
  const frame: RawFrame = { seq: v.seq, t: v.t, conn: v.conn, url: v.url, transport: v.transport, dir: v.dir, kind: v.kind as RawFrame['kind'] };
  if (v.opcode !== undefined) frame.opcode = v.opcode;
  if (data !== undefined) frame.data = data as string;
  if (v.method !== undefined) frame.method = v.method as string;
  if (v.status !== undefined) frame.status = v.status as number;
  if (v.code !== undefined) frame.code = v.code as number;
  if (v.reason !== undefined) frame.reason = v.reason as string;
  if (v.origin === 'sockscope') frame.origin = 'sockscope';
  return frame;
}

/** Capture order: by time, then by `seq`. */
export function compareFrames(a: RawFrame, b: RawFrame): number {
  return a.t - b.t || a.seq - b.seq;
}
