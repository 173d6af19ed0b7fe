// "Edit and resend": a logged event as a composer draft. Binary at the top level becomes a base64 argument; nested
// binary stays in the JSON as {"$binary": "<base64>"}, which the composer reads back as bytes.
import { bytesToBase64 } from '../../protocol/bytes.ts';
import { stringifyValue } from '../../protocol/json-output.ts';
import type { SioEntry } from '../../protocol/types.ts';
import type { SavedArg } from './draft.ts';
import type { EmitTarget } from './sender.ts';

export interface ComposerSeed {
  conn?: string;
  ns?: string;
  event?: string;
  args?: SavedArg[];
  target?: EmitTarget;
  ack?: boolean;
}

export function argToSaved(value: unknown): SavedArg {
  if (value instanceof Uint8Array) return { kind: 'base64', text: bytesToBase64(value) };
  if (value instanceof ArrayBuffer) return { kind: 'base64', text: bytesToBase64(new Uint8Array(value)) };
  return { kind: 'json', text: stringifyValue(value) };
}

/** An event sent by the page goes back to the server; one the page received is fired at the page again. */
export function seedFromEntry(entry: SioEntry, args: readonly unknown[]): ComposerSeed {
  return {
    conn: entry.conn,
    ns: entry.ns,
    event: entry.event === undefined ? '' : String(entry.event),
    args: args.map(argToSaved),
    target: entry.dir === 'out' ? 'server' : 'page',
    ack: entry.dir === 'out' && entry.id !== undefined,
  };
}

/** Event names seen in the last `window` entries, most recent first, at most `max`. */
export function recentEventNames(entries: readonly { layer: string; event?: string | number }[], window = 5000, max = 100): string[] {
  const names = new Set<string>();
  for (let i = entries.length - 1; i >= 0 && i >= entries.length - window && names.size < max; i--) {
    const e = entries[i];
    if (e.layer === 'sio' && e.event !== undefined) names.add(String(e.event));
  }
  return [...names];
}
