import { base64ToBytes } from '../bytes.ts';
import { Failure } from '../failure.ts';
import type { EioPacketType, EioVersion } from '../types.ts';

export const EIO_TYPES: readonly EioPacketType[] = ['open', 'close', 'ping', 'pong', 'message', 'upgrade', 'noop'];

export interface EioPacket {
  type: EioPacketType;
  /** Text packets carry a string (possibly empty); binary messages carry bytes. */
  data: string | Uint8Array;
  /**
   * Bytes the packet took on the wire, set by the payload decoders where its data does not tell: base64 packets
   * (their text, not the bytes it stands for) and the packets of an EIO3 binary payload.
   */
  wire?: number;
}

/**
 * `<type digit>[data]`, as one WebSocket text frame or one packet of a polling payload; also a base64 binary
 * packet, which a WebSocket carries as text when either side has no binary support (`b64=1`, `forceBase64`):
 * EIO4 `b<base64>`, EIO3 `b<type digit><base64>`. Without `eio`, the length tells them apart: encoders pad their
 * base64, so EIO3 leaves 4n+1 characters after the `b`, which no base64 text has.
 */
export function decodeEioText(text: string, eio?: EioVersion): EioPacket | Failure {
  if (text.length === 0) return new Failure('empty Engine.IO packet');
  if (text.charCodeAt(0) === 98 /* b */) return decodeBase64Packet(text, eio);
  const type = EIO_TYPES[text.charCodeAt(0) - 48];
  if (type === undefined) return new Failure(`unknown Engine.IO packet type ${JSON.stringify(text[0])}`);
  return { type, data: text.length === 1 ? '' : text.slice(1) };
}

/** A binary WebSocket frame: EIO3 prefixes a type byte, EIO4 sends the bare message bytes. */
export function decodeEioBinary(bytes: Uint8Array, eio: EioVersion): EioPacket | Failure {
  if (eio === 4) return { type: 'message', data: bytes };
  if (bytes.length === 0) return new Failure('empty EIO3 binary packet (no type byte)');
  const type = EIO_TYPES[bytes[0]];
  if (type === undefined) return new Failure(`unknown EIO3 binary packet type byte ${bytes[0]}`);
  return { type, data: bytes.subarray(1) };
}

export function encodeEioText(type: EioPacketType, data = ''): string {
  return EIO_TYPES.indexOf(type) + data;
}

export function encodeEioBinary(bytes: Uint8Array, eio: EioVersion): Uint8Array {
  if (eio === 4) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out[0] = 4;
  out.set(bytes, 1);
  return out;
}

function decodeBase64Packet(text: string, eio: EioVersion | undefined): EioPacket | Failure {
  const digit = text.charCodeAt(1) - 48;
  const v3 = eio === undefined ? text.length % 4 === 2 && digit >= 0 && digit <= 9 : eio === 3;
  const type = v3 ? EIO_TYPES[digit] : 'message';
  const bytes = base64ToBytes(text.slice(v3 ? 2 : 1));
  if (type === undefined || bytes === null) return new Failure('invalid base64 binary packet');
  return { type, data: bytes };
}
