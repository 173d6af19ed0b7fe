import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { SioEntry } from '../../protocol/types.ts';
import ChartsPane from './ChartsPane.svelte';

const noop = () => undefined;

describe('charts pane', () => {
  it('an empty log says what to do to get data', () => {
    render(ChartsPane, { source: { entries: [], version: 0 }, theme: 'light', onjump: noop, onbrush: noop });
    expect(screen.getByTestId('acks-empty').textContent).toMatch(/Emit an event with an acknowledgement callback/);
    expect(document.body.textContent).toMatch(/No traffic yet/);
    expect(document.body.textContent).toMatch(/No heartbeat yet/);
  });

  it('a replay position shows the session up to it: an ack after the position is not counted', async () => {
    const base = { seq: 0, conn: 'c', transport: 'websocket' as const, size: 10, layer: 'sio' as const, ns: '/', dir: 'out' as const };
    const entries: SioEntry[] = [
      { ...base, index: 0, t: 1000, type: 'event', event: 'save', id: 1, ackedBy: 1 },
      { ...base, index: 1, t: 1050, dir: 'in', type: 'ack', id: 1, ackOf: 0, latency: 50 },
    ];
    const { rerender } = render(ChartsPane, { source: { entries, version: 1 }, upTo: 1, live: false, theme: 'light', onjump: noop, onbrush: noop });
    const answered = () => document.querySelector('[data-key="out save"] .c-answered')?.textContent;
    await expect.poll(answered).toBe('0 / 1');
    await rerender({ upTo: 2 });
    await expect.poll(answered).toBe('1 / 1');
    expect(document.querySelector('[data-key="out save"] .c-p50')?.textContent?.trim()).toBe('50 ms');
  });
});
