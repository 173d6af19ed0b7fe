// The Engine.IO layer alone, against engine.io-parser 5 (EIO4) and 2 (EIO3): single packets as WebSocket frames,
// polling payloads in every form (EIO4 `\x1e`, EIO3 text with UTF-16 lengths, EIO3 XHR2 binary), both ways, and
// damaged payloads, which we must refuse (a Failure item, never an exception) wherever the reference does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Failure } from '../../failure.ts';
import { decodeEioBinary, decodeEioText, encodeEioText, type EioPacket } from '../../engineio/packet.ts';
import { decodePayloadV3Binary, decodePayloadV3Text, decodePayloadV4, encodePayload, type PayloadItem } from '../../engineio/payload.ts';
import type { EioPacketType } from '../../types.ts';
import { canon } from './harness.ts';
import { eioV3, eioV4, sync, type OfficialEioPacket } from './official.ts';

const TYPES: EioPacketType[] = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'];

/** Strings well formed in UTF-16 (astral characters included), so UTF-8 can carry them. */
const textArb = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
  fc.constantFrom('probe', '', '😀', '€', '2:4€', '\x1e', ':', '1:', 'b4AQ==', '{"sid":"x"}', '\u0000\uffff'),
);
/** Strings an EIO4 payload can carry: no U+001E, its separator. */
const noSeparator = (strings: fc.Arbitrary<string>) => strings.filter((s) => !s.includes('\x1e'));
/** ... and with lone surrogates too, which only the UTF-16 payloads (EIO3 text, JSON escapes) can carry. */
const utf16Arb = fc.oneof(
  textArb,
  fc.array(fc.oneof(fc.constantFrom('\ud800', '\udfff', '\ud83d', '\ude00', 'a', '😀')), { maxLength: 6 }).map((a) => a.join('')),
);
const bytesArb = fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ maxLength: 16 }));

const textPacketArb = (strings = textArb) =>
  fc.record({ type: fc.constantFrom(...TYPES), data: fc.option(strings, { nil: undefined }) }, { requiredKeys: ['type'] });
/** EIO4 binary packets are always messages (the type is implied); EIO3 ones carry any type byte. */
const binaryPacketArb = (anyType: boolean) =>
  fc.record({ type: anyType ? fc.constantFrom(...TYPES) : fc.constant<EioPacketType>('message'), data: bytesArb });

type Packet = { type: EioPacketType; data?: string | Uint8Array };
const toOfficial = (p: Packet): OfficialEioPacket => ({
  type: p.type,
  data: p.data instanceof Uint8Array ? Buffer.from(p.data) : p.data,
});

/** A packet in a comparable form; a missing text `data` is ours `''`. */
function view(p: OfficialEioPacket | EioPacket | Packet): unknown {
  return { type: p.type, data: canon(p.data === undefined ? '' : p.data) };
}
const views = (items: PayloadItem[]) => items.map((i) => (i instanceof Failure ? 'failure' : view(i)));

/** engine.io-parser 2's payload callback, collected; its error packet (or an exception) ends the list. */
function v3Payload(payload: string | Buffer): { packets: OfficialEioPacket[]; error: boolean } {
  const packets: OfficialEioPacket[] = [];
  let error = false;
  try {
    eioV3.decodePayload(payload, (p) => {
      if (p.type === 'error') error = true;
      else packets.push(p);
    });
  } catch {
    error = true;
  }
  return { packets, error };
}
function v4Payload(payload: string): { packets: OfficialEioPacket[]; error: boolean } {
  const all = eioV4.decodePayload(payload, 'nodebuffer');
  const error = all.some((p) => p.type === 'error');
  return { packets: all.filter((p) => p.type !== 'error'), error };
}

describe('Engine.IO packets: engine.io-parser encodes, we decode', () => {
  it('EIO4 text and binary frames (binary support on and off)', () => {
    fc.assert(
      fc.property(fc.oneof(textPacketArb(), binaryPacketArb(false)), fc.boolean(), (packet, supportsBinary) => {
        const encoded = sync<string | Buffer>((done) => eioV4.encodePacket(toOfficial(packet), supportsBinary, done));
        const official = eioV4.decodePacket(encoded, 'nodebuffer');
        const ours = typeof encoded === 'string' ? decodeEioText(encoded, 4) : decodeEioBinary(new Uint8Array(encoded), 4);
        expect(ours).not.toBeInstanceOf(Failure);
        expect(view(ours as EioPacket)).toEqual(view(official));
        expect(view(official)).toEqual(view(packet));
        // Without the session's version, the padding of the base64 tells EIO4 `b<base64>` from EIO3 `b<digit><base64>`.
        if (typeof encoded === 'string') expect(view(decodeEioText(encoded) as EioPacket)).toEqual(view(official));
      }),
      { numRuns: 300 },
    );
  });

  it('EIO3 text and binary frames (type byte, or `b<type><base64>` text)', () => {
    fc.assert(
      fc.property(fc.oneof(textPacketArb(), binaryPacketArb(true)), fc.boolean(), (packet, supportsBinary) => {
        const encoded = sync<string | Buffer>((done) => eioV3.encodePacket(toOfficial(packet), supportsBinary, done));
        const official = eioV3.decodePacket(encoded);
        const ours = typeof encoded === 'string' ? decodeEioText(encoded, 3) : decodeEioBinary(new Uint8Array(encoded), 3);
        expect(ours).not.toBeInstanceOf(Failure);
        expect(view(ours as EioPacket)).toEqual(view(official));
        expect(view(official)).toEqual(view(packet));
        if (typeof encoded === 'string') expect(view(decodeEioText(encoded) as EioPacket)).toEqual(view(official));
      }),
      { numRuns: 300 },
    );
  });
});

