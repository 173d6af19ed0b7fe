import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecodedEntry, Direction, SioEntry } from '../../protocol/types.ts';
import { ChartsModel } from './charts-model.ts';
import { SCATTER_ALL_POINTS } from './ack-stats.ts';

interface Emit {
  event: string;
  dir: Direction;
  gap: number;
  /** Latency of its ack, or undefined when it asks for none; -1 when it asks and never gets one. */
  ack: number | undefined;
}

const emits = fc.array(
  fc.record({
    event: fc.constantFrom('fast', 'slow', 'chat message', '__proto__', 'constructor'),
    dir: fc.constantFrom<Direction>('out', 'in'),
    gap: fc.double({ min: 0, max: 50, noNaN: true }),
    ack: fc.option(fc.oneof(fc.constant(-1), fc.double({ min: 0, max: 500, noNaN: true })), { nil: undefined }),
  }),
  { maxLength: 120 },
);

/** A log as the tracker writes it: emits in time order, each ack placed at its time with ackOf / ackedBy / latency. */
function buildLog(list: Emit[]): SioEntry[] {
  const base = { seq: 0, conn: 'c1', transport: 'websocket' as const, size: 10, layer: 'sio' as const, ns: '/' };
  type Item = { t: number; emit?: Emit; n?: number; id?: number; ackFor?: number };
  const items: Item[] = [];
  let t = 1000;
  list.forEach((emit, i) => {
    t += emit.gap;
    items.push({ t, emit, n: i, id: emit.ack === undefined ? undefined : i });
    if (emit.ack !== undefined && emit.ack >= 0) items.push({ t: t + emit.ack, ackFor: i });
  });
  items.sort((a, b) => a.t - b.t || (a.emit ? -1 : 1));
  const log: SioEntry[] = [];
  const emitIndex = new Map<number, number>();
  for (const item of items) {
    const index = log.length;
    if (item.emit) {
      emitIndex.set(item.n!, index);
      log.push({ ...base, index, t: item.t, dir: item.emit.dir, type: 'event', event: item.emit.event, id: item.id });
    } else {
      const of = emitIndex.get(item.ackFor!)!;
      const emit = log[of];
      emit.ackedBy = index;
      log.push({ ...base, index, t: item.t, dir: emit.dir === 'in' ? 'out' : 'in', type: 'ack', id: emit.id, ackOf: of, latency: item.t - emit.t });
    }
  }
  return log;
}

