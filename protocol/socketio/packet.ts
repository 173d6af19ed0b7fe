import { Failure, parseJson } from '../failure.ts';
import type { SioPacketType, SioVersion } from '../types.ts';
import { readEventName } from './event-name.ts';
import { parseSioHeader, type SioHeader } from './header.ts';

/** A Socket.IO packet decoded in full. */
export interface SioPacket {
  type: SioPacketType;
  ns: string;
  query?: string;
  id?: number;
  event?: string | number;
  args?: unknown[];
  data?: unknown;
  /** Attachment count for BINARY_EVENT / BINARY_ACK (their placeholders are still in `args`). */
  attachments?: number;
}

/** The timeline's view of a packet: everything but the arguments. */
export interface SioSummary {
  header: SioHeader;
  event?: string | number;
}

/**
 * Whether socket.io-parser 4.2 refuses `name` as an event name (connect, connect_error, disconnect, disconnecting,
 * newListener, removeListener). By length first: every event of a capture passes here, and a Set would hash each
 * freshly parsed name.
 */
export function isReservedEvent(name: string): boolean {
  switch (name.length) {
    case 7:
      return name === 'connect';
    case 10:
      return name === 'disconnect';
    case 11:
      return name === 'newListener';
    case 13:
      return name === 'connect_error' || name === 'disconnecting';
    case 14:
      return name === 'removeListener';
    default:
      return false;
  }
}

/**
 * Header and event name only: event and ack arguments are checked for shape, not parsed. Control packets
 * (connect, disconnect, connect_error) are small and rare, so callers decode those in full. Given `sio` 5, reserved
 * event names are refused as the full decode refuses them.
 */
export function summarizeSioText(text: string, header: SioHeader, sio?: SioVersion): SioSummary | Failure {
  const summary: SioSummary = { header };
  if (header.start === text.length) return summary; // `2` or `37`: decodes, and servers reject it
  if (header.code === 2 || header.code === 5) {
    const event = readEventName(text, header.start);
    if (event instanceof Failure) return event;
    if (sio === 5 && typeof event === 'string' && isReservedEvent(event)) return reservedName(event);
    summary.event = event;
  } else if (text.charCodeAt(header.start) !== 91 /* [ */ || !text.trimEnd().endsWith(']')) {
    return new Failure('invalid payload: an ack must be a JSON array');
  }
  return summary;
}

/**
 * Validates a decoded payload against the packet type; returns the packet or a Failure. `into` is filled instead
 * of a new object when given (the tracker decodes straight into its log entry).
 */
export function packetFromPayload(header: SioHeader, payload: unknown, hasPayload: boolean, sio: SioVersion, into?: SioPacket): SioPacket | Failure {
  const packet: SioPacket = into ?? { type: header.type, ns: header.ns };
  if (header.query !== undefined) packet.query = header.query;
  if (header.id !== undefined) packet.id = header.id;
  if (header.attachments >= 0) packet.attachments = header.attachments;
  switch (header.code) {
    case 0:
      if (hasPayload) {
        // Parser 4.x wants a plain object; parser 3.x anything `typeof 'object'` (null and arrays too).
        if (sio === 5 ? !isPlainObject(payload) : typeof payload !== 'object')
          return new Failure('invalid payload: CONNECT data must be an object');
        packet.data = payload;
      }
      return packet;
    case 1:
      return hasPayload ? new Failure('invalid payload: DISCONNECT carries no data') : packet;
    case 4:
      if (!hasPayload) return sio === 5 ? new Failure('invalid payload: CONNECT_ERROR needs a reason') : packet;
      if (typeof payload !== 'string' && (sio === 5 ? !isPlainObject(payload) : typeof payload !== 'object'))
        return new Failure('invalid payload: CONNECT_ERROR data must be a string or an object');
      packet.data = payload;
      return packet;
    case 2:
    case 5: {
      if (!hasPayload) return packet;
      if (!Array.isArray(payload)) return new Failure('invalid payload: an event must be an array');
      const name: unknown = payload[0];
      if (typeof name !== 'string' && typeof name !== 'number')
        return new Failure(payload.length === 0 ? 'invalid payload: an event needs a name' : 'invalid payload: an event name must be a string or a number');
      packet.event = name;
      // The array is ours (freshly decoded): dropping the name in place spares a copy per event.
      payload.shift();
      packet.args = payload;
      return packet;
    }
    default:
      if (!hasPayload) return packet;
      if (!Array.isArray(payload)) return new Failure('invalid payload: an ack must be an array');
      packet.args = payload;
      return packet;
  }
}

/** Full decode of a text packet (the official parser's job). Binary placeholders are left for the caller. */
export function decodeSioText(text: string, sio: SioVersion = 5): SioPacket | Failure {
  const header = parseSioHeader(text);
  return header instanceof Failure ? header : decodeSioPayload(header, text, sio);
}

/** The payload half of a decode, for a header already read. */
export function decodeSioPayload(header: SioHeader, text: string, sio: SioVersion, into?: SioPacket): SioPacket | Failure {
  const hasPayload = header.start < text.length;
  const payload = hasPayload ? parseJson(text.slice(header.start)) : undefined;
  if (payload instanceof Failure) return payload;
  const packet = packetFromPayload(header, payload, hasPayload, sio, into);
  // Parser 4.2 throws on these (the msgpack parser and parser 3.x let them through).
  if (sio === 5 && !(packet instanceof Failure) && typeof packet.event === 'string' && isReservedEvent(packet.event))
    return reservedName(packet.event);
  return packet;
}

function reservedName(name: string): Failure {
  return new Failure(`invalid payload: "${name}" is a reserved event name`);
}

/** socket.io-parser's `isObject`: not null, not an array, and (msgpack) not bytes or a Date either. */
function isPlainObject(value: unknown): boolean {
  return Object.prototype.toString.call(value) === '[object Object]';
}
