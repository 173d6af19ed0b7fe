import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecodedEntry, Direction, EioEntry } from '../../protocol/types.ts';
import { ChartsModel } from './charts-model.ts';
import { BYTES_IN, BYTES_OUT, EVENTS_IN, EVENTS_OUT, MAX_TRAFFIC_SCOPES } from './traffic-stats.ts';
import { MAX_ACK_ROWS } from './ack-stats.ts';
import { MAX_PINGS } from './heartbeat-stats.ts';

const T0 = 1_764_000_000_000;

describe('traffic', () => {
  it('per scope, events and bytes per second in and out add up to what the log holds', () => {
    const entry = fc.record({
      dt: fc.double({ min: 0, max: 200, noNaN: true }),
      dir: fc.constantFrom<Direction>('in', 'out'),
      conn: fc.constantFrom('a', 'b'),
      ns: fc.constantFrom('/', '/chat', undefined),
      event: fc.boolean(),
      size: fc.integer({ min: 1, max: 5000 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 400 }), (list) => {
        let t = T0;
        const log: DecodedEntry[] = list.map((e, index) => {
          t += e.dt;
          const base = { index, seq: index, conn: e.conn, t, dir: e.dir, transport: 'websocket' as const, size: e.size };
          return e.ns === undefined ? { ...base, layer: 'eio', type: 'message' } : { ...base, layer: 'sio', type: e.event ? 'event' : 'connect', ns: e.ns };
        });
        const model = new ChartsModel();
        model.feed(log);
        for (const [key, keep] of [
          ['all', () => true],
          ['conn:a', (e: DecodedEntry) => e.conn === 'a'],
          ['ns:/chat', (e: DecodedEntry) => e.layer === 'sio' && e.ns === '/chat'],
        ] as const) {
          const buckets = model.traffic.get(key);
          const mine = log.filter(keep);
          if (!buckets) {
            expect(mine).toEqual([]);
            continue;
          }
          const total = (channel: number) => buckets.rate(channel).reduce((sum, p) => sum + (p.y * buckets.width) / 1000, 0);
          const events = (dir: Direction) => mine.filter((e) => e.dir === dir && e.layer === 'sio' && e.type === 'event').length;
          const bytes = (dir: Direction) => mine.filter((e) => e.dir === dir).reduce((sum, e) => sum + e.size, 0);
          expect(total(EVENTS_IN)).toBeCloseTo(events('in'), 6);
          expect(total(EVENTS_OUT)).toBeCloseTo(events('out'), 6);
          expect(total(BYTES_IN)).toBeCloseTo(bytes('in'), 6);
          expect(total(BYTES_OUT)).toBeCloseTo(bytes('out'), 6);
        }
      }),
    );
  });
});

describe('heartbeat', () => {
  const eio = (index: number, t: number, dir: Direction, type: EioEntry['type'], data?: unknown): EioEntry => ({ index, seq: index, conn: 'c', t, dir, transport: 'websocket', size: 1, layer: 'eio', type, data });

  it('Engine.IO v4: server pings; intervals as seen, late and missing pongs, probes ignored', () => {
    const log: EioEntry[] = [
      eio(0, T0, 'in', 'open', { sid: 's', upgrades: [], pingInterval: 1000, pingTimeout: 400 }),
      eio(1, T0 + 5, 'out', 'ping', 'probe'),
      eio(2, T0 + 6, 'in', 'pong', 'probe'),
      eio(3, T0 + 1000, 'in', 'ping'),
      eio(4, T0 + 1010, 'out', 'pong'),
      eio(5, T0 + 2000, 'in', 'ping'),
      eio(6, T0 + 2300, 'out', 'pong'), // 300 ms > pingTimeout / 2: late
      eio(7, T0 + 3000, 'in', 'ping'), // no pong
      eio(8, T0 + 4500, 'in', 'ping'), // 1500 ms > 1000 + 400: a late ping
    ];
    const model = new ChartsModel();
    model.feed(log);
    expect(model.heartbeat.summary('c', T0 + 4600)).toEqual({
      conn: 'c',
      pingInterval: 1000,
      pingTimeout: 400,
      pings: 4,
      pongs: 2,
      missingPongs: 1,
      latePongs: 1,
      latePings: 1,
      medianInterval: 1000,
      maxInterval: 1500,
      maxPongDelay: 300,
    });
    // Past pingTimeout with the last ping unanswered: that one is missing too.
    expect(model.heartbeat.summary('c', T0 + 5000)!.missingPongs).toBe(2);
    const series = model.heartbeat.series('c');
    expect(series.intervals.map((p) => p.y)).toEqual([1000, 1000, 1500]);
    expect(series.pongDelays.map((p) => [p.y, p.index])).toEqual([
      [10, 3],
      [300, 5],
    ]);
  });

  it('Engine.IO v3: the client pings', () => {
    const log: EioEntry[] = [
      eio(0, T0, 'in', 'open', { sid: 's', upgrades: [], pingInterval: 500, pingTimeout: 200 }),
      eio(1, T0 + 500, 'out', 'ping'),
      eio(2, T0 + 520, 'in', 'pong'),
      eio(3, T0 + 1000, 'out', 'ping'),
      eio(4, T0 + 1005, 'in', 'pong'),
    ];
    const model = new ChartsModel();
    model.feed(log);
    expect(model.heartbeat.summary('c', T0 + 1010)).toMatchObject({ pings: 2, pongs: 2, missingPongs: 0, latePongs: 0, medianInterval: 500, maxPongDelay: 20 });
  });
});

