// `npm run --silent decode -- <file>`: a HAR file or JSON lines of raw frames in, the decoded log out as JSON lines.
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Failure } from '../failure.ts';
import { framesFromHar } from '../har.ts';
import { entryToJsonLine } from '../json-output.ts';
import { compareFrames, toRawFrame } from '../raw-frame.ts';
import { Tracker } from '../tracker/tracker.ts';
import type { DecodedEntry, RawFrame } from '../types.ts';

class UsageError extends Error {}

async function readFrames(path: string): Promise<RawFrame[]> {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new UsageError(`${path} is not a file`);
    size = stat.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (size === 0) throw new UsageError(`${path} is empty`);
  const head = readHead(path, 4096).trimStart();
  if (!head.startsWith('{') && !head.startsWith('[')) throw new UsageError(`${path} is neither a HAR file nor JSON lines of raw frames`);
  return looksLikeJsonLines(head) ? readJsonLines(path) : readJsonDocument(path);
}

function readHead(path: string, bytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.toString('utf8', 0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

function looksLikeJsonLines(head: string): boolean {
  const firstLine = head.split('\n', 1)[0];
  try {
    const value = JSON.parse(firstLine) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) && 'kind' in value;
  } catch {
    return false;
  }
}

function readJsonDocument(path: string): RawFrame[] {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (Array.isArray(doc)) return validFrames(doc.map((v, i) => [i + 1, v]));
  const har = framesFromHar(doc);
  if (har instanceof Failure) throw new UsageError(`${path}: ${har.reason}`);
  for (const why of har.skipped) process.stderr.write(`decode: skipped ${why}\n`);
  return har.frames;
}

async function readJsonLines(path: string): Promise<RawFrame[]> {
  const lines: [number, unknown][] = [];
  let n = 0;
  const bad: number[] = [];
  for await (const line of createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity })) {
    n++;
    if (line.trim() === '') continue;
    try {
      lines.push([n, JSON.parse(line)]);
    } catch {
      bad.push(n);
    }
  }
  if (bad.length > 0) process.stderr.write(`decode: skipped ${bad.length} line(s) that are not JSON (first: line ${bad[0]})\n`);
  return validFrames(lines);
}

function validFrames(values: [number, unknown][]): RawFrame[] {
  const frames: RawFrame[] = [];
  for (const [line, value] of values) {
    const frame = toRawFrame(value);
    if (frame instanceof Failure) process.stderr.write(`decode: skipped line ${line}: ${frame.reason}\n`);
    else frames.push(frame);
  }
  if (frames.length === 0 && values.length > 0) throw new UsageError('no raw frames in the file');
  return frames.sort(compareFrames);
}

/** Writes lines in large chunks, waiting when stdout is full. */
async function writeLog(entries: Iterable<DecodedEntry>): Promise<void> {
  let chunk = '';
  for (const entry of entries) {
    chunk += entryToJsonLine(entry) + '\n';
    if (chunk.length > 1 << 20) {
      if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve));
      chunk = '';
    }
  }
  if (chunk) process.stdout.write(chunk);
}

async function main(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0] === '-h' || args[0] === '--help') {
    process.stderr.write('usage: npm run --silent decode -- <capture.har | frames.jsonl>\n');
    return 2;
  }
  const frames = await readFrames(args[0]);
  const tracker = new Tracker();
  for (const frame of frames) tracker.push(frame);
  tracker.finish();
  await writeLog(tracker.log);
  return 0;
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));
main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`decode: ${e instanceof UsageError ? e.message : `unexpected failure: ${(e as Error)?.stack ?? e}`}\n`);
    process.exitCode = 1;
  },
);
