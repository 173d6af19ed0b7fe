import { encodeEioBinary } from './engineio/packet.ts';
import { encodePayload } from './engineio/payload.ts';
import { deconstructPlaceholders, hasBinary } from './socketio/binary.ts';
import { encodeMsgpackPacket } from './socketio/msgpack.ts';
import type { EioVersion, ParserName, SioPacketType } from './types.ts';

/** A Socket.IO packet to send, in the decoder's terms. */
export interface OutgoingPacket {
  type: SioPacketType;
  ns?: string;
  /** Protocol v4 namespace query (`40/chat?token=x,`). */
  query?: string;
  event?: string | number;
  args?: unknown[];
  id?: number;
  /** CONNECT auth, CONNECT_ERROR reason. */
  data?: unknown;
}

/** An encoded Socket.IO packet: its Engine.IO message payloads, text or binary, in sending order. */
export type EncodedMessages = (string | Uint8Array)[];

const TYPE_CODES: Record<SioPacketType, number> = { connect: 0, disconnect: 1, event: 2, ack: 3, connect_error: 4 };

function payloadOf(packet: OutgoingPacket): unknown {
  if (packet.type === 'event') return [packet.event, ...(packet.args ?? [])];
  if (packet.type === 'ack') return packet.args ?? [];
  return packet.data;
}

/** socket.io-parser's wire form: one text message, then one binary message per attachment. */
export function encodeSioPacket(packet: OutgoingPacket, parser: ParserName = 'default'): EncodedMessages {
  const ns = packet.ns ?? '/';
  const nsp = packet.query ? `${ns}?${packet.query}` : ns;
  const payload = payloadOf(packet);
  if (parser === 'msgpack') {
    return [encodeMsgpackPacket({ type: TYPE_CODES[packet.type], nsp, data: payload, id: packet.id })];
  }
  let code = TYPE_CODES[packet.type];
  let attachments: Uint8Array[] = [];
  let data = payload;
  if ((code === 2 || code === 3) && hasBinary(payload)) {
    code += 3;
    ({ data, attachments } = deconstructPlaceholders(payload));
  }
  let text = String(code);
  if (code === 5 || code === 6) text += attachments.length + '-';
  if (nsp !== '/') text += nsp + ',';
  if (packet.id !== undefined) text += packet.id;
  if (data !== undefined) text += JSON.stringify(data);
  return [text, ...attachments];
}

/** One WebSocket frame per message: text frames carry `4<packet>`, binary frames the bytes (EIO3: type byte first). */
export function toWebSocketFrames(messages: EncodedMessages, eio: EioVersion): (string | Uint8Array)[] {
  return messages.map((m) => (typeof m === 'string' ? '4' + m : encodeEioBinary(m, eio)));
}

/** One polling body holding every message. */
export function toPollingBody(messages: EncodedMessages, eio: EioVersion, binary = false): string | Uint8Array {
  return encodePayload(
    messages.map((data) => ({ type: 'message' as const, data })),
    eio,
    binary,
  );
}
