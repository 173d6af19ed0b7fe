import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serverStatsSeries, type ServerStatsSample } from './server-stats-series.ts';

const T0 = 1_764_000_000_000;
const PALETTE = ['#a', '#b', '#c'];

describe('admin server_stats as series', () => {
  it('one server: clients as they were, bytes as rates over the interval since the previous sample', () => {
    const samples: ServerStatsSample[] = [
      { t: T0, serverId: 'n1', clientsCount: 1, bytesIn: 500, bytesOut: 100 },
      { t: T0 + 2000, serverId: 'n1', clientsCount: 3, bytesIn: 4000, bytesOut: 1000 },
      { t: T0 + 3000, serverId: 'n1', clientsCount: 2, bytesIn: 100, bytesOut: 0 },
    ];
    const { clients, bytes, origin } = serverStatsSeries(samples, PALETTE);
    expect(origin).toBe(T0);
    expect(clients).toEqual([{ label: 'clients', color: '#a', points: [{ x: T0, y: 1 }, { x: T0 + 2000, y: 3 }, { x: T0 + 3000, y: 2 }] }]);
    expect(bytes.map((s) => [s.label, s.points.map((p) => p.y)])).toEqual([
      ['received', [2000, 100]],
      ['sent', [500, 0]],
    ]);
  });

  it('several servers interleaved: one series each, every sample in its own, rates never from another server', () => {
    const sample = fc.record({ dt: fc.integer({ min: 1, max: 5000 }), serverId: fc.constantFrom('a', 'b', 'c'), clientsCount: fc.nat(100), bytesIn: fc.nat(1e6), bytesOut: fc.nat(1e6) });
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 60 }), (list) => {
        let t = T0;
        const samples = list.map(({ dt, ...s }) => ({ ...s, t: (t += dt) }));
        const { clients, bytes } = serverStatsSeries(samples, PALETTE);
        const ids = [...new Set(samples.map((s) => s.serverId))];
        expect(clients).toHaveLength(ids.length);
        expect(bytes).toHaveLength(ids.length * 2);
        ids.forEach((id, i) => {
          const mine = samples.filter((s) => s.serverId === id);
          expect(clients[i].points.map((p) => p.y)).toEqual(mine.map((s) => s.clientsCount));
          const rates = mine.slice(1).map((s, k) => s.bytesIn / ((s.t - mine[k].t) / 1000));
          bytes[2 * i].points.forEach((p, k) => expect(p.y).toBeCloseTo(rates[k], 6));
          expect(bytes[2 * i].points).toHaveLength(mine.length - 1);
        });
      }),
    );
  });
});
