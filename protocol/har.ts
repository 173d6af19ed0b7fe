import { base64ToBytes, utf8Decode } from './bytes.ts';
import { Failure } from './failure.ts';
import { compareFrames } from './raw-frame.ts';
import type { RawFrame } from './types.ts';
import { isEngineIoUrl } from './version.ts';

export interface HarReadResult {
  frames: RawFrame[];
  /** Entries that were Engine.IO traffic but could not be read, with why. */
  skipped: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Raw frames from a HAR 1.2 document as Chrome's DevTools (and Playwright's `recordHar`) write it: WebSocket
 * messages in `_webSocketMessages` (time in epoch seconds, opcode 1 text / 2 binary as base64), polling bodies in
 * `request.postData.text` and `response.content.text`. Only Engine.IO URLs are read; frames come out in time order
 * with a fresh `seq`.
 */
export function framesFromHar(doc: unknown): HarReadResult | Failure {
  if (!isObject(doc) || !isObject(doc.log) || !Array.isArray(doc.log.entries)) return new Failure('not a HAR file: no log.entries array');
  const frames: RawFrame[] = [];
  const skipped: string[] = [];
  doc.log.entries.forEach((entry: unknown, index: number) => {
    if (!isObject(entry) || !isObject(entry.request) || typeof entry.request.url !== 'string') {
      skipped.push(`entry ${index}: no request URL`);
      return;
    }
    const url = entry.request.url;
    if (!isEngineIoUrl(url)) return;
    const started = typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : NaN;
    if (!Number.isFinite(started)) {
      skipped.push(`entry ${index}: bad startedDateTime`);
      return;
    }
    const conn = `har${index}`;
    if (Array.isArray(entry._webSocketMessages) || /^wss?:/i.test(url) || /[?&]transport=websocket\b/.test(url)) {
      readWebSocket(entry, url, conn, started, frames, skipped, index);
    } else {
      readPolling(entry, url, conn, started, frames);
    }
  });
  frames.sort(compareFrames);
  frames.forEach((f, i) => (f.seq = i + 1));
  return { frames, skipped };
}

function readWebSocket(entry: Json, url: string, conn: string, started: number, frames: RawFrame[], skipped: string[], index: number): void {
  const base = { seq: 0, conn, url, transport: 'websocket' as const };
  frames.push({ ...base, t: started, dir: 'out', kind: 'open' });
  const messages = Array.isArray(entry._webSocketMessages) ? entry._webSocketMessages : [];
  let bad = 0;
  for (const m of messages) {
    if (!isObject(m) || (m.type !== 'send' && m.type !== 'receive') || typeof m.time !== 'number' || typeof m.data !== 'string') {
      bad++;
      continue;
    }
    const binary = m.opcode === 2;
    frames.push({ ...base, t: m.time * 1000, dir: m.type === 'send' ? 'out' : 'in', kind: 'message', opcode: binary ? 'binary' : 'text', data: m.data });
  }
  if (bad > 0) skipped.push(`entry ${index}: ${bad} malformed WebSocket message(s)`);
}

function readPolling(entry: Json, url: string, conn: string, started: number, frames: RawFrame[]): void {
  const request = entry.request as Json;
  const response = isObject(entry.response) ? entry.response : {};
  const method = typeof request.method === 'string' ? request.method : 'GET';
  const base = { seq: 0, conn, url, transport: 'polling' as const };
  const postData = isObject(request.postData) ? request.postData : {};
  frames.push({ ...base, t: started, dir: 'out', kind: 'request', method, data: typeof postData.text === 'string' ? postData.text : '' });
  const content = isObject(response.content) ? response.content : {};
  const duration = typeof entry.time === 'number' && entry.time >= 0 ? entry.time : 0;
  const status = typeof response.status === 'number' ? response.status : 0;
  if (status <= 0) return; // never answered: a long-poll cut off by the page's unload, for one
  const body = bodyOf(content);
  frames.push({ ...base, t: started + duration, dir: 'in', kind: 'response', method, status, ...body });
}

function bodyOf(content: Json): { data: string; opcode: 'text' | 'binary' } {
  const text = typeof content.text === 'string' ? content.text : '';
  if (content.encoding !== 'base64') return { data: text, opcode: 'text' };
  const mime = typeof content.mimeType === 'string' ? content.mimeType : '';
  if (/octet-stream/i.test(mime)) return { data: text, opcode: 'binary' };
  const bytes = base64ToBytes(text);
  return bytes ? { data: utf8Decode(bytes), opcode: 'text' } : { data: text, opcode: 'binary' };
}
