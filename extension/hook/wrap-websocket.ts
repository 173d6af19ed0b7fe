import type { FrameHead } from '../messages.ts';
import type { FrameLog } from './frame-log.ts';
import { applyNative, constructNative, replaceMethod } from './disguise.ts';
import { copyPayload, whenRead } from './payload.ts';
import { forgetSocket, rememberSocket } from './live-sockets.ts';
import { call, isEngineIoUrl, natives, uncurry } from './natives.ts';

const messageData = uncurry<[], unknown>(natives.messageEventData);
const webSocketUrl = uncurry<[], string>(natives.webSocketUrl);
const weakMapGet = uncurry<[object], string | undefined>(natives.weakMapGet);

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
    rememberSocket(conn, ws);
    // One head per kind of frame, shared by all of this socket's frames of that kind: a message allocates nothing.
    const head = (kind: 'open' | 'message' | 'error', opcode?: 'text' | 'binary'): FrameHead =>
      opcode ? { conn, url, transport: 'websocket', dir: 'in', kind, opcode } : { conn, url, transport: 'websocket', dir: 'in', kind };
    const textIn = head('message', 'text');
    const binaryIn = head('message', 'binary');
    // `isTrusted` is an own, unforgeable property of every event: reading it runs no page code.
    const on = (type: string, listener: (event: Event) => void) => call(natives.addEventListener, ws, type, (event: Event) => event.isTrusted && listener(event));
    on('open', () => log.recordData(head('open'), undefined));
    // The per-message path: one listener, a getter, a clock read and a few array writes for text.
    call(natives.addEventListener, ws, 'message', (event: Event) => {
      if (!event.isTrusted) return;
      const data = messageData(event);
      if (typeof data === 'string') return log.recordData(textIn, data);
      const payload = copyPayload(data);
      if (!payload) return;
      if (payload.pending !== undefined) {
        const slot = log.reserve({ ...binaryIn, data: undefined });
        whenRead(payload.pending, (data) => log.complete(slot, data), () => log.complete(slot, undefined, 'blob unreadable'));
      } else {
        log.recordData(payload.opcode === 'text' ? textIn : binaryIn, payload.data);
      }
    });
    on('close', (event) => {
      forgetSocket(conn);
      const code = call(natives.closeEventCode, event) as number;
      const reason = call(natives.closeEventReason, event) as string;
      log.record({ conn, url, transport: 'websocket', dir: 'in', kind: 'close', code, reason, data: undefined });
    });
    on('error', () => log.recordData(head('error'), undefined));
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
        const conn = weakMapGet(observed, self);
        if (conn !== undefined) {
          const payload = copyPayload(args[0]);
          if (payload) {
            const url = webSocketUrl(self);
            if (payload.pending !== undefined) {
              const slot = log.reserve({ conn, url, transport: 'websocket', dir: 'out', kind: 'message', opcode: 'binary', data: undefined });
              whenRead(payload.pending, (data) => log.complete(slot, data), () => log.complete(slot, undefined, 'blob unreadable'));
            } else {
              log.record({ conn, url, transport: 'websocket', dir: 'out', kind: 'message', opcode: payload.opcode, data: payload.data });
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
