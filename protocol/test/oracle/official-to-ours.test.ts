// Official -> ours: packets encoded by socket.io-parser (4.x, protocol 5, and 3.4, protocol 4), wrapped by
// engine.io-parser (5 and 2) into WebSocket frames or polling bodies, must come out of our Tracker as the reference
// decoders read the same frames. Deliberate differences are spelled out in `viewOfOfficial` (harness.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Failure } from '../../failure.ts';
import { materialize, Tracker } from '../../tracker/tracker.ts';
import type { Direction, EioVersion, RawFrame, SioEntry } from '../../types.ts';
import { asV3Packet, sioPacketArb } from './arbitraries.ts';
import {
  announcedAttachments,
  buildWire,
  canon,
  errorEntries,
  sioEntries,
  viewOfEntry,
  viewOfOfficial,
  type PacketView,
  type Step,
  type WireOptions,
} from './harness.ts';
import { officialDecode, officialEncode, sioParsers, type OfficialSioPacket } from './official.ts';

type Sio = 4 | 5;

interface Case {
  sio: Sio;
  steps: Step[];
  wire: Omit<WireOptions, 'eio' | 'transport'>;
}

const caseArb = (sio: Sio) =>
  fc.record({
    steps: fc
      .array(
        fc.record({ dir: fc.constantFrom<Direction>('out', 'in'), packet: sioPacketArb({ sio, binary: true, reserved: sio === 5 }) }),
        { minLength: 1, maxLength: 6 },
      )
      .map((list) =>
        list.map(({ dir, packet }) => ({
          dir,
          messages: officialEncode(sioParsers[sio], sio === 4 ? asV3Packet(packet) : packet),
        })),
      ),
    wire: fc.record({
      binary: fc.boolean(),
      breaks: fc.array(fc.boolean(), { maxLength: 8 }),
      interleave: fc.array(fc.boolean(), { maxLength: 8 }),
      switchAt: fc.nat({ max: 6 }),
    }),
  });

/** The reference decode: one fresh socket.io-parser Decoder per packet, fed what engine.io-parser decoded. */
function reference(sio: Sio, steps: Step[], official: Record<Direction, unknown[]>) {
  const expected: Record<Direction, PacketView[]> = { out: [], in: [] };
  const errors: string[] = [];
  for (const dir of ['out', 'in'] as const) {
    const messages = official[dir];
    let at = 0;
    for (const step of steps.filter((s) => s.dir === dir)) {
      const chunk = messages.slice(at, (at += step.messages.length));
      // The reference engine.io-parser must give back exactly what went in (else the oracle itself is broken).
      expect(chunk.map(canon)).toEqual(step.messages.map(canon));
      const decoded = officialDecode(sioParsers[sio], chunk);
      if ('error' in decoded) errors.push(decoded.error);
      else for (const p of decoded.packets) expected[dir].push(viewOfOfficial(p, announcedAttachments(step.messages)));
    }
    expect(at).toBe(messages.length);
  }
  return { expected, errors };
}

function run(frames: RawFrame[], lazy = false): Tracker {
  const tracker = new Tracker({ lazy });
  for (const frame of frames) tracker.push(frame);
  tracker.finish();
  return tracker;
}

function check(eio: EioVersion, transport: 'websocket' | 'polling' | 'upgrade', { sio, steps, wire: options }: Case): void {
  const wire = buildWire(steps, { eio, transport, ...options });
  const { expected, errors } = reference(sio, steps, wire.official);
  const tracker = run(wire.frames);
  const log = tracker.log;

  for (const dir of ['out', 'in'] as const) expect(sioEntries(log, dir).map(viewOfEntry)).toEqual(expected[dir]);
  // Where the reference throws, we log an error entry (and never throw); where it does not, neither do we.
  if (errors.length === 0) expect(errorEntries(log)).toEqual([]);
  else expect(errorEntries(log).length).toBeGreaterThan(0);
  expect(log.filter((e) => e.layer === 'eio' && e.type === 'open')).toHaveLength(1);
  expect(tracker.connections).toHaveLength(1);
  expect(tracker.connections[0]).toMatchObject({ eio, sio, parser: 'default', state: 'open', transport: transport === 'polling' ? 'polling' : 'websocket' });
  if (transport === 'upgrade') expect(tracker.connections[0].upgrades).toMatchObject([{ from: 'polling', to: 'websocket', ok: true }]);

  // Lazy mode: the same rows, and `materialize` gives the same arguments.
  if (errors.length > 0) return;
  const lazy = run(wire.frames, true);
  const full = sioEntries(log);
  const rows = sioEntries(lazy.log);
  expect(rows.map((e) => ({ type: e.type, ns: e.ns, event: canon(e.event), id: e.id, dir: e.dir }))).toEqual(
    full.map((e) => ({ type: e.type, ns: e.ns, event: canon(e.event), id: e.id, dir: e.dir })),
  );
  rows.forEach((row: SioEntry, i) => {
    const args = materialize(row);
    expect(args).not.toBeInstanceOf(Failure);
    expect(viewOfEntry(row)).toEqual(viewOfEntry(full[i]));
  });
}

