import type { FrameLog, Slot } from './frame-log.ts';
import { applyNative, replaceMethod, scrub } from './disguise.ts';
import { whenRead } from './payload.ts';
import { absoluteUrl, call, isEngineIoUrl, natives, thenNative, upperCase, urlOf } from './natives.ts';
import { postEnded, postStarted } from './polling-posts.ts';

const OCTET_STREAM = /octet-stream/i;

/** The URL of a string, URL or Request input, read without running page code; undefined for anything else. */
function inputUrl(input: unknown): string | undefined {
  const direct = urlOf(input);
  if (direct !== undefined || typeof input !== 'object' || input === null) return direct;
  try {
    return call(natives.requestUrl, input) as string;
  } catch {
    return undefined;
  }
}

function isBinary(contentType: unknown): boolean {
  return typeof contentType === 'string' && call(natives.regExpExec, OCTET_STREAM, contentType) !== null;
}

/**
 * Wraps `fetch` (a Proxy of the native). For an Engine.IO URL the hook builds the Request itself, from the page's
 * arguments, and hands that to the native: the page's init object is read once, as without the hook (its getters
 * run once), and the hook reads method and body from its own Request (a clone, taken before the native consumes
 * it). When the arguments do not make a Request, the native is called with them as they are, for its own error.
 *
 * The page gets a promise derived from the native one (resolved one microtask later, with the same response or
 * reason), for every URL: the hook has to observe the native promise, which marks it handled, so only a promise
 * of its own still reports an unhandled rejection to the page; and a rejection's stack loses the hook's frame.
 * The response is copied through `response.clone()` in that first reaction, before the page can read it.
 */
export function wrapFetch(log: FrameLog, nextConn: (prefix: string) => string): void {
  const nativeFetch = globalThis.fetch;
  if (typeof nativeFetch !== 'function' || typeof natives.Request !== 'function') return;
  const decoder = new natives.TextDecoder();
  const decode = (data: ArrayBuffer) => call(natives.textDecoderDecode, decoder, data) as string;

  const wrapped = new Proxy(nativeFetch, {
    apply(target, self: unknown, args: unknown[]) {
      let limit: number | undefined;
      const onLimit = (value: number | undefined) => (limit = value);
      const derive = (promise: Promise<Response>, onResponse?: (response: Response) => void, onFailure?: () => void): Promise<Response> =>
        thenNative(
          promise,
          (response) => {
            try {
              onResponse?.(response);
            } catch {
              // never into the page
            }
            return response;
          },
          (error) => {
            try {
              onFailure?.();
            } catch {
              // never into the page
            }
            scrub(error, limit);
            throw error;
          },
        ) as Promise<Response>;

      let url: string | undefined;
      try {
        const raw = inputUrl(args[0]);
        url = raw === undefined ? undefined : absoluteUrl(raw);
        if (url !== undefined && !isEngineIoUrl(url)) url = undefined;
      } catch {
        url = undefined;
      }
      if (url === undefined) return derive(applyNative(target, self, args, onLimit));

      let request: Request;
      try {
        request = natives.reflectConstruct(natives.Request, args) as Request;
      } catch {
        return derive(applyNative(target, self, args, onLimit));
      }

      const conn = nextConn('h');
      let method = 'GET';
      let slot: Slot | undefined;
      try {
        method = upperCase(call(natives.requestMethod, request) as string);
        url = call(natives.requestUrl, request) as string;
        const base = { conn, url, transport: 'polling' as const, dir: 'out' as const, kind: 'request' as const, method };
        if (call(natives.requestBody, request) === null) {
          log.record({ ...base, opcode: 'text', data: '' });
        } else {
          const binary = isBinary(call(natives.headersGet, call(natives.requestHeaders, request), 'content-type'));
          const reserved = log.reserve({ ...base, opcode: binary ? 'binary' : 'text', data: undefined });
          slot = reserved;
          const body = call(natives.requestArrayBuffer, call(natives.requestClone, request)) as Promise<ArrayBuffer>;
          whenRead(body, (data) => log.complete(reserved, binary ? data : decode(data)), () => log.complete(reserved, undefined, 'body unreadable'));
        }
      } catch {
        if (slot) log.complete(slot, undefined, 'body unreadable');
      }

      const promise = applyNative(target, self, [request], onLimit) as Promise<Response>;
      const responseUrl = url;
      const post = method === 'POST';
      if (post) postStarted(responseUrl);
      return derive(
        promise,
        (response) => {
          if (post) postEnded(responseUrl);
          const status = call(natives.responseStatus, response) as number;
          const binary = isBinary(call(natives.headersGet, call(natives.responseHeaders, response), 'content-type'));
          const reserved = log.reserve({ conn, url: responseUrl, transport: 'polling', dir: 'in', kind: 'response', method, status, opcode: binary ? 'binary' : 'text', data: undefined });
          const body = call(natives.responseArrayBuffer, call(natives.responseClone, response)) as Promise<ArrayBuffer>;
          whenRead(body, (data) => log.complete(reserved, binary ? data : decode(data)), () => log.complete(reserved, undefined, 'body unreadable'));
        },
        () => {
          if (post) postEnded(responseUrl);
          log.record({ conn, url: responseUrl, transport: 'polling', dir: 'in', kind: 'response', method, status: 0, opcode: 'text', data: '' });
        },
      );
    },
  });
  replaceMethod(globalThis, 'fetch', wrapped);
}
