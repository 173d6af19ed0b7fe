import { describe, expect, it } from 'vitest';
import type { SioEntry } from '../../protocol/types.ts';
import { parseArgs } from './args.ts';
import { recentEventNames, seedFromEntry } from './from-entry.ts';

describe('edit and resend', () => {
  it('a logged emit becomes a draft whose arguments parse back to the same values', () => {
    const args = ['text', { nested: new Uint8Array([1, 2]) }, new Uint8Array([255]), null];
    const entry = { layer: 'sio', type: 'event', dir: 'out', conn: 'p:w1', ns: '/chat', event: 'save', id: 4 } as SioEntry;
    const seed = seedFromEntry(entry, args);
    expect(seed).toMatchObject({ conn: 'p:w1', ns: '/chat', event: 'save', target: 'server', ack: true });
    expect(seed.args!.map((a) => a.kind)).toEqual(['json', 'json', 'base64', 'json']);
    expect(parseArgs(seed.args!).values).toEqual(args);
    expect(seedFromEntry({ ...entry, dir: 'in', id: undefined }, [])).toMatchObject({ target: 'page', ack: false });
  });

  it('suggests the event names seen most recently, each once', () => {
    const entries = [{ layer: 'sio', event: 'a' }, { layer: 'eio' }, { layer: 'sio', event: 'b' }, { layer: 'sio', event: 'a' }, { layer: 'sio', event: 7 }];
    expect(recentEventNames(entries)).toEqual(['7', 'a', 'b']);
    expect(recentEventNames(entries, 2)).toEqual(['7', 'a']);
  });
});
