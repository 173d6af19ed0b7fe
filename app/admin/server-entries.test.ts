// Server-side traffic in the capture store: admin mode's event_received / event_sent join the same log as the
// page's frames, marked as the server's.
import { describe, expect, it } from 'vitest';
import { CaptureStore } from '../capture/capture-store.ts';
import type { RawFrame } from '../../protocol/types.ts';

const frame = (seq: number, data: string, dir: 'in' | 'out' = 'in'): RawFrame => ({
  seq,
  t: 1000 + seq,
  conn: 'w1',
  url: 'ws://127.0.0.1/socket.io/?EIO=4&transport=websocket',
  transport: 'websocket',
  dir,
  kind: 'message',
  opcode: 'text',
  data,
});

describe('CaptureStore.addServerEntries', () => {
  it('appends Socket.IO entries marked server-side, after the frames, with no raw frame of their own', () => {
    const store = new CaptureStore();
    store.handle({ type: 'frames', instance: 'p', frames: [frame(1, '0{"sid":"s1","upgrades":[],"pingInterval":25000,"pingTimeout":20000}'), frame(2, '40', 'out')] });
    const before = store.entries.length;
    const version = store.version;
    store.addServerEntries([
      { t: 5, nsp: '/chat', socketId: 'abc', dir: 'in', transport: 'websocket', args: ['hello', { n: 1 }] },
      { t: 6, nsp: '/', socketId: '__proto__', dir: 'out', transport: 'polling', args: [42] },
    ]);
    expect(store.version).toBe(version + 1);
    const [received, sent] = store.entries.slice(before);
    expect(received).toMatchObject({ index: before, layer: 'sio', type: 'event', side: 'server', conn: 'server:abc', ns: '/chat', dir: 'in', event: 'hello', args: [{ n: 1 }] });
    expect(sent).toMatchObject({ side: 'server', conn: 'server:__proto__', event: 42, args: [], transport: 'polling' });
    expect(store.frameOf(received)).toBeUndefined();
    // Frames after them still map to their own entries.
    store.handle({ type: 'frames', instance: 'p', frames: [frame(3, '42["late"]')] });
    const late = store.entries.at(-1)!;
    expect(late.side).toBeUndefined();
    expect(store.frameOf(late)?.seq).toBe(3);
  });
});
