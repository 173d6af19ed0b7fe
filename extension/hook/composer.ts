// The emit composer's hands in the page: puts an already encoded plan on the page's own connection (its live
// WebSocket, or a polling POST with the session's sid and the page's cookies), or fires it at the page's socket as
// if the server had sent it. Every frame it touches is recorded with `origin: 'sockscope'`. Nothing here runs page
// code: natives only, and the page's listeners run only for an event the user asked to fire at them.
import type { HookWirePlan, SendOutcome } from '../messages.ts';
import type { FrameLog } from './frame-log.ts';
import { socketOf } from './live-sockets.ts';
import { postEnded, postStarted, postsInFlight } from './polling-posts.ts';
import { call, isEngineIoUrl, natives, thenNative } from './natives.ts';
import { column, toArray } from './own-arrays.ts';

const PLAN_MAX_FRAMES = 1000;
/** How long the composer waits for the page's own POST to the session to finish before sending its own. */
const POST_WAIT_MS = 10_000;
const POST_WAIT_STEP_MS = 5;
const POLLING_URL = /[?&]transport=polling(&|$)/;
const SID_QUERY = /[?&]sid=[^&]/;

export interface SendCommand {
  requestId: string;
  plan: HookWirePlan;
}

function isBytes(value: unknown): value is ArrayBuffer {
  try {
    return typeof call(natives.arrayBufferByteLength, value) === 'number';
  } catch {
    return false;
  }
}

const isData = (value: unknown): value is string | ArrayBuffer => typeof value === 'string' || isBytes(value);

/** The relay's `send`, checked without Array.isArray or any other built-in a page may have replaced. */
export function readSendCommand(message: Record<string, unknown>): SendCommand | undefined {
  const requestId = message.requestId;
  const plan = message.plan as Record<string, unknown> | null;
  if (typeof requestId !== 'string' || typeof plan !== 'object' || plan === null) return undefined;
  if (plan.via === 'polling') {
    return typeof plan.url === 'string' && isData(plan.body) ? { requestId, plan: { via: 'polling', url: plan.url, body: plan.body } } : undefined;
  }
  if ((plan.via !== 'websocket' && plan.via !== 'inject') || typeof plan.socket !== 'string') return undefined;
  const frames = plan.frames as Record<number, unknown> & { length?: unknown };
  if (typeof frames !== 'object' || frames === null || typeof frames.length !== 'number' || frames.length < 1 || frames.length > PLAN_MAX_FRAMES) return undefined;
  const copy = column<string | ArrayBuffer>();
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i];
    if (!isData(frame)) return undefined;
    copy[i] = frame;
  }
  return { requestId, plan: { via: plan.via, socket: plan.socket, frames: toArray(copy, frames.length) } };
}

const fail = (reason: string): SendOutcome => ({ ok: false, reason });

/**
 * A dictionary for a Web API (event init, fetch init) without a prototype: the browser reads every member it knows,
 * and on a plain object a missing one would be looked up on Object.prototype, where a page may have put a getter.
 */
function dict<T extends object>(members: T): T {
  // Own keys only, read once by index: no for-in (it walks the prototype), no Object.keys (page-replaceable).
  const out = natives.objectCreate(null) as Record<PropertyKey, unknown>;
  const keys = natives.reflectOwnKeys(members);
  for (let i = 0; i < keys.length; i++) out[keys[i]] = (members as Record<PropertyKey, unknown>)[keys[i]];
  return out as T;
}

/** A one-item iterable for a Blob's parts that uses no Array.prototype iterator (a page may have replaced it). */
function onePart(part: ArrayBuffer): BlobPart[] {
  let done = false;
  const next = () => (done ? dict({ done: true, value: undefined }) : ((done = true), dict({ done: false, value: part })));
  const iterator = dict({ next });
  return dict({ [Symbol.iterator]: () => iterator }) as unknown as BlobPart[];
}
const opcodeOf = (data: string | ArrayBuffer) => (typeof data === 'string' ? ('text' as const) : ('binary' as const));

function copyBytes(buffer: ArrayBuffer): ArrayBuffer {
  const copy = new natives.Uint8Array(call(natives.arrayBufferByteLength, buffer) as number);
  call(natives.typedArraySet, copy, new natives.Uint8Array(buffer));
  return call(natives.typedArrayBuffer, copy) as ArrayBuffer;
}

/** Runs a plan and calls `reply` once with what happened. */
export function runSend(command: SendCommand, log: FrameLog, nextConn: (prefix: string) => string, reply: (outcome: SendOutcome) => void): void {
  try {
    const plan = command.plan;
    if (plan.via === 'polling') return postPolling(plan.url, plan.body, log, nextConn, reply);
    reply(plan.via === 'websocket' ? sendOnSocket(plan.socket, plan.frames, log) : fireAtPage(plan.socket, plan.frames, log));
  } catch (e) {
    reply(fail(`the page refused it: ${typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }).message : 'unknown error'}`));
  }
}

/** The open WebSocket, or why there is none. */
function openSocket(conn: string): WebSocket | string {
  const ws = socketOf(conn);
  if (ws === undefined) return 'the socket is closed (the page has no such WebSocket any more)';
  const state = call(natives.webSocketReadyState, ws) as number;
  if (state === 0) return 'the socket is still connecting';
  if (state !== 1) return 'the socket is closed';
  return ws;
}

