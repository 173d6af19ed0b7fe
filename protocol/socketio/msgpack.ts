import { Decoder, Encoder, ExtData, ExtensionCodec } from '@msgpack/msgpack';
import { Failure, parseJson } from '../failure.ts';
import type { SioVersion } from '../types.ts';
import { SIO_TYPES } from './header.ts';
import { packetFromPayload, type SioPacket } from './packet.ts';

// socket.io-msgpack-parser encodes with notepack.io, which gives extension type 0 three meanings, told apart by the
// header: fixext 1 is `undefined`, fixext 8 a Date (milliseconds as a signed high word and an unsigned low word), and
// ext 8/16/32 an ArrayBuffer or a typed array that is not a Buffer (Node only; Buffers are `bin`). Other fixext
// sizes of type 0 come back from notepack as `[0, bytes]`.
const FIXEXT_HEADER: Record<number, number> = { 1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8 };

const extensionCodec = new ExtensionCodec();
extensionCodec.register({
  type: 0,
  encode: () => null, // see `toNotepack`: @msgpack/msgpack writes nil and Date itself before asking a codec
  decode: (data: Uint8Array) => {
    // `data` is a view into the packet: the byte two places before it is the fixext header, or else the last
    // byte of an ext 8/16/32 length, which for these sizes (1..16) can never be 0xd4..0xd8.
    const fixext = data.byteOffset >= 2 && new Uint8Array(data.buffer, data.byteOffset - 2, 1)[0] === FIXEXT_HEADER[data.length];
    if (!fixext) return data.slice();
    if (data.length === 1) return undefined;
    if (data.length === 8) {
      const view = new DataView(data.buffer, data.byteOffset, 8);
      return new Date(view.getInt32(0) * 2 ** 32 + view.getUint32(4));
    }
    return [0, data.slice()];
  },
});

const UNDEFINED_EXT = new ExtData(0, new Uint8Array([0]));

/** notepack's forms of `undefined` and Date, as ExtData, which the encoder writes as they are. */
function toNotepack(value: unknown, depth = 0): unknown {
  if (depth > 10_000) throw new RangeError('value nests too deep to encode');
  if (value === undefined) return UNDEFINED_EXT;
  if (value instanceof Date) {
    const time = value.getTime();
    const out = new Uint8Array(8);
    const view = new DataView(out.buffer);
    view.setInt32(0, Math.floor(time / 2 ** 32));
    view.setUint32(4, time >>> 0);
    return new ExtData(0, out);
  }
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value); // @msgpack/msgpack would write `{}`
  if (Array.isArray(value)) return value.map((v) => toNotepack(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, k, { value: toNotepack(v, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const decoder = new Decoder({ extensionCodec });
const encoder = new Encoder({ extensionCodec, ignoreUndefined: false });

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** True when bytes start like a msgpack map: the shape every socket.io-msgpack-parser packet has. */
export function looksLikeMsgpackPacket(bytes: Uint8Array): boolean {
  const b = bytes[0];
  return (b >= 0x80 && b <= 0x8f) || b === 0xde || b === 0xdf;
}

/** One socket.io-msgpack-parser packet: a msgpack map `{type, data, nsp, id?}`. */
export function decodeMsgpackPacket(bytes: Uint8Array, sio: SioVersion): SioPacket | Failure {
  let decoded: unknown;
  try {
    decoded = decoder.decode(bytes);
  } catch (e) {
    return new Failure(`invalid msgpack: ${(e as Error).message}`);
  }
  return packetFromObject(decoded, sio);
}

/**
 * socket.io-msgpack-parser 2.x (for socket.io 2) sends CONNECT, DISCONNECT and ERROR as JSON text of the same
 * `{type, data, nsp}` object, and only the other packets as msgpack.
 */
export function decodeJsonObjectPacket(text: string, sio: SioVersion): SioPacket | Failure {
  const decoded = parseJson(text);
  return decoded instanceof Failure ? decoded : packetFromObject(decoded, sio);
}

function packetFromObject(decoded: unknown, sio: SioVersion): SioPacket | Failure {
  if (!isPlainObject(decoded)) return new Failure('invalid msgpack packet: not a map');
  const { type, nsp, id } = decoded;
  if (typeof type !== 'number' || !Number.isInteger(type) || type < 0 || type > 6) return new Failure('invalid msgpack packet: bad type');
  if (typeof nsp !== 'string') return new Failure('invalid msgpack packet: bad namespace');
  // socket.io-msgpack-parser refuses a null id ("invalid packet id"); a negative one it lets through, we do not.
  if (id !== undefined && !(typeof id === 'number' && Number.isInteger(id) && id >= 0))
    return new Failure('invalid msgpack packet: bad ack id');
  let ns = nsp;
  let query: string | undefined;
  const q = nsp.indexOf('?');
  if (q >= 0) {
    ns = nsp.slice(0, q);
    query = nsp.slice(q + 1);
  }
  const hasPayload = Object.hasOwn(decoded, 'data') && decoded.data !== undefined;
  // socket.io-msgpack-parser 2 (protocol 4): no CONNECT data (the query rides in the namespace), ERROR data a string.
  if (sio === 4 && type === 0 && hasPayload) return new Failure('invalid payload: CONNECT carries no data in protocol 4');
  if (sio === 4 && type === 4 && typeof decoded.data !== 'string') return new Failure('invalid payload: ERROR data must be a string');
  const header = { code: type, type: SIO_TYPES[type], attachments: -1, ns, query, id: typeof id === 'number' ? id : undefined, start: 0 };
  return packetFromPayload(header, decoded.data, hasPayload, sio);
}

export interface MsgpackPacketInput {
  type: number;
  nsp: string;
  data?: unknown;
  id?: number;
}

export function encodeMsgpackPacket(packet: MsgpackPacketInput): Uint8Array {
  const map: Record<string, unknown> = { type: packet.type };
  // As socket.io sends them: no `data` key for a CONNECT without auth or a DISCONNECT (nil would be refused).
  if (packet.data !== undefined) map.data = toNotepack(packet.data);
  map.nsp = packet.nsp;
  if (packet.id !== undefined) map.id = packet.id;
  return encoder.encode(map);
}