describe('Engine.IO packets: we encode, engine.io-parser decodes', () => {
  it.each([3, 4] as const)('EIO%s text packets', (eio) => {
    fc.assert(
      fc.property(textPacketArb(utf16Arb), (packet) => {
        const text = encodeEioText(packet.type, packet.data as string | undefined);
        const official = eio === 4 ? eioV4.decodePacket(text) : eioV3.decodePacket(text);
        expect(view(official)).toEqual(view(packet));
      }),
      { numRuns: 200 },
    );
  });
});

describe('polling payloads: engine.io-parser encodes, we decode', () => {
  it('EIO4: packets joined by \\x1e, binary as b<base64>', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(textPacketArb(noSeparator(utf16Arb)), binaryPacketArb(false)), { minLength: 1, maxLength: 6 }), (packets) => {
        const payload = sync<string>((done) => eioV4.encodePayload(packets.map(toOfficial), done));
        const official = v4Payload(payload);
        expect(official.error).toBe(false);
        expect(views(decodePayloadV4(payload))).toEqual(official.packets.map(view));
        expect(official.packets.map(view)).toEqual(packets.map(view));
      }),
      { numRuns: 300 },
    );
  });

  it('EIO3 text: <length>:<packet>, length in UTF-16 code units (astral characters, lone surrogates), b<type><base64>', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(textPacketArb(utf16Arb), binaryPacketArb(true)), { maxLength: 6 }), (packets) => {
        const payload = sync<string | Buffer>((done) => eioV3.encodePayload(packets.map(toOfficial), false, done)) as string;
        const official = v3Payload(payload);
        expect(official.error).toBe(false);
        expect(views(decodePayloadV3Text(payload))).toEqual(official.packets.map(view));
        expect(official.packets.map(view)).toEqual(packets.map(view));
      }),
      { numRuns: 300 },
    );
  });

  it('EIO3 binary (XHR2): <0|1><length digits><0xFF><packet>, string lengths in UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(textPacketArb(), binaryPacketArb(true)), { maxLength: 6 }), (packets) => {
        const payload = sync<Buffer>((done) => eioV3.encodePayloadAsBinary(packets.map(toOfficial), done));
        const official = v3Payload(payload);
        expect(official.error).toBe(false);
        expect(views(decodePayloadV3Binary(new Uint8Array(payload)))).toEqual(official.packets.map(view));
        expect(official.packets.map(view)).toEqual(packets.map(view));
      }),
      { numRuns: 300 },
    );
  });
});

describe('polling payloads: we encode, engine.io-parser decodes', () => {
  it('EIO4', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(textPacketArb(noSeparator(utf16Arb)), binaryPacketArb(false)), { minLength: 1, maxLength: 6 }), (packets) => {
        const official = v4Payload(encodePayload(packets, 4) as string);
        expect(official.error).toBe(false);
        expect(official.packets.map(view)).toEqual(packets.map(view));
      }),
      { numRuns: 300 },
    );
  });

  it('EIO3 text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(textPacketArb(utf16Arb), binaryPacketArb(true)), { maxLength: 6 }), (packets) => {
        const official = v3Payload(encodePayload(packets, 3) as string);
        expect(official.error).toBe(false);
        expect(official.packets.map(view)).toEqual(packets.map(view));
      }),
      { numRuns: 300 },
    );
  });

  it('EIO3 binary', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(textPacketArb(), binaryPacketArb(true)), { maxLength: 6 }), (packets) => {
        const body = encodePayload(packets, 3, true) as Uint8Array;
        const official = v3Payload(Buffer.from(body));
        expect(official.error).toBe(false);
        expect(official.packets.map(view)).toEqual(packets.map(view));
      }),
      { numRuns: 300 },
    );
  });
});

