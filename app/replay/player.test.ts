import { describe, expect, it } from 'vitest';
import type { RawFrame, SioEntry } from '../../protocol/types.ts';
import { CaptureStore } from '../capture/capture-store.ts';
import { Player } from './player.ts';

const URL_WS = 'ws://h/socket.io/?EIO=4&transport=websocket';
const T0 = 1_700_000_000_000;
function session(events: number): RawFrame[] {
  const base = { conn: 'w1', url: URL_WS, transport: 'websocket' as const };
  const frames: RawFrame[] = [
    { ...base, seq: 1, t: T0, dir: 'out', kind: 'open' },
    { ...base, seq: 2, t: T0 + 1, dir: 'in', kind: 'message', opcode: 'text', data: '0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000}' },
    { ...base, seq: 3, t: T0 + 2, dir: 'out', kind: 'message', opcode: 'text', data: '40' },
    { ...base, seq: 4, t: T0 + 3, dir: 'in', kind: 'message', opcode: 'text', data: '40{"sid":"x"}' },
  ];
  for (let i = 0; i < events; i++) {
    frames.push({ ...base, seq: frames.length + 1, t: T0 + 1000 * (i + 1), dir: 'in', kind: 'message', opcode: 'text', data: '3' });
    frames.push({ ...base, seq: frames.length + 1, t: T0 + 1000 * (i + 1) + 1, dir: 'in', kind: 'message', opcode: 'text', data: `42["tick",${i}]` });
  }
  return frames;
}
const page = { instance: 'session-1', url: 'http://h/', top: true, frameId: 0 };
const events = (store: CaptureStore) => store.entries.filter((e): e is SioEntry => e.layer === 'sio' && e.type === 'event').map((e) => e.pending?.json ?? '');

describe('Player', () => {
  it('follows the end while the session loads, then seeks back and forth', () => {
    const frames: RawFrame[] = [];
    const store = new CaptureStore();
    const player = new Player(store, () => frames, page);
    frames.push(...session(5).slice(0, 8));
    player.tick(0);
    expect(store.frameCount).toBe(8);
    frames.push(...session(5).slice(8));
    player.tick(16);
    expect(store.frameCount).toBe(14);
    expect(events(store)).toHaveLength(5);
    player.seek(6);
    player.tick(32);
    // Back: a fresh log holding the first six frames only.
    expect(store.frameCount).toBe(6);
    expect(events(store)).toEqual(['2["tick",0]']);
    player.seekTime(T0 + 3001);
    player.tick(48);
    expect(events(store)).toHaveLength(3);
    expect(player.time).toBe(T0 + 3001);
  });

  it('steps to the next visible packet, skipping Engine.IO ones', () => {
    const frames = session(3);
    const store = new CaptureStore();
    const player = new Player(store, () => frames, page);
    player.seek(4);
    player.tick(0);
    player.stepEvent();
    expect(player.fed).toBe(6); // the ping, then the event
    expect(events(store)).toHaveLength(1);
    player.stepEvent();
    expect(events(store)).toHaveLength(2);
  });

  it('plays in session time at the chosen speed, and as fast as possible in bounded slices', () => {
    const frames = session(10);
    const store = new CaptureStore();
    const player = new Player(store, () => frames, page, 7);
    player.seek(4);
    player.tick(0, Infinity);
    player.setSpeed(2);
    player.play();
    player.tick(0);
    player.tick(2000); // two seconds of wall time at 2x: four seconds of session
    player.tick(2000); // (seven frames a tick at most)
    expect(events(store)).toHaveLength(4);
    player.pause();
    player.tick(10_000);
    expect(events(store)).toHaveLength(4);
    player.setSpeed(Infinity);
    player.play();
    player.tick(10_016);
    expect(store.frameCount - 12).toBe(7);
    for (let t = 0; t < 10 && player.playing; t++) player.tick(10_032 + t * 16);
    expect(player.playing).toBe(false);
    expect(events(store)).toHaveLength(10);
  });
});

describe('Player time budget', () => {
  it('feeds in slices and stops a tick once its time budget is spent', () => {
    const frames = session(20_000);
    const store = new CaptureStore();
    const player = new Player(store, () => frames, page, 1_000_000);
    player.tick(0, Infinity, 0);
    // One slice, then the (zero) budget is spent.
    expect(player.fed).toBe(5000);
    while (player.busy) player.tick(0, Infinity, 0);
    expect(player.fed).toBe(frames.length);
  });
});
