import { DATA_BINARY, DATA_NONE, type FrameHead, type HookColumns, type HookFrame, type HookToRelay } from '../messages.ts';
import { call, natives, uncurry } from './natives.ts';
import { column, filled, toArray } from './own-arrays.ts';

const setTimer = uncurry<[() => void, number], number>(natives.setTimeout);
const byteLength = uncurry<[], number>(natives.arrayBufferByteLength);
const typedArraySet = uncurry<[Float64Array], void>(natives.typedArraySet);

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

type Data = string | ArrayBuffer | undefined;
/**
 * A frame as the wrappers hand it over. `data` is always an own field, `undefined` when it comes later: a field an
 * object lacks is looked up on the page's Object.prototype, where a page may have put an accessor.
 */
export type FrameFields = Omit<HookFrame, 'seq' | 't' | 'data'> & { data: Data };

export interface Slot {
  head: FrameHead;
  data: Data;
  t: number;
  state: 'pending' | 'ready' | 'cancelled';
}

function sizeOf(data: Data): number {
  return 64 + (data === undefined ? 0 : typeof data === 'string' ? data.length * 2 : byteLength(data));
}

/** The first `n` numbers of `values`, in an array of their own (a view would clone its whole buffer). */
function exactly(values: Float64Array, n: number): Float64Array {
  const out = new natives.Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = values[i];
  return out;
}

const FIRST_CAPACITY = 64;

/** A batch under construction. */
class Columns {
  private readonly heads = column<FrameHead>();
  private headCount = 0;
  private readonly binary = column<ArrayBuffer>();
  private binaryCount = 0;
  /** Kept here: a typed array's `length` is a getter on its prototype, which a page may replace. */
  private capacity = FIRST_CAPACITY;
  private head = new natives.Float64Array(FIRST_CAPACITY);
  private seq = new natives.Float64Array(FIRST_CAPACITY);
  private t = new natives.Float64Array(FIRST_CAPACITY);
  private data = new natives.Float64Array(FIRST_CAPACITY);
  length = 0;
  private text = '';

  push(head: FrameHead, seq: number, t: number, data: Data): void {
    const heads = this.heads;
    let index = -1;
    for (let i = this.headCount - 1, stop = this.headCount - HEAD_LOOKBACK; i >= 0 && i >= stop; i--) {
      if (heads[i] === head) {
        index = i;
        break;
      }
    }
    if (index < 0) {
      index = this.headCount++;
      heads[index] = head;
    }
    const n = this.length++;
    if (n === this.capacity) this.grow();
    this.head[n] = index;
    this.seq[n] = seq;
    this.t[n] = t;
    if (typeof data === 'string') {
      this.text += data;
      this.data[n] = data.length;
    } else if (data === undefined) {
      this.data[n] = DATA_NONE;
    } else {
      this.binary[this.binaryCount++] = data;
      this.data[n] = DATA_BINARY;
    }
  }

  private grow(): void {
    const capacity = (this.capacity *= 2);
    const bigger = (values: Float64Array) => {
      const out = new natives.Float64Array(capacity);
      typedArraySet(out, values);
      return out;
    };
    this.head = bigger(this.head);
    this.seq = bigger(this.seq);
    this.t = bigger(this.t);
    this.data = bigger(this.data);
  }

  toMessage(): HookColumns {
    const n = this.length;
    return {
      heads: toArray(this.heads, this.headCount),
      head: exactly(this.head, n),
      seq: exactly(this.seq, n),
      t: exactly(this.t, n),
      data: exactly(this.data, n),
      binary: toArray(this.binary, this.binaryCount),
      text: this.text,
    };
  }
}

/**
 * No Array.prototype method, iterator or Math function is called here: the page may have replaced them and would
 * see us call them. Nothing assigns a property an object or array does not already have either (a page setter on
 * Object.prototype or on an index of Array.prototype would see it): what grows is a typed array or a prototype-less
 * object, and the ring's arrays are filled when the hook starts, before any page script.
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
  private slots = column<Slot>();
  private slotCount = 0;
  private readonly ringHead = filled<FrameHead | undefined>(RING_MAX_FRAMES);
  private readonly ringData = filled<Data>(RING_MAX_FRAMES);
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
    this.slots[this.slotCount++] = slot;
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
    if (this.slotCount === 0) this.keep(head, data, t);
    else this.slots[this.slotCount++] = { head, data, t, state: 'ready' };
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
    while (n < this.slotCount && this.slots[n].state !== 'pending') n++;
    if (n === 0) return;
    const released = this.slots;
    const rest = column<Slot>();
    for (let i = n; i < this.slotCount; i++) rest[i - n] = released[i];
    this.slots = rest;
    this.slotCount -= n;
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
