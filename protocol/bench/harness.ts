// A small interleaving timer: every variant of a workload is warmed up, calibrated to a sample length, then timed
// in alternating rounds (order rotated each round) so a noisy neighbour hurts all of them alike. Reports medians.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** One decoder under test: `run` does a full pass over the workload and returns something derived from the output. */
export interface Variant {
  key: string;
  label: string;
  run: () => number;
}

export interface Sample {
  rounds: number;
  /** Milliseconds per pass, one per round. */
  perPass: number[];
  median: number;
  min: number;
  /** Relative spread of the rounds, (p75 - p25) / median. */
  spread: number;
}

export interface TimingOptions {
  warmupMs: number;
  sampleMs: number;
  rounds: number;
  /**
   * 'wall': performance.now(). 'cpu': this process's user + system CPU time (process.cpuUsage), which leaves out
   * the time other processes held the CPU: steadier on a loaded machine, but it also counts V8's helper threads
   * (concurrent GC, compiler), so allocation-heavy variants pay a little more than in wall time.
   */
  clock: 'wall' | 'cpu' | 'thread';
  /** performance.now() after which no new round starts once `minRounds` are done: bounds the run on a busy box. */
  deadline: number;
  minRounds: number;
}

const SCHEDSTAT = '/proc/thread-self/schedstat';

/**
 * This thread's time on a CPU, in ms, from Linux's scheduler statistics; undefined elsewhere. The kernel brings it up
 * to date at each scheduler tick and switch, so only long samples are precise.
 */
function threadCpuMs(): number | undefined {
  try {
    return Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

export const hasThreadClock = threadCpuMs() !== undefined;

/** Milliseconds on the chosen clock. */
function clockNow(clock: TimingOptions['clock']): number {
  if (clock === 'wall') return performance.now();
  if (clock === 'thread') return threadCpuMs()!;
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
}

/** Everything the variants return lands here, so no result can be dropped as dead code. */
export let sink = 0;

const gc = (globalThis as { gc?: () => void }).gc;
export const hasGc = typeof gc === 'function';

function timePasses(v: Variant, passes: number, clock: TimingOptions['clock']): number {
  const t0 = clockNow(clock);
  let acc = 0;
  for (let i = 0; i < passes; i++) acc += v.run();
  const dt = clockNow(clock) - t0;
  sink = (sink + acc) | 0;
  return dt;
}

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function measure(variants: Variant[], opts: TimingOptions): Map<string, Sample> {
  // Warm-up doubles as calibration: how many passes fill one sample.
  const passes = new Map<string, number>();
  for (const v of variants) {
    let n = 0;
    const t0 = clockNow(opts.clock);
    while (n < 3 || clockNow(opts.clock) - t0 < opts.warmupMs) {
      sink = (sink + v.run()) | 0;
      n++;
    }
    const perPass = (clockNow(opts.clock) - t0) / n;
    passes.set(v.key, Math.max(1, Math.round(opts.sampleMs / perPass)));
  }
  const times = new Map<string, number[]>(variants.map((v) => [v.key, []]));
  for (let r = 0; r < opts.rounds && (r < opts.minRounds || performance.now() < opts.deadline); r++) {
    // Rotate, and reverse every other round: no variant always runs first, or always right after another.
    const order = variants.map((_, i) => variants[(i + r) % variants.length]);
    if (r % 2 === 1) order.reverse();
    for (const v of order) {
      const n = passes.get(v.key)!;
      if (gc) {
        gc();
        // A full collection frees the hidden classes no live object uses, and V8 then drops the optimised code
        // that checked for them (deopt reason "weak objects"): untimed passes bring the variant back to its steady
        // state, or each sample would also time its re-optimisation.
        for (let i = Math.max(1, n >> 2); i > 0; i--) sink = (sink + v.run()) | 0;
      }
      times.get(v.key)!.push(timePasses(v, n, opts.clock) / n);
    }
  }
  const out = new Map<string, Sample>();
  for (const v of variants) {
    const perPass = times.get(v.key)!;
    const sorted = [...perPass].sort((a, b) => a - b);
    const median = quantile(sorted, 0.5);
    out.set(v.key, { rounds: perPass.length, perPass, median, min: sorted[0], spread: (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / median });
  }
  return out;
}
