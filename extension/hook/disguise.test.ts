// The hook's stack scrubbing runs after page scripts: it must read and write an error's `stack` without touching
// anything the page can patch, Object.prototype included.
import { afterEach, describe, expect, it } from 'vitest';

// Chromium has Error.isError, which the hook takes before any page script runs; Node 20 does not.
const errorStatics = Error as unknown as { isError?: (value: unknown) => boolean };
errorStatics.isError ??= (value) => value instanceof Error;
const { findOwnScript, scrub } = await import('./disguise.ts');

const HOOK = 'chrome-extension://abcdefghijklmnop/assets/page-hook.js';
const PAGE_FRAME = '    at connect (https://chat.example/app.js:12:7)';
const STACK = ['Error: boom', `    at Object.apply (${HOOK}:1:200)`, PAGE_FRAME, '    at main (https://chat.example/app.js:40:3)'].join('\n');

findOwnScript(`Error\n    at findOwnScript (${HOOK}:1:50)\n    at ${HOOK}:1:900`);

const DESCRIPTOR_FIELDS = ['get', 'set', 'value', 'writable', 'enumerable', 'configurable'] as const;

/** Counting accessors on Object.prototype for every descriptor field, as a hostile page could define them. */
function trapObjectPrototype(answer: (field: string) => unknown): { reads: string[]; remove: () => void } {
  const reads: string[] = [];
  for (const field of DESCRIPTOR_FIELDS) {
    // The descriptor itself must not inherit the traps installed before it.
    const trap = Object.setPrototypeOf(
      {
        configurable: true,
        get() {
          reads.push(field);
          return answer(field);
        },
      },
      null,
    ) as PropertyDescriptor;
    Object.defineProperty(Object.prototype, field, trap);
  }
  return { reads, remove: () => DESCRIPTOR_FIELDS.forEach((field) => delete (Object.prototype as Record<string, unknown>)[field]) };
}

let remove: (() => void) | undefined;
afterEach(() => {
  remove?.();
  remove = undefined;
});

describe('scrub', () => {
  it('removes the hook frames from a data-property stack (V8 before Chrome 12x, Node) without reading Object.prototype', () => {
    const error = new Error('boom');
    Object.defineProperty(error, 'stack', { value: STACK, writable: true, enumerable: false, configurable: true });
    const trap = trapObjectPrototype(() => undefined);
    remove = trap.remove;
    scrub(error, 10);
    trap.remove();
    expect(trap.reads).toEqual([]);
    expect(error.stack).toBe(['Error: boom', PAGE_FRAME, '    at main (https://chat.example/app.js:40:3)'].join('\n'));
    expect(Object.getOwnPropertyDescriptor(error, 'stack')).toMatchObject({ writable: true, enumerable: false, configurable: true });
  });

  it('keeps the attributes of the stack when Object.prototype answers for the fields a descriptor leaves out', () => {
    const error = new Error('boom');
    Object.defineProperty(error, 'stack', { value: STACK, writable: true, enumerable: false, configurable: true });
    // A page whose Object.prototype says `enumerable: true, configurable: false` for every object.
    const trap = trapObjectPrototype((field) => (field === 'enumerable' ? true : field === 'configurable' ? false : undefined));
    remove = trap.remove;
    scrub(error, 1);
    trap.remove();
    expect(error.stack).toBe(['Error: boom', PAGE_FRAME].join('\n'));
    const descriptor = Object.getOwnPropertyDescriptor(error, 'stack')!;
    expect([descriptor.enumerable, descriptor.configurable, descriptor.writable]).toEqual([false, true, true]);
  });

  it('goes through the own accessor pair of an accessor stack (Chromium today)', () => {
    const error = new Error('boom');
    let stack = STACK;
    Object.defineProperty(error, 'stack', {
      configurable: true,
      enumerable: false,
      get: () => stack,
      set: (value: string) => (stack = value),
    });
    const trap = trapObjectPrototype(() => undefined);
    remove = trap.remove;
    scrub(error, 10);
    trap.remove();
    expect(trap.reads).toEqual([]);
    expect(stack).toBe(['Error: boom', PAGE_FRAME, '    at main (https://chat.example/app.js:40:3)'].join('\n'));
  });

  it('leaves a stack without the hook frames alone', () => {
    const error = new Error('boom');
    const original = ['Error: boom', PAGE_FRAME].join('\n');
    Object.defineProperty(error, 'stack', { value: original, writable: true, enumerable: false, configurable: true });
    scrub(error, 10);
    expect(error.stack).toBe(original);
  });
});
