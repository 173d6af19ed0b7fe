// Ours -> official: encodeSioPacket + toWebSocketFrames / toPollingBody, read back by engine.io-parser (5 / 2) and
// socket.io-parser (4.x / 3.4), must give the packet we meant, with JSON's own rules applied to the values
// (a Date travels as its ISO string, `undefined` as null in arrays and not at all in objects).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSioPacket, toPollingBody, toWebSocketFrames } from '../../encoder.ts';
import type { EioVersion } from '../../types.ts';
import { asV3Packet, containsBinary, holdsPlaceholderLookalike, sioPacketArb } from './arbitraries.ts';
import { canon, jsonify, officialMessages, toOutgoing, viewOfOfficial } from './harness.ts';
import { officialDecode, officialEncode, sioParsers, type OfficialSioPacket } from './official.ts';

type Sio = 4 | 5;
function check(sio: Sio, eio: EioVersion, transport: 'websocket' | 'polling', binaryPayload: boolean, packet: OfficialSioPacket): void {
  const messages = encodeSioPacket(toOutgoing(packet));
  const encoded = transport === 'websocket' ? toWebSocketFrames(messages, eio) : [toPollingBody(messages, eio, binaryPayload)];
  const decoded = officialDecode(sioParsers[sio], officialMessages(eio, transport, encoded));
  if ('error' in decoded) throw new Error(`socket.io-parser refused ${JSON.stringify(messages)}: ${decoded.error}`);
  expect(decoded.packets).toHaveLength(1);
  // Only events and acks carry attachments: elsewhere a Buffer is JSON too (`{"type":"Buffer","data":[...]}`).
  const binaryCapable = packet.type === 2 || packet.type === 3;
  const data = packet.data === undefined ? undefined : binaryCapable ? jsonify(packet.data) : JSON.parse(JSON.stringify(packet.data));
  const expected = { ...packet, data };
  expect(viewOfOfficial(decoded.packets[0], undefined)).toEqual(viewOfOfficial(expected, undefined));
  // The attachments go as separate messages, in placeholder order, zero-length ones included.
  const buffers = messages.filter((m) => typeof m !== 'string');
  expect(buffers.map(canon)).toEqual(binaryCapable ? collectBuffers(packet.data).map(canon) : []);
}

/** Buffers in socket.io-parser's placeholder order: depth first, arrays by index, objects by key order. */
function collectBuffers(value: unknown, out: Uint8Array[] = []): Uint8Array[] {
  if (value instanceof Uint8Array) out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => collectBuffers(v, out));
  else if (value !== null && typeof value === 'object' && !(value instanceof Date)) Object.keys(value).forEach((k) => collectBuffers((value as Record<string, unknown>)[k], out));
  return out;
}

describe.each([
  { sio: 5 as Sio, eio: 4 as EioVersion, name: 'engine.io-parser 5 + socket.io-parser 4' },
  { sio: 4 as Sio, eio: 3 as EioVersion, name: 'engine.io-parser 2 + socket.io-parser 3.4' },
])('ours -> official, $name', ({ sio, eio }) => {
  it.each(['websocket', 'polling'] as const)('%s: the reference decoders read back the packet we encoded', (transport) => {
    fc.assert(
      fc.property(
        sioPacketArb({ sio, binary: true, extended: true }).filter((p) => !(containsBinary(p.data) && holdsPlaceholderLookalike(p.data))),
        fc.boolean(),
        (packet, binaryPayload) =>
        check(sio, eio, transport, binaryPayload, packet),
      ),
      { numRuns: 300 },
    );
  });
});

/** True when an object anywhere in the value has an own `__proto__` key. */
function holdsProtoKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return false;
  return Object.hasOwn(value, '__proto__') || Object.values(value).some(holdsProtoKey);
}

describe.each([5, 4] as const)('ours -> official, protocol %s: the same messages as socket.io-parser', (sio) => {
  // Deliberate difference: in a binary packet, socket.io-parser's placeholder copy assigns `copy[key] = ...`, so an
  // own `__proto__` key sets the copy's prototype and vanishes from the JSON. We keep it (as JSON.stringify would).
  it('encodeSioPacket writes the text and attachments socket.io-parser\'s Encoder writes', () => {
    fc.assert(
      fc.property(sioPacketArb({ sio, binary: true, extended: true }), (packet) => {
        fc.pre(!(containsBinary(packet.data) && holdsProtoKey(packet.data)));
        const official = officialEncode(sioParsers[sio], sio === 4 ? asV3Packet(packet) : packet);
        expect(encodeSioPacket(toOutgoing(packet)).map(canon)).toEqual(official.map(canon));
      }),
      { numRuns: 300 },
    );
  });

  it('a __proto__ key beside a Buffer: kept by us, dropped by socket.io-parser', () => {
    const data = ['x', JSON.parse('{"__proto__":{"a":1},"b":2}'), Buffer.from([7])];
    const ours = encodeSioPacket({ type: 'event', event: 'x', args: data.slice(1) })[0];
    const official = officialEncode(sioParsers[sio], { type: sio === 4 ? 5 : 2, nsp: '/', data })[0];
    expect(ours).toBe('51-["x",{"__proto__":{"a":1},"b":2},{"_placeholder":true,"num":0}]');
    expect(official).toBe('51-["x",{"b":2},{"_placeholder":true,"num":0}]');
  });
});

describe('ours -> official, fixed cases', () => {
  // Each once failed: a Date beside a Buffer became `{}` (our placeholder copy walked its own keys, of which it
  // has none; socket.io-parser calls toJSON).
  it.each([
    [5, 4, 'websocket', { type: 2, nsp: '/', data: ['when', new Date(0), Buffer.from([1])] }],
    [4, 3, 'polling', { type: 3, nsp: '/chat', id: 3, data: [{ at: new Date(1e12), bin: Buffer.alloc(0) }] }],
  ] as const)('protocol %s over EIO%s %s: %j', (sio, eio, transport, packet) => {
    check(sio, eio, transport, true, packet as OfficialSioPacket);
  });
});
