import { describe, expect, it } from 'vitest';
import { Failure } from '../failure.ts';
import { decodeEioBinary, decodeEioText } from './packet.ts';
import { decodeHandshake } from './handshake.ts';
import {
  decodePayloadV3Binary,
  decodePayloadV3Text,
  decodePayloadV4,
  encodePayload,
  unwrapJsonpRequest,
  unwrapJsonpResponse,
  type PayloadItem,
} from './payload.ts';

const bytes = (...b: number[]) => new Uint8Array(b);
const reasons = (items: PayloadItem[]) => items.map((i) => (i instanceof Failure ? i.reason : i));

describe('Engine.IO packets', () => {
  it.each([
    ['0{"sid":"a"}', { type: 'open', data: '{"sid":"a"}' }],
    ['1', { type: 'close', data: '' }],
    ['2', { type: 'ping', data: '' }],
    ['2probe', { type: 'ping', data: 'probe' }],
    ['3probe', { type: 'pong', data: 'probe' }],
    ['42["a"]', { type: 'message', data: '2["a"]' }],
    ['5', { type: 'upgrade', data: '' }],
    ['6', { type: 'noop', data: '' }],
    // Base64 binary as text (`b64=1`, forceBase64): EIO4 `b<base64>`, EIO3 `b<type digit><base64>`.
    ['bAQID', { type: 'message', data: bytes(1, 2, 3) }],
    ['b4AQID', { type: 'message', data: bytes(1, 2, 3) }],
  ])('text %s', (wire, packet) => expect(decodeEioText(wire)).toEqual(packet));

  it.each(['', '7', 'x1', '\u0000'])('text %j is refused', (wire) => expect(decodeEioText(wire)).toBeInstanceOf(Failure));

  it('binary frames: EIO4 is the bare message, EIO3 leads with a type byte', () => {
    expect(decodeEioBinary(bytes(1, 2, 3), 4)).toEqual({ type: 'message', data: bytes(1, 2, 3) });
    expect(decodeEioBinary(bytes(4, 1, 2, 3), 3)).toEqual({ type: 'message', data: bytes(1, 2, 3) });
    expect(decodeEioBinary(bytes(4), 3)).toEqual({ type: 'message', data: bytes() });
    expect(decodeEioBinary(bytes(), 3)).toBeInstanceOf(Failure);
    expect(decodeEioBinary(bytes(9, 1), 3)).toBeInstanceOf(Failure);
  });
});

describe('handshake', () => {
  it('reads EIO3 and EIO4 forms', () => {
    expect(decodeHandshake('{"sid":"s","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}')).toEqual({
      sid: 's',
      upgrades: ['websocket'],
      pingInterval: 25000,
      pingTimeout: 5000,
    });
    expect(decodeHandshake('{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}')).toMatchObject({
      maxPayload: 1000000,
      upgrades: [],
    });
  });
  it.each(['', '[]', '{"upgrades":[],"pingInterval":1,"pingTimeout":1}', '{"sid":"s","upgrades":"websocket","pingInterval":1,"pingTimeout":1}', '{"sid":"s","upgrades":[],"pingInterval":"1","pingTimeout":1}'])(
    'refuses %j',
    (json) => expect(decodeHandshake(json)).toBeInstanceOf(Failure),
  );
});

describe('EIO4 polling payloads', () => {
  it('splits on the record separator and reads b<base64>', () => {
    expect(decodePayloadV4('40\x1e42["a"]\x1ebAQID\x1e2')).toEqual([
      { type: 'message', data: '0' },
      { type: 'message', data: '2["a"]' },
      { type: 'message', data: bytes(1, 2, 3), wire: 5 },
      { type: 'ping', data: '' },
    ]);
    expect(decodePayloadV4('6\x1e1')).toEqual([{ type: 'noop', data: '' }, { type: 'close', data: '' }]);
    expect(decodePayloadV4('b')).toEqual([{ type: 'message', data: bytes(), wire: 1 }]);
  });
  it('keeps what decoded before a bad packet', () => {
    expect(reasons(decodePayloadV4('42["a"]\x1eb!!\x1e9'))).toEqual([{ type: 'message', data: '2["a"]' }, 'invalid base64 in binary packet', expect.stringMatching(/unknown Engine.IO packet type/)]);
  });
});

