// npm run bench [-- --quick] [-- --wall | --thread] [-- --rounds=N] [-- --sample-ms=N] [-- --budget-ms=N] [-- --only=a,b]
//
// Decodes the same prebuilt frames with the official engine.io-parser + socket.io-parser and with ours, side by
// side in alternating rounds, and prints median throughput per workload plus the three performance targets.
// Exits 0 whatever the figures: a benchmark informs, it does not gate CI.

import { Buffer } from 'node:buffer';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { decodePacket, decodePayload } from 'engine.io-parser';
import { Decoder } from 'socket.io-parser';
import { base64ToBytes, utf8Length } from '../bytes.ts';
import { decodeEioBinary, decodeEioText } from '../engineio/packet.ts';
import { decodePayloadV4 } from '../engineio/payload.ts';
import { Failure } from '../failure.ts';
import { reconstructPlaceholders } from '../socketio/binary.ts';
import { decodeSioText, type SioPacket } from '../socketio/packet.ts';
import { Tracker } from '../tracker/tracker.ts';
import type { SioEntry } from '../types.ts';
import { hasGc, hasThreadClock, measure, sink, type Sample, type Variant } from './harness.ts';
import { buildWorkloads, type Workload } from './workloads.ts';

// --- options --------------------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const flag = (name: string): string | undefined => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
// Many short rounds rather than a few long ones: on a shared machine a burst of noise then spoils single samples,
// which the median drops, instead of a large share of the run.
// Process CPU time by default: on this shared 2-core box wall-clock samples swing by ±100% with the neighbours' load,
// CPU time far less (it still feels the VM being descheduled). `--wall` for wall-clock time on a quiet machine;
// `--thread` for this thread's CPU time alone (Linux), which leaves out V8's GC helper threads too. The kernel
// brings a running thread's count up to date at each scheduler tick (every 4 ms here), so that clock takes samples
// long enough for a tick to be a small part of one.
const clock = argv.includes('--wall') ? ('wall' as const) : argv.includes('--thread') && hasThreadClock ? ('thread' as const) : ('cpu' as const);
const opts = {
  warmupMs: quick ? 50 : 150,
  sampleMs: Number(flag('sample-ms') ?? (clock === 'thread' ? (quick ? 80 : 150) : quick ? 20 : 30)),
  rounds: Number(flag('rounds') ?? (clock === 'thread' ? (quick ? 3 : 9) : quick ? 5 : 15)),
  minRounds: quick ? 3 : 7,
  /** Whole run, wall-clock: rounds stop early (not below minRounds) when the machine is too busy to finish in it. */
  budgetMs: Number(flag('budget-ms') ?? (clock === 'thread' ? (quick ? 30_000 : 120_000) : quick ? 15_000 : 55_000)),
  clock,
};
const only = flag('only')?.split(',');

// --- the decoders under test ----------------------------------------------------------------------------------

/**
 * (1) official: engine.io-parser decodePacket / decodePayload, then socket.io-parser Decoder.add + 'decoded'.
 * The decoded packets are kept in an array, as a debugger keeps its log: the Tracker keeps its entries too, and
 * what survives a pass costs the garbage collector alike on both sides.
 */
function official(w: Workload, binaryInput: 'base64' | 'bytes'): () => number {
  const frames = w.frames;
  if (w.transport === 'polling') {
    return () => {
      const decoder = new Decoder();
      const log: unknown[] = [];
      let acc = 0;
      decoder.on('decoded', (p: { data?: unknown[] }) => {
        log.push(p);
        acc += p.data ? p.data.length : 1;
      });
      for (const f of frames) {
        for (const packet of decodePayload(f.raw.data!, 'nodebuffer')) {
          if (packet.type === 'message') decoder.add(packet.data);
        }
      }
      return acc;
    };
  }
  return () => {
    const decoder = new Decoder();
    const log: unknown[] = [];
    let acc = 0;
    decoder.on('decoded', (p: { data?: unknown[] }) => {
      log.push(p);
      acc += p.data ? p.data.length : 1;
    });
    for (const f of frames) {
      let packet;
      if (f.raw.opcode !== 'binary') packet = decodePacket(f.raw.data!);
      else if (binaryInput === 'bytes') packet = decodePacket(f.wire as Buffer, 'nodebuffer');
      else packet = decodePacket(Buffer.from(f.raw.data!, 'base64'), 'nodebuffer');
      if (packet.type === 'message') decoder.add(packet.data);
    }
    return acc;
  };
}

