// Base64 and UTF-8 helpers that run the same in Node and in the browser.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE_TABLE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE_TABLE[ALPHABET.charCodeAt(i)] = i;
DECODE_TABLE['-'.charCodeAt(0)] = 62; // base64url
DECODE_TABLE['_'.charCodeAt(0)] = 63;

// Native decoders, where the platform has one: several times faster than the loop below on attachments. Both are
// lenient (whitespace, the other alphabet, bad characters skipped), so their output must have the exact length
// that strict base64 of this text has, or the loop decides.
const nativeFromBase64 = (Uint8Array as unknown as { fromBase64?: (text: string) => Uint8Array }).fromBase64;
const NodeBuffer = (globalThis as { Buffer?: { from(text: string, encoding: 'base64'): Uint8Array } }).Buffer;

function nativeBase64(text: string, expected: number): Uint8Array | null {
  try {
    if (nativeFromBase64) {
      const bytes = nativeFromBase64(text);
      return bytes.length === expected ? bytes : null;
    }
    if (NodeBuffer) {
      const bytes = NodeBuffer.from(text, 'base64');
      return bytes.length === expected ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : null;
    }
  } catch {
    // the alphabet it does not take: the loop reads both
  }
  return null;
}

/** Decodes standard or URL-safe base64, padded or not; returns null on any other character. */
export function base64ToBytes(text: string): Uint8Array | null {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) end--;
  if (text.length - end > 2 || end % 4 === 1) return null;
  const expected = (end * 3) >> 2;
  if (end >= 64) {
    const fast = nativeBase64(text, expected);
    if (fast) return fast;
  }
  const out = new Uint8Array(expected);
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? DECODE_TABLE[c] : -1;
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  if (i < bytes.length) {
    const n = (bytes[i] << 16) | ((i + 1 < bytes.length ? bytes[i + 1] : 0) << 8);
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63];
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] + '=' : '==';
  }
  return out;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });
let scratch = new Uint8Array(4096);
const nodeByteLength = (globalThis as { Buffer?: { byteLength(text: string, encoding: 'utf8'): number } }).Buffer?.byteLength;

/**
 * UTF-8 byte length of a string as an encoder writes it (a lone surrogate becomes U+FFFD, 3 bytes). Node counts
 * without encoding; the browser's `encodeInto` costs a binding call, which a loop beats only on short strings.
 */
export const utf8Length: (text: string) => number = nodeByteLength ? (text) => nodeByteLength(text, 'utf8') : utf8LengthPortable;

/** `utf8Length` where there is no Buffer (the browser); exported for tests. */
export function utf8LengthPortable(text: string): number {
  if (text.length < 24) {
    let n = text.length;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x80) continue;
      if (c < 0x800) n += 1;
      else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        n += 2; // a pair: 4 bytes for 2 code units
        i++;
      } else n += 2; // other BMP characters, and a lone surrogate (U+FFFD)
    }
    return n;
  }
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
  return encoder.encodeInto(text, scratch).written;
}

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

export function utf8Decode(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 that must be well formed: null instead of U+FFFD replacements. */
export function utf8DecodeStrict(bytes: Uint8Array): string | null {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return null;
  }
}
