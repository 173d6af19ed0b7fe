import { afterEach, describe, expect, it } from 'vitest';
import { framesOfColumns } from '../frame-columns.ts';
import type { FrameHead, HookToRelay } from '../messages.ts';
import { toMessagingColumns } from '../relay/hook-frames.ts';
import { FrameLog } from './frame-log.ts';

// The hook's frame log in Node, its batches through the relay's checks and the background's unpacking: what the
// page records comes out as the panel's frames. And the page's side of it runs no page code, setters included.

const page = { instance: 'abc', url: 'http://x/', top: true };
const textIn: FrameHead = { conn: 'abc:w1', url: 'ws://x/socket.io/?EIO=4&transport=websocket', transport: 'websocket', dir: 'in', kind: 'message', opcode: 'text' };
const binaryOut: FrameHead = { ...textIn, dir: 'out', opcode: 'binary' };
const open: FrameHead = { conn: 'abc:w1', url: textIn.url, transport: 'websocket', dir: 'in', kind: 'open' };

let channel: MessageChannel | undefined;
afterEach(() => {
  channel?.port1.close();
  channel?.port2.close();
});

/** A frame log that streams to a port, as after a panel subscribed; its batches as they arrive. */
function streaming() {
  channel = new MessageChannel();
  let clock = 1000;
  const log = new FrameLog(() => clock++);
  const batches: unknown[] = [];
  channel.port2.onmessage = (e: MessageEvent<HookToRelay>) => {
    if (e.data.type === 'frames') batches.push(e.data.batch);
  };
  log.connect(channel.port1);
  log.subscribe(1);
  const frames = async (count: number) => {
    await expect.poll(() => batches.reduce((n: number, b) => n + framesOfColumns(toMessagingColumns(b, page))!.length, 0)).toBe(count);
    return batches.flatMap((b) => framesOfColumns(toMessagingColumns(b, page))!);
  };
  return { log, frames };
}

describe('the hook’s frame log', () => {
  it('streams what it records, in order: text, binary, no data, and data that came later', async () => {
    const { log, frames } = streaming();
    log.recordData(open, undefined);
    log.recordData(textIn, '40');
    const later = log.reserve({ ...binaryOut, data: undefined });
    log.recordData(textIn, '42["é✓",1]');
    log.complete(later, new Uint8Array([1, 2, 255]).buffer);
    log.recordData(textIn, '');
    expect(await frames(5)).toEqual([
      { ...open, seq: 1, t: 1000 },
      { ...textIn, seq: 2, t: 1001, data: '40' },
      { ...binaryOut, seq: 3, t: 1002, data: 'AQL/' },
      { ...textIn, seq: 4, t: 1003, data: '42["é✓",1]' },
      { ...textIn, seq: 5, t: 1004, data: '' },
    ]);
  });

  it('a page setter on the indices of Array.prototype or Object.prototype, or a typed array length getter, never runs', async () => {
    const { log, frames } = streaming();
    // A Map, not an array: an array's push would call these setters itself.
    const seen = new Map<number, unknown>();
    // Setters that store as a plain assignment would, so that everything else keeps working, and note the value.
    const protos: object[] = [Array.prototype, Object.prototype];
    for (const proto of protos) {
      for (let i = 0; i < 2048; i++) {
        Object.defineProperty(proto, i, {
          configurable: true,
          set(this: object, value: unknown) {
            seen.set(seen.size, value);
            Object.defineProperty(this, i, { value, writable: true, enumerable: true, configurable: true });
          },
        });
      }
    }
    // And a typed array's `length`, a getter on %TypedArray%.prototype that a page may replace.
    const TypedArrayPrototype = Object.getPrototypeOf(Float64Array.prototype) as object;
    const length = Object.getOwnPropertyDescriptor(TypedArrayPrototype, 'length')!;
    Object.defineProperty(TypedArrayPrototype, 'length', {
      ...length,
      get(this: Float64Array) {
        seen.set(seen.size, 'TypedArray length');
        return length.get!.call(this);
      },
    });
    const buffer = new Uint8Array([7]).buffer;
    try {
      // Past the batch limit (a flush in this same call), with a frame whose data comes later in between.
      for (let i = 0; i < 1200; i++) {
        if (i === 600) {
          const slot = log.reserve({ ...binaryOut, data: undefined });
          log.recordData(textIn, 'waits');
          log.complete(slot, buffer);
        }
        log.recordData(textIn, `42["n",${i}]`);
      }
    } finally {
      for (const proto of protos) for (let i = 0; i < 2048; i++) delete (proto as Record<number, unknown>)[i];
      Object.defineProperty(TypedArrayPrototype, 'length', length);
    }
    expect([...seen.values()]).toEqual([]);
    const got = await frames(1202);
    expect(got.map((f) => f.seq)).toEqual(Array.from({ length: 1202 }, (_, i) => i + 1));
    expect(got[600]).toMatchObject({ ...binaryOut, data: 'Bw==' });
    expect(got[601]).toMatchObject({ data: 'waits' });
    expect(got[1201]).toMatchObject({ data: '42["n",1199]' });
  });
});
