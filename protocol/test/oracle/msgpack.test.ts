// msgpack: packets from socket.io-msgpack-parser 3 (socket.io 3/4, EIO4) and 2 (socket.io 2, EIO3), framed by
// engine.io-parser, must come out of our Tracker (which finds the parser by itself) as the reference decoders read
// them; and our msgpack encoding must read back in theirs. Values: Buffers, Uint8Arrays and ArrayBuffers, Dates,
// undefined, nested objects and arrays.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSioPacket, toPollingBody, toWebSocketFrames } from '../../encoder.ts';
import { Failure } from '../../failure.ts';
import { decodeMsgpackPacket } from '../../socketio/msgpack.ts';
import { Tracker } from '../../tracker/tracker.ts';
import type { Direction, EioVersion } from '../../types.ts';
import { asV3Packet, sioPacketArb } from './arbitraries.ts';
import { buildWire, canon, errorEntries, officialMessages, sioEntries, toOutgoing, viewOfEntry, viewOfOfficial, type PacketView, type Step } from './harness.ts';
import { msgpackParsers, officialDecode, officialEncode, type OfficialSioPacket } from './official.ts';

type Sio = 4 | 5;
const VALUES = { binary: true, typedArrays: true, extended: true, noProto: true } as const;

/** socket.io 2 marks packets with binary as 5/6 for every parser; socket.io 3+ never does. */
const asSent = (sio: Sio, p: OfficialSioPacket) => (sio === 4 ? asV3Packet(p) : p);

function reference(sio: Sio, steps: Step[], official: Record<Direction, unknown[]>) {
  const expected: Record<Direction, PacketView[]> = { out: [], in: [] };
  const errors: string[] = [];
  for (const dir of ['out', 'in'] as const) {
    const messages = official[dir];
    expect(messages).toHaveLength(steps.filter((s) => s.dir === dir).length); // one message per packet
    for (const message of messages) {
      const decoded = officialDecode(msgpackParsers[sio], [message]);
      if ('error' in decoded) errors.push(decoded.error);
      else for (const p of decoded.packets) expected[dir].push(viewOfOfficial(p, undefined));
    }
  }
  return { expected, errors };
}

describe.each([
  { sio: 5 as Sio, eio: 4 as EioVersion, name: 'socket.io-msgpack-parser 3 over EIO4' },
  { sio: 4 as Sio, eio: 3 as EioVersion, name: 'socket.io-msgpack-parser 2 over EIO3' },
])('msgpack, official -> ours, $name', ({ sio, eio }) => {
  it.each(['websocket', 'polling'] as const)('%s: the tracker detects msgpack and logs what the reference decoder reads', (transport) => {
    const stepArb = fc.record({ dir: fc.constantFrom<Direction>('out', 'in'), packet: sioPacketArb({ sio, reserved: true, ...VALUES }) });
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 5 }), fc.boolean(), fc.array(fc.boolean(), { maxLength: 6 }), (list, binary, breaks) => {
        const steps: Step[] = list.map(({ dir, packet }) => ({ dir, messages: officialEncode(msgpackParsers[sio], asSent(sio, packet)) }));
        const wire = buildWire(steps, { eio, transport, binary, breaks });
        const { expected, errors } = reference(sio, steps, wire.official);
        const tracker = new Tracker();
        for (const frame of wire.frames) tracker.push(frame);
        tracker.finish();
        for (const dir of ['out', 'in'] as const) expect(sioEntries(tracker.log, dir).map(viewOfEntry)).toEqual(expected[dir]);
        if (errors.length === 0) expect(errorEntries(tracker.log)).toEqual([]);
        else expect(errorEntries(tracker.log)).toHaveLength(errors.length);
        if (expected.in.length + expected.out.length > 0) expect(tracker.connections[0].parser).toBe('msgpack');
      }),
      { numRuns: 200 },
    );
  });
});

describe.each([
  { sio: 5 as Sio, eio: 4 as EioVersion, name: 'socket.io-msgpack-parser 3 over EIO4' },
  { sio: 4 as Sio, eio: 3 as EioVersion, name: 'socket.io-msgpack-parser 2 over EIO3' },
])('msgpack, ours -> official, $name', ({ sio, eio }) => {
  it.each(['websocket', 'polling'] as const)('%s: the reference decoder reads back the packet we encoded', (transport) => {
    // socket.io-msgpack-parser 2 takes no CONNECT data and only a string as ERROR data.
    const packetArb = sioPacketArb({ sio, reserved: true, ...VALUES }).filter(
      (p) => sio === 5 || (p.type === 0 ? p.data === undefined : p.type !== 4 || typeof p.data === 'string'),
    );
    fc.assert(
      fc.property(packetArb, fc.boolean(), (packet, binaryPayload) => {
        const messages = encodeSioPacket(toOutgoing(packet), 'msgpack');
        expect(messages).toHaveLength(1);
        const encoded = transport === 'websocket' ? toWebSocketFrames(messages, eio) : [toPollingBody(messages, eio, binaryPayload)];
        const decoded = officialDecode(msgpackParsers[sio], officialMessages(eio, transport, encoded));
        if ('error' in decoded) throw new Error(`socket.io-msgpack-parser refused it: ${decoded.error}`);
        expect(decoded.packets).toHaveLength(1);
        // msgpack keeps what JSON would not: undefined, Dates, bytes (an ArrayBuffer comes back as bytes).
        expect(viewOfOfficial(decoded.packets[0], undefined)).toEqual(viewOfOfficial(packet, undefined));
        // ... and our own decoder reads it back the same way.
        const ours = decodeMsgpackPacket(messages[0] as Uint8Array, sio);
        expect(ours).not.toBeInstanceOf(Failure);
        expect(viewOfEntry(ours as never)).toEqual(viewOfOfficial(packet, undefined));
      }),
      { numRuns: 200 },
    );
  });
});

