import { describe, expect, it, vi } from 'vitest';
import type { RawFrame } from '../../protocol/types.ts';
import { CaptureStore } from '../capture/capture-store.ts';
import { watchAck, type AckAnswer } from './ack-watch.ts';

const url = 'ws://127.0.0.1/socket.io/?EIO=4&transport=websocket';
let seq = 0;
const frame = (dir: 'in' | 'out', data: string, origin?: 'sockscope'): RawFrame => ({ seq: ++seq, t: seq * 10, conn: 'p:w1', url, transport: 'websocket', dir, kind: 'message', opcode: 'text', data, ...(origin ? { origin } : {}) });

function connected(): CaptureStore {
  seq = 0;
  const store = new CaptureStore();
  store.handle({ type: 'frames', instance: 'p', frames: [frame('in', '0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000}'), frame('out', '40'), frame('in', '40{"sid":"x"}')] });
  return store;
}

describe('watchAck', () => {
  it("finds the server's answer to the composer's emit, paired in the log, and ignores other acks", () => {
    const store = connected();
    const from = store.entries.length;
    const answers: (AckAnswer | undefined)[] = [];
    watchAck(store, { conn: 'p:w1', ns: '/', id: 1073741830 }, from, 5000, (a) => answers.push(a));
    store.handle({ type: 'frames', instance: 'p', frames: [frame('out', '421073741830["record",1]', 'sockscope'), frame('out', '421["echo"]')] });
    store.handle({ type: 'frames', instance: 'p', frames: [frame('in', '431["page\'s own"]')] });
    expect(answers).toEqual([]);
    store.handle({ type: 'frames', instance: 'p', frames: [frame('in', '431073741830[{"received":1}]')] });
    expect(answers).toEqual([{ args: [{ received: 1 }], latency: 30, index: store.entries.length - 1 }]);
    const emit = store.entries[from];
    expect(store.isComposed(emit)).toBe(true);
    expect(store.isComposed(store.entries[from + 1])).toBe(false);
    // Called once only.
    store.handle({ type: 'frames', instance: 'p', frames: [frame('in', '431073741830[2]')] });
    expect(answers).toHaveLength(1);
  });

  it('gives up after its timeout, and stops quietly when cancelled', () => {
    vi.useFakeTimers();
    try {
      const store = connected();
      const done = vi.fn();
      watchAck(store, { conn: 'p:w1', ns: '/', id: 5 }, 0, 1000, done);
      vi.advanceTimersByTime(1000);
      expect(done).toHaveBeenCalledWith(undefined);
      const cancelled = vi.fn();
      const stop = watchAck(store, { conn: 'p:w1', ns: '/', id: 6 }, 0, 1000, cancelled);
      stop();
      vi.advanceTimersByTime(2000);
      expect(cancelled).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });
});
