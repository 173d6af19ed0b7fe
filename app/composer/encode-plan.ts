// From a composed emit to the exact wire messages for one connection: its Engine.IO / Socket.IO versions, its
// parser (default with binary attachments, or msgpack) and its transport (the live WebSocket, or a polling POST
// with the session's sid). Every check happens here, before anything is sent.
import { bytesToBase64, utf8Length } from '../../protocol/bytes.ts';
import { encodeSioPacket, toPollingBody, toWebSocketFrames } from '../../protocol/encoder.ts';
import type { ConnectionInfo } from '../../protocol/tracker/connection.ts';
import type { EmitTarget } from './sender.ts';
import { PLAN_MAX_FRAMES, type WireData, type WirePlan } from './wire-plan.ts';

export interface EmitDraft {
  target: EmitTarget;
  connection: ConnectionInfo;
  /** The raw conn of the connection's open WebSocket, if it has one (CaptureStore.liveWebSocket). */
  liveSocket: string | undefined;
  ns: string;
  event: string;
  args: unknown[];
  ackId?: number;
}

export type PlanResult = { ok: true; plan: WirePlan } | { ok: false; error: string };

/** Names a Socket.IO client or server keeps for itself: an event with one of them would not reach a handler. */
const RESERVED = new Set(['connect', 'connect_error', 'connect_timeout', 'connecting', 'disconnect', 'disconnecting', 'error', 'newListener', 'removeListener', 'reconnect', 'reconnect_attempt', 'reconnect_error', 'reconnect_failed', 'reconnecting', 'ping', 'pong']);
export const EVENT_NAME_MAX = 1024;

export function checkEventName(name: string): string | undefined {
  if (name === '') return 'an event needs a name';
  if (name.length > EVENT_NAME_MAX) return `the event name is longer than ${EVENT_NAME_MAX} characters`;
  if (RESERVED.has(name)) return `"${name}" is reserved by Socket.IO: no handler would get it`;
  return undefined;
}

/** Ack ids far above any a page's client reaches (each client counts from 0), so its own acks are never touched. */
export function ackIdAllocator(random = Math.random): () => number {
  let next = 2 ** 30 + Math.floor(random() * 2 ** 20);
  return () => next++;
}

function wireData(message: string | Uint8Array): WireData {
  return typeof message === 'string' ? { opcode: 'text', data: message } : { opcode: 'binary', base64: bytesToBase64(message) };
}

const byteSize = (m: string | Uint8Array) => (typeof m === 'string' ? utf8Length(m) : m.length);

/** The connection's polling URL with its sid (a WebSocket URL turned back into http). */
export function pollingUrl(url: string, sid: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol === 'ws:') parsed.protocol = 'http:';
  else if (parsed.protocol === 'wss:') parsed.protocol = 'https:';
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  parsed.searchParams.set('transport', 'polling');
  parsed.searchParams.set('sid', sid);
  parsed.searchParams.set('t', 'sockscope' + Math.floor(Math.random() * 1e9).toString(36));
  parsed.searchParams.delete('j');
  return parsed.href;
}

export function planEmit(draft: EmitDraft): PlanResult {
  const fail = (error: string): PlanResult => ({ ok: false, error });
  const { connection: c, target } = draft;
  const nameProblem = checkEventName(draft.event);
  if (nameProblem) return fail(nameProblem);
  if (c.state === 'closed') return fail(`connection ${c.id} is closed${c.closeReason ? `: ${c.closeReason}` : ''}`);
  if (c.eio === undefined || c.state !== 'open') return fail(`connection ${c.id} has not finished its handshake`);
  const ns = c.namespaces.get(draft.ns);
  if (!ns || ns.state !== 'connected') return fail(`namespace ${draft.ns} is not connected on ${c.id} (${ns ? ns.state : 'never joined'})`);
  if (target === 'page' && draft.ackId !== undefined) return fail('an event fired at the page cannot ask for an ack');

  let messages: (string | Uint8Array)[];
  try {
    messages = encodeSioPacket({ type: 'event', ns: draft.ns, event: draft.event, args: draft.args, id: draft.ackId }, c.parser);
  } catch (e) {
    return fail(`could not encode: ${(e as Error).message}`);
  }
  if (messages.length > PLAN_MAX_FRAMES) return fail(`${messages.length - 1} binary values: at most ${PLAN_MAX_FRAMES - 1} in one event`);
  const max = c.handshake?.maxPayload;

  if (draft.liveSocket !== undefined) {
    const frames = toWebSocketFrames(messages, c.eio);
    const over = max === undefined ? undefined : frames.find((f) => byteSize(f) > max);
    if (over !== undefined) return fail(`a frame of ${byteSize(over)} bytes is over the server's maxPayload (${max}): the server would close the connection`);
    return { ok: true, plan: { via: target === 'server' ? 'websocket' : 'inject', socket: draft.liveSocket, frames: frames.map(wireData) } };
  }
  if (target === 'page') return fail('this connection is on polling and cannot take an event to the page: only a WebSocket can deliver one');
  if (c.transport === 'websocket') return fail('the socket is closed');
  if (c.sid === undefined) return fail('the connection has no sid yet');
  const url = pollingUrl(c.url, c.sid);
  if (!url) return fail(`cannot make a polling URL from ${c.url}`);
  const body = toPollingBody(messages, c.eio);
  if (max !== undefined && byteSize(body) > max) return fail(`the body of ${byteSize(body)} bytes is over the server's maxPayload (${max})`);
  return { ok: true, plan: { via: 'polling', url, body: wireData(body) } };
}