/** (2a) ours, the product path: a fresh Tracker fed the RawFrames. `lazy` is (3), the summary path. */
function tracker(w: Workload, lazy: boolean): () => number {
  const frames = w.frames;
  return () => {
    const t = lazy ? new Tracker({ lazy: true }) : new Tracker();
    for (const f of frames) t.push(f.raw);
    const last = t.log[t.log.length - 1];
    return t.log.length + (last.layer === 'sio' ? (last.args?.length ?? 0) : -1000);
  };
}

/** (2b) ours without the tracker: decodeEioText / decodeEioBinary + decodeSioText, placeholders put back by hand. */
function stateless(w: Workload): () => number {
  const frames = w.frames;
  if (w.transport === 'polling') {
    return () => {
      let acc = 0;
      for (const f of frames) {
        for (const item of decodePayloadV4(f.raw.data!)) {
          if (item instanceof Failure || item.type !== 'message' || typeof item.data !== 'string') continue;
          const p = decodeSioText(item.data);
          acc += p instanceof Failure ? -1000 : count(p);
        }
      }
      return acc;
    };
  }
  return () => {
    let acc = 0;
    let pending: SioPacket | undefined;
    let attachments: Uint8Array[] = [];
    for (const f of frames) {
      const data = f.raw.data!;
      if (f.raw.opcode === 'binary') {
        const bytes = base64ToBytes(data);
        if (!bytes || !pending) return -1000;
        const e = decodeEioBinary(bytes, 4);
        if (e instanceof Failure) return -1000;
        attachments.push(e.data as Uint8Array);
        if (attachments.length === pending.attachments) {
          if (reconstructPlaceholders(pending.args, attachments) instanceof Failure) return -1000;
          acc += count(pending);
          pending = undefined;
        }
        continue;
      }
      const e = decodeEioText(data);
      if (e instanceof Failure || e.type !== 'message' || typeof e.data !== 'string') continue;
      const p = decodeSioText(e.data);
      if (p instanceof Failure) return -1000;
      if (p.attachments !== undefined && p.attachments > 0) {
        pending = p;
        attachments = [];
      } else acc += count(p);
    }
    return acc;
  };
}

/** What the official 'decoded' listener adds for the same packet: the length of its data array. */
function count(p: SioPacket): number {
  return (p.args?.length ?? 0) + (p.type === 'event' ? 1 : 0);
}

/** (4) the floor: JSON.parse of each packet's JSON substring, nothing else. */
function jsonFloor(w: Workload): () => number {
  const payloads = w.jsonPayloads;
  return () => {
    let acc = 0;
    for (const s of payloads) {
      const v = JSON.parse(s) as unknown[];
      acc += v.length;
    }
    return acc;
  };
}

/**
 * (4') For binary workloads, the floor of the input as the hook hands it over: JSON.parse of the JSON parts plus
 * Node's native base64 decode of each attachment. No decoder of these frames can skip the base64.
 */
function inputFloor(w: Workload): () => number {
  const payloads = w.jsonPayloads;
  const attachments = w.frames.filter((f) => f.raw.opcode === 'binary').map((f) => f.raw.data!);
  return () => {
    let acc = 0;
    for (const s of payloads) acc += (JSON.parse(s) as unknown[]).length;
    for (const b of attachments) acc += Buffer.from(b, 'base64').length;
    return acc;
  };
}

/**
 * (5) What the log's `size` field costs alone: the UTF-8 byte count the Tracker takes of every text frame (polling:
 * of the body, then of each packet when the body is not ASCII). The official parsers count nothing.
 */
