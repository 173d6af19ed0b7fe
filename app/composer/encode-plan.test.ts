import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '../../protocol/bytes.ts';
import { Tracker, materialize } from '../../protocol/tracker/tracker.ts';
import type { RawFrame, SioEntry } from '../../protocol/types.ts';
import { ackIdAllocator, checkEventName, planEmit, pollingUrl, type EmitDraft } from './encode-plan.ts';
import type { WireData, WirePlan } from './wire-plan.ts';

type Session = { tracker: Tracker; seq: number; conn: string; url: string; transport: 'websocket' | 'polling'; eio: 3 | 4 };

/** A real session as the tracker sees it: handshake, namespace connects, on the given transport and versions. */
function session(eio: 3 | 4, transport: 'websocket' | 'polling', parser: 'default' | 'msgpack' = 'default'): Session {
  const tracker = new Tracker();
  const url = `${transport === 'websocket' ? 'ws' : 'http'}://127.0.0.1:3000/socket.io/?EIO=${eio}&transport=${transport}`;
  const s: Session = { tracker, seq: 0, conn: 'page1:w1', url, transport, eio };
  const handshake = `0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000${eio === 4 ? ',"maxPayload":1000000' : ''}}`;
  push(s, 'in', { opcode: 'text', data: handshake });
  if (parser === 'msgpack') {
    push(s, 'out', { opcode: 'text', data: '4{"type":0,"nsp":"/chat"}' });
    push(s, 'in', { opcode: 'text', data: '4{"type":0,"nsp":"/chat","data":{"sid":"x"}}' });
  } else {
    push(s, 'out', { opcode: 'text', data: eio === 4 ? '40/chat,' : '40/chat' });
    push(s, 'in', { opcode: 'text', data: eio === 4 ? '40/chat,{"sid":"x"}' : '40/chat' });
  }
  return s;
}

function push(s: Session, dir: 'in' | 'out', data: WireData): void {
  const raw = data.opcode === 'text' ? data.data : data.base64;
  const base = { seq: ++s.seq, t: s.seq, url: s.url, dir, opcode: data.opcode, data: raw, origin: 'sockscope' as const };
  const frame: RawFrame =
    s.transport === 'websocket'
      ? { ...base, conn: s.conn, transport: 'websocket', kind: 'message' }
      : { ...base, conn: `page1:x${s.seq}`, url: s.url + '&sid=abc', transport: 'polling', kind: dir === 'out' ? 'request' : 'response', status: 200 };
  if (s.transport === 'polling' && data.opcode === 'text') frame.data = s.eio === 3 ? `${raw.length}:${raw}` : raw;
  s.tracker.push(frame);
}

function draft(s: Session, patch: Partial<EmitDraft> = {}): EmitDraft {
  const connection = s.tracker.connections[0];
  return { target: 'server', connection, liveSocket: s.tracker.liveWebSocket(connection.id), ns: '/chat', event: 'record', args: ['é😀', { nested: new Uint8Array([1, 2]) }, new Uint8Array([3])], ackId: 2 ** 30 + 5, ...patch };
}

function plan(d: EmitDraft): WirePlan {
  const result = planEmit(d);
  if (!result.ok) throw new Error(result.error);
  return result.plan;
}

/** Feeds a plan's frames back to the tracker, as the hook records them, then the server's ack. */
function roundTrip(s: Session, p: WirePlan): SioEntry {
  if (p.via === 'polling') {
    const frame: RawFrame = { seq: ++s.seq, t: s.seq, conn: 'page1:c1', url: p.url, transport: 'polling', dir: 'out', kind: 'request', method: 'POST', opcode: p.body.opcode, data: p.body.opcode === 'text' ? p.body.data : p.body.base64 };
    s.tracker.push(frame);
  } else {
    for (const f of p.frames) push(s, p.via === 'websocket' ? 'out' : 'in', f);
  }
  const sent = s.tracker.log.filter((e): e is SioEntry => e.layer === 'sio' && e.event === 'record').at(-1)!;
  materialize(sent);
  return sent;
}

