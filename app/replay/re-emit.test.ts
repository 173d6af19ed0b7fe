import { describe, expect, it } from 'vitest';
import { materialize, Tracker } from '../../protocol/tracker/tracker.ts';
import type { DecodedEntry, RawFrame } from '../../protocol/types.ts';
import { compareRuns, diffValues, DIFF_LIMITS, planReEmit, runPlan } from './re-emit.ts';

const T0 = 1_700_000_000_000;
/** A decoded log from (time offset, direction, wire text) triples over one EIO4 WebSocket. */
function log(packets: [number, 'in' | 'out', string][]): DecodedEntry[] {
  const tracker = new Tracker({ lazy: true });
  const base = { conn: 'w', url: 'ws://h/socket.io/?EIO=4&transport=websocket', transport: 'websocket' as const };
  const frames: RawFrame[] = [
    { ...base, seq: 1, t: T0, dir: 'out', kind: 'open' },
    { ...base, seq: 2, t: T0, dir: 'in', kind: 'message', opcode: 'text', data: '0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000}' },
    { ...base, seq: 3, t: T0, dir: 'out', kind: 'message', opcode: 'text', data: '40' },
    { ...base, seq: 4, t: T0, dir: 'in', kind: 'message', opcode: 'text', data: '40{"sid":"n"}' },
  ];
  packets.forEach(([at, dir, data], i) => frames.push({ ...base, seq: 5 + i, t: T0 + at, dir, kind: 'message', opcode: 'text', data }));
  for (const f of frames) tracker.push(f);
  for (const e of tracker.log) if (e.layer === 'sio') materialize(e);
  return tracker.log;
}

const recorded = log([
  [100, 'out', '421["join","lobby"]'],
  [105, 'in', '431[{"ok":true,"users":3}]'],
  [106, 'in', '42["joined",{"room":"lobby"}]'],
  [600, 'out', '42["chat message","hi"]'],
  [610, 'in', '42["chat message",{"from":"me","text":"hi"}]'],
  [1600, 'out', '422["bye"]'],
  [1601, 'in', '432["see you"]'],
]);

describe('planReEmit', () => {
  it("lists the client's events with the original timing, scaled, or back to back", () => {
    const plan = planReEmit(recorded, { timing: 'original' });
    expect(plan.map((s) => [s.event, s.args, s.ack, s.at])).toEqual([
      ['join', ['lobby'], true, 0],
      ['chat message', ['hi'], false, 500],
      ['bye', [], true, 1500],
    ]);
    expect(planReEmit(recorded, { timing: 'original', speed: 2 }).map((s) => s.at)).toEqual([0, 250, 750]);
    expect(planReEmit(recorded, { timing: 'back-to-back' }).map((s) => s.at)).toEqual([0, 0, 0]);
    expect(planReEmit(recorded, { timing: 'back-to-back', namespaces: ['/chat'] })).toEqual([]);
  });
});

describe('runPlan', () => {
  it('sends each step at its time, and stops when aborted', async () => {
    const plan = planReEmit(recorded, { timing: 'original' });
    const events: string[] = [];
    const sleep = async (ms: number) => void events.push(`sleep ${ms}`);
    expect(await runPlan(plan, (s) => void events.push(`send ${s.event}`), sleep)).toBe(3);
    expect(events).toEqual(['send join', 'sleep 500', 'send chat message', 'sleep 1000', 'send bye']);
    const abort = new AbortController();
    const sent: string[] = [];
    const n = await runPlan(plan, (s) => {
      sent.push(String(s.event));
      abort.abort();
    }, sleep, abort.signal);
    expect([n, sent]).toEqual([1, ['join']]);
  });
});