function sizeCount(w: Workload): () => number {
  const texts = w.frames.filter((f) => f.raw.opcode !== 'binary').map((f) => f.raw.data!);
  if (w.transport === 'polling') {
    return () => {
      let acc = 0;
      for (const body of texts) {
        const bytes = utf8Length(body);
        acc += bytes;
        if (bytes === body.length) continue;
        // Each packet again, cut out as the Tracker cuts it (so this includes the cutting, which it shares).
        for (let from = 0; from <= body.length; ) {
          let to = body.indexOf('\x1e', from);
          if (to < 0) to = body.length;
          acc += utf8Length(body.slice(from, to));
          from = to + 1;
        }
      }
      return acc;
    };
  }
  return () => {
    let acc = 0;
    for (const text of texts) acc += utf8Length(text);
    return acc;
  };
}

function variantsFor(w: Workload): Variant[] {
  const vs: Variant[] = [{ key: 'official', label: 'official full (eio-parser + sio-parser)', run: official(w, 'base64') }];
  if (w.id === 'c') vs.push({ key: 'officialBytes', label: '  official, fed raw bytes (no base64)', run: official(w, 'bytes') });
  vs.push(
    { key: 'tracker', label: 'ours full: Tracker', run: tracker(w, false) },
    { key: 'stateless', label: 'ours full: decodeEioText + decodeSioText', run: stateless(w) },
    { key: 'lazy', label: 'ours summary: Tracker({ lazy: true })', run: tracker(w, true) },
    { key: 'json', label: 'floor: bare JSON.parse of payloads', run: jsonFloor(w) },
    { key: 'size', label: 'ours: UTF-8 size count alone (in Tracker)', run: sizeCount(w) },
  );
  if (w.id === 'c') vs.push({ key: 'input', label: '  floor + native base64 of attachments', run: inputFloor(w) });
  return vs;
}

// --- sanity: both decoders see the same packets ---------------------------------------------------------------

/** Buffers and Uint8Arrays compare by content. */
function normal(v: unknown): string {
  // The replacer reads the holder: Buffer#toJSON has already run on the value it is passed.
  return JSON.stringify(v, function (this: Record<string, unknown>, k: string, x: unknown) {
    const orig = this[k];
    return ArrayBuffer.isView(orig) ? `bytes:${Buffer.from(orig.buffer, orig.byteOffset, orig.byteLength).toString('hex')}` : x;
  });
}

/**
 * One instance of each decoder stays alive for the whole run. V8 keeps the hidden classes of a class's instances
 * only while an instance lives: with a fresh decoder per pass and all of them collected by the gc() before each
 * sample, the optimised code of every method that reads the instance is thrown away (deopt reason "weak objects")
 * and each sample starts cold. A debugger's decoder lives as long as its session; both sides are treated alike.
 */
const pinned: unknown[] = [];

function check(w: Workload): string | undefined {
  const expected: string[] = [];
  const decoder = new Decoder();
  decoder.on('decoded', (p: { type: number; nsp: string; id?: number; data?: unknown }) => expected.push(normal([p.type % 3 === 2 ? 'event' : 'ack', p.nsp, p.id ?? null, p.data])));
  for (const f of w.frames) {
    if (w.transport === 'polling') {
      for (const packet of decodePayload(f.raw.data!, 'nodebuffer')) decoder.add(packet.data);
    } else decoder.add(decodePacket(f.raw.opcode === 'binary' ? (f.wire as Buffer) : f.raw.data!, 'nodebuffer').data);
  }
  const full = new Tracker();
  const lazy = new Tracker({ lazy: true });
  pinned.push(decoder, full, lazy);
  for (const f of w.frames) {
    full.push(f.raw);
    lazy.push(f.raw);
  }
  const got = full.log.map((e) => {
    if (e.layer !== 'sio') return `${e.layer}: ${e.layer === 'error' ? e.error : e.type}`;
    return normal([e.type, e.ns, e.id ?? null, e.type === 'event' ? [e.event, ...(e.args ?? [])] : e.args]);
  });
  if (got.length !== expected.length) return `tracker logged ${got.length} entries, official decoded ${expected.length} packets`;
  for (let i = 0; i < got.length; i++) {
    if (got[i] !== expected[i]) return `packet ${i} differs:\n  official ${expected[i].slice(0, 200)}\n  ours     ${got[i].slice(0, 200)}`;
    const l = lazy.log[i] as SioEntry;
    const f = full.log[i] as SioEntry;
    if (l.layer !== 'sio' || l.event !== f.event || l.ns !== f.ns || l.size !== f.size) return `lazy entry ${i} differs from the full one`;
  }
  if (stateless(w)() !== official(w, 'bytes')()) return 'stateless path and official disagree on the argument count';
  return undefined;
}

