import type { FrameLog, Slot } from './frame-log.ts';
import { applyNative, replaceMethod } from './disguise.ts';
import { copyPayload, whenRead } from './payload.ts';
import { absoluteUrl, call, isEngineIoUrl, natives, upperCase, urlOf } from './natives.ts';
import { postEnded, postStarted } from './polling-posts.ts';

interface Exchange {
  conn: string;
  url: string;
  method: string;
  /** Set once the request is recorded; the response is taken at readyState 4. */
  sent: boolean;
}

/**
 * Wraps `XMLHttpRequest.prototype.open` and `send` (as Proxies of the natives). Only requests to an Engine.IO URL
 * are recorded; our `readystatechange` listener is added in `open`, before engine.io-client sets its own handler,
 * so the response is numbered before anything the page does with it. The request is read through native getters
 * only (a page subclass may override them), and `open`'s arguments are not converted a second time: a URL or
 * method that is neither a string nor a URL object (the native calls its `toString`) is not recorded.
 */
export function wrapXhr(log: FrameLog, nextConn: (prefix: string) => string): void {
  const Native = globalThis.XMLHttpRequest;
  if (typeof Native !== 'function') return;
  const proto = Native.prototype;
  const exchanges = new natives.WeakMap<XMLHttpRequest, Exchange | null>();
  const listening = new natives.WeakSet<XMLHttpRequest>();

  const onReadyState = function (this: XMLHttpRequest, event: Event): void {
    try {
      if (!event.isTrusted) return;
      const exchange = call(natives.weakMapGet, exchanges, this);
      if (!exchange || !exchange.sent || call(natives.xhrReadyState, this) !== 4) return;
      exchange.sent = false;
      if (exchange.method === 'POST') postEnded(exchange.url);
      recordResponse(this, exchange);
    } catch {
      // never into the page
    }
  };

  const recordResponse = (xhr: XMLHttpRequest, exchange: Exchange): void => {
    const status = call(natives.xhrStatus, xhr) as number;
    const base = { conn: exchange.conn, url: exchange.url, transport: 'polling' as const, dir: 'in' as const, kind: 'response' as const, method: exchange.method, status };
    const type = call(natives.xhrResponseType, xhr) as XMLHttpRequestResponseType;
    let payload;
    if (type === '' || type === 'text') payload = copyPayload(call(natives.xhrResponseText, xhr));
    else if (type === 'arraybuffer' || type === 'blob') payload = copyPayload(call(natives.xhrResponse, xhr));
    else if (type === 'json') {
      const response = call(natives.xhrResponse, xhr);
      payload = copyPayload(response === null ? '' : natives.jsonStringify(response));
    }
    if (!payload) return log.record({ ...base, opcode: 'text', data: '' });
    if (payload.pending !== undefined) {
      const slot: Slot = log.reserve({ ...base, opcode: 'binary', data: undefined });
      whenRead(payload.pending, (data) => log.complete(slot, data), () => log.complete(slot, undefined, 'blob unreadable'));
    } else {
      log.record({ ...base, opcode: payload.opcode, data: payload.data });
    }
  };

  const wrappedOpen = new Proxy(proto.open, {
    apply(target, self: XMLHttpRequest, args: unknown[]) {
      const result = applyNative(target, self, args);
      try {
        const raw = urlOf(args[1]);
        const url = raw === undefined ? undefined : absoluteUrl(raw);
        if (url !== undefined && typeof args[0] === 'string' && isEngineIoUrl(url)) {
          call(natives.weakMapSet, exchanges, self, { conn: nextConn('h'), url, method: upperCase(args[0]), sent: false });
          if (!call(natives.weakSetHas, listening, self)) {
            call(natives.weakSetAdd, listening, self);
            call(natives.addEventListener, self, 'readystatechange', onReadyState);
          }
        } else if (call(natives.weakMapGet, exchanges, self)) {
          call(natives.weakMapSet, exchanges, self, null);
        }
      } catch {
        // never into the page
      }
      return result;
    },
  });

  const wrappedSend = new Proxy(proto.send, {
    apply(target, self: XMLHttpRequest, args: unknown[]) {
      let slot: Slot | undefined;
      let pending: Promise<ArrayBuffer> | undefined;
      let exchange: Exchange | null | undefined;
      try {
        exchange = call(natives.weakMapGet, exchanges, self);
        if (exchange) {
          const payload = args[0] == null ? undefined : copyPayload(args[0]);
          const base = { conn: exchange.conn, url: exchange.url, transport: 'polling' as const, dir: 'out' as const, kind: 'request' as const, method: exchange.method };
          slot = log.reserve(payload ? { ...base, opcode: payload.opcode, data: undefined } : { ...base, opcode: 'text', data: '' });
          if (payload && payload.pending !== undefined) pending = payload.pending;
          else if (payload) slot.data = payload.data;
        }
      } catch {
        slot = undefined;
      }
      // Marked before the native call: a synchronous request answers inside it (and its response waits, in the
      // log, behind this still-pending request).
      const wasSent = exchange ? exchange.sent : false;
      if (exchange) exchange.sent = true;
      if (exchange && !wasSent && exchange.method === 'POST') postStarted(exchange.url);
      const finish = () => {
        if (!slot) return;
        const sent = slot;
        if (pending) whenRead(pending, (data) => log.complete(sent, data), () => log.complete(sent, undefined, 'blob unreadable'));
        else log.complete(sent, sent.data);
      };
      let result;
      try {
        result = applyNative(target, self, args);
      } catch (error) {
        // A synchronous request that failed on the network went out (its response, status 0, is already in the
        // log); one refused before it left (a second send(), an unopened request) never happened, and leaves a
        // request already in flight as it was.
        const answered = exchange ? !exchange.sent : false;
        if (exchange && !answered) exchange.sent = wasSent;
        if (exchange && !answered && !wasSent && exchange.method === 'POST') postEnded(exchange.url);
        if (answered) finish();
        else if (slot) log.cancel(slot);
        throw error;
      }
      finish();
      return result;
    },
  });

  replaceMethod(proto, 'open', wrappedOpen);
  replaceMethod(proto, 'send', wrappedSend);
}
