import { describe, expect, it } from 'vitest';
import { materialize, Tracker } from '../../protocol/tracker/tracker.ts';
import type { RawFrame } from '../../protocol/types.ts';
import { diagnose, type DiagnosticKind } from './diagnostics.ts';

const HS = (over = '') => `0{"sid":"S","upgrades":["websocket"],"pingInterval":1000,"pingTimeout":500,"maxPayload":100${over}}`;

function run(frames: Omit<RawFrame, 'seq'>[], opts: { now?: number; pageUrls?: string[] } = {}) {
  const tracker = new Tracker({ lazy: true });
  frames.forEach((f, i) => tracker.push({ seq: i + 1, ...f } as RawFrame));
  return diagnose({ entries: tracker.log, connections: tracker.connections, pageUrls: opts.pageUrls ?? ['http://app'], now: opts.now ?? 1_000 });
}

const ws = (conn: string, t: number, dir: 'in' | 'out', data: string, url = 'ws://h/socket.io/?EIO=4&transport=websocket'): Omit<RawFrame, 'seq'> => ({
  conn, t, url, transport: 'websocket', dir, kind: 'message', opcode: 'text', data,
});
const close = (conn: string, t: number, url = 'ws://h/socket.io/?EIO=4&transport=websocket'): Omit<RawFrame, 'seq'> => ({ conn, t, url, transport: 'websocket', dir: 'in', kind: 'close', code: 1006 });
const kinds = (d: { kind: DiagnosticKind }[]) => d.map((x) => x.kind);

describe('diagnostics', () => {
  it('a quiet, healthy session has none', () => {
    expect(run([ws('a', 0, 'in', HS()), ws('a', 1, 'out', '40'), ws('a', 2, 'in', '40{"sid":"x"}'), ws('a', 3, 'out', '421["m"]'), ws('a', 4, 'in', '431[]')])).toEqual([]);
  });

  it('connect_error with its message, unanswered acks, and payloads over maxPayload', () => {
    const d = run([ws('a', 0, 'in', HS()), ws('a', 1, 'in', '44/chat,{"message":"not authorized"}'), ws('a', 2, 'out', `427["big","${'x'.repeat(200)}"]`)], { now: 60_000 });
    expect(kinds(d)).toEqual(['connect_error', 'ack_unanswered', 'payload_too_large']);
    expect(d[0].message).toBe('connect_error on /chat: not authorized');
    expect(d[1].entries).toEqual([2]);
    expect(d[2].entries).toEqual([2]);
  });

  it('undecodable packets: error entries, and lazy entries whose arguments failed to parse', () => {
    const tracker = new Tracker({ lazy: true });
    const frames = [ws('a', 0, 'in', HS()), ws('a', 1, 'in', '42["x"'), ws('a', 2, 'in', '42["late",{"a":1}}]'), ws('a', 3, 'in', '42["fine"]')];
    frames.forEach((f, i) => tracker.push({ seq: i + 1, ...f } as RawFrame));
    const diagnoseNow = () => diagnose({ entries: tracker.log, connections: tracker.connections, pageUrls: ['http://app'], now: 1_000 });
    expect(diagnoseNow()).toEqual([{ kind: 'undecodable', severity: 'error', message: '1 packet(s) could not be decoded', entries: [1] }]);
    for (const e of tracker.log) if (e.layer === 'sio') materialize(e);
    expect(diagnoseNow()).toEqual([{ kind: 'undecodable', severity: 'error', message: '2 packet(s) could not be decoded', entries: [1, 2] }]);
  });

  it('near-miss event names, one side only', () => {
    const d = run([ws('a', 0, 'in', HS()), ws('a', 1, 'out', '42["chat mesage","x"]'), ws('a', 2, 'in', '42["chat message","y"]'), ws('a', 3, 'out', '42["join"]'), ws('a', 4, 'in', '42["joined"]')]);
    expect(kinds(d)).toEqual(['near_miss']);
    expect(d[0].message).toContain('"chat mesage" is sent and "chat message" received');
    expect(d[0].entries).toEqual([1, 2]);
  });

  it('ping timeouts and reconnect loops', () => {
    const frames: Omit<RawFrame, 'seq'>[] = [];
    for (let i = 0; i < 3; i++) {
      const t = i * 5000;
      frames.push(ws(`c${i}`, t, 'in', HS().replace('"S"', `"S${i}"`)), ws(`c${i}`, t + 100, 'in', '2'), close(`c${i}`, t + 3000));
    }
    const d = run(frames, { now: 20_000 });
    expect(kinds(d)).toEqual(['ping_timeout', 'ping_timeout', 'ping_timeout', 'reconnect_loop']);
    expect(d[3].entries).toHaveLength(3);
  });

  it('a failed upgrade, a missing one, and ws:// from an https page', () => {
    const poll = (t: number, data: string, sid = true): Omit<RawFrame, 'seq'> => ({
      conn: `h${t}`, t, url: `http://h/socket.io/?EIO=4&transport=polling${sid ? '&sid=S' : ''}`, transport: 'polling', dir: 'in', kind: 'response', status: 200, data,
    });
    const probe = 'ws://h/socket.io/?EIO=4&transport=websocket&sid=S';
    const failed = run([poll(0, HS(), false), ws('w', 10, 'out', '2probe', probe), close('w', 20, probe), poll(30, '42["still"]')], { now: 60_000, pageUrls: ['https://app'] });
    expect(kinds(failed)).toEqual(['upgrade_failed', 'insecure_transport']);
    const missing = run([poll(0, HS(), false), poll(30, '42["still"]')], { now: 60_000 });
    expect(kinds(missing)).toEqual(['upgrade_missing']);
    expect(run([poll(0, HS(), false)], { now: 5_000 })).toEqual([]);
  });
});