/** Damage: cut the payload short, drop a character or put one in, at a random place. */
function damage<T extends string | Uint8Array>(payload: T, at: number, kind: number, extra: number): T {
  const n = payload.length;
  const i = n === 0 ? 0 : at % (n + 1);
  if (typeof payload === 'string') {
    const insert = ['9', ':', 'b', '\x1e', 'x', '0', '€'][extra % 7];
    return (kind === 0 ? payload.slice(0, i) : kind === 1 ? payload.slice(0, i) + payload.slice(i + 1) : payload.slice(0, i) + insert + payload.slice(i)) as T;
  }
  const bytes = payload as Uint8Array;
  const insert = [0, 1, 9, 0xff, 0x34, 0x80][extra % 6];
  const out = kind === 0 ? bytes.slice(0, i) : kind === 1 ? Uint8Array.from([...bytes.slice(0, i), ...bytes.slice(i + 1)]) : Uint8Array.from([...bytes.slice(0, i), insert, ...bytes.slice(i)]);
  return out as T;
}

/**
 * Where the reference refuses a damaged payload we must have a Failure among the items; where we have none, we
 * must have read exactly what the reference read. We may refuse more than it does (deliberately stricter: length
 * prefixes of decimal digits only, where it takes `Number(length)`, so ` 1`, `+1`, `0x1`; base64 and type digits
 * checked, where it decodes whatever `Buffer.from(s, 'base64')` gives), and unlike engine.io-parser 5 we go on
 * after a bad EIO4 packet (each `\x1e` part stands alone).
 */
function compareDamaged(ours: PayloadItem[], official: { packets: OfficialEioPacket[]; error: boolean }): 'same' | 'stricter' {
  const failed = ours.some((i) => i instanceof Failure);
  if (official.error) expect(failed).toBe(true);
  if (!failed) {
    expect(views(ours)).toEqual(official.packets.map(view));
    return 'same';
  }
  return official.error ? 'same' : 'stricter';
}

describe('damaged payloads: refused where engine.io-parser refuses them, never an exception', () => {
  const damageArb = fc.tuple(fc.nat(), fc.nat({ max: 2 }), fc.nat());
  const tally = () => new Map<string, number>();

  it('EIO4', () => {
    const seen = tally();
    fc.assert(
      fc.property(fc.array(fc.oneof(textPacketArb(), binaryPacketArb(false)), { minLength: 1, maxLength: 4 }), damageArb, (packets, [at, kind, extra]) => {
        const payload = damage(sync<string>((done) => eioV4.encodePayload(packets.map(toOfficial), done)), at, kind, extra);
        let ours: PayloadItem[] = [];
        expect(() => (ours = decodePayloadV4(payload))).not.toThrow();
        const outcome = compareDamaged(ours, v4Payload(payload));
        seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
      }),
      { numRuns: 400 },
    );
    expect(seen.get('same')).toBeGreaterThan(100);
  });

  // Among the damage: the whole payload cut away. engine.io-parser 2 refuses an empty EIO3 text body; we read it
  // as no packets at all (fixed: `0:` is the empty payload, `` is not).
  it('EIO3 text', () => {
    const seen = tally();
    fc.assert(
      fc.property(fc.array(fc.oneof(textPacketArb(utf16Arb), binaryPacketArb(true)), { minLength: 1, maxLength: 4 }), damageArb, (packets, [at, kind, extra]) => {
        const encoded = sync<string | Buffer>((done) => eioV3.encodePayload(packets.map(toOfficial), false, done)) as string;
        const payload = damage(encoded, at, kind, extra);
        let ours: PayloadItem[] = [];
        expect(() => (ours = decodePayloadV3Text(payload))).not.toThrow();
        const outcome = compareDamaged(ours, v3Payload(payload));
        seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
      }),
      { numRuns: 400 },
    );
    expect(seen.get('same')).toBeGreaterThan(100);
  });

  it('EIO3 binary', () => {
    const seen = tally();
    fc.assert(
      fc.property(fc.array(fc.oneof(textPacketArb(), binaryPacketArb(true)), { minLength: 1, maxLength: 4 }), damageArb, (packets, [at, kind, extra]) => {
        const encoded = sync<Buffer>((done) => eioV3.encodePayloadAsBinary(packets.map(toOfficial), done));
        const payload = damage(new Uint8Array(encoded), at, kind, extra);
        let ours: PayloadItem[] = [];
        expect(() => (ours = decodePayloadV3Binary(payload))).not.toThrow();
        const outcome = compareDamaged(ours, v3Payload(Buffer.from(payload)));
        seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
      }),
      { numRuns: 400 },
    );
    expect(seen.get('same')).toBeGreaterThan(100);
  });
});

