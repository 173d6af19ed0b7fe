import type { HookFrame, HookToRelay } from '../messages.ts';
import { call, natives } from './natives.ts';

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
  return 64 + (data === undefined ? 0 : typeof data === 'string' ? data.length * 2 : data.byteLength);
}

/**
 * Numbers frames in the order things happened, even when a frame's data arrives later (a Blob, a fetch body):
 * a frame takes its `seq` when it is reserved and is released in `seq` order once its data is in.
 */
export class FrameLog {
  private seq = 0;
  private readonly slots: Slot[] = [];
  private readonly ring: HookFrame[] = [];
  private ringBytes = 0;
  /** Frames the ring let go of before anyone asked for them. */
  private evicted = 0;
  private port: MessagePort | undefined;
  private live = false;
  private outbox: HookFrame[] = [];
  private flushQueued = false;

  constructor(private readonly timeOf: () => number) {}

  reserve(fields: FrameFields): Slot {
    const frame = fields as HookFrame;
    frame.seq = ++this.seq;
    frame.t = this.timeOf();
    const slot: Slot = { frame, state: 'pending' };
    this.slots.push(slot);
    call(natives.setTimeout, globalThis, () => {
      if (slot.state === 'pending') this.complete(slot, undefined, 'data unavailable');
    }, SLOT_TIMEOUT_MS);
    return slot;
  }

  record(fields: FrameFields): void {
    const slot = this.reserve(fields);
    slot.state = 'ready';
    this.release();
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

  private release(): void {
    let n = 0;
    while (n < this.slots.length && this.slots[n].state !== 'pending') n++;
    if (n === 0) return;
    for (const slot of this.slots.splice(0, n)) {
      if (slot.state === 'ready') this.keep(slot.frame);
    }
  }

  private keep(frame: HookFrame): void {
    this.ring.push(frame);
    this.ringBytes += sizeOf(frame);
    while (this.ring.length > RING_MAX_FRAMES || (this.ringBytes > RING_MAX_BYTES && this.ring.length > 1)) {
      this.ringBytes -= sizeOf(this.ring.shift()!);
      this.evicted++;
    }
    if (this.live) {
      this.outbox.push(frame);
      this.scheduleFlush();
    }
  }

  private scheduleFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    call(natives.queueMicrotask, globalThis, () => {
      this.flushQueued = false;
      const frames = this.outbox;
      this.outbox = [];
      if (frames.length > 0) this.post({ source: 'sockscope-hook', type: 'frames', frames });
    });
  }

  connect(port: MessagePort): void {
    this.port = port;
  }

  /** Sends what the ring still holds from `fromSeq` on, then every frame as it comes. */
  subscribe(fromSeq: number): void {
    const firstKept = this.ring.length > 0 ? this.ring[0].seq : this.seq + 1;
    if (fromSeq < firstKept && this.evicted > 0) {
      this.post({ source: 'sockscope-hook', type: 'dropped', count: firstKept - Math.max(fromSeq, 1), firstKept });
    }
    this.outbox = this.ring.filter((f) => f.seq >= fromSeq);
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
      call(natives.postMessage, this.port, message);
    } catch {
      // A frame that cannot be cloned is lost to the panel, never an error in the page.
    }
  }
}
