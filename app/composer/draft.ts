// What the composer saves (templates, history) and reads back: checked field by field on the way in, since
// storage is shared with whatever else runs in the extension's origin and may hold anything.
import type { ArgInput, ArgKind } from './args.ts';
import type { EmitTarget } from './sender.ts';

export interface SavedArg {
  kind: Exclude<ArgKind, 'file'>;
  text: string;
}

export interface Draft {
  target: EmitTarget;
  ns: string;
  event: string;
  args: SavedArg[];
  ack: boolean;
  timeoutMs: number;
}

export const DRAFT_TEXT_MAX = 1024 * 1024;
export const TIMEOUT_MIN_MS = 100;
export const TIMEOUT_MAX_MS = 600_000;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const shortText = (v: unknown, max = DRAFT_TEXT_MAX): v is string => typeof v === 'string' && v.length <= max;

export function readDraft(v: unknown): Draft | undefined {
  if (!isRecord(v)) return undefined;
  if (v.target !== 'server' && v.target !== 'page') return undefined;
  if (!shortText(v.ns, 1024) || !shortText(v.event, 1024) || typeof v.ack !== 'boolean') return undefined;
  if (typeof v.timeoutMs !== 'number' || !(v.timeoutMs >= TIMEOUT_MIN_MS && v.timeoutMs <= TIMEOUT_MAX_MS)) return undefined;
  if (!Array.isArray(v.args) || v.args.length > 64) return undefined;
  const args: SavedArg[] = [];
  for (const a of v.args) {
    if (!isRecord(a) || (a.kind !== 'json' && a.kind !== 'hex' && a.kind !== 'base64') || !shortText(a.text)) return undefined;
    args.push({ kind: a.kind, text: a.text });
  }
  return { target: v.target, ns: v.ns, event: v.event, args, ack: v.ack, timeoutMs: v.timeoutMs };
}

/** A file argument is kept as base64 (its bytes, not its name). */
export function toSavedArg(input: ArgInput, base64Of: (bytes: Uint8Array) => string): SavedArg {
  if (input.kind === 'file') return { kind: 'base64', text: input.bytes ? base64Of(input.bytes) : '' };
  return { kind: input.kind, text: input.text };
}
