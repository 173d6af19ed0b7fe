// The page can patch globals, prototypes and getters after we start, and can watch them being called (zone.js
// wraps Promise.prototype.then; a page subclass may override `url`). The hook keeps its own references, taken
// before any page script runs, and calls them with `call`: nothing it does on the page's behalf runs page code.

type Fn = (...args: never[]) => unknown;

const describe = Object.getOwnPropertyDescriptor;
/** The native getter of `key` on `proto` (called with `call(getter, object)`: a brand check, no page code). */
function getter(proto: object | undefined, key: string): Fn {
  const get = proto ? describe(proto, key)?.get : undefined;
  return (get ?? (() => undefined)) as Fn;
}

const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;

export const natives = {
  addEventListener: EventTarget.prototype.addEventListener,
  dispatchEvent: EventTarget.prototype.dispatchEvent,
  removeEventListener: EventTarget.prototype.removeEventListener,
  now: performance.now,
  timeOrigin: performance.timeOrigin,
  setTimeout: globalThis.setTimeout,
  URL: globalThis.URL,
  urlHref: getter(globalThis.URL?.prototype, 'href'),
  baseURI: getter(globalThis.Node?.prototype, 'baseURI'),
  Array: globalThis.Array,
  arrayFrom: Array.from,
  ArrayBuffer: globalThis.ArrayBuffer,
  arrayBufferByteLength: getter(ArrayBuffer.prototype, 'byteLength'),
  Uint8Array: globalThis.Uint8Array,
  Float64Array: globalThis.Float64Array,
  typedArraySet: (TypedArrayPrototype as { set: Fn }).set,
  typedArrayBuffer: getter(TypedArrayPrototype, 'buffer'),
  typedArrayByteOffset: getter(TypedArrayPrototype, 'byteOffset'),
  typedArrayByteLength: getter(TypedArrayPrototype, 'byteLength'),
  dataViewBuffer: getter(DataView.prototype, 'buffer'),
  dataViewByteOffset: getter(DataView.prototype, 'byteOffset'),
  dataViewByteLength: getter(DataView.prototype, 'byteLength'),
  isView: ArrayBuffer.isView,
  Blob: globalThis.Blob,
  blobSize: getter(globalThis.Blob?.prototype, 'size'),
  blobArrayBuffer: Blob.prototype.arrayBuffer,
  TextDecoder: globalThis.TextDecoder,
  textDecoderDecode: globalThis.TextDecoder?.prototype.decode,
  Promise: globalThis.Promise,
  promiseThen: Promise.prototype.then,
  Response: globalThis.Response,
  responseClone: globalThis.Response?.prototype.clone,
  responseArrayBuffer: globalThis.Response?.prototype.arrayBuffer,
  responseStatus: getter(globalThis.Response?.prototype, 'status'),
  responseHeaders: getter(globalThis.Response?.prototype, 'headers'),
  Request: globalThis.Request,
  requestClone: globalThis.Request?.prototype.clone,
  requestArrayBuffer: globalThis.Request?.prototype.arrayBuffer,
  requestMethod: getter(globalThis.Request?.prototype, 'method'),
  requestUrl: getter(globalThis.Request?.prototype, 'url'),
  requestHeaders: getter(globalThis.Request?.prototype, 'headers'),
  requestBody: getter(globalThis.Request?.prototype, 'body'),
  headersGet: globalThis.Headers?.prototype.get,
  webSocketUrl: getter(globalThis.WebSocket?.prototype, 'url'),
  webSocketSend: globalThis.WebSocket?.prototype.send,
  webSocketReadyState: getter(globalThis.WebSocket?.prototype, 'readyState'),
  webSocketBinaryType: getter(globalThis.WebSocket?.prototype, 'binaryType'),
  fetch: globalThis.fetch,
  messageEventData: getter(MessageEvent.prototype, 'data'),
  closeEventCode: getter(globalThis.CloseEvent?.prototype, 'code'),
  closeEventReason: getter(globalThis.CloseEvent?.prototype, 'reason'),
  xhrReadyState: getter(globalThis.XMLHttpRequest?.prototype, 'readyState'),
  xhrStatus: getter(globalThis.XMLHttpRequest?.prototype, 'status'),
  xhrResponseType: getter(globalThis.XMLHttpRequest?.prototype, 'responseType'),
  xhrResponseText: getter(globalThis.XMLHttpRequest?.prototype, 'responseText'),
  xhrResponse: getter(globalThis.XMLHttpRequest?.prototype, 'response'),
  postMessage: MessagePort.prototype.postMessage,
  MessageChannel: globalThis.MessageChannel,
  MessageEvent: globalThis.MessageEvent,
  Event: globalThis.Event,
  Error: globalThis.Error,
  isError: (Error as unknown as { isError?: (value: unknown) => boolean }).isError,
  functionToString: Function.prototype.toString,
  WeakMap: globalThis.WeakMap,
  WeakSet: globalThis.WeakSet,
  weakMapGet: WeakMap.prototype.get,
  weakMapSet: WeakMap.prototype.set,
  weakSetHas: WeakSet.prototype.has,
  weakSetAdd: WeakSet.prototype.add,
  mathRandom: Math.random,
  reflectApply: Reflect.apply,
  reflectConstruct: Reflect.construct,
  getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
  defineProperty: Object.defineProperty,
  objectCreate: Object.create,
  setPrototypeOf: Object.setPrototypeOf,
  reflectOwnKeys: Reflect.ownKeys,
  jsonStringify: JSON.stringify,
  stringIndexOf: String.prototype.indexOf,
  stringSlice: String.prototype.slice,
  stringToUpperCase: String.prototype.toUpperCase,
  regExpExec: RegExp.prototype.exec,
};

