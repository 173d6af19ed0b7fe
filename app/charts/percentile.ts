// Percentiles and histograms over a sorted sample.
//
// Percentile definition: nearest rank. The p-th percentile (0 < p <= 100) of n sorted values is the value at rank
// ceil(p / 100 * n) (1-based), i.e. the smallest sample such that at least p% of the samples are less than or equal
// to it. It is always one of the samples (no interpolation); p50 of [20, 200] is 20, p99 of 100 samples is the 99th.

/** Nearest-rank percentile of an ascending sample; NaN when it is empty. */
export function percentile(sorted: ArrayLike<number>, p: number, n = sorted.length): number {
  if (n === 0) return NaN;
  const rank = Math.ceil((p / 100) * n);
  return sorted[Math.min(n, Math.max(1, rank)) - 1];
}

/**
 * Folds new, unsorted values into a sorted run: sorts only the new ones (O(k log k)) and merges (O(n + k)), so a
 * live sample of a million latencies is never sorted from scratch. Merges in place when `sorted` has room (merging
 * from the end never overwrites a value not yet read); otherwise into a new array with room to grow.
 */
export function mergeSorted(sorted: Float64Array, sortedLength: number, fresh: ArrayLike<number>): Float64Array {
  const tail = Float64Array.from(fresh).sort();
  const total = sortedLength + tail.length;
  const out = sorted.length >= total ? sorted : new Float64Array(Math.max(64, Math.ceil(total * 1.5)));
  let i = sortedLength - 1;
  let j = tail.length - 1;
  for (let k = total - 1; k >= 0 && j >= 0; k--) {
    if (i >= 0 && sorted[i] > tail[j]) out[k] = sorted[i--];
    else out[k] = tail[j--];
  }
  // What is left of the sorted run is already in place when merging in place; a new array needs it copied.
  if (out !== sorted && i >= 0) out.set(sorted.subarray(0, i + 1));
  return out;
}

/** Index of the first value >= x in an ascending sample (n when none). */
export function lowerBound(sorted: ArrayLike<number>, x: number, n = sorted.length): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Counts per bin of `bins` equal bins over [from, to): bin k holds from + k*w <= v < from + (k+1)*w, the last bin
 * also holds `to` itself; values outside are not counted. Binary searches on the sorted sample: O(bins log n).
 */
export function histogram(sorted: ArrayLike<number>, n: number, from: number, to: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  if (n === 0 || !(to > from)) return counts;
  const width = (to - from) / bins;
  let previous = lowerBound(sorted, from, n);
  for (let k = 0; k < bins; k++) {
    const edge = from + (k + 1) * width;
    const next = k === bins - 1 ? upperBound(sorted, to, n) : lowerBound(sorted, edge, n);
    counts[k] = next - previous;
    previous = next;
  }
  return counts;
}

function upperBound(sorted: ArrayLike<number>, x: number, n: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A round bin width (1, 2 or 5 times a power of ten) that covers [0, max] in at most `bins` bins. */
export function niceBinWidth(max: number, bins: number): number {
  if (!(max > 0)) return 1;
  const raw = max / bins;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) if (step * power >= raw) return step * power;
  return 10 * power;
}
