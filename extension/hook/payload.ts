import { call, natives, thenNative } from './natives.ts';

/**
 * What the hook keeps of a body: text as is, bytes as a private copy, or a promise of bytes for a Blob. Every
 * variant has both fields as its own (tested with `pending !== undefined`, not `in`, which would ask the page's
 * Object.prototype).
 */
export type CopiedPayload =
  | { opcode: 'text'; data: string; pending: undefined }
  | { opcode: 'binary'; data: ArrayBuffer; pending: undefined }
  | { opcode: 'binary'; data: undefined; pending: Promise<ArrayBuffer> };

/** A private copy of `length` bytes of `buffer` from `offset` (no species lookup, no page getter). */
function copyBytes(buffer: ArrayBuffer, offset: number, length: number): ArrayBuffer {
  const copy = new natives.Uint8Array(length);
  call(natives.typedArraySet, copy, new natives.Uint8Array(buffer, offset, length));
  return call(natives.typedArrayBuffer, copy) as ArrayBuffer;
}

/** Calls a native getter as a brand check: its value, or `undefined` when `value` is not of that kind. */
function brand(getter: (...args: never[]) => unknown, value: unknown): unknown {
  try {
    return call(getter, value);
  } catch {
    return undefined;
  }
}

/**
 * Copies what a page sends or receives without touching the original (a later change by the page stays its own).
 * Kinds are told apart by native brand checks, never `instanceof`: a page's Proxy body sees no trap from us.
 */
export function copyPayload(value: unknown): CopiedPayload | undefined {
  if (typeof value === 'string') return { opcode: 'text', data: value, pending: undefined };
  if (typeof value !== 'object' || value === null) return undefined;
  if (natives.isView(value)) {
    const typedLength = brand(natives.typedArrayByteLength, value);
    if (typeof typedLength === 'number') {
      return { opcode: 'binary', data: copyBytes(call(natives.typedArrayBuffer, value) as ArrayBuffer, call(natives.typedArrayByteOffset, value) as number, typedLength), pending: undefined };
    }
    const viewLength = call(natives.dataViewByteLength, value) as number;
    return { opcode: 'binary', data: copyBytes(call(natives.dataViewBuffer, value) as ArrayBuffer, call(natives.dataViewByteOffset, value) as number, viewLength), pending: undefined };
  }
  const byteLength = brand(natives.arrayBufferByteLength, value);
  if (typeof byteLength === 'number') return { opcode: 'binary', data: copyBytes(value as ArrayBuffer, 0, byteLength), pending: undefined };
  if (typeof brand(natives.blobSize, value) === 'number') return { opcode: 'binary', data: undefined, pending: call(natives.blobArrayBuffer, value) as Promise<ArrayBuffer> };
  return undefined;
}

/** Settles a reserved frame once a pending body is read, with the native `then`. */
export function whenRead(pending: Promise<ArrayBuffer>, done: (data: ArrayBuffer) => void, failed: () => void): void {
  thenNative(pending, done, failed);
}