describe('compareRuns', () => {
  it('sets new acks and answers beside the recorded ones, with differences marked', () => {
    const plan = planReEmit(recorded, { timing: 'back-to-back' });
    const replayed = log([
      [0, 'in', '42["server notice","unrelated"]'],
      [1, 'out', '421["join","lobby"]'],
      [3, 'in', '431[{"ok":true,"users":4}]'],
      [4, 'in', '42["joined",{"room":"lobby"}]'],
      [5, 'in', '42["welcome back"]'],
      [6, 'out', '42["chat message","hi"]'],
      [8, 'out', '422["bye"]'],
    ]);
    const [join, chat, bye] = compareRuns(recorded, plan, replayed);
    expect(join.ack).toMatchObject({ status: 'changed', recorded: [{ ok: true, users: 3 }], replayed: [{ ok: true, users: 4 }], differences: [{ path: '$[0].users', recorded: 3, replayed: 4 }] });
    expect(join.answers.map((a) => [a.event, a.status])).toEqual([
      ['joined', 'same'],
      ['welcome back', 'extra'],
    ]);
    expect(chat.ack.status).toBe('same');
    expect(chat.answers.map((a) => [a.event, a.status])).toEqual([['chat message', 'missing']]);
    expect(bye.ack).toMatchObject({ status: 'missing', recorded: ['see you'] });
  });

  it('marks a step the new run never sent', () => {
    const plan = planReEmit(recorded, { timing: 'back-to-back' });
    const [join, chat] = compareRuns(recorded, plan, log([[1, 'out', '42["chat message","hi"]']]));
    expect(join.ack.status).toBe('missing');
    expect(join.answers.map((a) => a.status)).toEqual(['missing']);
    expect(chat.answers.map((a) => a.status)).toEqual(['missing']);
  });

  it('with newFrom, ignores what the live log held before the run (the recorded emits themselves)', () => {
    const plan = planReEmit(recorded, { timing: 'back-to-back' });
    const live = log([
      [100, 'out', '421["join","lobby"]'],
      [105, 'in', '431[{"ok":true,"users":3}]'],
      [2000, 'out', '422["join","lobby"]'],
      [2005, 'in', '432[{"ok":true,"users":5}]'],
    ]);
    const start = live.findIndex((e) => e.layer === 'sio' && e.type === 'event' && e.t === T0 + 2000);
    expect(compareRuns(recorded, plan, live)[0].ack.differences).toEqual([]);
    const [join] = compareRuns(recorded, plan, live, start);
    expect(join.ack).toMatchObject({ status: 'changed', differences: [{ path: '$[0].users', recorded: 3, replayed: 5 }] });
  });
});

describe('diffValues', () => {
  it('names every difference by path, own keys only', () => {
    const a = JSON.parse('{"a":[1,2,{"b":"x"}],"c":null,"__proto__":{"p":1},"odd key":1}');
    const b = JSON.parse('{"a":[1,3,{"b":"y"},4],"c":{},"__proto__":{"p":2},"odd key":1,"new":true}');
    expect(diffValues(a, b)).toEqual([
      { path: '$.a[1]', recorded: 2, replayed: 3 },
      { path: '$.a[2].b', recorded: 'x', replayed: 'y' },
      { path: '$.a[3]', recorded: undefined, replayed: 4 },
      { path: '$.c', recorded: null, replayed: {} },
      { path: '$.__proto__.p', recorded: 1, replayed: 2 },
      { path: '$.new', recorded: undefined, replayed: true },
    ]);
    expect(diffValues(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toEqual([]);
    expect(diffValues([new Uint8Array([1])], [new Uint8Array([2])])).toHaveLength(1);
  });

  it('stays bounded on hostile input: deep nesting and huge differences', () => {
    let deepA: unknown = 1;
    let deepB: unknown = 2;
    for (let i = 0; i < 100_000; i++) {
      deepA = [deepA];
      deepB = [deepB];
    }
    const d = diffValues(deepA, deepB);
    expect(d).toHaveLength(1);
    expect(d[0].path.length).toBeGreaterThan(DIFF_LIMITS.depth);
    const many = diffValues(Array.from({ length: 1000 }, (_, i) => i), Array.from({ length: 1000 }, (_, i) => -i - 1));
    expect(many).toHaveLength(DIFF_LIMITS.differences + 1);
    expect(many[DIFF_LIMITS.differences].path).toBe('…');
  });
});
