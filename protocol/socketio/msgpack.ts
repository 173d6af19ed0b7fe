import { Decoder, Encoder, ExtensionCodec } from '@msgpack/msgpack';
import { Failure } from '../failure.ts';
import type { SioVersion } from '../types.ts';
import { SIO_TYPES } from './header.ts';
import { packetFromPayload, type SioPacket } from './packet.ts';

// socket.io-msgpack-parser encodes with notepack.io, which writes `undefined` as fixext1 type 0 and a Date as
// fixext8 type 0 (milliseconds as a signed high word and an unsigned low word).
const extensionCodec = new ExtensionCodec();
extensionCodec.register({
  type: 0,
  encode: (value: unknown) => {
    if (value === undefined) return new Uint8Array([0]);
    if (value instanceof Date) {
      const time = value.getTime();
      const out = new Uint8Array(8);
      const view = new DataView(out.buffer);
      view.setInt32(0, Math.floor(time / 2 ** 32));
      view.setUint32(4, time >>> 0);
      return out;
    }
    return null;
  },
  decode: (data: Uint8Array) => {
    if (data.length === 8) {
      const view = new DataView(data.buffer, data.byteOffset, 8);
      return new Date(view.getInt32(0) * 2 ** 32 + view.getUint32(4));
    }
    return undefined;
  },
});

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
  if (!isPlainObject(decoded)) return new Failure('invalid msgpack packet: not a map');
  const { type, nsp, id } = decoded;
  if (typeof type !== 'number' || !Number.isInteger(type) || type < 0 || type > 6) return new Failure('invalid msgpack packet: bad type');
  if (typeof nsp !== 'string') return new Failure('invalid msgpack packet: bad namespace');
  if (id !== undefined && id !== null && !(typeof id === 'number' && Number.isInteger(id) && id >= 0))
    return new Failure('invalid msgpack packet: bad ack id');
  let ns = nsp;
  let query: string | undefined;
  const q = nsp.indexOf('?');
  if (q >= 0) {
    ns = nsp.slice(0, q);
    query = nsp.slice(q + 1);
  }
  const hasPayload = Object.hasOwn(decoded, 'data') && decoded.data !== undefined;
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
  const map: Record<string, unknown> = { type: packet.type, data: packet.data, nsp: packet.nsp };
  if (packet.id !== undefined) map.id = packet.id;
  return encoder.encode(map);
}
