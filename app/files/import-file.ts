// Reads a file the user hands in (a HAR from Chrome's DevTools or Playwright, or a Sockscope session) into raw
// frames: the whole check happens here, before anything is written. Runs in the import worker.
import { Failure, parseJson } from '../../protocol/failure.ts';
import { framesFromHar } from '../../protocol/har.ts';
import type { RawFrame } from '../../protocol/types.ts';
import { documentToSession, SESSION_FORMAT, type SessionFileInfo } from './session-json.ts';

/** Larger files are refused before they are read. */
export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;

export type ImportProgress = { phase: 'reading' | 'parsing' | 'checking' | 'writing'; done: number; total: number };

export interface ImportedFile {
  kind: 'har' | 'sockscope';
  info: SessionFileInfo;
  frames: RawFrame[];
  /** What was skipped, for the user to see. */
  notes: string[];
}

export function importText(text: string, fileName: string, onProgress: (p: ImportProgress) => void = () => undefined): ImportedFile | Failure {
  const head = text.slice(0, 512).trimStart();
  if (head === '') return new Failure(`${fileName}: the file is empty`);
  if (head.startsWith('<')) return new Failure(`${fileName}: this is HTML or XML, not a HAR or Sockscope session file`);
  if (!head.startsWith('{')) return new Failure(`${fileName}: not a JSON document (a HAR or Sockscope session file starts with "{")`);
  onProgress({ phase: 'parsing', done: 0, total: 1 });
  const doc = parseJson(text);
  if (doc instanceof Failure) return new Failure(`${fileName}: ${doc.reason}`);
  onProgress({ phase: 'parsing', done: 1, total: 1 });
  const check = (done: number, total: number) => onProgress({ phase: 'checking', done, total });
  const isSession = doc !== null && typeof doc === 'object' && Object.prototype.hasOwnProperty.call(doc, 'format');
  if (isSession && (doc as { format: unknown }).format === SESSION_FORMAT) {
    const session = documentToSession(doc, check);
    if (session instanceof Failure) return new Failure(`${fileName}: ${session.reason}`);
    if (session.frames.length === 0) return new Failure(`${fileName}: the session holds no frames`);
    return { kind: 'sockscope', info: { ...session.info, name: session.info.name || fileName }, frames: session.frames, notes: [] };
  }
  const har = framesFromHar(doc, check);
  if (har instanceof Failure) return new Failure(`${fileName}: ${har.reason}`);
  if (har.frames.length === 0) return new Failure(`${fileName}: no frames could be read (${har.skipped.join('; ')})`);
  const first = har.frames[0].t;
  const last = har.frames[har.frames.length - 1].t;
  return { kind: 'har', info: { name: fileName, pageUrl: pageUrlOf(doc) ?? har.frames[0].url, startedAt: first, endedAt: last }, frames: har.frames, notes: har.skipped };
}

function pageUrlOf(doc: unknown): string | undefined {
  const pages = (doc as { log?: { pages?: unknown } }).log?.pages;
  const title = Array.isArray(pages) ? (pages[0] as { title?: unknown } | undefined)?.title : undefined;
  return typeof title === 'string' && /^https?:\/\//.test(title) ? title.slice(0, 2000) : undefined;
}
