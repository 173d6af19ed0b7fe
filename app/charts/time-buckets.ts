// Time buckets that stay bounded however long a session runs: fixed-width buckets from an origin; when a sample
// falls past the last bucket, neighbours merge in pairs and the width doubles. Adding is O(1) (amortised), reading
// is O(buckets), never O(samples).

const DEFAULT_BUCKETS = 512;

abstract class DoublingBuckets {
  width: number;
  /** Buckets in use: the last one holds the latest sample. */
  length = 0;

  constructor(
    readonly origin: number,
    initialWidth: number,
    readonly capacity: number,
  ) {
    this.width = initialWidth;
  }

  /** The bucket of time `t`, after doubling the width as often as needed; times before the origin go to bucket 0. */
  protected slot(t: number): number {
    let k = Math.floor((t - this.origin) / this.width);
    if (!(k >= 0)) k = 0;
    while (k >= this.capacity) {
      this.halve();
      this.width *= 2;
      k = Math.floor((t - this.origin) / this.width);
    }
    if (k >= this.length) this.length = k + 1;
    return k;
  }

  /** Merges bucket pairs (2k, 2k+1) into k. */
  protected abstract halve(): void;

  /** Start time of bucket k. */
  start(k: number): number {
    return this.origin + k * this.width;
  }
}

/** Sums per bucket, in several channels (e.g. events in, events out, bytes in, bytes out). */
export class SumBuckets extends DoublingBuckets {
  readonly sums: Float64Array[];

  constructor(origin: number, channels: number, initialWidth = 100, capacity = DEFAULT_BUCKETS) {
    super(origin, initialWidth, capacity);
    this.sums = Array.from({ length: channels }, () => new Float64Array(capacity));
  }

  add(t: number, channel: number, value: number): void {
    const k = this.slot(t);
    this.sums[channel][k] += value;
  }

  /** Two channels at once (one bucket lookup). */
  addPair(t: number, a: number, valueA: number, b: number, valueB: number): void {
    const k = this.slot(t);
    this.sums[a][k] += valueA;
    this.sums[b][k] += valueB;
  }

  protected halve(): void {
    for (const sums of this.sums) {
      for (let k = 0; k < this.capacity / 2; k++) sums[k] = sums[2 * k] + sums[2 * k + 1];
      sums.fill(0, this.capacity / 2);
    }
    this.length = Math.ceil(this.length / 2);
  }

  /** A channel as a rate per second: one point per bucket, x = bucket start. */
  rate(channel: number): { x: number; y: number }[] {
    const sums = this.sums[channel];
    const perSecond = 1000 / this.width;
    const points = new Array<{ x: number; y: number }>(this.length);
    for (let k = 0; k < this.length; k++) points[k] = { x: this.start(k), y: sums[k] * perSecond };
    return points;
  }
}

/** Per bucket, the sample with the smallest and the largest value, and which log entry each came from. */
export class ExtremaBuckets extends DoublingBuckets {
  readonly count: Uint32Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly minT: Float64Array;
  readonly maxT: Float64Array;
  readonly minIndex: Int32Array;
  readonly maxIndex: Int32Array;

  constructor(origin: number, initialWidth = 100, capacity = DEFAULT_BUCKETS) {
    super(origin, initialWidth, capacity);
    this.count = new Uint32Array(capacity);
    this.min = new Float64Array(capacity);
    this.max = new Float64Array(capacity);
    this.minT = new Float64Array(capacity);
    this.maxT = new Float64Array(capacity);
    this.minIndex = new Int32Array(capacity);
    this.maxIndex = new Int32Array(capacity);
  }

  add(t: number, value: number, index: number): void {
    const k = this.slot(t);
    if (this.count[k] === 0 || value < this.min[k]) {
      this.min[k] = value;
      this.minT[k] = t;
      this.minIndex[k] = index;
    }
    if (this.count[k] === 0 || value > this.max[k]) {
      this.max[k] = value;
      this.maxT[k] = t;
      this.maxIndex[k] = index;
    }
    this.count[k]++;
  }

  protected halve(): void {
    const half = this.capacity / 2;
    for (let k = 0; k < half; k++) {
      const a = 2 * k;
      const b = a + 1;
      const lowFrom = this.count[a] === 0 || (this.count[b] > 0 && this.min[b] < this.min[a]) ? b : a;
      const highFrom = this.count[a] === 0 || (this.count[b] > 0 && this.max[b] > this.max[a]) ? b : a;
      this.min[k] = this.min[lowFrom];
      this.minT[k] = this.minT[lowFrom];
      this.minIndex[k] = this.minIndex[lowFrom];
      this.max[k] = this.max[highFrom];
      this.maxT[k] = this.maxT[highFrom];
      this.maxIndex[k] = this.maxIndex[highFrom];
      this.count[k] = this.count[a] + this.count[b];
    }
    this.count.fill(0, half);
    this.length = Math.ceil(this.length / 2);
  }

  /** The extremes of every bucket as points (one when min and max are the same sample), in time order. */
  points(): { x: number; y: number; index: number }[] {
    const out: { x: number; y: number; index: number }[] = [];
    for (let k = 0; k < this.length; k++) {
      if (this.count[k] === 0) continue;
      const low = { x: this.minT[k], y: this.min[k], index: this.minIndex[k] };
      const high = { x: this.maxT[k], y: this.max[k], index: this.maxIndex[k] };
      if (low.index === high.index) out.push(low);
      else if (low.x <= high.x) out.push(low, high);
      else out.push(high, low);
    }
    return out;
  }
}
