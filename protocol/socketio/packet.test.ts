import { createRequire } from 'node:module';
import { Encoder as MsgpackEncoder } from 'socket.io-msgpack-parser';
import { describe, expect, it } from 'vitest';
import { Failure } from '../failure.ts';
import { parseSioHeader } from './header.ts';
import { decodeJsonObjectPacket, decodeMsgpackPacket } from './msgpack.ts';
import { decodeSioText, summarizeSioText, type SioPacket } from './packet.ts';

const ok: [wire: string, sio: 4 | 5, packet: SioPacket][] = [
  ['0', 5, { type: 'connect', ns: '/' }],
  ['0{"token":"abc"}', 5, { type: 'connect', ns: '/', data: { token: 'abc' } }],
  ['0/chat,{"user":"bob"}', 5, { type: 'connect', ns: '/chat', data: { user: 'bob' } }],
  ['0{"sid":"Ab_-1"}', 5, { type: 'connect', ns: '/', data: { sid: 'Ab_-1' } }],
  ['0{"sid":"x","pid":"y"}', 5, { type: 'connect', ns: '/', data: { sid: 'x', pid: 'y' } }],
  ['0/chat?token=abc&x=1,', 4, { type: 'connect', ns: '/chat', query: 'token=abc&x=1' }],
  ['0/chat,', 4, { type: 'connect', ns: '/chat' }],
  ['0/admin', 5, { type: 'connect', ns: '/admin' }],
  ['1', 5, { type: 'disconnect', ns: '/' }],
  ['1/admin,', 5, { type: 'disconnect', ns: '/admin' }],
  ['2["hello"]', 5, { type: 'event', ns: '/', event: 'hello', args: [] }],
  ['2["hello",1,"two",{"3":[4]},null,true]', 5, { type: 'event', ns: '/', event: 'hello', args: [1, 'two', { 3: [4] }, null, true] }],
  ['2[42,"x"]', 5, { type: 'event', ns: '/', event: 42, args: ['x'] }],
  ['2/chat,12["m","é😀"]', 5, { type: 'event', ns: '/chat', id: 12, event: 'm', args: ['é😀'] }],
  ['212["m"]', 5, { type: 'event', ns: '/', id: 12, event: 'm', args: [] }],
  ['2 ["a"]', 5, { type: 'event', ns: '/', id: 0, event: 'a', args: [] }],
  ['2["with \\"quotes\\" and \\u00e9"]', 5, { type: 'event', ns: '/', event: 'with "quotes" and é', args: [] }],
  ['2', 5, { type: 'event', ns: '/' }],
  ['31[]', 5, { type: 'ack', ns: '/', id: 1, args: [] }],
  ['3/chat,7["ok",{"a":1}]', 5, { type: 'ack', ns: '/chat', id: 7, args: ['ok', { a: 1 }] }],
  ['37', 5, { type: 'ack', ns: '/', id: 7 }],
  ['4{"message":"Invalid namespace"}', 5, { type: 'connect_error', ns: '/', data: { message: 'Invalid namespace' } }],
  ['4/nope,{"message":"not authorized","data":{"reason":"bad token"}}', 5, { type: 'connect_error', ns: '/nope', data: { message: 'not authorized', data: { reason: 'bad token' } } }],
  ['4/nsp,"Invalid namespace"', 4, { type: 'connect_error', ns: '/nsp', data: 'Invalid namespace' }],
  ['4"not authorized"', 5, { type: 'connect_error', ns: '/', data: 'not authorized' }],
  ['51-["up",{"_placeholder":true,"num":0}]', 5, { type: 'event', ns: '/', event: 'up', args: [{ _placeholder: true, num: 0 }], attachments: 1 }],
  ['52-/chat,3["up",{"a":{"_placeholder":true,"num":0}},{"_placeholder":true,"num":1}]', 5, { type: 'event', ns: '/chat', id: 3, event: 'up', args: [{ a: { _placeholder: true, num: 0 } }, { _placeholder: true, num: 1 }], attachments: 2 }],
  ['50-["none"]', 5, { type: 'event', ns: '/', event: 'none', args: [], attachments: 0 }],
  ['61-9[{"_placeholder":true,"num":0}]', 5, { type: 'ack', ns: '/', id: 9, args: [{ _placeholder: true, num: 0 }], attachments: 1 }],
];

const bad: [wire: string, sio: 4 | 5, reason: RegExp][] = [
  ['', 5, /unknown Socket.IO packet type/],
  ['7["x"]', 5, /unknown Socket.IO packet type/],
  ['x', 5, /unknown Socket.IO packet type/],
  ['5["x"]', 5, /illegal attachments/],
  ['5a-["x"]', 5, /illegal attachments/],
  ['599999-["x"]', 5, /illegal attachments/],
  ['2["x",', 5, /invalid JSON/],
  ['2{"a":1}', 5, /must be an array/],
  ['2[]', 5, /needs a name/],
  ['2[{"a":1}]', 5, /string or a number/],
  ['2[null]', 5, /string or a number/],
  ['3{"a":1}', 5, /ack must be an array/],
  ['0"str"', 5, /CONNECT data must be an object/],
  ['0[1]', 5, /CONNECT data must be an object/],
  ['1"x"', 5, /DISCONNECT carries no data/],
  ['4', 5, /needs a reason/],
  ['4true', 5, /string or an object/],
];

