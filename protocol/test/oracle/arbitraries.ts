// Generators for the oracle tests: payload values, Socket.IO packets in the reference parser's shape, namespaces.
import fc from 'fast-check';
import type { OfficialSioPacket } from './official.ts';

export const RESERVED = ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'];

/** Object keys, with the ones that trip naive code (`__proto__`, placeholders' own keys) well represented. */
export const keyArb = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '_placeholder', 'num', 'type', 'nsp', 'data', '', '0', '10', 'é', '😀', 'a b'),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);

export const stringArb = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.string({ unit: 'grapheme', maxLength: 5 }),
  fc.constantFrom('', '😀', 'é€', '\u2028\u2029', '"\\/\n\t', '\u0000', '{"_placeholder":true,"num":0}', '4', '40', '\x1e'),
);

/** Numbers that survive JSON exactly (no -0, NaN or infinities). */
export const numberArb = fc.oneof(
  fc.integer(),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x)),
);

export const bufferArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null).map(() => Buffer.alloc(0)) },
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 12 }).map((u) => Buffer.from(u)) },
);

/** An object with exactly these own keys, `__proto__` included as an own data property (as JSON.parse makes it). */
export function objectFrom(entries: [string, unknown][]): Record<string, unknown> {
  return Object.fromEntries(entries);
}

export interface ValueOptions {
  /** Buffers among the leaves. */
  binary?: boolean;
  /** Dates and undefined among the leaves (msgpack keeps both; JSON turns them into strings and null/nothing). */
  extended?: boolean;
  /** Bytes that are not Buffers: Uint8Array and ArrayBuffer (notepack, in Node, writes them as ext type 0). */
  typedArrays?: boolean;
  /** Keys: leave out `__proto__` (notepack decodes it by setting the prototype). */
  noProto?: boolean;
  maxDepth?: number;
}

export function valueArb(options: ValueOptions = {}): fc.Arbitrary<unknown> {
  const leaves: fc.Arbitrary<unknown>[] = [fc.constant(null), fc.boolean(), numberArb, stringArb];
  if (options.binary) leaves.push(bufferArb, bufferArb);
  if (options.typedArrays) {
    leaves.push(fc.uint8Array({ maxLength: 10 }).map((u) => new Uint8Array(u)));
    leaves.push(fc.uint8Array({ maxLength: 10 }).map((u) => new Uint8Array(u).buffer));
  }
  if (options.extended) {
    leaves.push(fc.constant(undefined), fc.date({ min: new Date(-1e14), max: new Date(1e14), noInvalidDate: true }));
  }
  const keys = options.noProto ? keyArb.filter((k) => k !== '__proto__') : keyArb;
  const leaf = fc.oneof(...leaves);
  const { value } = fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', maxDepth: options.maxDepth ?? 4 }, leaf, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.array(fc.tuple(keys, tie('value')), { maxLength: 4 }).map(objectFrom),
  }));
  return value;
}

export const objectArb = (options: ValueOptions = {}) =>
  fc.array(fc.tuple(options.noProto ? keyArb.filter((k) => k !== '__proto__') : keyArb, valueArb(options)), { maxLength: 4 }).map(objectFrom);

export const namespaceArb = fc.oneof(
  fc.constantFrom('/', '/', '/chat', '/a-b_c', '/admin', '/😀', '/ünï', '/a/b'),
  fc.stringMatching(/^\/[a-zA-Z0-9_-]{1,10}$/),
);

/** A protocol v4 handshake query, as socket.io-client 2 appends it to the namespace of a CONNECT. */
export const queryArb = fc.stringMatching(/^[a-z]{1,5}=[a-zA-Z0-9%._~-]{0,8}(&[a-z]{1,5}=[a-zA-Z0-9%]{0,4}){0,2}$/);

export const ackIdArb = fc.oneof(fc.nat({ max: 1000 }), fc.nat(), fc.maxSafeNat());

export interface PacketOptions extends ValueOptions {
  sio: 4 | 5;
  /** Allow the event names socket.io-parser 4.2 refuses. */
  reserved?: boolean;
}

export function eventNameArb(options: { reserved?: boolean }): fc.Arbitrary<string | number> {
  const names: fc.Arbitrary<string | number>[] = [stringArb, stringArb, numberArb];
  if (options.reserved) names.push(fc.constantFrom(...RESERVED));
  return fc.oneof(...names);
}

/**
 * A Socket.IO packet as an application hands it to socket.io-parser's Encoder: types 0..4 (for protocol v4 the
 * caller marks binary packets 5/6, as socket.io 2 does), `nsp`, `data`, optional `id`.
 */
export function sioPacketArb(options: PacketOptions): fc.Arbitrary<OfficialSioPacket> {
  const values = valueArb(options);
  const args = fc.array(values, { maxLength: 4 });
  const withId = (p: OfficialSioPacket, id: number | null) => (id === null ? p : { ...p, id });
  const connectData =
    options.sio === 5
      ? fc.option(objectArb(options), { nil: undefined })
      : fc.option(fc.oneof(objectArb(options), fc.array(values, { maxLength: 3 })), { nil: undefined });
  const connectNsp =
    options.sio === 5
      ? namespaceArb
      : fc.tuple(namespaceArb, fc.option(queryArb, { nil: undefined })).map(([ns, q]) => (q === undefined ? ns : `${ns}?${q}`));
  const errorData = fc.oneof(
    stringArb,
    fc.record({ message: stringArb, data: fc.option(values, { nil: undefined }) }, { requiredKeys: ['message'] }),
    objectArb(options),
  );
  return fc.oneof(
    fc.record({ type: fc.constant(0), nsp: connectNsp, data: connectData }).map(dropUndefined),
    fc.record({ type: fc.constant(1), nsp: namespaceArb }),
    fc
      .tuple(namespaceArb, eventNameArb(options), args, fc.option(ackIdArb))
      .map(([nsp, name, rest, id]) => withId({ type: 2, nsp, data: [name, ...rest] }, id)),
    fc.tuple(namespaceArb, args, ackIdArb).map(([nsp, data, id]) => ({ type: 3, nsp, data, id })),
    fc.record({ type: fc.constant(4), nsp: namespaceArb, data: errorData }),
  );
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** True when a value holds a Buffer anywhere (how socket.io 2 decides on BINARY_EVENT / BINARY_ACK). */
export function containsBinary(value: unknown): boolean {
  if (value instanceof Uint8Array || value instanceof ArrayBuffer) return true;
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some(containsBinary);
}

/** Marks a packet BINARY_EVENT / BINARY_ACK when it carries binary: the caller's job with socket.io-parser 3.x. */
export function asV3Packet(packet: OfficialSioPacket): OfficialSioPacket {
  if ((packet.type === 2 || packet.type === 3) && containsBinary(packet.data)) return { ...packet, type: packet.type + 3 };
  return packet;
}

/**
 * True when a value holds an object with `_placeholder: true`: in a binary packet the receiver takes it for a
 * placeholder (socket.io-parser's own encoder sends it just the same). The protocol cannot carry such data.
 */
export function holdsPlaceholderLookalike(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return false;
  if (!Array.isArray(value) && (value as { _placeholder?: unknown })._placeholder === true) return true;
  return Object.values(value).some(holdsPlaceholderLookalike);
}
