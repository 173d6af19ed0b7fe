import type { SioEntry } from '../../protocol/types.ts';

const MAX_DEPTH = 200;
const INDENT = '  ';

/** A JavaScript literal for a decoded value: JSON, with binary as `new Uint8Array([...])`. */
export function toLiteral(value: unknown, depth = 0): string {
  if (depth > MAX_DEPTH) throw new RangeError(`nested deeper than ${MAX_DEPTH} levels`);
  if (value instanceof Uint8Array) return `new Uint8Array([${Array.from(value).join(', ')}])`;
  if (value instanceof Date) return `new Date(${JSON.stringify(value.toISOString())})`;
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const pad = INDENT.repeat(depth + 1);
    return `[\n${value.map((v) => pad + toLiteral(v, depth + 1)).join(',\n')}\n${INDENT.repeat(depth)}]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return '{}';
    const pad = INDENT.repeat(depth + 1);
    // A literal `"__proto__": v` would set the prototype; the computed form makes the own key the wire carried.
    const key = (k: string) => (k === '__proto__' ? '["__proto__"]' : JSON.stringify(k));
    const body = keys.map((k) => `${pad}${key(k)}: ${toLiteral(Object.getOwnPropertyDescriptor(value, k)?.value, depth + 1)}`);
    return `{\n${body.join(',\n')}\n${INDENT.repeat(depth)}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The client call that sends this event again: `socket.emit(name, ...args)`, with an ack callback when the
 * original asked for one, on the namespace's socket.
 */
export function emitCode(entry: SioEntry, args: unknown[]): string {
  const socket = entry.ns === '/' ? 'socket' : `io(${JSON.stringify(entry.ns)})`;
  const parts = [toLiteral(entry.event), ...args.map((a) => toLiteral(a))];
  if (entry.id !== undefined) parts.push('(...response) => {\n  console.log(response);\n}');
  const oneLine = parts.every((p) => !p.includes('\n')) && parts.join(', ').length < 80;
  return oneLine ? `${socket}.emit(${parts.join(', ')});` : `${socket}.emit(\n${parts.map((p) => INDENT + p.replace(/\n/g, '\n' + INDENT)).join(',\n')}\n);`;
}