// --- report ---------------------------------------------------------------------------------------------------

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
const fmt = (x: number, digits = 1) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

interface Result {
  w: Workload;
  samples: Map<string, Sample>;
  labels: Map<string, string>;
}

function mbps(w: Workload, s: Sample): number {
  return w.bytes / 1e6 / (s.median / 1e3);
}
function kpps(w: Workload, s: Sample): number {
  return w.packets / 1e3 / (s.median / 1e3);
}

/**
 * How many times faster `b` ran than `a`: the median over rounds of the per-round ratio. Samples of one round ran
 * moments apart, so a ratio taken within a round cancels most of the load the machine had then.
 */
function speedup(r: Result, a: string, b: string): number {
  const ta = r.samples.get(a)!.perPass;
  const tb = r.samples.get(b)!.perPass;
  return median(ta.map((t, i) => t / tb[i]));
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function printTable(r: Result): void {
  const { w, samples } = r;
  const rounds = samples.get('official')!.rounds;
  const cut = rounds < opts.rounds ? ` (${rounds} rounds: time budget)` : '';
  console.log(`\n${w.id}. ${w.title}: ${w.frames.length} frames, ${w.packets} packets, ${fmt(w.bytes / 1e6, 2)} MB per pass${cut}`);
  console.log(`   ${pad('variant', 44)}${lpad('MB/s', 9)}${lpad('k pkt/s', 10)}${lpad('µs/pkt', 9)}${lpad('spread', 8)}${lpad('vs official', 13)}`);
  for (const [key, s] of samples) {
    const vsOfficial = speedup(r, 'official', key);
    console.log(
      `   ${pad(r.labels.get(key)!, 44)}${lpad(fmt(mbps(w, s)), 9)}${lpad(fmt(kpps(w, s)), 10)}` +
        `${lpad(fmt((s.median * 1e3) / w.packets, 2), 9)}${lpad(`±${fmt(s.spread * 100, 0)}%`, 8)}${lpad(`${fmt(vsOfficial, 2)}x`, 13)}`,
    );
  }
}

/** Median over rounds of `a`'s time minus `b`'s, in µs per packet. */
function overUs(r: Result, a: string, b: string): number {
  const ta = r.samples.get(a)!.perPass;
  const tb = r.samples.get(b)!.perPass;
  return (median(ta.map((t, i) => t - tb[i])) * 1e3) / r.w.packets;
}

/**
 * Where the time above the JSON.parse floor goes, per packet: the official parsers' overhead beside ours, and the
 * share of ours that is the size count (which the official parsers do not do). Target 1 asks ours to fit in the
 * official's overhead.
 */
function printOverheads(results: Result[]): void {
  console.log('\nabove the JSON.parse floor, µs per packet (median of per-round differences)');
  console.log(`   ${pad('workload', 12)}${lpad('official', 10)}${lpad('ours', 10)}${lpad('of which size count', 21)}${lpad('stateless', 11)}`);
  for (const r of results) {
    const floor = r.samples.has('input') ? 'input' : 'json';
    console.log(
      `   ${pad(r.w.id, 12)}${lpad(fmt(overUs(r, 'official', floor), 2), 10)}${lpad(fmt(overUs(r, 'tracker', floor), 2), 10)}` +
        `${lpad(fmt((r.samples.get('size')!.median * 1e3) / r.w.packets, 2), 21)}${lpad(fmt(overUs(r, 'stateless', floor), 2), 11)}`,
    );
  }
}

interface Target {
  name: string;
  value: number;
  pass: boolean;
  goal: string;
}

function targets(results: Result[]): Target[] {
  const out: Target[] = [];
  for (const r of results) {
    const v = speedup(r, 'official', 'tracker');
    const sl = speedup(r, 'official', 'stateless');
    out.push({ name: `1${r.w.id}. full decode, ours (Tracker) vs official  [stateless path: ${fmt(sl, 2)}x]`, value: v, pass: v >= 1, goal: '>= 1.00x' });
  }
  const b = results.find((r) => r.w.id === 'b');
  if (b) {
    const v = speedup(b, 'official', 'lazy');
    out.push({ name: '2b. summary (lazy Tracker) of 10 KB events vs official full', value: v, pass: v >= 3, goal: '>= 3.00x' });
  }
  for (const r of results) {
    const v = speedup(r, 'tracker', 'json');
    const sl = speedup(r, 'stateless', 'json');
    // The official parsers' own distance from the floor, measured in the same rounds: what the target asks of ours.
    const of = speedup(r, 'official', 'json');
    out.push({ name: `3${r.w.id}. full decode (Tracker) time / bare JSON.parse  [stateless: ${fmt(sl, 2)}x, official: ${fmt(of, 2)}x]`, value: v, pass: v <= 1.3, goal: '<= 1.30x' });
    if (r.samples.has('input')) {
      const vi = speedup(r, 'tracker', 'input');
      const si = speedup(r, 'stateless', 'input');
      const oi = speedup(r, 'official', 'input');
      out.push({ name: `3${r.w.id}'. the same over JSON.parse + base64 of attachments  [stateless: ${fmt(si, 2)}x, official: ${fmt(oi, 2)}x]`, value: vi, pass: vi <= 1.3, goal: '<= 1.30x' });
    }
  }
  return out;
}

// --- main -----------------------------------------------------------------------------------------------------

const started = performance.now();
const workloads = buildWorkloads().filter((w) => !only || only.includes(w.id));
console.log(
  `Sockscope decode benchmark: node ${process.version}, ${opts.rounds} alternating rounds of ~${opts.sampleMs} ms per variant, ` +
    `median reported, ${{ cpu: 'process CPU time', thread: "the main thread's CPU time", wall: 'wall-clock time' }[opts.clock]}${quick ? ' (--quick)' : ''}` +
    `${hasGc ? ', gc between samples' : ''}; ` +
    `load average ${loadavg()[0].toFixed(2)} on ${availableParallelism()} CPUs`,
);
let sane = true;
for (const w of workloads) {
  const problem = check(w);
  if (problem) {
    sane = false;
    console.log(`!! sanity check, workload ${w.id}: ${problem}`);
  }
}
if (sane) console.log('sanity: Tracker (full and lazy), stateless path and official decode agree on every packet');

const results: Result[] = [];
for (const [i, w] of workloads.entries()) {
  const variants = variantsFor(w);
  const left = started + opts.budgetMs - performance.now();
  const samples = measure(variants, { ...opts, deadline: performance.now() + left / (workloads.length - i) });
  const result = { w, samples, labels: new Map(variants.map((v) => [v.key, v.label])) };
  results.push(result);
  printTable(result);
}

printOverheads(results);
console.log(
  '\ntargets (median of per-round time ratios; 1, 2: how many times faster ours is; 3: how far above the JSON.parse floor)',
);
let missed = 0;
for (const t of targets(results)) {
  if (!t.pass) missed++;
  console.log(`  ${t.pass ? 'PASS' : 'MISS'}  ${pad(t.name, 100)}${lpad(`${fmt(t.value, 2)}x`, 8)}  (target ${t.goal})`);
}
console.log(
  `\n${missed === 0 ? 'all targets met' : `${missed} target(s) missed`}; ${fmt((performance.now() - started) / 1e3, 1)} s` +
    ` (checksum ${sink})`,
);
process.exitCode = 0;
