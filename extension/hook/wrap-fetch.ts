import type { FrameLog, Slot } from './frame-log.ts';
import { copyPayload } from './payload.ts';
import { absoluteUrl, call, isEngineIoUrl, natives } from './natives.ts';
import { replaceMethod } from './wrap-websocket.ts';

function requestUrl(input: unknown): string | undefined {
  if (typeof input === 'string') return input;
  if (input instanceof natives.URL) return input.href;
  if (typeof Request === 'function' && input instanceof Request) return input.url;
  return undefined;
}

/**
 * Wraps `fetch` (a Proxy of the native). For Engine.IO URLs the request body is copied (a Request's body through a
 * clone taken before the native call consumes it) and the response through `response.clone()`, taken in a
 * reaction registered on the very promise the page gets, before the page can register its own: the page's body
 * stays unread and the promise it holds is the native one.
 */
export function wrapFetch(log: FrameLog, nextConn: (prefix: string) => string): void {
  const nativeFetch = globalThis.fetch;
  if (typeof nativeFetch !== 'function') return;

  const wrapped = new Proxy(nativeFetch, {
    apply(target, self, args: unknown[]) {
      let url: string | undefined;
      try {
        const raw = requestUrl(args[0]);
        url = raw === undefined ? undefined : absoluteUrl(raw);
        if (url !== undefined && !isEngineIoUrl(url)) url = undefined;
      } catch {
        url = undefined;
      }
      if (url === undefined) return natives.reflectApply(target, self, args);

      let requestSlot: Slot | undefined;
      const conn = nextConn('h');
      let method = 'GET';
      try {
        const input = args[0];
        const init = (args[1] ?? {}) as RequestInit;
        const request = typeof Request === 'function' && input instanceof Request ? input : undefined;
        method = String(init.method ?? request?.method ?? 'GET').toUpperCase();
        const base = { conn, url, transport: 'polling' as const, dir: 'out' as const, kind: 'request' as const, method };
        const body = init.body !== undefined && init.body !== null ? copyPayload(init.body) : undefined;
        if (body && !('pending' in body)) {
          log.record({ ...base, opcode: body.opcode, data: body.data });
        } else {
          requestSlot = log.reserve({ ...base, opcode: 'text', data: '' });
          const pending = body?.pending ?? (request && !init.body && request.body ? call(natives.requestArrayBuffer, call(natives.requestClone, request)) : undefined);
          if (pending) {
            requestSlot.frame.opcode = 'binary';
            const slot = requestSlot;
            (pending as Promise<ArrayBuffer>).then((data) => log.complete(slot, data), () => log.complete(slot, undefined, 'body unreadable'));
            requestSlot = undefined;
          }
        }
      } catch {
        // never into the page
      }
      let promise: Promise<Response>;
      try {
        promise = natives.reflectApply(target, self, args) as Promise<Response>;
      } catch (error) {
        if (requestSlot) log.cancel(requestSlot);
        throw error;
      }
      if (requestSlot) log.complete(requestSlot, undefined);
      try {
        promise.then(
          (response) => {
            const base = { conn, url: url!, transport: 'polling' as const, dir: 'in' as const, kind: 'response' as const, method, status: response.status };
            const type = call(natives.headersGet, response.headers, 'content-type') ?? '';
            const binary = /octet-stream/i.test(String(type));
            const slot = log.reserve({ ...base, opcode: binary ? 'binary' : 'text' });
            const body = call(natives.responseArrayBuffer, call(natives.responseClone, response)) as Promise<ArrayBuffer>;
            body.then(
              (data) => log.complete(slot, binary ? data : new TextDecoder().decode(data)),
              () => log.complete(slot, undefined, 'body unreadable'),
            );
          },
          () => log.record({ conn, url: url!, transport: 'polling', dir: 'in', kind: 'response', method, status: 0, opcode: 'text', data: '' }),
        );
      } catch {
        // never into the page
      }
      return promise;
    },
  });
  replaceMethod(globalThis, 'fetch', wrapped);
}
