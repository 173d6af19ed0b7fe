// `--profile` in the browser benches: a CDP sampling profile around one phase, and its hottest functions by self time.
import type { CDPSession } from 'playwright-core';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface RawProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** The last profile taken, for a trace to look inside its longest tasks. */
let lastProfile: RawProfile | undefined;

/** Self time per function of the samples of the last profile that fall in [from, to] (trace clock, µs). */
export function selfTimeBetween(from: number, to: number, top = 12): [string, number][] {
  const p = lastProfile;
  if (!p) return [];
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let t = p.startTime;
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i] ?? 0;
    if (t < from || t > to) continue;
    const n = byId.get(samples[i])!;
    const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url ? `${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  }
  return [...self].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top);
}

export async function profiled<T>(cdp: CDPSession, enabled: boolean, run: () => Promise<T>, top = 18): Promise<T> {
  if (!enabled) return run();
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const result = await run();
  const { profile: p } = await cdp.send('Profiler.stop');
  lastProfile = p as unknown as RawProfile;
  const dt = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) dt.set(samples[i], (dt.get(samples[i]) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  const self = new Map<string, number>();
  /** Self time per script file, and per pseudo-node: which code the time went to, as a whole. */
  const byScript = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes as ProfileNode[]) {
    const t = dt.get(n.id) ?? 0;
    total += t;
    const script = n.callFrame.url ? n.callFrame.url.split('/').pop()! : n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : '(native functions)';
    byScript.set(script, (byScript.get(script) ?? 0) + t);
    const where = n.callFrame.url ? `${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}` : '';
    const key = `${n.callFrame.functionName || '(anonymous)'} ${where}`;
    self.set(key, (self.get(key) ?? 0) + t);
  }
  const hottest = [...self].filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(program)')).sort((a, b) => b[1] - a[1]).slice(0, top);
  console.log(`   profile (self time, of ${total.toFixed(1)} ms sampled incl. idle):`);
  for (const [k, v] of hottest) console.log(`     ${`${v.toFixed(1)} ms`.padStart(10)}  ${k}`);
  const scripts = [...byScript].filter(([k]) => k !== '(idle)' && k !== '(root)').sort((a, b) => b[1] - a[1]);
  console.log(`   by script: ${scripts.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')} (ms)`);
  return result;
}
