import { base64ToBytes, bytesToBase64, utf8Decode, utf8DecodeStrict, utf8Encode } from '../bytes.ts';
import { Failure } from '../failure.ts';
import type { EioVersion } from '../types.ts';
import { EIO_TYPES, decodeEioText, encodeEioText, type EioPacket } from './packet.ts';

/** A polling body decodes into packets; a failure stops the body there, keeping what came before. */
export type PayloadItem = EioPacket | Failure;

const RECORD_SEPARATOR = '\x1e';

/** EIO4: packets joined by U+001E; binary packets are `b<base64>`. */
export function decodePayloadV4(body: string): PayloadItem[] {
  const items: PayloadItem[] = [];
  for (const part of splitPayloadV4(body)) items.push(decodePayloadPartV4(part));
  return items;
}

/** The packets of an EIO4 payload, undecoded. */
export function splitPayloadV4(body: string): string[] {
  return body.split(RECORD_SEPARATOR);
}

/** One packet of an EIO4 payload. */
export function decodePayloadPartV4(part: string): PayloadItem {
  if (part.charCodeAt(0) === 98 /* b */) {
    const bytes = base64ToBytes(part.slice(1));
    return bytes ? { type: 'message', data: bytes, wire: part.length } : new Failure('invalid base64 in binary packet', part);
  }
  const packet = decodeEioText(part);
  return packet instanceof Failure ? new Failure(packet.reason, part) : packet;
}

/** EIO3 text payload: `<length>:<packet>` repeated, length in UTF-16 code units; `b<type><base64>` for binary. */
export function decodePayloadV3Text(body: string): PayloadItem[] {
  // engine.io-parser 2 refuses an empty body ("parser error"); the empty payload is `0:`.
  if (body.length === 0) return [new Failure('empty EIO3 payload (the empty payload is "0:")', body)];
  const items: PayloadItem[] = [];
  let i = 0;
  while (i < body.length) {
    const colon = body.indexOf(':', i);
    const digits = colon < 0 ? '' : body.slice(i, colon);
    if (colon < 0 || digits.length === 0 || digits.length > 15 || !/^\d+$/.test(digits)) {
      items.push(new Failure('invalid EIO3 payload: expected <length>:<packet>', body.slice(i)));
      return items;
    }
    const length = Number(digits);
    const start = colon + 1;
    if (start + length > body.length) {
      items.push(
        new Failure(`truncated EIO3 payload: packet declares ${length} characters, ${body.length - start} left`, body.slice(i)),
      );
      return items;
    }
    i = start + length;
    if (length === 0) continue; // `0:` is the empty payload
    const packet = body.slice(start, i);
    if (packet.charCodeAt(0) === 98 /* b */) {
      const type = EIO_TYPES[packet.charCodeAt(1) - 48];
      const bytes = base64ToBytes(packet.slice(2));
      if (type === undefined || bytes === null) items.push(new Failure('invalid EIO3 base64 packet', packet));
      else items.push({ type, data: bytes, wire: packet.length });
    } else {
      const decoded = decodeEioText(packet);
      items.push(decoded instanceof Failure ? new Failure(decoded.reason, packet) : decoded);
    }
  }
  return items;
}

/**
 * EIO3 binary payload (XHR2 clients, when a batch holds binary): per packet
 * `<0 string | 1 binary><length, one byte per decimal digit><0xFF><packet>`.
 */