export function call<T>(fn: (...args: never[]) => T, self: unknown, ...args: unknown[]): T {
  return natives.reflectApply(fn as (...a: unknown[]) => T, self, args);
}

const functionCall = Function.prototype.call;
const functionBind = Function.prototype.bind;

/**
 * `fn` as a plain function taking its receiver first, bound once: on the per-message path `call`'s rest array and
 * megamorphic Reflect.apply cost V8 more than the work itself (profiled in Chromium: half the hook's time).
 */
export function uncurry<A extends unknown[], R>(fn: ((...args: A) => R) | ((...args: never[]) => unknown)): (self: unknown, ...args: A) => R {
  return natives.reflectApply(functionBind, functionCall, [fn]) as (self: unknown, ...args: A) => R;
}

const performanceNow = natives.reflectApply(functionBind, natives.now, [performance]) as () => number;

export function now(): number {
  return natives.timeOrigin + performanceNow();
}

const EIO_QUERY = /[?&]EIO=\d/;

/** Engine.IO transport URLs carry `EIO=`; everything else passes untouched and unrecorded. */
export function isEngineIoUrl(url: string): boolean {
  // `exec`, not `test`: RegExp.prototype.test looks `exec` up on the regex, where a page may have put its own.
  return call(natives.regExpExec, EIO_QUERY, url) !== null;
}

/** Absolute form of a URL as the page gave it; the input itself when it does not parse. */
export function absoluteUrl(url: string): string {
  try {
    return call(natives.urlHref, new natives.URL(url, call(natives.baseURI, document) as string)) as string;
  } catch {
    return url;
  }
}

/** The URL of a string or URL object as the page gave it, without running page code; undefined for anything else. */
export function urlOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return call(natives.urlHref, value) as string;
  } catch {
    return undefined;
  }
}

export function upperCase(value: string): string {
  return call(natives.stringToUpperCase, value) as string;
}

/** `promise.then(onFulfilled, onRejected)` with the native `then`, whatever the page did to Promise.prototype. */
export function thenNative<T>(promise: Promise<T>, onFulfilled: (value: T) => unknown, onRejected: (reason: unknown) => unknown): Promise<unknown> {
  return call(natives.promiseThen, promise, onFulfilled, onRejected) as Promise<unknown>;
}