describe('Engine.IO, fixed cases', () => {
  // Each once disagreed with engine.io-parser.
  it('an empty EIO3 text body is refused (`0:` is the empty payload)', () => {
    expect(v3Payload('')).toEqual({ packets: [], error: true });
    expect(views(decodePayloadV3Text(''))).toEqual(['failure']);
    expect(views(decodePayloadV3Text('0:'))).toEqual([]);
  });

  it('a string packet of an EIO3 binary payload that is not UTF-8 is refused, and the next one read', () => {
    const body = Uint8Array.from([0, 3, 0xff, 0x34, 0x61, 0xe0, 0, 1, 0xff, 0x32]); // "4a" + a cut-off sequence, then "2"
    const official = v3Payload(Buffer.from(body));
    expect(official).toEqual({ packets: [{ type: 'ping' }], error: true });
    expect(views(decodePayloadV3Binary(body))).toEqual(['failure', view({ type: 'ping' })]);
  });

  it.each([
    ['bAQID', 4, { type: 'message', data: Uint8Array.of(1, 2, 3) }],
    ['b', 4, { type: 'message', data: new Uint8Array(0) }],
    ['b4AQID', 3, { type: 'message', data: Uint8Array.of(1, 2, 3) }],
    ['b4', 3, { type: 'message', data: new Uint8Array(0) }],
    ['b2AA==', 3, { type: 'ping', data: Uint8Array.of(0) }],
  ] as const)('the base64 WebSocket text frame %j (EIO%s) is read, with or without the version', (frame, eio, packet) => {
    const official = eio === 4 ? eioV4.decodePacket(frame, 'nodebuffer') : eioV3.decodePacket(frame);
    expect(view(official)).toEqual(view(packet));
    expect(view(decodeEioText(frame, eio) as EioPacket)).toEqual(view(packet));
    expect(view(decodeEioText(frame) as EioPacket)).toEqual(view(packet));
  });
});

describe('Engine.IO, deliberate differences', () => {
  // utf8.js (strict: false) reads a UTF-8-encoded lone surrogate (WTF-8, ED A0 80) as U+FFFD; to a fatal
  // TextDecoder it is not UTF-8 at all. No engine.io encoder writes it (see the U+FFFD case below).
  it('WTF-8 in an EIO3 binary payload: U+FFFD for engine.io-parser 2, a Failure for us', () => {
    const body = Uint8Array.from([0, 4, 0xff, 0x34, 0xed, 0xa0, 0x80]);
    expect(v3Payload(Buffer.from(body))).toEqual({ packets: [{ type: 'message', data: '\ufffd' }], error: false });
    expect(views(decodePayloadV3Binary(body))).toEqual(['failure']);
  });

  // Not a difference, though it looks like one: engine.io-parser 2 writes a lone surrogate in an XHR2 binary
  // payload as U+FFFD already, as our TextEncoder does, so both read back U+FFFD.
  it('a lone surrogate in an EIO3 binary payload becomes U+FFFD on both sides', () => {
    const theirs = sync<Buffer>((done) => eioV3.encodePayloadAsBinary([{ type: 'message', data: 'a\ud800' }], done));
    const ours = encodePayload([{ type: 'message', data: 'a\ud800' }], 3, true) as Uint8Array;
    expect(Buffer.from(ours)).toEqual(theirs);
    expect(v3Payload(theirs).packets).toEqual([{ type: 'message', data: 'a\ufffd' }]);
    expect(decodePayloadV3Binary(ours)).toEqual([{ type: 'message', data: 'a\ufffd', wire: 5 }]);
  });

  // A packet cannot hold U+001E in an EIO4 payload (JSON.stringify escapes it, so Socket.IO packets never do).
  it('U+001E inside an EIO4 payload packet splits it, on both sides', () => {
    const payload = encodePayload([{ type: 'message', data: 'a\x1ex' }], 4) as string;
    expect(v4Payload(payload).error).toBe(true);
    expect(views(decodePayloadV4(payload))).toEqual([view({ type: 'message', data: 'a' }), 'failure']);
  });

  it.each([' 2:42', '+2:42', '0x2:42', '2.0:42'])('an EIO3 length prefix engine.io-parser reads with Number(): %j', (payload) => {
    expect(v3Payload(payload)).toEqual({ packets: [{ type: 'message', data: '2' }], error: false });
    expect(decodePayloadV3Text(payload)[0]).toBeInstanceOf(Failure);
  });

  it('an EIO4 payload goes on after a bad packet; engine.io-parser 5 stops there', () => {
    expect(v4Payload('2\x1e9\x1e3')).toEqual({ packets: [{ type: 'ping' }], error: true });
    expect(views(decodePayloadV4('2\x1e9\x1e3'))).toEqual([view({ type: 'ping' }), 'failure', view({ type: 'pong' })]);
  });
});
