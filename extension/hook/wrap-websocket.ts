import type { FrameLog } from './frame-log.ts';
import { applyNative, constructNative, replaceMethod } from './disguise.ts';
import { copyPayload, whenRead } from './payload.ts';
import { call, isEngineIoUrl, natives } from './natives.ts';

export { replaceMethod } from './disguise.ts';

/**
 * Replaces `WebSocket` with a Proxy of itself: construction, statics, `prototype`, `instanceof`, subclassing and
 * `name` behave as before. Engine.IO sockets get listeners of our own, added first so that they see each message
 * before any page listener; `send` is a Proxy too, recording only after the native call succeeded. Everything is
 * read through native getters (a page subclass may override `url`), and events the page dispatches itself at a
 * socket (`isTrusted` false) are not traffic.
 */
export function wrapWebSocket(log: FrameLog, nextConn: (prefix: string) => string): void {
  const Native = globalThis.WebSocket;
  if (typeof Native !== 'function') return;
  const observed = new natives.WeakMap<WebSocket, string>();

  const observe = (ws: WebSocket): void => {
    const url = call(natives.webSocketUrl, ws) as string;
    if (!isEngineIoUrl(url)) return;
    const conn = nextConn('w');
    call(natives.weakMapSet, observed, ws, conn);
    const base = { conn, url, transport: 'websocket' as const };
    // `isTrusted` is an own, unforgeable property of every event: reading it runs no page code.
    const on = (type: string, listener: (event: Event) => void) => call(natives.addEventListener, ws, type, (event: Event) => event.isTrusted && listener(event));
    on('open', () => log.record({ ...base, dir: 'in', kind: 'open' }));
    on('message', (event) => {
      const payload = copyPayload(call(natives.messageEventData, event));
      if (!payload) return;
      if ('pending' in payload) {
        const slot = log.reserve({ ...base, dir: 'in', kind: 'message', opcode: 'binary' });
        whenRead(payload.pending, (data) => log.complete(slot, data), () => log.complete(slot, undefined, 'blob unreadable'));
      } else {
        log.record({ ...base, dir: 'in', kind: 'message', opcode: payload.opcode, data: payload.data });
      }
    });
    on('close', (event) => {
      const code = call(natives.closeEventCode, event) as number;
      const reason = call(natives.closeEventReason, event) as string;
      log.record({ ...base, dir: 'in', kind: 'close', code, reason });
    });
    on('error', () => log.record({ ...base, dir: 'in', kind: 'error' }));
  };

  const Wrapped = new Proxy(Native, {
    construct(target, args, newTarget) {
      const ws = constructNative(target, args, newTarget) as WebSocket;
      try {
        observe(ws);
      } catch {
        // never into the page
      }
      return ws;
    },
  });

  const proto = Native.prototype;
  const nativeSend = proto.send;
  const wrappedSend = new Proxy(nativeSend, {
    apply(target, self: WebSocket, args: unknown[]) {
      const result = applyNative(target, self, args);
      try {
        const conn = call(natives.weakMapGet, observed, self);
        if (conn !== undefined) {
          const payload = copyPayload(args[0]);
          if (payload) {
            const base = { conn, url: call(natives.webSocketUrl, self) as string, transport: 'websocket' as const, dir: 'out' as const, kind: 'message' as const };
            if ('pending' in payload) {
              const slot = log.reserve({ ...base, opcode: 'binary' });
              whenRead(payload.pending, (data) => log.complete(slot, data), () => log.complete(slot, undefined, 'blob unreadable'));
            } else {
              log.record({ ...base, opcode: payload.opcode, data: payload.data });
            }
          }
        }
      } catch {
        // never into the page
      }
      return result;
    },
  });

  replaceMethod(proto, 'send', wrappedSend);
  replaceMethod(proto, 'constructor', Wrapped);
  replaceMethod(globalThis, 'WebSocket', Wrapped);
}
