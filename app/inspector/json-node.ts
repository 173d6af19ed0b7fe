import { bytesToBase64 } from '../../protocol/bytes.ts';

/** Children shown at a time under one node; the rest are one click away, a page at a time. */
export const PAGE = 100;
/** Characters of a string shown before "show all". */
export const STRING_PREVIEW = 500;

export type JsonKind = 'object' | 'array' | 'binary' | 'string' | 'number' | 'boolean' | 'null' | 'undefined' | 'date' | 'other';

export function kindOf(value: unknown): JsonKind {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (value instanceof Uint8Array) return 'binary';
  if (value instanceof Date) return 'date';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'object':
      return 'object';
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'other';
  }
}

/** Own enumerable keys, `__proto__` included (JSON.parse makes it an own property); never walks the prototype. */
export function childKeys(value: unknown): (string | number)[] {
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, i) => i);
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) return Object.keys(value);
  return [];
}

/** Reads an own property even when its key is `__proto__`. */
export function childAt(value: unknown, key: string | number): unknown {
  return Object.getOwnPropertyDescriptor(value as object, key)?.value;
}

/** One line for a collapsed value: `Array(3)`, `{a, b, …}`, a quoted string cut short. */
export function summary(value: unknown): string {
  const kind = kindOf(value);
  switch (kind) {
    case 'array':
      return `Array(${(value as unknown[]).length})`;
    case 'object': {
      const keys = Object.keys(value as object);
      const shown = keys.slice(0, 5).join(', ');
      return `{${shown}${keys.length > 5 ? ', …' : ''}}`;
    }
    case 'binary':
      return `<${(value as Uint8Array).length} bytes>`;
    case 'string': {
      const text = value as string;
      return JSON.stringify(text.length > STRING_PREVIEW ? text.slice(0, STRING_PREVIEW) : text) + (text.length > STRING_PREVIEW ? '…' : '');
    }
    case 'date':
      return (value as Date).toISOString();
    default:
      return String(value);
  }
}

/** Hex and ASCII, 16 bytes a line, like a hex editor; `limit` bytes at most. */
export function hexDump(bytes: Uint8Array, limit = 4096): string[] {
  const lines: string[] = [];
  const end = Math.min(bytes.length, limit);
  for (let offset = 0; offset < end; offset += 16) {
    const chunk = bytes.subarray(offset, Math.min(offset + 16, end));
    const hex = Array.from(chunk, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(chunk, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines;
}

export function base64Of(bytes: Uint8Array): string {
  return bytesToBase64(bytes);
}