describe('msgpack, fixed cases and deliberate differences', () => {
  const notepack = (value: unknown) => officialEncode(msgpackParsers[5], value as OfficialSioPacket)[0] as Buffer;
  const ours = (bytes: Uint8Array, sio: Sio = 5) => {
    const packet = decodeMsgpackPacket(new Uint8Array(bytes), sio);
    return packet instanceof Failure ? packet : viewOfEntry(packet as never);
  };
  const theirs = (bytes: unknown, sio: Sio = 5) => {
    const decoded = officialDecode(msgpackParsers[sio], [bytes]);
    return 'error' in decoded ? decoded : viewOfOfficial(decoded.packets[0], undefined);
  };

  // notepack writes a non-Buffer Uint8Array or an ArrayBuffer as ext 8 type 0; we read type 0 as undefined (or as a
  // Date when 8 bytes long), whatever the header said.
  it.each([
    [new Uint8Array([0])],
    [new Uint8Array(8)],
    [new Uint8Array([1, 2, 3]).buffer],
    [new Uint8Array(0)],
    [new Uint8Array(300)],
  ])('bytes that are not a Buffer: %o', (bytes) => {
    const wire = notepack({ type: 2, nsp: '/', data: ['b', bytes, undefined, new Date(8)] });
    expect(ours(wire)).toEqual(theirs(wire));
    expect(ours(wire)).toMatchObject({ args: canon([bytes, undefined, new Date(8)]) });
  });

  // Our encoder wrote a CONNECT without auth as `data: nil`, which socket.io-msgpack-parser refuses, and undefined
  // and Dates as nil and msgpack timestamps, which notepack reads as null and `[-1, bytes]`.
  it.each([5, 4] as const)('our CONNECT without data, undefined and Dates read back (msgpack parser for protocol %s)', (sio) => {
    for (const packet of [
      { type: 'connect' as const, ns: '/chat' },
      { type: 'event' as const, event: 'e', args: [undefined, new Date(-1), { at: new Date(2 ** 40), u: undefined }] },
    ]) {
      const [bytes] = encodeSioPacket(packet, 'msgpack') as Uint8Array[];
      expect(theirs(Buffer.from(bytes), sio)).not.toHaveProperty('error');
      expect(theirs(Buffer.from(bytes), sio)).toEqual(ours(bytes, sio));
    }
  });

  // socket.io-msgpack-parser refuses these ("invalid packet id", "invalid payload"): so must we.
  it.each([
    ['a null ack id', 5, { type: 3, nsp: '/', data: [], id: null }],
    ['CONNECT data in protocol 4', 4, { type: 0, nsp: '/', data: { token: 'x' } }],
    ['an ERROR object in protocol 4', 4, { type: 4, nsp: '/', data: { message: 'x' } }],
    ['CONNECT data that is bytes', 5, { type: 0, nsp: '/', data: Buffer.from([1]) }],
    ['CONNECT_ERROR data that is an array', 5, { type: 4, nsp: '/', data: ['x'] }],
  ])('%s is refused', (_name, sio, packet) => {
    const wire = notepack(packet);
    expect(theirs(wire, sio as Sio)).toHaveProperty('error');
    expect(ours(wire, sio as Sio)).toBeInstanceOf(Failure);
  });

  // Deliberate: @msgpack/msgpack refuses a `__proto__` map key; notepack assigns `value[key] = ...`, which sets the
  // prototype and loses the key. We report an error rather than silently dropping data.
  it('a __proto__ key: an error entry with us, a lost key with notepack', () => {
    const wire = notepack({ type: 2, nsp: '/', data: ['e', JSON.parse('{"__proto__":{"x":1},"y":2}')] });
    expect(theirs(wire)).toEqual(viewOfOfficial({ type: 2, nsp: '/', data: ['e', { y: 2 }] }, undefined));
    expect(ours(wire)).toBeInstanceOf(Failure);
  });

  // Deliberate: the msgpack parsers check only that EVENT data is an array; we want a string or numeric name
  // in front, as the default parser does (an event with no name cannot be dispatched). Types 5/6 (socket.io 2)
  // stay accepted for protocol 5 too.
  it.each([
    [{ type: 2, nsp: '/', data: [] }],
    [{ type: 2, nsp: '/', data: [{ name: 'x' }, 1] }],
    [{ type: 2, nsp: '/', data: [null] }],
  ])('an event without a usable name: %j', (packet) => {
    const wire = notepack(packet);
    expect(theirs(wire)).not.toHaveProperty('error');
    expect(ours(wire)).toBeInstanceOf(Failure);
  });
});
