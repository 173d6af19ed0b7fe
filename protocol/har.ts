import { base64ToBytes, utf8Decode } from './bytes.ts';
import { Failure } from './failure.ts';
import { compareFrames } from './raw-frame.ts';
import type { RawFrame } from './types.ts';
import { isEngineIoUrl } from './version.ts';

export interface HarReadResult {
  frames: RawFrame[];
  /** Entries that were Engine.IO traffic but could not be read, with why (at most `MAX_NOTES`, then a count). */
  skipped: string[];
}

/** What a HAR may hold before it is refused or its pieces skipped: explicit, and named in every message. */
export const HAR_LIMITS = {
  entries: 1_000_000,
  frames: 5_000_000,
  /** One message or body. */
  stringChars: 64 * 1024 * 1024,
  urlChars: 64 * 1024,
  notes: 50,
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
/** Reads an own property only: a key named `__proto__` or `constructor` in the file is plain data, never inherited. */
const own = (o: Json, key: string): unknown => (Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * Raw frames from a HAR 1.2 document as Chrome's DevTools (and Playwright's `recordHar`) write it: WebSocket
 * messages in `_webSocketMessages` (time in epoch seconds, opcode 1 text / 2 binary as base64), polling bodies in
 * `request.postData.text` and `response.content.text`. Only Engine.IO URLs are read; frames come out in time order
 * with a fresh `seq`. The document is untrusted: every field is checked, nothing of it is merged into an object,
 * sizes are capped (`HAR_LIMITS`), and `onProgress` hears how many entries are done.
 */
export function framesFromHar(doc: unknown, onProgress?: (done: number, total: number) => void): HarReadResult | Failure {
  if (!isObject(doc)) return new Failure('not a HAR file: the document is not a JSON object');
  const log = own(doc, 'log');
  if (!isObject(log)) return new Failure('not a HAR file: no "log" object');
  const entries = own(log, 'entries');
  if (!Array.isArray(entries)) return new Failure('not a HAR file: no log.entries array');
  if (entries.length > HAR_LIMITS.entries) return new Failure(`HAR has ${entries.length.toLocaleString('en')} entries; the limit is ${HAR_LIMITS.entries.toLocaleString('en')}`);
  const frames: RawFrame[] = [];
  const notes = new Notes();
  let engineIo = 0;
  for (let index = 0; index < entries.length; index++) {
    if (onProgress && index % 1000 === 0) onProgress(index, entries.length);
    const entry: unknown = entries[index];
    const request = isObject(entry) ? own(entry, 'request') : undefined;
    const url = isObject(request) ? own(request, 'url') : undefined;
    if (!isObject(entry) || !isObject(request) || typeof url !== 'string') {
      notes.add(`entry ${index}: no request URL`);
      continue;
    }
    if (!isEngineIoUrl(url)) continue;
    engineIo++;
    if (url.length > HAR_LIMITS.urlChars) {
      notes.add(`entry ${index}: URL longer than ${HAR_LIMITS.urlChars.toLocaleString('en')} characters`);
      continue;
    }
    const startedText = own(entry, 'startedDateTime');
    const started = typeof startedText === 'string' && startedText.length < 64 ? Date.parse(startedText) : NaN;
    if (!Number.isFinite(started)) {
      notes.add(`entry ${index}: bad startedDateTime`);
      continue;
    }
    const conn = `har${index}`;
    const messages = own(entry, '_webSocketMessages');
    if (Array.isArray(messages) || /^wss?:/i.test(url) || /[?&]transport=websocket\b/.test(url)) {
      readWebSocket(Array.isArray(messages) ? messages : [], url, conn, started, frames, notes, index);
    } else {
      readPolling(entry, request, url, conn, started, frames, notes, index);
    }
    if (frames.length > HAR_LIMITS.frames) return new Failure(`HAR holds more than ${HAR_LIMITS.frames.toLocaleString('en')} frames, the limit`);
  }
  if (engineIo === 0) {
    return new Failure(`no Socket.IO traffic in this HAR: none of its ${entries.length.toLocaleString('en')} entries has an Engine.IO URL (EIO=)`);
  }
  onProgress?.(entries.length, entries.length);
  frames.sort(compareFrames);
  frames.forEach((f, i) => (f.seq = i + 1));
  return { frames, skipped: notes.list() };
}

class Notes {
  private readonly notes: string[] = [];
  private more = 0;
  add(note: string): void {
    if (this.notes.length < HAR_LIMITS.notes) this.notes.push(note);
    else this.more++;
  }
  list(): string[] {
    return this.more > 0 ? [...this.notes, `and ${this.more.toLocaleString('en')} more`] : this.notes;
  }
}

function readWebSocket(messages: unknown[], url: string, conn: string, started: number, frames: RawFrame[], notes: Notes, index: number): void {
  const base = { seq: 0, conn, url, transport: 'websocket' as const };
  frames.push({ ...base, t: started, dir: 'out', kind: 'open' });
  let bad = 0;
  let long = 0;
  for (const m of messages) {
    if (!isObject(m)) {
      bad++;
      continue;
    }
    const type = own(m, 'type');
    const time = own(m, 'time');
    const data = own(m, 'data');
    const opcode = own(m, 'opcode');
    if ((type !== 'send' && type !== 'receive') || !isTime(time) || typeof data !== 'string' || (opcode !== 1 && opcode !== 2)) {
      bad++;
      continue;
    }
    if (data.length > HAR_LIMITS.stringChars) {
      long++;
      continue;
    }
    frames.push({ ...base, t: time * 1000, dir: type === 'send' ? 'out' : 'in', kind: 'message', opcode: opcode === 2 ? 'binary' : 'text', data });
  }
  if (bad > 0) notes.add(`entry ${index}: ${bad} malformed WebSocket message(s)`);
  if (long > 0) notes.add(`entry ${index}: ${long} WebSocket message(s) over ${HAR_LIMITS.stringChars.toLocaleString('en')} characters`);
}

function readPolling(entry: Json, request: Json, url: string, conn: string, started: number, frames: RawFrame[], notes: Notes, index: number): void {
  const responseValue = own(entry, 'response');
  const response = isObject(responseValue) ? responseValue : {};
  const methodValue = own(request, 'method');
  const method = typeof methodValue === 'string' && methodValue.length <= 16 ? methodValue : 'GET';
  const base = { seq: 0, conn, url, transport: 'polling' as const };
  const postDataValue = own(request, 'postData');
  const postData = isObject(postDataValue) ? postDataValue : {};
  const sent = bodyOf(own(postData, 'text'), own(postData, '_encoding') === 'base64' ? own(postData, '_encoding') : undefined, own(postData, 'mimeType'));
  if (sent === 'too long') return notes.add(`entry ${index}: request body over ${HAR_LIMITS.stringChars.toLocaleString('en')} characters`);
  frames.push({ ...base, t: started, dir: 'out', kind: 'request', method, ...sent });
  const contentValue = own(response, 'content');
  const content = isObject(contentValue) ? contentValue : {};
  const time = own(entry, 'time');
  const duration = isTime(time) ? time : 0;
  const statusValue = own(response, 'status');
  const status = typeof statusValue === 'number' && Number.isInteger(statusValue) ? statusValue : 0;
  if (status <= 0) return; // never answered: a long-poll cut off by the page's unload, for one
  const received = bodyOf(own(content, 'text'), own(content, 'encoding'), own(content, 'mimeType'));
  if (received === 'too long') return notes.add(`entry ${index}: response body over ${HAR_LIMITS.stringChars.toLocaleString('en')} characters`);
  frames.push({ ...base, t: started + duration, dir: 'in', kind: 'response', method, status, ...received });
}

function bodyOf(textValue: unknown, encoding: unknown, mimeType: unknown): { data: string; opcode: 'text' | 'binary' } | 'too long' {
  const text = typeof textValue === 'string' ? textValue : '';
  if (text.length > HAR_LIMITS.stringChars) return 'too long';
  if (encoding !== 'base64') return { data: text, opcode: 'text' };
  const mime = typeof mimeType === 'string' ? mimeType : '';
  if (/octet-stream/i.test(mime)) return { data: text, opcode: 'binary' };
  const bytes = base64ToBytes(text);
  return bytes ? { data: utf8Decode(bytes), opcode: 'text' } : { data: text, opcode: 'binary' };
}
