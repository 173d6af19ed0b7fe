import { Failure } from '../failure.ts';
import type { SioPacketType } from '../types.ts';

/** Wire type digits 0..6; BINARY_EVENT (5) and BINARY_ACK (6) are reported as event / ack with attachments. */
export const SIO_TYPES: readonly SioPacketType[] = ['connect', 'disconnect', 'event', 'ack', 'connect_error', 'event', 'ack'];

/** Above this an attachment count is taken as garbage rather than a packet to wait for. */
export const MAX_ATTACHMENTS = 1000;

export interface SioHeader {
  /** The wire type digit, 0..6. */
  code: number;
  type: SioPacketType;
  /** -1 unless BINARY_EVENT / BINARY_ACK. */
  attachments: number;
  ns: string;
  query?: string;
  id?: number;
  /** Index where the JSON payload starts; equal to the length when there is none. */
  start: number;
}

/**
 * `<type>[<attachments>-][<nsp>,][<ackId>][<JSON>]`, read the way socket.io-parser reads it. `into`: a header to fill
 * instead of a new one (the tracker reuses one for every packet).
 */
export function parseSioHeader(text: string, into?: SioHeader): SioHeader | Failure {
  const code = text.charCodeAt(0) - 48;
  if (!(code >= 0 && code <= 6)) return new Failure(`unknown Socket.IO packet type ${JSON.stringify(text.slice(0, 1))}`);
  let i = 1;
  let attachments = -1;
  if (code === 5 || code === 6) {
    const dash = text.indexOf('-', 1);
    const digits = dash < 0 ? '' : text.slice(1, dash);
    if (digits.length === 0 || digits.length > 6 || !/^\d+$/.test(digits)) return new Failure('illegal attachments');
    attachments = Number(digits);
    if (attachments > MAX_ATTACHMENTS) return new Failure(`illegal attachments: ${attachments} is more than ${MAX_ATTACHMENTS}`);
    i = dash + 1;
  }
  let ns = '/';
  let query: string | undefined;
  if (text.charCodeAt(i) === 47 /* / */) {
    const comma = text.indexOf(',', i);
    const end = comma < 0 ? text.length : comma;
    ns = text.slice(i, end);
    i = comma < 0 ? end : end + 1;
    const q = ns.indexOf('?');
    if (q >= 0) {
      query = ns.slice(q + 1);
      ns = ns.slice(0, q);
    }
  }
  // The reference parser tests `Number(c) == c`, which holds for digits and for every character `Number` trims
  // (the whitespace and line terminators of `\s`: tab, no-break space, BOM...), so those run with an ack id's digits.
  let j = i;
  for (; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (!((c >= 48 && c <= 57) || c === 32 || ((c < 48 || c > 127) && /\s/.test(text[j])))) break;
  }
  let id: number | undefined;
  if (j > i) {
    id = Number(text.slice(i, j));
    i = j;
  }
  if (into) {
    into.code = code;
    into.type = SIO_TYPES[code];
    into.attachments = attachments;
    into.ns = ns;
    into.query = query;
    into.id = id;
    into.start = i;
    return into;
  }
  const header: SioHeader = { code, type: SIO_TYPES[code], attachments, ns, id, start: i };
  if (query !== undefined) header.query = query;
  return header;
}
