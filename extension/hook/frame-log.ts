import type { FrameColumns, FrameHead, HookFrame, HookToRelay } from '../messages.ts';
import { call, natives, uncurry } from './natives.ts';

const setTimer = uncurry<[() => void, number], number>(natives.setTimeout);
const byteLength = uncurry<[], number>(natives.arrayBufferByteLength);

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
/** Heads a batch looks back over before it lists one again (batches mostly hold one socket's messages). */
const HEAD_LOOKBACK = 8;

export type FrameFields = Omit<HookFrame, 'seq' | 't'>;
type Data = string | ArrayBuffer | undefined;

export interface Slot {
  head: FrameHead;
  data: Data;
  t: number;
  state: 'pending' | 'ready' | 'cancelled';
}

function sizeOf(data: Data): number {
  return 64 + (data === undefined ? 0 : typeof data === 'string' ? data.length * 2 : byteLength(data));
}

/** A batch under construction. */
class Columns {
  readonly heads: FrameHead[] = [];
  readonly head: number[] = [];
  readonly seq: number[] = [];
  readonly t: number[] = [];
  readonly data: (ArrayBuffer | undefined | number)[] = [];
  text = '';

  get length(): number {
    return this.head.length;
  }

  push(head: FrameHead, seq: number, t: number, data: Data): void {
    const heads = this.heads;
    let index = -1;
    for (let i = heads.length - 1, stop = heads.length - HEAD_LOOKBACK; i >= 0 && i >= stop; i--) {
      if (heads[i] === head) {
        index = i;
        break;
      }
    }
    if (index < 0) {
      index = heads.length;
      heads[index] = head;
    }
    const n = this.head.length;
    this.head[n] = index;
    this.seq[n] = seq;
    this.t[n] = t;
    if (typeof data === 'string') {
      this.text += data;
      this.data[n] = data.length;
    } else {
      this.data[n] = data;
    }
  }

  /** A plain object for the clone: the class instance would go as one too, but this says what crosses. */
  toMessage(): FrameColumns<ArrayBuffer | undefined> {
    return { heads: this.heads, head: this.head, seq: this.seq, t: this.t, data: this.data, text: this.text };
  }
}

/**
 * No Array.prototype method, iterator or Math function is called here: the page may have replaced them and would
 * see us call them (arrays grow by index, and are copied by loops). Nothing assigns a property an object does not
 * already have either (a page setter on Object.prototype would see it).
 *
 * Numbers frames in the order things happened, even when a frame's data arrives later (a Blob, a fetch body):
 * a frame takes its place (and its time) when it is reserved and is released in that order once its data is in; it
 * is numbered as it is released, so a cancelled one (a `send()` that threw) leaves no hole in `seq`, which the panel
 * would wait on for good. Released frames go to a fixed-size ring (for a panel opened late) and, while a panel
 * listens, to the relay in one message per interval.
 *
 * The ring and the outgoing batch are columns: a message costs a few array writes and no object of its own (a
 * WebSocket's frames share one head), which keeps the per-message path short and its garbage small.
 */
export class FrameLog {
  private seq = 0;
  /** Frames reserved and not yet released, oldest first; empty on the fast path. */
  private slots: Slot[] = [];
  private readonly ringHead: (FrameHead | undefined)[] = new Array(RING_MAX_FRAMES);
  private readonly ringData: Data[] = new Array(RING_MAX_FRAMES);
  private readonly ringTime = new natives.Float64Array(RING_MAX_FRAMES);
  private readonly ringSize = new natives.Float64Array(RING_MAX_FRAMES);
  /** Index of the oldest frame in the ring, and how many it holds (the newest has `seq`). */
  private first = 0;
  private count = 0;
  private ringBytes = 0;
  /** Frames the ring let go of before anyone asked for them. */
  private evicted = 0;
  private port: MessagePort | undefined;
  private live = false;
  private outbox = new Columns();
  private flushQueued = false;

  constructor(private readonly timeOf: () => number) {}

  /** A frame whose data comes later (or is filled in as `slot.data`): `complete` or `cancel` it. Frames after it wait for it. */
  reserve(fields: FrameFields): Slot {
    const { data, ...head } = fields;
    const slot: Slot = { head, data, t: this.timeOf(), state: 'pending' };
    this.slots[this.slots.length] = slot;
    call(natives.setTimeout, globalThis, () => this.complete(slot, undefined, 'data unavailable'), SLOT_TIMEOUT_MS);
    return slot;
  }

  /** A frame complete now. */
  record(fields: FrameFields): void {
    const { data, ...head } = fields;
    this.recordData(head, data);
  }

  /** A frame complete now, with a head shared by many frames (never changed once used). */
  recordData(head: FrameHead, data: Data): void {
    const t = this.timeOf();
    if (this.slots.length === 0) this.keep(head, data, t);
    else this.slots[this.slots.length] = { head, data, t, state: 'ready' };
  }

  complete(slot: Slot, data: Data, failure?: string): void {
    if (slot.state !== 'pending') return;
    if (data !== undefined) slot.data = data;
    if (failure !== undefined) slot.head = { ...slot.head, reason: failure };
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
    const released = this.slots;
    const rest: Slot[] = [];
    for (let i = n; i < released.length; i++) rest[i - n] = released[i];
    this.slots = rest;
    for (let i = 0; i < n; i++) {
      const slot = released[i];
      if (slot.state === 'ready') this.keep(slot.head, slot.data, slot.t);
    }
  }

  private keep(head: FrameHead, data: Data, t: number): void {
    const seq = ++this.seq;
    if (this.count === RING_MAX_FRAMES) this.dropOldest();
    const at = (this.first + this.count) % RING_MAX_FRAMES;
    const size = sizeOf(data);
    this.ringHead[at] = head;
    this.ringData[at] = data;
    this.ringTime[at] = t;
    this.ringSize[at] = size;
    this.count++;
    this.ringBytes += size;
    while (this.ringBytes > RING_MAX_BYTES && this.count > 1) this.dropOldest();
    if (this.live) {
      this.outbox.push(head, seq, t, data);
      if (this.outbox.length >= FLUSH_MAX) this.flush();
      else this.scheduleFlush();
    }
  }

  private dropOldest(): void {
    const at = this.first;
    this.ringBytes -= this.ringSize[at];
    this.ringHead[at] = undefined;
    this.ringData[at] = undefined;
    this.first = (at + 1) % RING_MAX_FRAMES;
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
    const batch = this.outbox;
    this.outbox = new Columns();
    if (batch.length > 0) this.post({ source: 'sockscope-hook', type: 'frames', batch: batch.toMessage() });
  }

  connect(port: MessagePort): void {
    this.port = port;
  }

  /** Sends what the ring still holds from `fromSeq` on, then every frame as it comes. */
  subscribe(fromSeq: number): void {
    const firstSeq = this.seq - this.count + 1;
    const firstKept = this.count > 0 ? firstSeq : this.seq + 1;
    if (fromSeq < firstKept && this.evicted > 0) {
      this.post({ source: 'sockscope-hook', type: 'dropped', count: firstKept - (fromSeq > 1 ? fromSeq : 1), firstKept });
    }
    const batch = new Columns();
    for (let i = 0; i < this.count; i++) {
      if (firstSeq + i < fromSeq) continue;
      const at = (this.first + i) % RING_MAX_FRAMES;
      batch.push(this.ringHead[at]!, firstSeq + i, this.ringTime[at], this.ringData[at]);
    }
    this.outbox = batch;
    this.live = true;
    this.scheduleFlush();
  }

  unsubscribe(): void {
    this.live = false;
    this.outbox = new Columns();
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
