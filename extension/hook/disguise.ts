// What a wrapper would otherwise give away to the page: its source text (V8 prints a Proxy of a function as
// `function () { [native code] }`, without the name) and its frame in the stack of an error the native throws
// (`at Object.apply (chrome-extension://…/page-hook.js:…)`).
import { call, natives } from './natives.ts';

/** Wrapper -> the native it stands for, for Function.prototype.toString. */
const masks = new natives.WeakMap<object, (...args: never[]) => unknown>();

/** Frames this many deeper than the page asked for are captured while a native runs under a wrapper. */
const EXTRA_FRAMES = 4;
const FRAME_PREFIX = '    at ';

/** The hook's script URL as V8 prints it in stack frames; only an extension's script is ever scrubbed. */
let ownScript: string | undefined;

/** Finds the hook's script URL from a stack of its own (`stack`: tests). Runs at install, before any page script. */
export function findOwnScript(stack = String(new Error().stack)): void {
  try {
    const lineStart = stack.indexOf('\n' + FRAME_PREFIX);
    if (lineStart < 0) return;
    let line = stack.slice(lineStart + 1 + FRAME_PREFIX.length);
    const lineEnd = line.indexOf('\n');
    if (lineEnd >= 0) line = line.slice(0, lineEnd);
    if (line.endsWith(')')) line = line.slice(line.lastIndexOf('(') + 1, -1);
    // `url:line:column`
    const url = line.slice(0, line.lastIndexOf(':', line.lastIndexOf(':') - 1));
    if (url.includes('-extension://')) ownScript = url;
  } catch {
    ownScript = undefined;
  }
}

const indexOf = (text: string, search: string, from?: number) => call(natives.stringIndexOf, text, search, from) as number;
const slice = (text: string, start: number, end?: number) => call(natives.stringSlice, text, start, end) as string;

/**
 * Removes the hook's frames from an error's stack, and the frames beyond the page's `Error.stackTraceLimit` that
 * the raised limit let in, so the stack reads as if the page had called the native itself.
 */
export function scrub(error: unknown, limit: number | undefined): void {
  try {
    if (ownScript === undefined || !natives.isError || !natives.isError(error)) return;
    const descriptor = natives.getOwnPropertyDescriptor(error as object, 'stack');
    if (!descriptor) return;
    // Fields a descriptor lacks (a data property has no `get`) would be looked up on the page's Object.prototype.
    natives.setPrototypeOf(descriptor, null);
    const stack: unknown = descriptor.get ? call(descriptor.get, error) : descriptor.value;
    if (typeof stack !== 'string' || indexOf(stack, ownScript) < 0) return;
    let out = '';
    let frames = 0;
    let pos = 0;
    while (pos <= stack.length) {
      let end = indexOf(stack, '\n', pos);
      if (end < 0) end = stack.length;
      const line = slice(stack, pos, end);
      const frame = indexOf(line, FRAME_PREFIX) === 0;
      const keep = !frame || (indexOf(line, ownScript) < 0 && (limit === undefined || frames++ < limit));
      if (keep) out = pos === 0 ? line : out + '\n' + line;
      pos = end + 1;
    }
    if (descriptor.set) call(descriptor.set, error, out);
    else if (descriptor.writable) natives.defineProperty(error as object, 'stack', ownOnly({ value: out }));
  } catch {
    // An error we cannot rewrite goes to the page as it is.
  }
}

/**
 * A property descriptor that reads as written: defineProperty also takes `get`, `enumerable` and the rest from the
 * descriptor's prototype chain, where a page may have put them on Object.prototype.
 */
function ownOnly(fields: PropertyDescriptor): PropertyDescriptor {
  return natives.setPrototypeOf(fields, null) as PropertyDescriptor;
}

/** Raises `Error.stackTraceLimit` for the duration of a native call; returns the page's own limit. */
function raiseLimit(): number | undefined {
  try {
    const limit: unknown = (natives.Error as { stackTraceLimit?: unknown }).stackTraceLimit;
    if (typeof limit !== 'number' || !(limit >= 0) || limit === Infinity) return undefined;
    (natives.Error as { stackTraceLimit?: number }).stackTraceLimit = limit + EXTRA_FRAMES;
    return limit;
  } catch {
    return undefined;
  }
}

function restoreLimit(limit: number | undefined): void {
  if (limit === undefined) return;
  try {
    (natives.Error as { stackTraceLimit?: number }).stackTraceLimit = limit;
  } catch {
    // frozen meanwhile: nothing to restore
  }
}

/** Calls a native for a wrapper: what it throws reaches the page with the stack the page would have seen. */
export function applyNative<T>(target: (...args: never[]) => T, self: unknown, args: unknown[], onLimit?: (limit: number | undefined) => void): T {
  const limit = raiseLimit();
  onLimit?.(limit);
  try {
    return natives.reflectApply(target as (...a: unknown[]) => T, self, args);
  } catch (error) {
    scrub(error, limit);
    throw error;
  } finally {
    restoreLimit(limit);
  }
}

export function constructNative<T extends object>(target: new (...args: never[]) => T, args: unknown[], newTarget: unknown): T {
  const limit = raiseLimit();
  try {
    return natives.reflectConstruct(target as unknown as new (...a: unknown[]) => T, args, newTarget as new (...a: unknown[]) => unknown);
  } catch (error) {
    scrub(error, limit);
    throw error;
  } finally {
    restoreLimit(limit);
  }
}

/** Swaps a property's value keeping its attributes (writable, enumerable, configurable) as they were. */
export function replaceMethod(target: object, key: string, value: unknown): void {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  if (!descriptor || !('value' in descriptor)) return;
  if (typeof descriptor.value === 'function' && typeof value === 'function') {
    const original = call(natives.weakMapGet, masks, descriptor.value) ?? descriptor.value;
    call(natives.weakMapSet, masks, value, original);
  }
  Object.defineProperty(target, key, { ...descriptor, value });
}

/** Function.prototype.toString prints every wrapper as the native it replaced (itself included). */
export function maskToString(): void {
  const native = natives.functionToString;
  const wrapped = new Proxy(native, {
    apply(target, self: unknown, args: unknown[]) {
      const original = call(natives.weakMapGet, masks, self);
      return applyNative(target, original ?? self, args);
    },
  });
  replaceMethod(Function.prototype, 'toString', wrapped);
}
