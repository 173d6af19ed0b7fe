// Sockscope's own session file: a versioned document with the session's description and its raw frames as-is.
import { Failure } from '../../protocol/failure.ts';
import { toRawFrame } from '../../protocol/raw-frame.ts';
import type { RawFrame } from '../../protocol/types.ts';

export const SESSION_FORMAT = 'sockscope-session';
export const SESSION_VERSION = 1;
export const SESSION_LIMITS = { frames: 5_000_000, nameChars: 500 };

export interface SessionFileInfo {
  name: string;
  pageUrl: string;
  startedAt: number;
  endedAt: number;
}

export interface SessionDocument {
  format: typeof SESSION_FORMAT;
  version: typeof SESSION_VERSION;
  exportedAt: string;
  session: SessionFileInfo;
  frames: RawFrame[];
}

export function sessionToDocument(info: SessionFileInfo, frames: RawFrame[]): SessionDocument {
  return { format: SESSION_FORMAT, version: SESSION_VERSION, exportedAt: new Date().toISOString(), session: { ...info }, frames };
}

const own = (o: object, key: string): unknown => (Object.prototype.hasOwnProperty.call(o, key) ? (o as Record<string, unknown>)[key] : undefined);
const isObject = (v: unknown): v is object => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Checks an untrusted session document; every frame is checked and copied field by field (`toRawFrame`). */
export function documentToSession(doc: unknown, onProgress?: (done: number, total: number) => void): { info: SessionFileInfo; frames: RawFrame[] } | Failure {
  if (!isObject(doc) || own(doc, 'format') !== SESSION_FORMAT) return new Failure('not a Sockscope session file: "format" is not "sockscope-session"');
  const version = own(doc, 'version');
  if (version !== SESSION_VERSION) return new Failure(`Sockscope session file version ${JSON.stringify(version)?.slice(0, 20)} is not supported (this build reads version ${SESSION_VERSION})`);
  const session = own(doc, 'session');
  const list = own(doc, 'frames');
  if (!isObject(session)) return new Failure('Sockscope session file: no "session" object');
  if (!Array.isArray(list)) return new Failure('Sockscope session file: no "frames" array');
  if (list.length > SESSION_LIMITS.frames) return new Failure(`Sockscope session file has ${list.length.toLocaleString('en')} frames; the limit is ${SESSION_LIMITS.frames.toLocaleString('en')}`);
  const text = (key: string) => {
    const v = own(session, key);
    return typeof v === 'string' ? v.slice(0, SESSION_LIMITS.nameChars) : '';
  };
  const time = (key: string) => {
    const v = own(session, key);
    return typeof v === 'number' && Number.isFinite(v) ? v : 0;
  };
  const frames: RawFrame[] = [];
  for (let i = 0; i < list.length; i++) {
    if (onProgress && i % 10_000 === 0) onProgress(i, list.length);
    const frame = toRawFrame(list[i]);
    if (frame instanceof Failure) return new Failure(`Sockscope session file: frame ${i}: ${frame.reason}`);
    frames.push(frame);
  }
  onProgress?.(list.length, list.length);
  return { info: { name: text('name'), pageUrl: text('pageUrl'), startedAt: time('startedAt'), endedAt: time('endedAt') }, frames };
}
