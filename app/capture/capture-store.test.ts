import { describe, expect, it } from 'vitest';
import type { RawFrame } from '../../protocol/types.ts';
import type { CapturedPage } from '../source.ts';
import { CaptureStore } from './capture-store.ts';

const page = (instance: string, top = true): CapturedPage => ({ instance, url: `http://127.0.0.1/${instance}`, top, frameId: top ? 0 : 7 });

function frames(instance: string, texts: string[]): RawFrame[] {
  const url = 'ws://127.0.0.1/socket.io/?EIO=4&transport=websocket';
  const handshake = '0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000}';
  return [handshake, ...texts].map((data, i) => ({ seq: i + 1, t: i, conn: `${instance}:w1`, url, transport: 'websocket', dir: i === 0 ? 'in' : 'out', kind: 'message', opcode: 'text', data }));
}

describe('CaptureStore', () => {
  it('decodes what the source delivers and tells its listeners', () => {
    const store = new CaptureStore();
    let calls = 0;
    store.subscribe(() => calls++);
    store.handle({ type: 'page', page: page('a') });
    store.handle({ type: 'frames', instance: 'a', frames: frames('a', ['40', '42["hi"]']) });
    expect(store.entries.map((e) => (e.layer === 'sio' ? e.type : e.layer))).toEqual(['eio', 'connect', 'event']);
    expect(store.frameCount).toBe(3);
    expect(calls).toBe(2);
    expect(store.version).toBe(2);
  });

  it('a new top-level page starts a new session unless the log is preserved', () => {
    const store = new CaptureStore();
    store.handle({ type: 'page', page: page('a') });
    store.handle({ type: 'frames', instance: 'a', frames: frames('a', ['40']) });
    store.handle({ type: 'page', page: page('iframe', false) });
    expect(store.entries).toHaveLength(2);
    store.handle({ type: 'page', page: page('b') });
    expect(store.entries).toHaveLength(0);
    expect(store.sessions.map((s) => s.page.instance)).toEqual(['b']);

    store.preserveLog = true;
    store.handle({ type: 'frames', instance: 'b', frames: frames('b', ['40']) });
    store.handle({ type: 'page', page: page('c') });
    expect(store.entries).toHaveLength(2);
    expect(store.sessions.map((s) => s.page.instance)).toEqual(['b', 'c']);
  });

  it('counts what was dropped, and clear forgets everything', () => {
    const store = new CaptureStore();
    store.handle({ type: 'dropped', instance: 'a', count: 12301, reason: 'page buffer full' });
    store.handle({ type: 'dropped', instance: 'a', count: 9, reason: 'page buffer full' });
    expect(store.droppedTotal).toBe(12310);
    store.handle({ type: 'frames', instance: 'a', frames: frames('a', ['40']) });
    store.clear();
    expect(store.entries).toHaveLength(0);
    expect(store.droppedTotal).toBe(0);
    expect(store.frameCount).toBe(0);
  });
});
