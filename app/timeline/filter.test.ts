import { describe, expect, it } from 'vitest';
import { Failure } from '../../protocol/failure.ts';
import { materialize, Tracker } from '../../protocol/tracker/tracker.ts';
import type { DecodedEntry, SioEntry } from '../../protocol/types.ts';
import { compileFilter, parseFilter, type FilterSubject } from './filter.ts';

const base = { index: 0, seq: 1, t: 0, size: 1, transport: 'websocket' as const };
const entries: DecodedEntry[] = [
  { ...base, conn: 'p:w1', dir: 'out', layer: 'sio', type: 'event', ns: '/', event: 'chat message', args: ['Hello World'] },
  { ...base, conn: 'p:w1', dir: 'in', layer: 'sio', type: 'ack', ns: '/', args: [{ ok: true }], id: 1 },
  { ...base, conn: 'p:w2', dir: 'in', layer: 'sio', type: 'event', ns: '/admin', event: 'server_stats', args: [{ clients: 3 }] },
  { ...base, conn: 'p:w2', dir: 'in', layer: 'eio', type: 'ping' },
  { ...base, conn: 'p:w2', dir: 'in', layer: 'error', error: 'invalid JSON', raw: '42["x"' },
];
const subject: FilterSubject = {
  event: (e) => (e.layer === 'sio' && e.event !== undefined ? String(e.event) : ''),
  text: (e) => (e.layer === 'sio' ? JSON.stringify(e.args ?? []) : e.layer === 'error' ? e.raw : ''),
};
const run = (input: string) => {
  const parsed = parseFilter(input);
  const match = compileFilter(parsed, subject);
  return entries.map((e, i) => (match(e) ? i : -1)).filter((i) => i >= 0);
};

describe('filter language', () => {
  it.each([
    ['', [0, 1, 2, 3, 4]],
    ['chat', [0]],
    ['HELLO world', [0]],
    ['"hello world"', [0]],
    ['ok', [1]],
    ['/^server_/', [2]],
    ['/SERVER_STATS/', [2]],
    ['event:chat', [0]],
    ['event:/message$/', [0]],
    ['ns:/admin', [2]],
    ['ns:/', [0, 1, 2]],
    ['dir:in', [1, 2, 3, 4]],
    ['dir:out', [0]],
    ['type:ack', [1]],
    ['type:ping', [3]],
    ['type:error', [4]],
    ['type:e', []],
    ['conn:w2', [2, 3, 4]],
    ['-type:ping dir:in', [1, 2, 4]],
    ['-conn:w1 -type:error', [2, 3]],
    ['dir:in ns:/admin clients', [2]],
    ['unknownfield:x', []],
    ['42[', [4]],
    ['-', []],
    ['-x', [0, 1, 2, 3]],
  ])('%j', (input, expected) => {
    expect(run(input)).toEqual(expected);
  });

  it('reports a bad regular expression and ignores that term', () => {
    const parsed = parseFilter('/([/ chat');
    expect(parsed.errors).toEqual([expect.stringMatching(/^bad regular expression/)]);
    expect(parsed.terms).toHaveLength(1);
  });

  it('time:FROM-TO keeps entries in that range of epoch milliseconds, inclusive', () => {
    const timed = entries.map((e, i) => ({ ...e, t: 1_764_000_000_000 + i * 10.5 }));
    const within = (input: string) => {
      const match = compileFilter(parseFilter(input), subject);
      return timed.map((e, i) => (match(e) ? i : -1)).filter((i) => i >= 0);
    };
    expect(within('time:1764000000010.5-1764000000031.5')).toEqual([1, 2, 3]);
    expect(within('-time:1764000000010.5-1764000000031.5')).toEqual([0, 4]);
    expect(within('time:1764000000010-1764000000021 dir:in')).toEqual([1, 2]);
    expect(within('time:0-1')).toEqual([]);
  });

  it('a malformed time range is reported, not ignored silently', () => {
    for (const bad of ['time:5-1', 'time:abc', 'time:1-', 'time:-1-5']) {
      const parsed = parseFilter(bad);
      expect(parsed.errors).toEqual([expect.stringMatching(/^bad time range/)]);
      expect(parsed.terms).toEqual([]);
    }
  });

  it('type:error also finds lazy entries whose arguments failed to parse', () => {
    const tracker = new Tracker({ lazy: true });
    const url = 'ws://h/socket.io/?EIO=4&transport=websocket';
    ['42["good",1]', '42["bad",{"a":1}}]'].forEach((data, i) =>
      tracker.push({ seq: i + 1, t: i, conn: 'w', url, transport: 'websocket', dir: 'in', kind: 'message', opcode: 'text', data }),
    );
    const [good, bad] = tracker.log as SioEntry[];
    const matches = (input: string) => tracker.log.filter(compileFilter(parseFilter(input), subject)).map((e) => e.index);
    expect(matches('type:error')).toEqual([]); // not parsed yet: nothing is known to be wrong
    expect(materialize(good)).toEqual([1]);
    expect(materialize(bad)).toBeInstanceOf(Failure);
    expect(matches('type:error')).toEqual([bad.index]);
    expect(matches('type:event')).toEqual([good.index, bad.index]);
    expect(matches('-type:error')).toEqual([good.index]);
  });

  it('special characters in plain text are literal', () => {
    expect(run('"["')).toEqual([0, 1, 2, 4]);
    expect(run('.*')).toEqual([]);
  });
});
