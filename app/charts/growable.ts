/** A typed array that doubles as it fills: samples of one kind, compact and never rescanned. */
export class GrowableF64 {
  data: Float64Array;
  length = 0;

  constructor(capacity = 64) {
    this.data = new Float64Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  /** The filled part, without a copy. */
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

export class GrowableI32 {
  data: Int32Array;
  length = 0;

  constructor(capacity = 64) {
    this.data = new Int32Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

/** One byte per log index (flags), grown to cover any index set. */
export class ByteFlags {
  private data = new Uint8Array(1024);

  get(index: number): number {
    return index < this.data.length ? this.data[index] : 0;
  }

  set(index: number, value: number): void {
    if (index >= this.data.length) {
      const grown = new Uint8Array(Math.max(this.data.length * 2, index + 1));
      grown.set(this.data);
      this.data = grown;
    }
    this.data[index] = value;
  }
}
