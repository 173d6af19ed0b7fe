import { Failure } from '../../protocol/failure.ts';
import { stringifyValue } from '../../protocol/json-output.ts';
import { materialize } from '../../protocol/tracker/tracker.ts';
import type { DecodedEntry, SioEntry } from '../../protocol/types.ts';

const PREVIEW_CHARS = 200;

export type TimeMode = 'absolute' | 'previous' | 'connection';

const previews = new WeakMap<DecodedEntry, string>();

/** A one-line preview of the payload, cut short; arguments are parsed only for rows on screen, once. */
export function previewOf(entry: DecodedEntry): string {
  let text = previews.get(entry);
  if (text === undefined) {
    text = preview(entry);
    previews.set(entry, text);
  }
  return text;
}

function preview(entry: DecodedEntry): string {
  let text: string;
  if (entry.layer === 'error') text = `${entry.error}: ${entry.raw}`;
  else if (entry.layer === 'eio') text = entry.data === undefined ? '' : typeof entry.data === 'string' ? entry.data : stringifyValue(entry.data);
  else if (entry.type === 'event' || entry.type === 'ack') {
    const args = materialize(entry);
    text = args instanceof Failure ? `⚠ ${args.reason}` : args.length === 0 ? '' : stringifyValue(args).slice(1, -1);
  } else text = entry.data === undefined ? '' : stringifyValue(entry.data);
  return text.length > PREVIEW_CHARS ? text.slice(0, PREVIEW_CHARS) + '…' : text;
}

/**
 * Whether a row shows as an error: a frame that could not be decoded, or an entry whose arguments turned out
 * malformed. The latter is known only once the arguments are parsed (lazy mode), which the row's preview does.
 */
export function isErrorRow(entry: DecodedEntry): boolean {
  if (entry.layer === 'error') return true;
  if (entry.layer !== 'sio') return false;
  previewOf(entry);
  return entry.invalid !== undefined;
}

export function typeOf(entry: DecodedEntry): string {
  if (entry.layer === 'error') return 'error';
  return entry.type.replace('_', ' ');
}

export function nameOf(entry: DecodedEntry): string {
  return entry.layer === 'sio' && entry.event !== undefined ? String(entry.event) : '';
}

export function formatTime(t: number, mode: TimeMode, previous: number | undefined, connectionStart: number | undefined): string {
  if (mode === 'absolute') return new Date(t).toISOString().slice(11, 23);
  const origin = mode === 'previous' ? previous : connectionStart;
  return origin === undefined ? '0.000' : `+${((t - origin) / 1000).toFixed(3)}`;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** "12 ms", "no answer yet", "timed out" for an event that asked for an ack; the latency on the ack itself. */
export function latencyOf(entry: DecodedEntry, log: readonly DecodedEntry[], now: number, timeoutMs: number): string {
  if (entry.layer !== 'sio' || entry.id === undefined) return '';
  if (entry.type === 'ack') return entry.latency === undefined ? '' : `${entry.latency.toFixed(1)} ms`;
  if (entry.type !== 'event') return '';
  if (entry.ackedBy !== undefined) return `${(log[entry.ackedBy] as SioEntry).latency?.toFixed(1)} ms`;
  return now - entry.t > timeoutMs ? 'timed out' : 'no answer yet';
}
