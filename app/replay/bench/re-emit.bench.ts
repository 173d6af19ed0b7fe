// `npm run bench:re-emit` (`-- --quick` for smaller sizes): what re-emit costs on a long recorded session, before and
// after the sending. A session of N client emits, each with an ack (a server time that differs between runs) and a
// broadcast answer, goes through the real Tracker; then, for N and 4N side by side in one run:
//   - preparing the run (decoding every frame, reading every argument, planning), as the app does on a click;
//   - comparing the recorded log with a new one of the same shape.
// Prints milliseconds (median of 3) and the 4N / N ratio (about 4 when the cost grows linearly).
import { materialize, Tracker } from '../../../protocol/tracker/tracker.ts';
import type { DecodedEntry, RawFrame } from '../../../protocol/types.ts';
import { compareRuns } from '../re-emit.ts';
import { prepareReEmit } from '../re-emit-run.ts';

const quick = process.argv.includes('--quick');
const SIZES = quick ? [5_000, 20_000] : [25_000, 100_000];

function frames(emits: number, stamp: number): RawFrame[] {
  const base = { conn: 'w', url: 'ws://127.0.0.1/socket.io/?EIO=4&transport=websocket', transport: 'websocket' as const };
  let seq = 0;
  const out: RawFrame[] = [
    { ...base, seq: ++seq, t: 0, dir: 'out', kind: 'open' },
    { ...base, seq: ++seq, t: 0, dir: 'in', kind: 'message', opcode: 'text', data: '0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000}' },
    { ...base, seq: ++seq, t: 0, dir: 'out', kind: 'message', opcode: 'text', data: '40' },
    { ...base, seq: ++seq, t: 0, dir: 'in', kind: 'message', opcode: 'text', data: '40{"sid":"n"}' },
  ];
  for (let i = 0; i < emits; i++) {
    const t = i * 3;
    out.push({ ...base, seq: ++seq, t, dir: 'out', kind: 'message', opcode: 'text', data: `42${i}["chat message",{"text":"hi ${i}","n":${i}}]` });
    out.push({ ...base, seq: ++seq, t: t + 1, dir: 'in', kind: 'message', opcode: 'text', data: `42["chat message",{"text":"hi ${i}","n":${i}}]` });
    out.push({ ...base, seq: ++seq, t: t + 2, dir: 'in', kind: 'message', opcode: 'text', data: `43${i}[{"ok":true,"at":${stamp + i}}]` });
  }
  return out;
}

function decode(f: readonly RawFrame[]): DecodedEntry[] {
  const tracker = new Tracker();
  for (const x of f) tracker.push(x);
  tracker.finish();
  for (const e of tracker.log) if (e.layer === 'sio') materialize(e);
  return tracker.log;
}

async function median(run: () => unknown | Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[1];
}

const results: { n: number; prepare: number; compare: number }[] = [];
for (const n of SIZES) {
  const recorded = frames(n, 1_764_000_000_000);
  const prep = await prepareReEmit(recorded, 'back-to-back', ['/']);
  const newLog = decode(frames(n, 1_764_000_100_000));
  const prepare = await median(() => prepareReEmit(recorded, 'back-to-back', ['/']));
  let changed = 0;
  const compare = await median(() => (changed = compareRuns(prep.recordedLog, prep.steps, newLog).filter((c) => c.ack.status === 'changed').length));
  if (changed !== n) throw new Error(`expected ${n} changed acks, got ${changed}`);
  results.push({ n, prepare, compare });
  console.log(`${n.toLocaleString('en')} emits (${recorded.length.toLocaleString('en')} frames): prepare ${prepare.toFixed(0)} ms, compare ${compare.toFixed(0)} ms`);
}
const [a, b] = results;
console.log(`ratio ${b.n / a.n}x emits: prepare ${(b.prepare / a.prepare).toFixed(1)}x, compare ${(b.compare / a.compare).toFixed(1)}x`);
