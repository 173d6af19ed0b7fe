import { call, natives } from './natives.ts';

/** What the hook keeps of a body: text as is, bytes as a private copy, or a promise of bytes for a Blob. */
export type CopiedPayload = { opcode: 'text'; data: string } | { opcode: 'binary'; data: ArrayBuffer } | { opcode: 'binary'; pending: Promise<ArrayBuffer> };

/** Copies what a page sends or receives without touching the original (a later change by the page stays its own). */
export function copyPayload(value: unknown): CopiedPayload | undefined {
  if (typeof value === 'string') return { opcode: 'text', data: value };
  if (value instanceof natives.ArrayBuffer) return { opcode: 'binary', data: call(natives.arrayBufferSlice, value, 0) };
  if (natives.isView(value)) {
    const view = value as ArrayBufferView;
    return { opcode: 'binary', data: call(natives.arrayBufferSlice, view.buffer, view.byteOffset, view.byteOffset + view.byteLength) };
  }
  if (value instanceof natives.Blob) return { opcode: 'binary', pending: call(natives.blobArrayBuffer, value) };
  return undefined;
}
