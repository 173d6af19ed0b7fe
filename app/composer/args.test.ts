import { describe, expect, it } from 'vitest';
import { parseArg, parseArgs, parseJson } from './args.ts';
import { BINARY_MAX_BYTES, checkFileSize, parseBase64, parseHex } from './binary-input.ts';

describe('composer arguments', () => {
  it('JSON errors say where (line and column)', () => {
    const bad = parseJson('{\n  "a": 1,\n  "b" 2}');
    expect(bad).toEqual({ ok: false, error: 'JSON: Unexpected number (line 3, column 7)' });
    // Engines do not always give a position; the message is kept as is then.
    expect(parseJson('}')).toMatchObject({ ok: false, error: expect.stringMatching(/^JSON: Unexpected token/) });
    expect(parseJson('  ')).toEqual({ ok: false, error: 'JSON: empty (write null for a null argument)' });
    expect(parseJson('null')).toEqual({ ok: true, value: null });
  });

  it('{"$binary": base64} becomes bytes at any depth; anything else stays JSON', () => {
    const parsed = parseJson('{"a": [{"$binary": "AQID"}], "b": {"$binary": "x", "other": 1}}');
    expect(parsed).toEqual({ ok: true, value: { a: [new Uint8Array([1, 2, 3])], b: { $binary: 'x', other: 1 } } });
    expect(parseJson('{"$binary": "***"}')).toMatchObject({ ok: false, error: expect.stringContaining('$binary') });
    expect(parseJson('{"$binary": 5}')).toMatchObject({ ok: false });
  });

  it('JSON keys from the wire are data, never prototypes', () => {
    const parsed = parseJson('{"__proto__": {"polluted": true}}');
    expect(parsed.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('hex: separators and 0x prefixes ignored, odd or non-hex refused', () => {
    expect(parseHex('de ad:BE-ef')).toEqual({ ok: true, value: new Uint8Array([0xde, 0xad, 0xbe, 0xef]) });
    expect(parseHex('0xde,0x01')).toEqual({ ok: true, value: new Uint8Array([0xde, 0x01]) });
    expect(parseHex('')).toEqual({ ok: true, value: new Uint8Array([]) });
    expect(parseHex('abc')).toEqual({ ok: false, error: 'hex: odd number of digits (3); each byte is two' });
    expect(parseHex('zz')).toEqual({ ok: false, error: 'hex: "z" is not a hex digit' });
  });

  it('base64: standard or URL-safe, padding optional', () => {
    expect(parseBase64('3q2+7w==')).toEqual({ ok: true, value: new Uint8Array([0xde, 0xad, 0xbe, 0xef]) });
    expect(parseBase64('3q2-7w')).toEqual({ ok: true, value: new Uint8Array([0xde, 0xad, 0xbe, 0xef]) });
    expect(parseBase64('AQI D')).toEqual({ ok: true, value: new Uint8Array([1, 2, 3]) });
    expect(parseBase64('A')).toMatchObject({ ok: false });
    expect(parseBase64('A*==')).toMatchObject({ ok: false, error: expect.stringMatching(/^base64: not valid/) });
  });

  it('files: bytes required, size capped', () => {
    expect(parseArg({ kind: 'file', text: '' })).toEqual({ ok: false, error: 'file: choose a file' });
    expect(parseArg({ kind: 'file', text: 'a.bin', bytes: new Uint8Array([7]) })).toEqual({ ok: true, value: new Uint8Array([7]) });
    expect(checkFileSize(BINARY_MAX_BYTES + 1)).toMatch(/over the/);
    expect(checkFileSize(BINARY_MAX_BYTES)).toBeUndefined();
  });

  it('one error per argument, and ok only when all parse', () => {
    const parsed = parseArgs([
      { kind: 'json', text: '1' },
      { kind: 'hex', text: 'f' },
      { kind: 'base64', text: 'AQID' },
    ]);
    expect(parsed.ok).toBe(false);
    expect(parsed.errors).toEqual([undefined, 'hex: odd number of digits (1); each byte is two', undefined]);
    expect(parsed.values[0]).toBe(1);
    expect(parseArgs([]).ok).toBe(true);
    const tooMany = parseArgs(Array.from({ length: 65 }, () => ({ kind: 'json' as const, text: '1' })));
    expect([tooMany.ok, tooMany.problem]).toEqual([false, 'at most 64 arguments (there are 65)']);
  });
});
