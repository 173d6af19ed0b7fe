import type { HookFrame, HookToRelay } from '../messages.ts';
import { call, natives, uncurry } from './natives.ts';

const setTimer = uncurry<[() => void, number], number>(natives.setTimeout);

/**
 * Frames go to the relay in one message per interval, not per frame: every WebSocket message is a task of its own,
 * and a MessagePort post (a structured clone) per frame cost the page more than the rest of the hook together.
 */
const FLUSH_MS = 25;
/** Sent at once when this many wait: a background tab's timers may be throttled to one a second, or less. */
const FLUSH_MAX = 1000;
const postMessage = uncurry<[unknown], void>(natives.postMessage);

/** The page keeps at most this much for a panel opened late, whichever limit comes first. */
export const RING_MAX_FRAMES = 5000;
export const RING_MAX_BYTES = 8 * 1024 * 1024;
/** A frame whose data never arrives (a body that cannot be read) stops holding up the ones after it. */
const SLOT_TIMEOUT_MS = 10_000;

export type FrameFields = Omit<HookFrame, 'seq' | 't'>;

export interface Slot {
  frame: HookFrame;
  state: 'pending' | 'ready' | 'cancelled';
}

function sizeOf(frame: HookFrame): number {
  const data = frame.data;
  return 64 + (data === undefined ? 0 : typeof data === 'string' ? data.length * 2 : (call(natives.arrayBufferByteLength, data) as number));
}

/**
 * No Array.prototype method, iterator or Math function is called here: the page may have replaced them and would
 * see us call them (arrays grow by index, and are copied by loops).
 *
 * Numbers frames in the order things happened, even when a frame's data arrives later (a Blob, a fetch body):
 * a frame takes its place (and its time) when it is reserved and is released in that order once its data is in; it
 * is numbered as it is released, so a cancelled one (a `send()` that threw) leaves no hole in `seq`, which the panel
 * would wait on for good. Released frames go to a fixed-size ring (for a panel opened late) and, while a panel
 * listens, to the relay in one message per task.
 */
export class FrameLog {
  private seq = 0;
  /** Frames reserved and not yet released, oldest first; empty on the fast path. */
  private slots: Slot[] = [];
  private readonly ring: (HookFrame | undefined)[] = new Array(RING_MAX_FRAMES);
  /** Index of the oldest frame in `ring`, and how many it holds. */
  private head = 0;
  private count = 0;
  private ringBytes = 0;
  /** Frames the ring let go of before anyone asked for them. */
  private evicted = 0;
  private port: MessagePort | undefined;
  private live = false;
  private outbox: HookFrame[] = [];
  private flushQueued = false;

  constructor(private readonly timeOf: () => number) {}

  /** A frame whose data comes later: `complete` or `cancel` it. Frames after it wait for it. */
  reserve(fields: FrameFields): Slot {
    const slot: Slot = { frame: this.stamp(fields), state: 'pending' };
    this.slots[this.slots.length] = slot;
    call(natives.setTimeout, globalThis, () => this.complete(slot, undefined, 'data unavailable'), SLOT_TIMEOUT_MS);
    return slot;
  }

  /** A frame complete now. */
  record(fields: FrameFields): void {
    const frame = this.stamp(fields);
    if (this.slots.length === 0) this.keep(frame);
    else this.slots[this.slots.length] = { frame, state: 'ready' };
  }

  complete(slot: Slot, data: string | ArrayBuffer | undefined, failure?: string): void {
    if (slot.state !== 'pending') return;
    if (data !== undefined) slot.frame.data = data;
    if (failure !== undefined) slot.frame.reason = failure;
    slot.state = 'ready';
    this.release();
  }

  cancel(slot: Slot): void {
    if (slot.state !== 'pending') return;
    slot.state = 'cancelled';
    this.release();
  }

  private stamp(fields: FrameFields): HookFrame {
    const frame = fields as HookFrame;
    frame.t = this.timeOf();
    return frame;
  }

  private release(): void {
    let n = 0;
    while (n < this.slots.length && this.slots[n].state !== 'pending') n++;
    if (n === 0) return;
    const released = this.slots;
    const rest: Slot[] = [];
    for (let i = n; i < released.length; i++) rest[i - n] = released[i];
    this.slots = rest;
    for (let i = 0; i < n; i++) if (released[i].state === 'ready') this.keep(released[i].frame);
  }

  private keep(frame: HookFrame): void {
    frame.seq = ++this.seq;
    if (this.count === RING_MAX_FRAMES) this.dropOldest();
    this.ring[(this.head + this.count) % RING_MAX_FRAMES] = frame;
    this.count++;
    this.ringBytes += sizeOf(frame);
    while (this.ringBytes > RING_MAX_BYTES && this.count > 1) this.dropOldest();
    if (this.live) {
      this.outbox[this.outbox.length] = frame;
      if (this.outbox.length >= FLUSH_MAX) this.flush();
      else this.scheduleFlush();
    }
  }

  private dropOldest(): void {
    this.ringBytes -= sizeOf(this.ring[this.head]!);
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % RING_MAX_FRAMES;
    this.count--;
    this.evicted++;
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setTimer(globalThis, () => {
      this.flushQueued = false;
      this.flush();
    }, FLUSH_MS);
  }

  private flush(): void {
    const frames = this.outbox;
    this.outbox = [];
    if (frames.length > 0) this.post({ source: 'sockscope-hook', type: 'frames', frames });
  }

  connect(port: MessagePort): void {
    this.port = port;
  }

  /** Sends what the ring still holds from `fromSeq` on, then every frame as it comes. */
  subscribe(fromSeq: number): void {
    const firstKept = this.count > 0 ? this.ring[this.head]!.seq : this.seq + 1;
    if (fromSeq < firstKept && this.evicted > 0) {
      this.post({ source: 'sockscope-hook', type: 'dropped', count: firstKept - (fromSeq > 1 ? fromSeq : 1), firstKept });
    }
    const frames: HookFrame[] = [];
    for (let i = 0; i < this.count; i++) {
      const frame = this.ring[(this.head + i) % RING_MAX_FRAMES]!;
      if (frame.seq >= fromSeq) frames[frames.length] = frame;
    }
    this.outbox = frames;
    this.live = true;
    this.scheduleFlush();
  }

  unsubscribe(): void {
    this.live = false;
    this.outbox = [];
  }

  post(message: HookToRelay): void {
    if (!this.port) return;
    try {
      postMessage(this.port, message);
    } catch {
      // A frame that cannot be cloned is lost to the panel, never an error in the page.
    }
  }
}
