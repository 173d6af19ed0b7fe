import { bytesToBase64 } from './bytes.ts';
import type { DecodedEntry } from './types.ts';

/** Binary values are written as `{"$binary":"<base64>"}`. */
function binaryReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return { $binary: bytesToBase64(value) };
  if (value instanceof ArrayBuffer) return { $binary: bytesToBase64(new Uint8Array(value)) };
  return value;
}

/**
 * JSON text of any decoded value, binary included, at any depth: V8's JSON.stringify recurses and overflows the
 * stack at a few thousand levels, which a hostile payload reaches easily, so deep values take an iterative path.
 */
export function stringifyValue(value: unknown): string {
  try {
    return JSON.stringify(value, binaryReplacer) ?? 'null';
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return stringifyIteratively(value);
  }
}

type Frame = { kind: 'array'; items: unknown[]; i: number } | { kind: 'object'; entries: [string, unknown][]; i: number; wrote: boolean };

function stringifyIteratively(root: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  const open = (value: unknown, inArray: boolean): void => {
    if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function' && !(value instanceof Uint8Array))
      value = (value as { toJSON(): unknown }).toJSON();
    value = binaryReplacer('', value);
    if (Array.isArray(value)) {
      out.push('[');
      stack.push({ kind: 'array', items: value, i: 0 });
    } else if (value !== null && typeof value === 'object') {
      out.push('{');
      stack.push({ kind: 'object', entries: Object.entries(value), i: 0, wrote: false });
    } else {
      const text = JSON.stringify(value);
      out.push(text === undefined ? (inArray ? 'null' : '') : text);
    }
  };
  open(root, true);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.kind === 'array') {
      if (top.i >= top.items.length) {
        out.push(']');
        stack.pop();
        continue;
      }
      if (top.i > 0) out.push(',');
      open(top.items[top.i++], true);
    } else {
      if (top.i >= top.entries.length) {
        out.push('}');
        stack.pop();
        continue;
      }
      const [key, value] = top.entries[top.i++];
      if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
      if (top.wrote) out.push(',');
      top.wrote = true;
      out.push(JSON.stringify(key), ':');
      open(value, false);
    }
  }
  return out.join('');
}

/** One line of the decoded log, as the `decode` CLI prints it. */
export function entryToJsonLine(entry: DecodedEntry): string {
  const { pending: _pending, ...rest } = entry as DecodedEntry & { pending?: unknown };
  return stringifyValue(rest);
}
