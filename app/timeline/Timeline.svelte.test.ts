import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { Tracker } from '../../protocol/tracker/tracker.ts';
import type { RawFrame, SioEntry } from '../../protocol/types.ts';
import Timeline from './Timeline.svelte';
import { TimelineModel } from './timeline-model.ts';

function log() {
  const tracker = new Tracker({ lazy: true });
  const url = 'ws://h/socket.io/?EIO=4&transport=websocket';
  const frames: ['in' | 'out', string][] = [
    ['in', '0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000}'],
    ['out', '40'],
    ['in', '40{"sid":"x"}'],
    ['out', '421["ask",{"q":1}]'],
    ['in', '42["other"]'],
    ['in', '431["answer"]'],
    ['out', '422["never"]'],
  ];
  frames.forEach(([dir, data], i) =>
    tracker.push({ seq: i + 1, t: 1000 + i * 5, conn: 'p:w1', url, transport: 'websocket', dir, kind: 'message', opcode: 'text', data } as RawFrame),
  );
  return tracker.log;
}

describe('timeline error rows', () => {
  it('an event whose arguments fail to parse (lazy mode) is styled as an error, with the reason in its preview', () => {
    const tracker = new Tracker({ lazy: true });
    const url = 'ws://h/socket.io/?EIO=4&transport=websocket';
    ['42["fine"]', '42["late",{"a":1}}]', '42["x"'].forEach((data, i) =>
      tracker.push({ seq: i + 1, t: 1000 + i, conn: 'p:w1', url, transport: 'websocket', dir: 'in', kind: 'message', opcode: 'text', data }),
    );
    const entries = tracker.log;
    const model = new TimelineModel(() => entries);
    model.advance(50);
    const { container } = render(Timeline, {
      props: { model, log: entries, version: 1, selected: undefined, timeMode: 'absolute' as const, connectionStart: () => 1000, now: 2000, onselect: () => {}, onopen: () => {} },
    });
    const errorRows = [...container.querySelectorAll('.row.error')].map((r) => Number(r.getAttribute('data-index')));
    expect(errorRows).toEqual([1, 2]);
    expect(container.querySelector('.row[data-index="1"] .c-data')?.textContent).toMatch(/^⚠ invalid JSON/);
    expect((entries[1] as SioEntry).invalid).toMatch(/^invalid JSON/);
  });
});

describe('timeline ack pairing', () => {
  const entries = log();
  const model = new TimelineModel(() => entries);
  model.advance(50);
  const props = (selected: number | undefined) => ({
    model,
    log: entries,
    version: 1,
    selected,
    timeMode: 'absolute' as const,
    connectionStart: () => 1000,
    now: 1000 + 60_000,
    onselect: () => {},
    onopen: () => {},
  });
  const rowOf = (container: HTMLElement, index: number) => container.querySelector(`.row[data-index="${index}"]`)!;

  it('an emit and its ack read as one: latency on both, the other highlighted when one is selected', () => {
    const ask = entries.findIndex((e) => e.layer === 'sio' && e.event === 'ask');
    const ack = entries.findIndex((e) => e.layer === 'sio' && e.type === 'ack');
    const { container } = render(Timeline, { props: props(ask) });
    expect(rowOf(container, ask).classList.contains('selected')).toBe(true);
    expect(rowOf(container, ack).classList.contains('partner')).toBe(true);
    expect(rowOf(container, ask).querySelector('.c-lat')?.textContent).toBe('10.0 ms');
    expect(rowOf(container, ack).querySelector('.c-lat')?.textContent).toBe('10.0 ms');
    expect(container.querySelectorAll('.row.partner')).toHaveLength(1);
  });

  it('an emit nobody answered says so, and engine rows are hidden', () => {
    const never = entries.findIndex((e) => e.layer === 'sio' && e.event === 'never');
    const { container } = render(Timeline, { props: props(undefined) });
    expect(rowOf(container, never).querySelector('.c-lat')?.textContent).toBe('timed out');
    expect(container.querySelector('.row.eio')).toBeNull();
  });
});
