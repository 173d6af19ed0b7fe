import type { FrameLog, Slot } from './frame-log.ts';
import { copyPayload } from './payload.ts';
import { absoluteUrl, call, isEngineIoUrl, natives } from './natives.ts';
import { replaceMethod } from './wrap-websocket.ts';

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
 * so the response is numbered before anything the page does with it.
 */
export function wrapXhr(log: FrameLog, nextConn: (prefix: string) => string): void {
  const Native = globalThis.XMLHttpRequest;
  if (typeof Native !== 'function') return;
  const proto = Native.prototype;
  const exchanges = new natives.WeakMap<XMLHttpRequest, Exchange | null>();
  const listening = new natives.WeakSet<XMLHttpRequest>();

  const onReadyState = function (this: XMLHttpRequest): void {
    try {
      const exchange = call(natives.weakMapGet, exchanges, this);
      if (!exchange || !exchange.sent || this.readyState !== 4) return;
      exchange.sent = false;
      recordResponse(this, exchange);
    } catch {
      // never into the page
    }
  };

  const recordResponse = (xhr: XMLHttpRequest, exchange: Exchange): void => {
    const base = { conn: exchange.conn, url: exchange.url, transport: 'polling' as const, dir: 'in' as const, kind: 'response' as const, method: exchange.method, status: xhr.status };
    const type = xhr.responseType;
    let payload;
    if (type === '' || type === 'text') payload = copyPayload(xhr.responseText);
    else if (type === 'arraybuffer' || type === 'blob') payload = xhr.response === null ? undefined : copyPayload(xhr.response);
    else if (type === 'json') payload = copyPayload(xhr.response === null ? '' : JSON.stringify(xhr.response));
    if (!payload) return log.record({ ...base, opcode: 'text', data: '' });
    if ('pending' in payload) {
      const slot: Slot = log.reserve({ ...base, opcode: 'binary' });
      payload.pending.then(
        (data) => log.complete(slot, data),
        () => log.complete(slot, undefined, 'blob unreadable'),
      );
    } else {
      log.record({ ...base, opcode: payload.opcode, data: payload.data });
    }
  };

  const wrappedOpen = new Proxy(proto.open, {
    apply(target, self: XMLHttpRequest, args: unknown[]) {
      const result = natives.reflectApply(target, self, args);
      try {
        const url = absoluteUrl(String(args[1]));
        if (isEngineIoUrl(url)) {
          call(natives.weakMapSet, exchanges, self, { conn: nextConn('h'), url, method: String(args[0]).toUpperCase(), sent: false });
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
          slot = log.reserve(payload ? { ...base, opcode: payload.opcode } : { ...base, opcode: 'text', data: '' });
          if (payload && 'pending' in payload) pending = payload.pending;
          else if (payload) slot.frame.data = payload.data;
        }
      } catch {
        slot = undefined;
      }
      // Marked before the native call: a synchronous request answers inside it (and its response waits, in the
      // log, behind this still-pending request).
      if (exchange) exchange.sent = true;
      let result;
      try {
        result = natives.reflectApply(target, self, args);
      } catch (error) {
        if (exchange) exchange.sent = false;
        if (slot) log.cancel(slot);
        throw error;
      }
      if (slot) {
        const sent = slot;
        if (pending) pending.then((data) => log.complete(sent, data), () => log.complete(sent, undefined, 'blob unreadable'));
        else log.complete(sent, sent.frame.data as string | ArrayBuffer | undefined);
      }
      return result;
    },
  });

  replaceMethod(proto, 'open', wrappedOpen);
  replaceMethod(proto, 'send', wrappedSend);
}