describe('planEmit', () => {
  const args = ['é😀', { nested: new Uint8Array([1, 2]) }, new Uint8Array([3])];

  it('EIO4 WebSocket, default parser: a BINARY_EVENT header then one frame per attachment, acked from the high range', () => {
    const s = session(4, 'websocket');
    const p = plan(draft(s));
    expect(p).toEqual({
      via: 'websocket',
      socket: 'page1:w1',
      frames: [
        { opcode: 'text', data: `452-/chat,${2 ** 30 + 5}["record","é😀",{"nested":{"_placeholder":true,"num":0}},{"_placeholder":true,"num":1}]` },
        { opcode: 'binary', base64: bytesToBase64(new Uint8Array([1, 2])) },
        { opcode: 'binary', base64: bytesToBase64(new Uint8Array([3])) },
      ],
    });
    const sent = roundTrip(s, p);
    expect(sent.args).toEqual(args);
    // The server's answer pairs with it, as in the timeline.
    push(s, 'in', { opcode: 'text', data: `43/chat,${2 ** 30 + 5}[{"received":3}]` });
    const ack = s.tracker.log.at(-1) as SioEntry;
    expect(ack.ackOf).toBe(sent.index);
    expect(sent.ackedBy).toBe(ack.index);
  });

  it('EIO3 WebSocket: binary frames carry the message type byte', () => {
    const s = session(3, 'websocket');
    const p = plan(draft(s));
    expect(p.via === 'websocket' && base64ToBytes((p.frames[1] as { base64: string }).base64)).toEqual(new Uint8Array([4, 1, 2]));
    expect(roundTrip(s, p).args).toEqual(args);
  });

  it('msgpack: one binary frame holding the whole packet', () => {
    const s = session(4, 'websocket', 'msgpack');
    const p = plan(draft(s));
    expect(p.via === 'websocket' && p.frames.map((f) => f.opcode)).toEqual(['binary']);
    const sent = roundTrip(s, p);
    expect(sent.args).toEqual(args);
    expect(sent.id).toBe(2 ** 30 + 5);
  });

  it('polling: one POST body for the session, with its sid', () => {
    for (const eio of [3, 4] as const) {
      const s = session(eio, 'polling');
      const p = plan(draft(s));
      if (p.via !== 'polling') throw new Error('expected polling');
      const url = new URL(p.url);
      expect([url.protocol, url.searchParams.get('EIO'), url.searchParams.get('transport'), url.searchParams.get('sid')]).toEqual(['http:', String(eio), 'polling', 'abc']);
      expect(p.body.opcode).toBe('text');
      expect(roundTrip(s, p).args).toEqual(args);
    }
  });

  it('to the page: the same frames, delivered on the socket; polling connections cannot take them', () => {
    const s = session(4, 'websocket');
    const p = plan(draft(s, { target: 'page', ackId: undefined }));
    expect(p.via).toBe('inject');
    const fired = roundTrip(s, p);
    expect(fired.dir).toBe('in');
    expect(fired.args).toEqual(args);
    expect(planEmit(draft(session(4, 'polling'), { target: 'page', ackId: undefined }))).toEqual({
      ok: false,
      error: 'this connection is on polling and cannot take an event to the page: only a WebSocket can deliver one',
    });
    expect(planEmit(draft(s, { target: 'page' }))).toMatchObject({ ok: false, error: 'an event fired at the page cannot ask for an ack' });
  });

  it('refuses what would not reach a handler, before encoding anything', () => {
    const s = session(4, 'websocket');
    expect(planEmit(draft(s, { ns: '/admin' }))).toEqual({ ok: false, error: 'namespace /admin is not connected on page1:w1 (never joined)' });
    expect(planEmit(draft(s, { event: 'disconnect' }))).toMatchObject({ ok: false, error: expect.stringContaining('reserved') });
    expect(planEmit(draft(s, { event: '' }))).toMatchObject({ ok: false, error: 'an event needs a name' });
    expect(planEmit(draft(s, { args: ['x'.repeat(1_000_001)] }))).toMatchObject({ ok: false, error: expect.stringContaining("maxPayload (1000000)") });
    expect(planEmit(draft(s, { args: Array.from({ length: 1000 }, () => new Uint8Array([1])) }))).toEqual({ ok: false, error: '1000 binary values: at most 999 in one event' });
    s.tracker.push({ seq: ++s.seq, t: s.seq, conn: s.conn, url: s.url, transport: 'websocket', dir: 'in', kind: 'close', code: 1006, reason: '' });
    expect(planEmit(draft(s))).toMatchObject({ ok: false, error: expect.stringMatching(/^connection page1:w1 is closed/) });
    expect(checkEventName('chat message')).toBeUndefined();
  });

  it('ack ids start far above any a client counts to, and rise', () => {
    const next = ackIdAllocator(() => 0.999999);
    const first = next();
    expect(first).toBeGreaterThanOrEqual(2 ** 30);
    expect(first).toBeLessThan(2 ** 30 + 2 ** 20);
    expect(next()).toBe(first + 1);
  });

  it('polling URLs come from the WebSocket URL too', () => {
    const url = new URL(pollingUrl('wss://example.com/io/?EIO=4&transport=websocket&sid=old', 'new')!);
    expect([url.protocol, url.pathname, url.searchParams.get('transport'), url.searchParams.get('sid')]).toEqual(['https:', '/io/', 'polling', 'new']);
    expect(pollingUrl('not a url', 's')).toBeUndefined();
    expect(pollingUrl('file:///x?EIO=4', 's')).toBeUndefined();
  });
});
