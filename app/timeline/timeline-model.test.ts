import { describe, expect, it } from 'vitest';
import type { DecodedEntry } from '../../protocol/types.ts';
import { SCAN_CHUNK, TimelineModel } from './timeline-model.ts';

function entry(index: number, layer: 'sio' | 'eio', event = ''): DecodedEntry {
  const base = { index, seq: index, conn: 'c', t: index, dir: 'in' as const, transport: 'websocket' as const, size: 1 };
  return layer === 'eio' ? { ...base, layer, type: 'ping' } : { ...base, layer, type: 'event', ns: '/', event, pending: { json: `2["${event}",${index}]`, start: 1, sio: 5 } };
}

describe('TimelineModel', () => {
  it('hides engine rows by default and filters in slices', () => {
    const log: DecodedEntry[] = [];
    for (let i = 0; i < 20_000; i++) log.push(entry(i, i % 4 === 0 ? 'eio' : 'sio', i % 2 ? 'odd' : 'even'));
    const model = new TimelineModel(() => log);
    while (!model.advance(1));
    expect(model.count).toBe(15_000);
    model.configure({ filter: 'event:odd', showEngine: false });
    expect(model.advance(0)).toBe(false);
    expect(model.scanned).toBe(SCAN_CHUNK);
    while (!model.advance(5));
    expect(model.count).toBe(10_000);
    expect(model.at(0)).toBe(1);
    expect(model.positionOf(3)).toBe(1);
    expect(model.positionOf(2)).toBe(-1);
  });

  it('its revision rises when the rows change, also when a new filter ends with as many rows as before', () => {
    const log: DecodedEntry[] = [entry(0, 'sio', 'a'), entry(1, 'sio', 'b')];
    const model = new TimelineModel(() => log);
    model.advance(5);
    const shown = model.revision;
    model.advance(5);
    expect(model.revision).toBe(shown);
    model.configure({ filter: '', showEngine: true });
    expect(model.revision).not.toBe(shown);
    model.advance(5);
    expect(model.count).toBe(2);
    expect(model.revision).not.toBe(shown);
  });

  it('takes new entries as they come, and starts over when the log is cleared', () => {
    const log: DecodedEntry[] = [entry(0, 'sio', 'a')];
    const model = new TimelineModel(() => log);
    model.configure({ filter: '', showEngine: true });
    model.advance(5);
    log.push(entry(1, 'eio'), entry(2, 'sio', 'b'));
    model.advance(5);
    expect(model.count).toBe(3);
    log.length = 0;
    log.push(entry(0, 'sio', 'c'));
    model.advance(5);
    expect(model.count).toBe(1);
    // A cleared store hands over a new array, however long it has grown meanwhile.
    const fresh = [entry(0, 'sio', 'd'), entry(1, 'sio', 'e'), entry(2, 'sio', 'f'), entry(3, 'sio', 'g')];
    const swapped = new TimelineModel(() => current);
    let current: DecodedEntry[] = log;
    swapped.advance(5);
    current = fresh;
    swapped.advance(5);
    expect(swapped.count).toBe(4);
  });

  it('searches payload text without decoding it', () => {
    const log = [entry(0, 'sio', 'x'), entry(1, 'sio', 'y')];
    const model = new TimelineModel(() => log);
    model.configure({ filter: ',1]', showEngine: false });
    model.advance(5);
    expect(model.count).toBe(1);
    expect(log.every((e) => e.layer !== 'sio' || e.args === undefined)).toBe(true);
  });
});