export function decodePayloadV3Binary(bytes: Uint8Array): PayloadItem[] {
  const items: PayloadItem[] = [];
  let i = 0;
  while (i < bytes.length) {
    const isString = bytes[i] === 0;
    if (!isString && bytes[i] !== 1) {
      items.push(new Failure(`invalid EIO3 binary payload: packet kind byte ${bytes[i]}`, bytesToBase64(bytes.subarray(i))));
      return items;
    }
    let length = 0;
    let j = i + 1;
    for (; j < bytes.length && bytes[j] !== 0xff; j++) {
      if (bytes[j] > 9 || j - i > 16) {
        items.push(new Failure('invalid EIO3 binary payload length', bytesToBase64(bytes.subarray(i))));
        return items;
      }
      length = length * 10 + bytes[j];
    }
    const start = j + 1;
    if (j >= bytes.length || start + length > bytes.length) {
      items.push(new Failure('truncated EIO3 binary payload', bytesToBase64(bytes.subarray(i))));
      return items;
    }
    const body = bytes.subarray(start, start + length);
    i = start + length;
    if (isString) {
      // engine.io-parser 2 refuses a string packet that is not UTF-8 (and goes on with the next one).
      const text = utf8DecodeStrict(body);
      if (text === null) {
        items.push(new Failure('invalid UTF-8 in EIO3 binary payload', utf8Decode(body)));
      } else {
        const decoded = decodeEioText(text);
        if (decoded instanceof Failure) items.push(new Failure(decoded.reason, text));
        else items.push({ type: decoded.type, data: decoded.data, wire: body.length });
      }
    } else {
      const type = EIO_TYPES[body[0]];
      items.push(
        type === undefined
          ? new Failure('invalid EIO3 binary packet type', bytesToBase64(body))
          : { type, data: body.subarray(1), wire: body.length },
      );
    }
  }
  return items;
}

/** EIO3 JSONP response: `___eio[<n>]("<escaped payload>");`. */
export function unwrapJsonpResponse(body: string): string | Failure {
  const match = /^___eio\[\d+\]\((".*")\);?\s*$/s.exec(body);
  if (!match) return new Failure('invalid JSONP response', body);
  try {
    const inner: unknown = JSON.parse(match[1]);
    return typeof inner === 'string' ? inner : new Failure('invalid JSONP response', body);
  } catch {
    return new Failure('invalid JSONP response', body);
  }
}

/**
 * EIO3 JSONP request body: form field `d`. The client turned each JSON escape `\n` into `\\n` and each real newline
 * into `\n` (a form would send newlines as CRLF); this undoes both, as engine.io 3's server does.
 */
export function unwrapJsonpRequest(body: string): string | Failure {
  if (!body.startsWith('d=')) return new Failure('invalid JSONP request body', body);
  try {
    return decodeURIComponent(body.slice(2).replace(/\+/g, ' ')).replace(/\\?\\n/g, (escape) => (escape.length === 3 ? '\\n' : '\n'));
  } catch {
    return new Failure('invalid JSONP request body', body);
  }
}

export interface EncodablePacket {
  type: EioPacket['type'];
  data?: string | Uint8Array;
}

/** Encodes packets as one polling body. EIO3 `binary: true` writes the XHR2 binary payload form. */
export function encodePayload(packets: EncodablePacket[], eio: EioVersion, binary = false): string | Uint8Array {
  if (eio === 4) {
    return packets
      .map((p) => (p.data instanceof Uint8Array ? 'b' + bytesToBase64(p.data) : encodeEioText(p.type, p.data)))
      .join(RECORD_SEPARATOR);
  }
  if (!binary) {
    if (packets.length === 0) return '0:';
    return packets
      .map((p) => {
        const text = p.data instanceof Uint8Array ? 'b' + EIO_TYPES.indexOf(p.type) + bytesToBase64(p.data) : encodeEioText(p.type, p.data);
        return text.length + ':' + text;
      })
      .join('');
  }
  const chunks: number[] = [];
  for (const p of packets) {
    let body: Uint8Array;
    if (p.data instanceof Uint8Array) {
      body = new Uint8Array(p.data.length + 1);
      body[0] = EIO_TYPES.indexOf(p.type);
      body.set(p.data, 1);
      chunks.push(1);
    } else {
      body = utf8Encode(encodeEioText(p.type, p.data));
      chunks.push(0);
    }
    for (const digit of String(body.length)) chunks.push(Number(digit));
    chunks.push(0xff);
    for (const b of body) chunks.push(b);
  }
  return Uint8Array.from(chunks);
}