/** The reference: every number from scratch over the first `n` entries. */
function naiveTable(log: SioEntry[], n: number, now: number, timeout: number) {
  const rows = new Map<string, { count: number; asked: number; answered: number; unanswered: number; late: number; latencies: number[] }>();
  const prefix = log.slice(0, n);
  const answeredAt = new Map<number, number>();
  for (const e of prefix) if (e.type === 'ack' && e.ackOf !== undefined) answeredAt.set(e.ackOf, e.latency!);
  for (const e of prefix) {
    if (e.type !== 'event') continue;
    const key = `${e.dir} ${e.event}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { count: 0, asked: 0, answered: 0, unanswered: 0, late: 0, latencies: [] }));
    row.count++;
    if (e.id === undefined) continue;
    row.asked++;
    const latency = answeredAt.get(e.index);
    if (latency !== undefined) {
      row.answered++;
      row.latencies.push(latency);
      if (latency > timeout) row.late++;
    } else if (e.t <= now - timeout) row.unanswered++;
  }
  const rank = (sorted: number[], p: number) => (sorted.length ? sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1] : NaN);
  return [...rows].map(([key, r]) => {
    const s = [...r.latencies].sort((a, b) => a - b);
    return { key, count: r.count, asked: r.asked, answered: r.answered, unanswered: r.unanswered, late: r.late, p50: rank(s, 50), p90: rank(s, 90), p99: rank(s, 99), max: s.length ? s[s.length - 1] : NaN };
  });
}

const pick = (rows: ReturnType<ChartsModel['acks']['table']>) =>
  rows.map(({ key, count, asked, answered, unanswered, late, p50, p90, p99, max }) => ({ key, count, asked, answered, unanswered, late, p50, p90, p99, max }));

describe('ack statistics', () => {
  it('fed in random slices, with time moving on, equal a from-scratch count over the same prefix', () => {
    fc.assert(
      fc.property(emits, fc.array(fc.nat(), { maxLength: 6 }), fc.constantFrom(30, 100, 400), (list, cuts, timeout) => {
        const log = buildLog(list);
        const model = new ChartsModel();
        const ends = [...cuts.map((c) => (log.length ? c % (log.length + 1) : 0)), log.length].sort((a, b) => a - b);
        for (const end of ends) {
          model.feed(log, end);
          const now = end > 0 ? log[end - 1].t : 0;
          model.acks.settle(now, timeout);
          expect(pick(model.acks.table())).toEqual(naiveTable(log, end, now, timeout));
        }
      }),
    );
  });

  it('a replay moving back starts over and shows the session up to that position only', () => {
    fc.assert(
      fc.property(emits, fc.nat(), (list, back) => {
        const log = buildLog(list);
        const model = new ChartsModel();
        model.feed(log);
        const end = log.length ? back % log.length : 0;
        model.feed(log, end);
        const now = end > 0 ? log[end - 1].t : 0;
        model.acks.settle(now, 100);
        expect(pick(model.acks.table())).toEqual(naiveTable(log, end, now, 100));
      }),
    );
  });

  it('a longer timeout recounts; an ack arriving after it turns an unanswered emit into a late answer', () => {
    const log = buildLog([
      { event: 'slow', dir: 'out', gap: 0, ack: 300 },
      { event: 'slow', dir: 'out', gap: 10, ack: -1 },
    ]);
    const model = new ChartsModel();
    model.feed(log, 2);
    model.acks.settle(log[0].t + 250, 100);
    expect(model.acks.table()[0]).toMatchObject({ asked: 2, answered: 0, unanswered: 2, late: 0 });
    model.feed(log);
    model.acks.settle(log[0].t + 300, 100);
    expect(model.acks.table()[0]).toMatchObject({ asked: 2, answered: 1, unanswered: 1, late: 1, p50: 300 });
    model.acks.settle(log[0].t + 300, 1000);
    expect(model.acks.table()[0]).toMatchObject({ answered: 1, unanswered: 0, late: 0 });
  });

  it('the scatter shows every sample when few, each bucket extremes when many (every point a real emit)', () => {
    const few = buildLog(Array.from({ length: 50 }, (_, i) => ({ event: 'e', dir: 'out' as const, gap: 1, ack: i })));
    const model = new ChartsModel();
    model.feed(few);
    const points = model.acks.scatter('out e');
    expect(points).toHaveLength(50);
    for (const p of points) expect(few[p.index]).toMatchObject({ type: 'event', t: p.x });

    const many = buildLog(Array.from({ length: SCATTER_ALL_POINTS * 3 }, (_, i) => ({ event: 'e', dir: 'out' as const, gap: 1, ack: (i * 7919) % 1000 })));
    const big = new ChartsModel();
    big.feed(many);
    const decimated = big.acks.scatter('out e');
    expect(decimated.length).toBeLessThanOrEqual(1024);
    expect(Math.max(...decimated.map((p) => p.y))).toBe(Math.max(...many.filter((e) => e.type === 'ack').map((e) => e.latency!)));
    for (const p of decimated) expect(many[p.index].ackedBy).toBeDefined();
  });

  it('histograms share round bins from zero over the selected rows', () => {
    const log = buildLog([...Array.from({ length: 10 }, () => ({ event: 'fast', dir: 'out' as const, gap: 300, ack: 20 })), ...Array.from({ length: 10 }, () => ({ event: 'slow', dir: 'out' as const, gap: 300, ack: 200 }))]);
    const model = new ChartsModel();
    model.feed(log);
    const { width, counts } = model.acks.histograms(['out fast', 'out slow'], 40);
    expect(width).toBe(5);
    expect(counts.get('out fast')![Math.floor(20 / width)]).toBe(10);
    expect(counts.get('out slow')!.reduce((a, b) => a + b)).toBe(10);
  });

  it('clearing the log (a new array) starts over', () => {
    const model = new ChartsModel();
    const log: DecodedEntry[] = buildLog([{ event: 'x', dir: 'out', gap: 0, ack: 5 }]);
    model.feed(log);
    model.feed([]);
    expect(model.acks.table()).toEqual([]);
    expect(model.position).toBe(0);
  });
});

describe('reading a long log a slice at a time', () => {
  it('a zero budget reads one slice per call, and the slices add up to reading it at once', () => {
    const log = buildLog(Array.from({ length: 12_000 }, (_, i) => ({ event: i % 3 ? 'a' : 'b', dir: 'out' as const, gap: 1, ack: (i * 31) % 97 })));
    const sliced = new ChartsModel();
    let calls = 0;
    while (!sliced.feed(log, log.length, 0)) calls++;
    expect(calls).toBeGreaterThan(1);
    const whole = new ChartsModel();
    expect(whole.feed(log)).toBe(true);
    expect(sliced.acks.table()).toEqual(whole.acks.table());
    expect(sliced.position).toBe(log.length);
  });
});