describe('heartbeat of a busy connection', () => {
  it('past MAX_PINGS the series are bucket extremes: bounded, real pings, the longest interval kept', () => {
    const log: EioEntry[] = [{ index: 0, seq: 0, conn: 'c', t: T0, dir: 'in', transport: 'websocket', size: 1, layer: 'eio', type: 'open', data: { sid: 's', upgrades: [], pingInterval: 100, pingTimeout: 50 } }];
    let t = T0;
    for (let i = 0; i < MAX_PINGS * 3; i++) {
      t += i === 5000 ? 900 : 100;
      log.push({ index: log.length, seq: 0, conn: 'c', t, dir: 'in', transport: 'websocket', size: 1, layer: 'eio', type: 'ping' });
      log.push({ index: log.length, seq: 0, conn: 'c', t: t + (i % 7), dir: 'out', transport: 'websocket', size: 1, layer: 'eio', type: 'pong' });
    }
    const model = new ChartsModel();
    model.feed(log);
    const { intervals, pongDelays } = model.heartbeat.series('c');
    expect(intervals.length).toBeLessThanOrEqual(1024);
    expect(Math.max(...intervals.map((p) => p.y))).toBe(900);
    expect(Math.max(...pongDelays.map((p) => p.y))).toBe(6);
    for (const p of [...intervals, ...pongDelays]) expect(log[p.index]).toMatchObject({ type: 'ping', t: p.x });
    expect(model.heartbeat.summary('c', t)).toMatchObject({ pings: MAX_PINGS * 3, pongs: MAX_PINGS * 3, latePings: 1, maxInterval: 900 });
  });
});

describe('caps on what the wire names', () => {
  it('event names past MAX_ACK_ROWS and scopes past MAX_TRAFFIC_SCOPES are counted, not charted', () => {
    const log: DecodedEntry[] = Array.from({ length: MAX_ACK_ROWS + 5 }, (_, index) => ({
      index, seq: index, conn: 'c', t: T0 + index, dir: 'out', transport: 'websocket', size: 3, layer: 'sio', type: 'event', ns: `/ns${index}`, event: `e${index}`,
    }));
    const model = new ChartsModel();
    model.feed(log);
    expect(model.acks.table()).toHaveLength(MAX_ACK_ROWS);
    expect(model.acks.overflow).toBe(5);
    expect(model.traffic.list()).toHaveLength(MAX_TRAFFIC_SCOPES);
    // 'all' and the connection take two scopes; every later namespace is counted only in 'all'.
    expect(model.traffic.overflow).toBe(log.length - (MAX_TRAFFIC_SCOPES - 2));
    const all = model.traffic.get('all')!;
    expect(all.rate(EVENTS_OUT).reduce((n, p) => n + (p.y * all.width) / 1000, 0)).toBeCloseTo(log.length, 6);
  });
});
