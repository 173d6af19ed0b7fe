// The page can patch globals after we start; the hook keeps its own references, taken before any page script runs.

export const natives = {
  addEventListener: EventTarget.prototype.addEventListener,
  dispatchEvent: EventTarget.prototype.dispatchEvent,
  removeEventListener: EventTarget.prototype.removeEventListener,
  now: performance.now,
  timeOrigin: performance.timeOrigin,
  setTimeout: globalThis.setTimeout,
  queueMicrotask: globalThis.queueMicrotask,
  URL: globalThis.URL,
  ArrayBuffer: globalThis.ArrayBuffer,
  Blob: globalThis.Blob,
  blobArrayBuffer: Blob.prototype.arrayBuffer,
  arrayBufferSlice: ArrayBuffer.prototype.slice,
  isView: ArrayBuffer.isView,
  responseClone: globalThis.Response?.prototype.clone,
  responseArrayBuffer: globalThis.Response?.prototype.arrayBuffer,
  requestClone: globalThis.Request?.prototype.clone,
  requestArrayBuffer: globalThis.Request?.prototype.arrayBuffer,
  headersGet: globalThis.Headers?.prototype.get,
  postMessage: MessagePort.prototype.postMessage,
  MessageChannel: globalThis.MessageChannel,
  MessageEvent: globalThis.MessageEvent,
  Event: globalThis.Event,
  WeakMap: globalThis.WeakMap,
  WeakSet: globalThis.WeakSet,
  weakMapGet: WeakMap.prototype.get,
  weakMapSet: WeakMap.prototype.set,
  weakSetHas: WeakSet.prototype.has,
  weakSetAdd: WeakSet.prototype.add,
  mathRandom: Math.random,
  reflectApply: Reflect.apply,
  stringIndexOf: String.prototype.indexOf,
  regExpTest: RegExp.prototype.test,
};

export function call<T>(fn: (...args: never[]) => T, self: unknown, ...args: unknown[]): T {
  return natives.reflectApply(fn as (...a: unknown[]) => T, self, args);
}

export function now(): number {
  return natives.timeOrigin + call(natives.now, performance);
}

const EIO_QUERY = /[?&]EIO=\d/;

/** Engine.IO transport URLs carry `EIO=`; everything else passes untouched and unrecorded. */
export function isEngineIoUrl(url: string): boolean {
  return call(natives.regExpTest, EIO_QUERY, url);
}

/** Absolute form of a URL as the page gave it; the input itself when it does not parse. */
export function absoluteUrl(url: string): string {
  try {
    return new natives.URL(url, document.baseURI).href;
  } catch {
    return url;
  }
}
