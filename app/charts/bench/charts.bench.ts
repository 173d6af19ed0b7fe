// `npm run bench:charts` (`-- --quick` for 200,000 entries): what the charts cost on a million-entry log.
// Realistic raw frames (one EIO4 WebSocket connection, four event names asking for acks, pings) go through the
// real Tracker (lazy, as the panel's store runs it); then, side by side in one run:
//   - reading the whole log once (opening the charts on a full log), and its table;
//   - a live update: 2,000 new entries read incrementally, versus starting over on the whole log (the naive way);
//   - each view's read after that update: table (percentiles), histogram, scatter, traffic, heartbeat.
// Prints milliseconds (median of several runs where cheap) and ratios.
import { Tracker } from '../../../protocol/tracker/tracker.ts';
import type { RawFrame } from '../../../protocol/types.ts';
import { ChartsModel } from '../charts-model.ts';
import { BYTES_IN } from '../traffic-stats.ts';

const quick = process.argv.includes('--quick');
const TOTAL = quick ? 200_000 : 1_000_000;
const UPDATE = 2_000;

let seed = 42;
const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
const URL_ = 'ws://127.0.0.1/socket.io/?EIO=4&transport=websocket';
const EVENTS: [string, number][] = [
  ['chat message', 15],
  ['save', 80],
  ['search', 250],
  ['typing', 3],
];

function* frames(): Generator<RawFrame> {
  let seq = 0;
  let t = 1_764_000_000_000;
  const frame = (dir: 'in' | 'out', data: string, at = t): RawFrame => ({ seq: ++seq, t: at, conn: 'w1', url: URL_, transport: 'websocket', dir, kind: 'message', opcode: 'text', data });
  yield frame('in', '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}');
  yield frame('out', '40');
  yield frame('in', '40{"sid":"def"}');
  let id = 0;
  let nextPing = t + 25_000;
  const pending: { at: number; data: string }[] = [];
  for (;;) {
    t += 0.2 + rand() * 2;
    while (pending.length && pending[0].at <= t) yield frame('in', pending.shift()!.data, pending.length ? t : t);
    if (t >= nextPing) {
      yield frame('in', '2');
      yield frame('out', '3', t + 1 + rand() * 5);
      nextPing += 25_000;
      continue;
    }
    const [event, typical] = EVENTS[Math.floor(rand() * EVENTS.length)];
    if (rand() < 0.5) {
      id++;
      yield frame('out', `42${id}["${event}",{"n":${id},"text":"hello world"}]`);
      // Latency: mostly around the typical value, with a long tail; a few never answered.
      if (rand() > 0.01) {
        const latency = typical * (0.5 + rand()) * (rand() < 0.02 ? 20 : 1);
        pending.push({ at: t + latency, data: `43${id}[{"ok":true}]` });
        pending.sort((a, b) => a.at - b.at);
      }
    } else {
      yield frame(rand() < 0.5 ? 'in' : 'out', `42["${event}",{"text":"a message of some length, like a chat line"}]`);
    }
  }
}

const time = (fn: () => void) => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms`;

const tracker = new Tracker({ lazy: true });
const source = frames();
const decodeMs = time(() => {
  while (tracker.log.length < TOTAL + UPDATE * 5) tracker.push(source.next().value as RawFrame);
});
const log = tracker.log;
console.log(`log: ${log.length.toLocaleString('en')} entries decoded in ${fmt(decodeMs)} (not part of the charts' cost)`);

// 1. Opening the charts on a full log.
const fresh = new ChartsModel();
const openMs = time(() => fresh.feed(log, TOTAL));
const firstTableMs = time(() => fresh.acks.settle(log[TOTAL - 1].t, 10_000));
const firstSortMs = time(() => fresh.acks.table());
console.log(`open on ${TOTAL.toLocaleString('en')} entries: read ${fmt(openMs)}, unanswered ${fmt(firstTableMs)}, first table (sorting every latency) ${fmt(firstSortMs)}`);

// 2. A live update: incremental versus starting over.
const incremental: number[] = [];
const startOver: number[] = [];
const views: Record<string, number[]> = { table: [], histogram: [], scatter: [], traffic: [], heartbeat: [] };
const keys = fresh.acks.table().map((r) => r.key);
for (let round = 1; round <= 5; round++) {
  const end = TOTAL + round * UPDATE;
  incremental.push(time(() => fresh.feed(log, end)));
  views.table.push(time(() => {
    fresh.acks.settle(log[end - 1].t, 10_000);
    fresh.acks.table();
  }));
  views.histogram.push(time(() => fresh.acks.histograms(keys)));
  views.scatter.push(time(() => keys.forEach((k) => fresh.acks.scatter(k))));
  views.traffic.push(time(() => [0, 1, 2, 3].forEach((c) => fresh.traffic.get('all')!.rate(c))));
  views.heartbeat.push(time(() => fresh.heartbeat.series('w1')));
  if (round <= 2) {
    const naive = new ChartsModel();
    startOver.push(time(() => {
      naive.feed(log, end);
      naive.acks.settle(log[end - 1].t, 10_000);
      naive.acks.table();
    }));
  }
}
const inc = median(incremental) + median(views.table);
console.log(`update of ${UPDATE.toLocaleString('en')} entries: incremental read + table ${fmt(inc)}; starting over ${fmt(median(startOver))} (${(median(startOver) / inc).toFixed(0)}x slower)`);
console.log(`views after an update: ${Object.entries(views).map(([k, v]) => `${k} ${fmt(median(v))}`).join(', ')}`);
const rows = fresh.acks.table();
console.log(`rows: ${rows.map((r) => `${r.event} n=${r.answered.toLocaleString('en')} p50=${r.p50.toFixed(1)} p99=${r.p99.toFixed(1)}`).join('; ')}`);
console.log(`scatter points per row: ${keys.map((k) => fresh.acks.scatter(k).length).join(', ')}; traffic buckets: ${fresh.traffic.get('all')!.rate(BYTES_IN).length}`);
