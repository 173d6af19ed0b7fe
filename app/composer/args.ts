// The composer's arguments: each one JSON, or binary given as hex, base64 or a file. Every problem is reported
// against its argument before anything is encoded.
import { checkFileSize, parseBase64, parseHex, type Parsed } from './binary-input.ts';

/** `{"$binary":"<base64>"}` (how Sockscope writes binary in JSON) becomes bytes, at any depth. */
function reviveBinary(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== '$binary') return value;
  const base64 = (value as { $binary: unknown }).$binary;
  const bytes = typeof base64 === 'string' ? parseBase64(base64) : undefined;
  if (!bytes?.ok) throw new SyntaxError('a {"$binary": ...} value must hold base64');
  return bytes.value;
}

export type ArgKind = 'json' | 'hex' | 'base64' | 'file';

export interface ArgInput {
  kind: ArgKind;
  /** JSON, hex or base64 text; for a file, its name. */
  text: string;
  /** A file's bytes, once read. */
  bytes?: Uint8Array;
}

export const ARGS_MAX = 64;

/** JSON.parse with a message that says where: line and column of the position the engine reports. */
export function parseJson(text: string): Parsed<unknown> {
  if (text.trim() === '') return { ok: false, error: 'JSON: empty (write null for a null argument)' };
  try {
    return { ok: true, value: JSON.parse(text, reviveBinary) };
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    if (!at) return { ok: false, error: `JSON: ${message}` };
    const position = Number(at[1]);
    const before = text.slice(0, position).split('\n');
    return { ok: false, error: `JSON: ${message.replace(/ in JSON at position \d+.*$/, '')} (line ${before.length}, column ${before[before.length - 1].length + 1})` };
  }
}

export function parseArg(input: ArgInput): Parsed<unknown> {
  switch (input.kind) {
    case 'json':
      return parseJson(input.text);
    case 'hex':
      return parseHex(input.text);
    case 'base64':
      return parseBase64(input.text);
    case 'file': {
      if (!input.bytes) return { ok: false, error: 'file: choose a file' };
      const tooBig = checkFileSize(input.bytes.length);
      return tooBig ? { ok: false, error: tooBig } : { ok: true, value: input.bytes };
    }
  }
}

export interface ParsedArgs {
  values: unknown[];
  /** One entry per input: its error, or undefined. */
  errors: (string | undefined)[];
  /** What is wrong with the list as a whole. */
  problem?: string;
  ok: boolean;
}

export function parseArgs(inputs: readonly ArgInput[]): ParsedArgs {
  const values: unknown[] = [];
  const errors: (string | undefined)[] = [];
  for (const input of inputs) {
    const parsed = parseArg(input);
    errors.push(parsed.ok ? undefined : parsed.error);
    values.push(parsed.ok ? parsed.value : undefined);
  }
  const problem = inputs.length > ARGS_MAX ? `at most ${ARGS_MAX} arguments (there are ${inputs.length})` : undefined;
  return { values, errors, problem, ok: problem === undefined && errors.every((e) => e === undefined) };
}
