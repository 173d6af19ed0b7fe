import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histogram, mergeSorted, niceBinWidth, percentile } from './percentile.ts';

const latencies = fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 400 });
const ps = fc.constantFrom(1, 10, 25, 50, 90, 99, 99.9, 100);

/** The reference: sort a copy, take the nearest rank. */
function naivePercentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(1, rank) - 1];
}

describe('percentile (nearest rank)', () => {
  it('matches sort-and-index on random data', () => {
    fc.assert(
      fc.property(latencies, ps, (values, p) => {
        const sorted = Float64Array.from(values).sort();
        expect(percentile(sorted, p)).toBe(naivePercentile(values, p));
      }),
    );
  });

  it('is a sample, at least p% of samples at or below it', () => {
    fc.assert(
      fc.property(latencies.filter((v) => v.length > 0), ps, (values, p) => {
        const sorted = Float64Array.from(values).sort();
        const q = percentile(sorted, p);
        expect(values).toContain(q);
        expect(values.filter((v) => v <= q).length / values.length).toBeGreaterThanOrEqual(p / 100);
      }),
    );
  });

  it('known values', () => {
    const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(hundred, 50), percentile(hundred, 90), percentile(hundred, 99), percentile(hundred, 100)]).toEqual([50, 90, 99, 100]);
    expect(percentile(Float64Array.of(20, 200), 50)).toBe(20);
    // Rank ceil(0.99 * 51) = 51: the largest; rounding would give the 50th.
    expect(percentile(Float64Array.from({ length: 51 }, (_, i) => i + 1), 99)).toBe(51);
    expect(percentile(Float64Array.from({ length: 10 }, (_, i) => i + 1), 25)).toBe(3);
    expect(percentile(new Float64Array(0), 50)).toBeNaN();
  });
});

describe('mergeSorted', () => {
  it('merging batches equals sorting everything, batch after batch', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 400, size: 'large' }), { maxLength: 8 }), (batches) => {
        let sorted: Float64Array = new Float64Array(0);
        let length = 0;
        const all: number[] = [];
        for (const batch of batches) {
          sorted = mergeSorted(sorted, length, batch);
          length += batch.length;
          all.push(...batch);
        }
        expect(Array.from(sorted.subarray(0, length))).toEqual(all.sort((a, b) => a - b));
      }),
    );
  });

  it('in place while the run has room, into a bigger array (the run copied over) when it has not', () => {
    const first = mergeSorted(new Float64Array(0), 0, Array.from({ length: 70 }, (_, i) => 70 - i));
    expect(first.length).toBeGreaterThanOrEqual(70);
    const roomy = mergeSorted(first, 70, [0.5]);
    expect(roomy).toBe(first);
    const grown = mergeSorted(roomy, 71, Array.from({ length: 100 }, (_, i) => 1000 + i));
    expect(grown).not.toBe(roomy);
    expect(Array.from(grown.subarray(0, 171))).toEqual([0.5, ...Array.from({ length: 70 }, (_, i) => i + 1), ...Array.from({ length: 100 }, (_, i) => 1000 + i)]);
  });
});

describe('histogram', () => {
  it('matches counting every value on random data', () => {
    fc.assert(
      fc.property(latencies, fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1000, noNaN: true }), fc.double({ min: 1, max: 1e6, noNaN: true }), (values, bins, from, span) => {
        const to = from + span;
        const sorted = Float64Array.from(values).sort();
        const width = (to - from) / bins;
        const expected = new Array(bins).fill(0);
        for (const v of values) {
          if (v < from || v > to) continue;
          // Same edges as the implementation: from + (k + 1) * width, the last bin closed.
          let k = 0;
          while (k < bins - 1 && v >= from + (k + 1) * width) k++;
          expected[k]++;
        }
        expect(histogram(sorted, sorted.length, from, to, bins)).toEqual(expected);
      }),
    );
  });

  it('a nice bin width covers the range in at most that many bins', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e9, noNaN: true }), fc.integer({ min: 1, max: 100 }), (max, bins) => {
        const width = niceBinWidth(max, bins);
        expect(Math.ceil(max / width)).toBeLessThanOrEqual(bins);
        expect(width).toBeGreaterThanOrEqual(max / bins);
      }),
    );
  });
});
