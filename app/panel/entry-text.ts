import { Failure } from '../../protocol/failure.ts';
import { stringifyValue } from '../../protocol/json-output.ts';
import { materialize } from '../../protocol/tracker/tracker.ts';
import type { DecodedEntry } from '../../protocol/types.ts';

const PREVIEW_CHARS = 160;

/** A one-line preview of an entry's payload, cut short; arguments are parsed only for rows that are shown. */
export function previewOf(entry: DecodedEntry): string {
  let text: string;
  if (entry.layer === 'error') text = `${entry.error}: ${entry.raw}`;
  else if (entry.layer === 'eio') text = entry.data === undefined ? '' : stringifyValue(entry.data);
  else if (entry.type === 'event' || entry.type === 'ack') {
    const args = materialize(entry);
    text = args instanceof Failure ? `⚠ ${args.reason}` : stringifyValue(args).slice(1, -1);
  } else text = entry.data === undefined ? '' : stringifyValue(entry.data);
  return text.length > PREVIEW_CHARS ? text.slice(0, PREVIEW_CHARS) + '…' : text;
}

export function typeOf(entry: DecodedEntry): string {
  return entry.layer === 'error' ? 'error' : entry.layer === 'eio' ? `engine ${entry.type}` : entry.type;
}

export function nameOf(entry: DecodedEntry): string {
  if (entry.layer !== 'sio') return '';
  return entry.event === undefined ? '' : String(entry.event);
}