const RUNS = 250;

describe.each([
  { sio: 5 as Sio, eio: 4 as EioVersion, parser: 'socket.io-parser 4 + engine.io-parser 5' },
  { sio: 4 as Sio, eio: 3 as EioVersion, parser: 'socket.io-parser 3.4 + engine.io-parser 2' },
])('official -> ours, $parser', ({ sio, eio }) => {
  it.each(['websocket', 'polling', 'upgrade'] as const)('%s: the tracker logs what the reference decoders read', (transport) => {
    fc.assert(
      fc.property(caseArb(sio), (c) => check(eio, transport, { sio, ...c })),
      { numRuns: RUNS },
    );
  });
});

describe('official -> ours, fixed cases', () => {
  const packet = (p: OfficialSioPacket) => p;
  // Each of these once failed one of the properties above (and still would, were the fix undone).
  const cases: { name: string; sio: Sio; eio: EioVersion; transport: 'websocket' | 'polling'; binary: boolean; packets: OfficialSioPacket[] }[] = [
    {
      // engine.io-parser 5 with supportsBinary false (b64=1 / forceBase64) writes `b<base64>` WebSocket text frames;
      // decodeEioText refused the `b`.
      name: 'EIO4 WebSocket base64 text frames',
      sio: 5, eio: 4, transport: 'websocket', binary: false,
      packets: [packet({ type: 2, nsp: '/', data: ['up', Buffer.from([1, 2, 3]), Buffer.alloc(0)] })],
    },
    {
      name: 'EIO3 WebSocket base64 text frames (`b4<base64>`)',
      sio: 4, eio: 3, transport: 'websocket', binary: false,
      packets: [packet({ type: 5, nsp: '/chat', id: 7, data: ['up', { a: Buffer.from([0xff]) }] })],
    },
    {
      // socket.io-parser 4.2 refuses reserved event names; we logged them as events.
      name: 'a reserved event name (protocol 5)',
      sio: 5, eio: 4, transport: 'websocket', binary: true,
      packets: [packet({ type: 2, nsp: '/', data: ['disconnect', 1] })],
    },
    {
      // parser 3.x / 4.x: `{"_placeholder":true}` without `num` is "illegal attachments"; we took it as data.
      name: 'a placeholder without num',
      sio: 5, eio: 4, transport: 'polling', binary: true,
      packets: [packet({ type: 2, nsp: '/', data: ['x', Buffer.from([1]), { _placeholder: true }] })],
    },
    {
      name: 'a placeholder without num (protocol 4, EIO3 binary payload)',
      sio: 4, eio: 3, transport: 'polling', binary: true,
      packets: [packet({ type: 6, nsp: '/', id: 1, data: [{ a: { _placeholder: true } }, Buffer.alloc(0)] })],
    },
  ];
  it.each(cases)('$name', ({ sio, eio, transport, binary, packets }) => {
    const steps = packets.map((p) => ({ dir: 'in' as const, messages: officialEncode(sioParsers[sio], p) }));
    check(eio, transport, { sio, steps, wire: { binary } });
  });
});

/** Lazy mode must judge a packet by the connection's protocol, as the full decode does. */
describe('lazy mode follows the connection protocol', () => {
  const frames = (eio: EioVersion, text: string): RawFrame[] => {
    const url = `ws://localhost/socket.io/?EIO=${eio}&transport=websocket`;
    const handshake = JSON.stringify({ sid: 's', upgrades: [], pingInterval: 25000, pingTimeout: 20000 });
    return [
      { seq: 1, t: 1, conn: 'c', url, transport: 'websocket', dir: 'in', kind: 'message', opcode: 'text', data: '0' + handshake },
      { seq: 2, t: 2, conn: 'c', url, transport: 'websocket', dir: 'in', kind: 'message', opcode: 'text', data: text },
    ];
  };
  const rows = (tracker: Tracker) => tracker.log.slice(1).map((e) => (e.layer === 'sio' ? { event: e.event, args: materialize(e) } : e.layer));

  // Protocol 5: socket.io-parser 4.2 refuses reserved event names, and so do the full decode and the summary.
  it('protocol 5: 42["disconnect",1] is an error entry in lazy mode too', () => {
    expect(run(frames(4, '42["disconnect",1]')).log[1].layer).toBe('error');
    expect(rows(run(frames(4, '42["disconnect",1]'), true))).toEqual(['error']);
  });

  // Protocol 4: socket.io-parser 3.x accepts any event name; `materialize` decodes with the protocol it was given.
  it('protocol 4: 42["disconnect",1] materializes in lazy mode as in full mode', () => {
    expect(rows(run(frames(3, '42["disconnect",1]')))).toEqual([{ event: 'disconnect', args: [1] }]);
    expect(rows(run(frames(3, '42["disconnect",1]'), true))).toEqual([{ event: 'disconnect', args: [1] }]);
  });
});