describe('EIO3 text polling payloads', () => {
  it('frames by UTF-16 length', () => {
    expect(decodePayloadV3Text('2:4€3:4😀')).toEqual([
      { type: 'message', data: '€' },
      { type: 'message', data: '😀' },
    ]);
    expect(decodePayloadV3Text('96:0{"sid":"x"}'.replace('96', String('0{"sid":"x"}'.length)) + '2:40')).toEqual([
      { type: 'open', data: '{"sid":"x"}' },
      { type: 'message', data: '0' },
    ]);
  });
  it('reads base64 binary packets with their type digit', () => {
    expect(decodePayloadV3Text('6:b4AQID2:40')).toEqual([
      { type: 'message', data: bytes(1, 2, 3), wire: 6 },
      { type: 'message', data: '0' },
    ]);
    expect(decodePayloadV3Text('2:b4')).toEqual([{ type: 'message', data: bytes(), wire: 2 }]);
  });
  it('reads the empty payload and noop-close', () => {
    expect(decodePayloadV3Text('0:')).toEqual([]);
    expect(decodePayloadV3Text('1:61:1')).toEqual([{ type: 'noop', data: '' }, { type: 'close', data: '' }]);
  });
  it.each([
    ['5:42', /truncated EIO3 payload: packet declares 5 characters, 2 left/],
    ['x:42', /expected <length>:<packet>/],
    ['42["a"]', /expected <length>:<packet>/],
    ['3:bZ!', /invalid EIO3 base64 packet/],
  ])('refuses %j', (wire, reason) => {
    const items = decodePayloadV3Text(wire);
    expect(items.at(-1)).toBeInstanceOf(Failure);
    expect((items.at(-1) as Failure).reason).toMatch(reason);
  });
});

describe('EIO3 binary polling payloads', () => {
  it('reads string and binary packets', () => {
    const body = bytes(0, 3, 0xff, 0x34, 0x32, 0x5b, 1, 4, 0xff, 4, 1, 2, 3);
    // `42[` is not a valid Socket.IO packet, but the Engine.IO layer only frames it. `wire`: bytes of each packet.
    expect(decodePayloadV3Binary(body)).toEqual([
      { type: 'message', data: '2[', wire: 3 },
      { type: 'message', data: bytes(1, 2, 3), wire: 4 },
    ]);
  });
  it('counts string lengths in UTF-8 bytes', () => {
    const euro = [0xe2, 0x82, 0xac];
    expect(decodePayloadV3Binary(bytes(0, 4, 0xff, 0x34, ...euro))).toEqual([{ type: 'message', data: '€', wire: 4 }]);
  });
  it.each([
    [bytes(2, 1, 0xff, 0x34), /packet kind byte 2/],
    [bytes(0, 9, 0xff, 0x34), /truncated/],
    [bytes(0, 1, 2), /truncated/],
    [bytes(0, 12, 0xff, 0x34), /length/],
  ])('refuses %j', (body, reason) => {
    const items = decodePayloadV3Binary(body);
    expect((items.at(-1) as Failure).reason).toMatch(reason);
  });
});

describe('JSONP (EIO3 legacy)', () => {
  it('unwraps responses and requests', () => {
    expect(unwrapJsonpResponse('___eio[0]("10:42[\\"a\\"]");')).toBe('10:42["a"]');
    expect(unwrapJsonpRequest('d=7%3A42%5B%22a%22%5D')).toBe('7:42["a"]');
    // engine.io-client 3 wrote the JSON escape \n as \\n, a real newline as \n (socket.io 2's server read this back).
    expect(unwrapJsonpRequest('d=28%3A421%5B%22echo%22%2C%22line1%5C%5Cnline2+%C3%A9%22%5D')).toBe('28:421["echo","line1\\nline2 é"]');
    expect(unwrapJsonpRequest('d=4%3A2a%5Cnb')).toBe('4:2a\nb');
    expect(unwrapJsonpResponse('alert(1)')).toBeInstanceOf(Failure);
  });
});

describe('payload encoding round-trips', () => {
  const packets = [
    { type: 'message' as const, data: '2["é😀"]' },
    { type: 'message' as const, data: bytes(0, 255) },
    { type: 'ping' as const, data: 'probe' },
  ];
  /** Type and data only: the decoders also say how many bytes a packet took, which an encoder's input has not. */
  const packetsOf = (items: PayloadItem[]) => items.map((item) => (item instanceof Failure ? item : { type: item.type, data: item.data }));
  it('EIO4', () => expect(packetsOf(decodePayloadV4(encodePayload(packets, 4) as string))).toEqual(packets));
  it('EIO3 text', () => expect(packetsOf(decodePayloadV3Text(encodePayload(packets, 3) as string))).toEqual(packets));
  it('EIO3 binary', () => expect(packetsOf(decodePayloadV3Binary(encodePayload(packets, 3, true) as Uint8Array))).toEqual(packets));
});
