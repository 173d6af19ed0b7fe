import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SourceEvent } from '../../app/source.ts';
import type { BackgroundToPanel, PanelToBackground } from '../messages.ts';
import { PortSource } from './port-source.ts';

/** A runtime port whose other end is the test: `deliver` plays the background, `posted` is what the panel said. */
class FakePort {
  readonly posted: PanelToBackground[] = [];
  private readonly messageListeners: ((m: unknown) => void)[] = [];
  private readonly disconnectListeners: (() => void)[] = [];
  onMessage = { addListener: (f: (m: unknown) => void) => this.messageListeners.push(f) };
  onDisconnect = { addListener: (f: () => void) => this.disconnectListeners.push(f) };
  postMessage(m: PanelToBackground) {
    this.posted.push(structuredClone(m));
  }
  disconnect() {}
  deliver(m: BackgroundToPanel) {
    for (const f of this.messageListeners) f(m);
  }
  die() {
    for (const f of this.disconnectListeners) f();
  }
}

let ports: FakePort[];
const port = () => ports[ports.length - 1];

beforeEach(() => {
  vi.useFakeTimers();
  ports = [];
  vi.stubGlobal('chrome', { runtime: { connect: () => (ports.push(new FakePort()), port()) } });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const frame = (seq: number) => ({ seq, t: seq, conn: 'abc:w1', url: 'ws://x/socket.io/?EIO=4&transport=websocket', transport: 'websocket', dir: 'in', kind: 'message', opcode: 'text', data: `4${seq}` });
const frames = (from: number, to: number) => ({ source: 'sockscope-background', type: 'frames', frameId: 0, instance: 'abc', frames: Array.from({ length: to - from + 1 }, (_, i) => frame(from + i)) }) as BackgroundToPanel;
const dropped = (firstKept: number) => ({ source: 'sockscope-background', type: 'dropped', frameId: 0, instance: 'abc', count: 999, firstKept, reason: 'page buffer full' }) as BackgroundToPanel;

function started() {
  const events: SourceEvent[] = [];
  new PortSource(7).start((e) => events.push(e));
  const seqs = () => events.flatMap((e) => (e.type === 'frames' ? e.frames.map((f) => f.seq) : []));
  const drops = () => events.flatMap((e) => (e.type === 'dropped' ? [e.count] : []));
  return { seqs, drops };
}

describe('PortSource', () => {
  it('passes frames on once each, in seq order, across a reconnect', () => {
    const { seqs } = started();
    port().deliver(frames(1, 3));
    port().deliver(frames(2, 5));
    port().die();
    vi.advanceTimersByTime(100);
    expect(port().posted.at(-1)).toMatchObject({ type: 'attach', tabId: 7, resume: { abc: 5 } });
    port().deliver(frames(4, 6));
    expect(seqs()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('asks again from its last seq on a hole, and holds what comes after it back', () => {
    const { seqs } = started();
    port().deliver(frames(1, 3));
    port().deliver(frames(6, 8));
    vi.advanceTimersByTime(0);
    expect(port().posted.at(-1)).toMatchObject({ type: 'attach', resume: { abc: 3 } });
    port().deliver(frames(4, 8));
    expect(seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('puts a second request for the same second off instead of losing it', () => {
    started();
    port().deliver(frames(1, 3));
    port().deliver(frames(6, 6));
    vi.advanceTimersByTime(0);
    port().deliver(frames(4, 4));
    port().deliver(frames(9, 9));
    vi.advanceTimersByTime(500);
    expect(port().posted.filter((m) => m.type === 'attach')).toHaveLength(2);
    vi.advanceTimersByTime(500);
    expect(port().posted.at(-1)).toMatchObject({ type: 'attach', resume: { abc: 4 } });
  });

  it("takes up from the page's first kept frame when the ones it lacks are gone, counting them once", () => {
    const { seqs, drops } = started();
    port().deliver(frames(1, 3));
    port().deliver(frames(20, 21));
    vi.advanceTimersByTime(0);
    // The page's answer: frames up to 9 are gone; the notice comes again with every later subscription.
    port().deliver(dropped(10));
    port().deliver(frames(10, 21));
    port().deliver(dropped(10));
    port().deliver(frames(22, 22));
    expect(seqs()).toEqual([1, 2, 3, ...Array.from({ length: 13 }, (_, i) => 10 + i)]);
    expect(drops()).toEqual([6]);
  });

  it('counts everything before the first kept frame for a panel that has none yet', () => {
    const { seqs, drops } = started();
    port().deliver(dropped(1001));
    port().deliver(frames(1001, 1002));
    expect(drops()).toEqual([1000]);
    expect(seqs()).toEqual([1001, 1002]);
  });

  it('holds live frames back until the first ones arrive, for a page it has nothing of yet', () => {
    const { seqs, drops } = started();
    port().deliver(frames(26, 30));
    vi.advanceTimersByTime(0);
    expect(port().posted.at(-1)).toMatchObject({ type: 'attach', resume: {} });
    port().deliver(frames(1, 30));
    expect(seqs()).toEqual(Array.from({ length: 30 }, (_, i) => 1 + i));
    expect(drops()).toEqual([]);
  });

  it('ignores a notice about frames it already has', () => {
    const { drops } = started();
    port().deliver(frames(1, 30));
    port().deliver(dropped(12));
    expect(drops()).toEqual([]);
  });
});
