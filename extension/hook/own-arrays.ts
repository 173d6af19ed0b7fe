// Arrays the hook fills on the page's side. Storing past an array's end looks for a setter at that index on
// Array.prototype (or on a Proxy a page put behind it), which would run page code with our values: what grows here
// is a prototype-less object, which becomes an array through Array.from (it defines elements, it does not assign).
import { call, natives } from './natives.ts';

export type Column<T> = { [index: number]: T; length?: number };

export function column<T>(): Column<T> {
  return natives.objectCreate(null) as Column<T>;
}

/** The first `n` values of a column as an array. */
export function toArray<T>(values: Column<T>, n: number): T[] {
  values.length = n;
  return call(natives.arrayFrom as (items: Column<T>) => T[], natives.Array, values);
}

/**
 * An array of `n` own elements, for the hook to make when it starts, before any page script could put a setter on
 * an index of Array.prototype: storing into an element an array already has runs no setter.
 */
export function filled<T>(n: number): T[] {
  const values: T[] = [];
  for (let i = 0; i < n; i++) values[i] = undefined as T;
  return values;
}