describe('Socket.IO packets, exact wire strings', () => {
  it.each(ok)('%s (protocol v%s)', (wire, sio, expected) => {
    expect(decodeSioText(wire, sio)).toEqual(expected);
  });

  it.each(bad)('%j is refused (protocol v%s)', (wire, sio, reason) => {
    const result = decodeSioText(wire, sio);
    expect(result).toBeInstanceOf(Failure);
    expect((result as Failure).reason).toMatch(reason);
  });
});

describe('summaries read the event name without parsing arguments', () => {
  const cases: [string, string | number | undefined][] = [
    ['2["chat message","hi"]', 'chat message'],
    ['2/chat,5[ "spaced" , 1]', 'spaced'],
    ['2["esc\\u0041\\n",{}]', 'escA\n'],
    ['2[-12.5e1,"x"]', -125],
    ['51-["bin",{"_placeholder":true,"num":0}]', 'bin'],
    ['31["ack args"]', undefined],
  ];
  it.each(cases)('%s', (wire, event) => {
    const header = parseSioHeader(wire);
    if (header instanceof Failure) throw new Error(header.reason);
    const summary = summarizeSioText(wire, header);
    expect(summary).not.toBeInstanceOf(Failure);
    expect((summary as { event?: unknown }).event).toEqual(event);
  });

  const refused: [string, RegExp][] = [
    ['2["x",{"truncated":', /unterminated JSON array/],
    ['2["unterminated]', /unterminated/],
    ['2[true]', /string or a number/],
    ['2[]', /needs a name/],
    ['2"x"', /must be a JSON array/],
    ['3{"a":1}', /ack must be a JSON array/],
  ];
  it.each(refused)('%s is refused', (wire, reason) => {
    const header = parseSioHeader(wire);
    if (header instanceof Failure) throw new Error(header.reason);
    const summary = summarizeSioText(wire, header);
    expect(summary).toBeInstanceOf(Failure);
    expect((summary as Failure).reason).toMatch(reason);
  });
});

const hex = (text: string) => Uint8Array.from(text.match(/../g)!.map((b) => parseInt(b, 16)));

/**
 * socket.io-msgpack-parser (socket.io 3/4) packets, byte for byte: a map with `type`, `nsp`, then `data` and `id`.
 * Each is also checked against what the parser's own Encoder writes for the same packet.
 */
const msgpackWire: [name: string, bytes: string, official: object, packet: SioPacket][] = [
  [
    'connect with auth',
    // fixmap 3 | "type" 0 | "nsp" "/" | "data" fixmap 1 { "token": "x" }
    '83' + 'a474797065' + '00' + 'a36e7370' + 'a12f' + 'a464617461' + '81' + 'a5746f6b656e' + 'a178',
    { type: 0, nsp: '/', data: { token: 'x' } },
    { type: 'connect', ns: '/', data: { token: 'x' } },
  ],
  [
    'connect to a namespace, no data',
    '82' + 'a474797065' + '00' + 'a36e7370' + 'a52f63686174',
    { type: 0, nsp: '/chat' },
    { type: 'connect', ns: '/chat' },
  ],
  [
    'event with an ack id',
    // fixmap 4 | ... "data" fixarray 2 ["hi", 1] | "id" 3
    '84' + 'a474797065' + '02' + 'a36e7370' + 'a12f' + 'a464617461' + '92' + 'a26869' + '01' + 'a26964' + '03',
    { type: 2, nsp: '/', data: ['hi', 1], id: 3 },
    { type: 'event', ns: '/', event: 'hi', args: [1], id: 3 },
  ],
  [
    'event with a Buffer (msgpack bin 8)',
    '83' + 'a474797065' + '02' + 'a36e7370' + 'a12f' + 'a464617461' + '92' + 'a362696e' + 'c4020102',
    { type: 2, nsp: '/', data: ['bin', Buffer.from([1, 2])] },
    { type: 'event', ns: '/', event: 'bin', args: [new Uint8Array([1, 2])] },
  ],
  [
    'ack',
    '84' + 'a474797065' + '03' + 'a36e7370' + 'a12f' + 'a464617461' + '91' + 'a26f6b' + 'a26964' + '03',
    { type: 3, nsp: '/', data: ['ok'], id: 3 },
    { type: 'ack', ns: '/', args: ['ok'], id: 3 },
  ],
];

describe('msgpack packets, exact bytes', () => {
  it.each(msgpackWire)('%s: the bytes are what socket.io-msgpack-parser writes', (_name, bytes, official) => {
    // Its typings say ArrayBuffer; it returns one Buffer in an array (one message per packet).
    const [encoded] = new MsgpackEncoder().encode(official as never) as unknown as Uint8Array[];
    expect(new Uint8Array(encoded)).toEqual(hex(bytes));
  });

  it.each(msgpackWire)('%s: decodes', (_name, bytes, _official, packet) => {
    expect(decodeMsgpackPacket(hex(bytes), 5)).toEqual(packet);
  });

  it('socket.io 2 with msgpack sends CONNECT as a JSON text frame, as socket.io-msgpack-parser 2 writes it', () => {
    const { Encoder } = createRequire(import.meta.url)('socket.io-msgpack-parser-v2') as { Encoder: new () => { encode(p: object, done: (out: unknown[]) => void): void } };
    let written: unknown[] = [];
    new Encoder().encode({ type: 0, nsp: '/chat' }, (out) => (written = out));
    expect(written).toEqual(['{"type":0,"nsp":"/chat"}']);
    expect(decodeJsonObjectPacket('{"type":0,"nsp":"/chat"}', 4)).toEqual({ type: 'connect', ns: '/chat' });
  });
});
