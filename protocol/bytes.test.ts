import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, utf8Length, utf8LengthPortable } from './bytes.ts';

const encoded = (s: string) => new TextEncoder().encode(s).length;

describe('utf8Length', () => {
  it.each([
    ['', 0],
    ['a', 1],
    ['é', 2],
    ['日本語', 9],
    ['😀', 4],
    ['\ud800', 3],
    ['\udc00x', 4],
    ['a\ud83d', 4],
    ['x'.repeat(30) + '😀\ud800', 37],
  ])('%j is %i bytes, in Node and in the portable path', (text, bytes) => {
    expect(utf8Length(text)).toBe(bytes);
    expect(utf8LengthPortable(text)).toBe(bytes);
  });

  it('agrees with TextEncoder on any string, short and long (lone surrogates included)', () => {
    const unit = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)) }));
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        const bytes = encoded(text);
        return utf8Length(text) === bytes && utf8LengthPortable(text) === bytes;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('base64', () => {
  it('round-trips any bytes, through the native and the portable decoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const back = base64ToBytes(bytesToBase64(bytes));
        return back !== null && back.length === bytes.length && back.every((b, i) => b === bytes[i]);
      }),
    );
  });

  it('refuses what strict base64 refuses', () => {
    expect(base64ToBytes('a')).toBeNull();
    expect(base64ToBytes('ab=c')).toBeNull();
    expect(base64ToBytes('abc===')).toBeNull();
    expect(base64ToBytes('ab\ncd'.repeat(40))).toBeNull();
  });
});