function sendOnSocket(conn: string, frames: (string | ArrayBuffer)[], log: FrameLog): SendOutcome {
  const ws = openSocket(conn);
  if (typeof ws === 'string') return fail(ws);
  const url = call(natives.webSocketUrl, ws) as string;
  // The native send: a page that wrapped `send` sees nothing; the hook records each frame itself.
  for (let i = 0; i < frames.length; i++) {
    const data = frames[i];
    call(natives.webSocketSend, ws, data);
    log.record({ conn, url, transport: 'websocket', dir: 'out', kind: 'message', opcode: opcodeOf(data), data, origin: 'sockscope' });
  }
  return { ok: true };
}

function fireAtPage(conn: string, frames: (string | ArrayBuffer)[], log: FrameLog): SendOutcome {
  const ws = openSocket(conn);
  if (typeof ws === 'string') return fail(ws);
  const url = call(natives.webSocketUrl, ws) as string;
  const blobs = call(natives.webSocketBinaryType, ws) === 'blob';
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i];
    log.record({ conn, url, transport: 'websocket', dir: 'in', kind: 'message', opcode: opcodeOf(frame), data: frame, origin: 'sockscope' });
    // The page gets its own copy of the bytes, in the form its binaryType asks for.
    const data = typeof frame === 'string' ? frame : blobs ? new natives.Blob(onePart(copyBytes(frame))) : copyBytes(frame);
    // Dispatched events are not trusted: the hook's own listeners skip them, the page's run as for a real message.
    call(natives.dispatchEvent, ws, new natives.MessageEvent('message', dict({ data })));
  }
  return { ok: true };
}

function postPolling(url: string, body: string | ArrayBuffer, log: FrameLog, nextConn: (prefix: string) => string, reply: (outcome: SendOutcome) => void): void {
  if (!isEngineIoUrl(url) || call(natives.regExpExec, POLLING_URL, url) === null || call(natives.regExpExec, SID_QUERY, url) === null) {
    return reply(fail('not an Engine.IO polling URL with a sid'));
  }
  if (typeof natives.fetch !== 'function') return reply(fail('this page has no fetch'));
  // Two POSTs of one session at once make the server close it: wait for the page's own to be answered.
  let waited = 0;
  const whenIdle = (): void => {
    try {
      if (postsInFlight(url) > 0 && waited < POST_WAIT_MS) {
        waited += POST_WAIT_STEP_MS;
        call(natives.setTimeout, globalThis, whenIdle, POST_WAIT_STEP_MS);
        return;
      }
      if (postsInFlight(url) > 0) return reply(fail(`the page's own POST to this session was still unanswered after ${POST_WAIT_MS} ms: not sent`));
      post(url, body, log, nextConn, reply);
    } catch {
      reply(fail('the POST could not be made'));
    }
  };
  whenIdle();
}

function post(url: string, body: string | ArrayBuffer, log: FrameLog, nextConn: (prefix: string) => string, reply: (outcome: SendOutcome) => void): void {
  const conn = nextConn('c');
  const opcode = opcodeOf(body);
  // Recorded before the POST: the server may answer (an ack, on the page's pending GET) before the POST returns.
  log.record({ conn, url, transport: 'polling', dir: 'out', kind: 'request', method: 'POST', opcode, data: body, origin: 'sockscope' });
  const headers = dict({ 'content-type': opcode === 'text' ? 'text/plain;charset=UTF-8' : 'application/octet-stream' });
  const response = call(natives.fetch, globalThis, url, dict({ method: 'POST', body, headers, credentials: 'include', cache: 'no-store' })) as Promise<Response>;
  // Counted like the page's own, so a second composer POST waits for this one too.
  postStarted(url);
  let ended = false;
  const end = () => {
    if (!ended) postEnded(url);
    ended = true;
  };
  const failed = (status: number, text: string, reason: string) => {
    end();
    log.record({ conn, url, transport: 'polling', dir: 'in', kind: 'response', status, opcode: 'text', data: text, origin: 'sockscope' });
    reply(fail(reason));
  };
  // Every callback catches: an exception in a promise reaction would reach the page as an unhandled rejection.
  const guarded = <T,>(run: (value: T) => void) => (value: T) => {
    try {
      run(value);
    } catch {
      end();
      reply(fail('the answer to the POST could not be read'));
    }
  };
  thenNative(
    response,
    guarded((res: Response) => {
      end();
      const status = call(natives.responseStatus, res) as number;
      thenNative(
        call(natives.responseArrayBuffer, res) as Promise<ArrayBuffer>,
        guarded((bytes: ArrayBuffer) => {
          const text = call(natives.textDecoderDecode, new natives.TextDecoder(), bytes) as string;
          if (status !== 200) return failed(status, text, `the server answered the POST with ${status}: ${call(natives.stringSlice, text, 0, 200) as string}`);
          log.record({ conn, url, transport: 'polling', dir: 'in', kind: 'response', status, opcode: 'text', data: text, origin: 'sockscope' });
          reply({ ok: true });
        }),
        guarded(() => failed(status, '', 'the POST was sent, but its answer could not be read')),
      );
    }),
    guarded(() => failed(0, '', 'the POST failed (network error, or the server refused it across origins)')),
  );
}
