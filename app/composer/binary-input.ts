// Binary arguments as the user gives them: hex or base64 text, or a file's bytes.
import { base64ToBytes } from '../../protocol/bytes.ts';

/** The largest binary argument the composer accepts (the usual server maxHttpBufferSize is 1 MB). */
export const BINARY_MAX_BYTES = 16 * 1024 * 1024;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** `de ad be ef`, `deadbeef`, `0xde,0xad`: pairs of hex digits, separators and `0x` prefixes ignored. */
export function parseHex(text: string): Parsed<Uint8Array> {
  const digits = text.replace(/0x/gi, '').replace(/[\s,:;-]/g, '');
  const bad = /[^0-9a-f]/i.exec(digits);
  if (bad) return { ok: false, error: `hex: "${bad[0]}" is not a hex digit` };
  if (digits.length % 2 !== 0) return { ok: false, error: `hex: odd number of digits (${digits.length}); each byte is two` };
  if (digits.length / 2 > BINARY_MAX_BYTES) return { ok: false, error: `hex: more than ${BINARY_MAX_BYTES} bytes` };
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  return { ok: true, value: bytes };
}

/** Standard or URL-safe base64, padding optional, whitespace ignored. */
export function parseBase64(text: string): Parsed<Uint8Array> {
  let clean = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (clean.length * 0.75 > BINARY_MAX_BYTES + 3) return { ok: false, error: `base64: more than ${BINARY_MAX_BYTES} bytes` };
  if (clean.length % 4 === 1) return { ok: false, error: 'base64: wrong length (one character too many or too few)' };
  while (clean.length % 4 !== 0) clean += '=';
  const bytes = base64ToBytes(clean);
  return bytes ? { ok: true, value: bytes } : { ok: false, error: 'base64: not valid base64 (A-Z a-z 0-9 + / =)' };
}

export function checkFileSize(size: number): string | undefined {
  return size > BINARY_MAX_BYTES ? `file: ${size} bytes, over the ${BINARY_MAX_BYTES}-byte limit` : undefined;
}
