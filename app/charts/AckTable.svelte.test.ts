import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { AckRowStats } from './ack-stats.ts';
import AckTable from './AckTable.svelte';

const row = (event: string, over: Partial<AckRowStats>): AckRowStats => ({
  key: `out ${event}`,
  event,
  dir: 'out',
  count: 10,
  asked: 10,
  answered: 10,
  unanswered: 0,
  late: 0,
  p50: NaN,
  p90: NaN,
  p99: NaN,
  max: NaN,
  ...over,
});

const rows = [
  row('fast', { count: 30, p50: 21.4, p90: 25, p99: 30, max: 31 }),
  row('slow', { count: 10, p50: 203, p90: 210, p99: 230, max: 231 }),
  row('<img src=x onerror=alert(1)>', { count: 2, asked: 2, answered: 0, unanswered: 2 }),
];

const events = () => [...document.querySelectorAll('.line .c-event')].map((e) => e.textContent);

describe('ack table', () => {
  it('sorts by count by default, by any column on a click, reversed on a second click; rows with no latency last', async () => {
    render(AckTable, { rows, selected: new Set<string>(), colors: new Map(), ontoggle: () => undefined });
    expect(events()).toEqual(['fast', 'slow', '<img src=x onerror=alert(1)>']);
    await fireEvent.click(screen.getByRole('button', { name: /^p50/ }));
    expect(events()).toEqual(['slow', 'fast', '<img src=x onerror=alert(1)>']);
    expect(screen.getByRole('columnheader', { name: /p50/ }).getAttribute('aria-sort')).toBe('descending');
    await fireEvent.click(screen.getByRole('button', { name: /^p50/ }));
    expect(events()).toEqual(['fast', 'slow', '<img src=x onerror=alert(1)>']);
    expect(screen.getByRole('columnheader', { name: /p50/ }).getAttribute('aria-sort')).toBe('ascending');
    // An event name is text, never markup.
    expect(document.querySelector('img')).toBeNull();
  });

  it('shows latencies in ms, answered out of asked, a dash where there is no ack', () => {
    render(AckTable, { rows, selected: new Set<string>(), colors: new Map(), ontoggle: () => undefined });
    const cells = (key: string) => [...document.querySelectorAll(`[data-key="${key}"] [role="gridcell"]`)].map((c) => c.textContent?.trim());
    expect(cells('out fast')).toEqual(['fast', '↑ out', '30', '10 / 10', '0', '0', '21 ms', '25 ms', '30 ms', '31 ms']);
    expect(cells('out <img src=x onerror=alert(1)>').slice(3)).toEqual(['0 / 2', '2', '0', '–', '–', '–', '–']);
  });

  it('the keyboard moves through rows and Space toggles one; a click toggles too', async () => {
    const toggled: string[] = [];
    render(AckTable, { rows, selected: new Set(['out slow']), colors: new Map(), ontoggle: (k: string) => toggled.push(k) });
    expect(document.querySelector('[data-key="out slow"]')?.getAttribute('aria-selected')).toBe('true');
    const grid = screen.getByRole('grid', { name: 'Acknowledgements' });
    await fireEvent.keyDown(grid, { key: 'ArrowDown' });
    await fireEvent.keyDown(grid, { key: ' ' });
    await fireEvent.keyDown(grid, { key: 'End' });
    await fireEvent.keyDown(grid, { key: 'Enter' });
    await fireEvent.click(document.querySelector('[data-key="out fast"]')!);
    expect(toggled).toEqual(['out slow', 'out <img src=x onerror=alert(1)>', 'out fast']);
  });
});
