import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExtremaBuckets, SumBuckets } from './time-buckets.ts';

const ORIGIN = 1_764_000_000_000;
const samples = fc.array(fc.record({ dt: fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 2000 }).map((k) => k * 10)), value: fc.double({ min: 0, max: 1e4, noNaN: true }) }), { maxLength: 300 });

/** The reference: the bucket of each sample at the final width, computed from scratch. */
function naiveBucket(dt: number, width: number): number {
  return Math.floor((ORIGIN + dt - ORIGIN) / width);
}

describe('SumBuckets', () => {
  it('after any number of doublings, each bucket holds the sum of its samples', () => {
    fc.assert(
      fc.property(samples, fc.integer({ min: 2, max: 6 }), (list, log2) => {
        const capacity = 2 ** log2;
        const buckets = new SumBuckets(ORIGIN, 1, 10, capacity);
        for (const s of list) buckets.add(ORIGIN + s.dt, 0, s.value);
        const expected = new Array(buckets.length).fill(0);
        for (const s of list) expected[naiveBucket(s.dt, buckets.width)] += s.value;
        expect(buckets.length).toBeLessThanOrEqual(capacity);
        const rate = buckets.rate(0);
        expect(rate.map((p) => p.x)).toEqual(expected.map((_, k) => ORIGIN + k * buckets.width));
        rate.forEach((p, k) => expect(p.y).toBeCloseTo((expected[k] * 1000) / buckets.width, 6));
        if (list.length) expect(buckets.length).toBe(naiveBucket(Math.max(...list.map((s) => s.dt)), buckets.width) + 1);
      }),
    );
  });
});

describe('doubling at the edge', () => {
  it('a sample at the first instant past the last bucket doubles the width; one just before does not', () => {
    const sums = new SumBuckets(ORIGIN, 1, 10, 4);
    sums.add(ORIGIN + 39.9, 0, 1);
    expect([sums.width, sums.length]).toEqual([10, 4]);
    sums.add(ORIGIN + 40, 0, 2);
    expect([sums.width, sums.length]).toEqual([20, 3]);
    expect(sums.rate(0).map((p) => (p.y * sums.width) / 1000)).toEqual([0, 1, 2]);
    const extremes = new ExtremaBuckets(ORIGIN, 10, 4);
    extremes.add(ORIGIN + 40, 5, 0);
    expect([extremes.width, extremes.length]).toEqual([20, 3]);
  });
});

describe('ExtremaBuckets', () => {
  it('each bucket keeps its fastest and slowest sample, and where it came from', () => {
    fc.assert(
      fc.property(samples, fc.integer({ min: 2, max: 6 }), (list, log2) => {
        const buckets = new ExtremaBuckets(ORIGIN, 10, 2 ** log2);
        list.forEach((s, i) => buckets.add(ORIGIN + s.dt, s.value, i));
        const groups = new Map<number, number[]>();
        list.forEach((s, i) => {
          const k = naiveBucket(s.dt, buckets.width);
          groups.set(k, [...(groups.get(k) ?? []), i]);
        });
        const points = buckets.points();
        const expected: number[] = [];
        for (const k of [...groups.keys()].sort((a, b) => a - b)) {
          const members = groups.get(k)!;
          const values = members.map((i) => list[i].value);
          const low = Math.min(...values);
          const high = Math.max(...values);
          expect(buckets.min[k]).toBe(low);
          expect(buckets.max[k]).toBe(high);
          expect(buckets.count[k]).toBe(members.length);
          expect(list[buckets.minIndex[k]].value).toBe(low);
          expect(list[buckets.maxIndex[k]].value).toBe(high);
          expected.push(low, high);
        }
        // Every point is a real sample; each bucket gives one or two.
        for (const p of points) expect(list[p.index].value).toBe(p.y);
        expect(points.length).toBeGreaterThanOrEqual(groups.size);
        expect(points.length).toBeLessThanOrEqual(2 * groups.size);
      }),
    );
  });
});
