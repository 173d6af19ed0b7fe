import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import { bytesToBase64 } from '../bytes.ts';
import { Failure } from '../failure.ts';
import type { DecodedEntry, RawFrame, SioEntry } from '../types.ts';
import { materialize, Tracker } from './tracker.ts';

/** Builds frames for one page: polling exchanges and WebSockets, with rising seq and time. */
function capture(eio: 3 | 4) {
  const frames: RawFrame[] = [];
  let seq = 0;
  let exchange = 0;
  const base = `http://127.0.0.1:3000/socket.io/?EIO=${eio}`;
  const push = (f: Omit<RawFrame, 'seq' | 't'>) => frames.push({ seq: ++seq, t: 1000 + seq * 10, ...f });
  return {
    frames,
    poll(sid: string | undefined, response: string, opts: { status?: number; binary?: boolean } = {}) {
      const conn = `h${++exchange}`;
      const url = `${base}&transport=polling${sid ? `&sid=${sid}` : ''}`;
      push({ conn, url, transport: 'polling', dir: 'out', kind: 'request', method: 'GET', data: '' });
      push({ conn, url, transport: 'polling', dir: 'in', kind: 'response', status: opts.status ?? 200, data: response, opcode: opts.binary ? 'binary' : 'text' });
    },
    post(sid: string, body: string) {
      const conn = `h${++exchange}`;
      const url = `${base}&transport=polling&sid=${sid}`;
      push({ conn, url, transport: 'polling', dir: 'out', kind: 'request', method: 'POST', data: body });
      push({ conn, url, transport: 'polling', dir: 'in', kind: 'response', status: 200, data: 'ok' });
    },
    socket(conn: string, sid?: string) {
      const url = `${base.replace('http', 'ws')}&transport=websocket${sid ? `&sid=${sid}` : ''}`;
      const ws = (dir: 'in' | 'out', data: string | Uint8Array) =>
        typeof data === 'string'
          ? push({ conn, url, transport: 'websocket', dir, kind: 'message', opcode: 'text', data })
          : push({ conn, url, transport: 'websocket', dir, kind: 'message', opcode: 'binary', data: bytesToBase64(data) });
      push({ conn, url, transport: 'websocket', dir: 'out', kind: 'open' });
      return {
        out: (data: string | Uint8Array) => ws('out', data),
        in: (data: string | Uint8Array) => ws('in', data),
        close: (code: number, reason = '') => push({ conn, url, transport: 'websocket', dir: 'in', kind: 'close', code, reason }),
      };
    },
  };
}

function run(frames: RawFrame[], lazy = false) {
  const tracker = new Tracker({ lazy });
  for (const f of frames) tracker.push(f);
  tracker.finish();
  return tracker;
}

/** EIO3 text payload framing: `<UTF-16 length>:<packet>`. */
const v3 = (...packets: string[]) => packets.map((p) => `${p.length}:${p}`).join('');

const brief = (e: DecodedEntry) =>
  e.layer === 'error' ? `error: ${e.error}` : e.layer === 'eio' ? `${e.dir} eio ${e.type}` : `${e.dir} ${e.type} ${e.ns}${e.event !== undefined ? ` ${e.event}` : ''}${e.id !== undefined ? ` #${e.id}` : ''}`;

const HS4 = '{"sid":"S4","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';
const HS3 = '{"sid":"S3","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}';

describe('socket.io 4 (EIO4, protocol 5): polling, upgrade, WebSocket', () => {
  const c = capture(4);
  c.poll(undefined, '0' + HS4);
  c.post('S4', '40\x1e40/chat,{"token":"secret"}');
  c.poll('S4', '40{"sid":"A"}\x1e40/chat,{"sid":"B"}');
  const ws = c.socket('w1', 'S4');
  ws.out('2probe');
  ws.in('3probe');
  c.poll('S4', '6');
  ws.out('5');
  ws.out('421["chat message","hi"]');
  ws.in('42["chat message","hi"]');
  ws.in('431[{"ok":true}]');
  ws.in('2');
  ws.out('3');
  ws.in('42/chat,7["server ask","q"]');
  ws.out('43/chat,7["answer"]');
  const binaryHeader = '452-9["up",{"a":{"_placeholder":true,"num":0}},{"_placeholder":true,"num":1}]';
  ws.out(binaryHeader);
  ws.out(new Uint8Array([1, 2]));
  ws.out(new Uint8Array([]));
  ws.in('439[]');
  ws.in('41/chat,');
  ws.close(1000);
  const tracker = run(c.frames);

  it('decodes every packet in order', () => {
    expect(tracker.log.map(brief)).toEqual([
      'in eio open',
      'out connect /',
      'out connect /chat',
      'in connect /',
      'in connect /chat',
      'out eio ping',
      'in eio pong',
      'in eio noop',
      'out eio upgrade',
      'out event / chat message #1',
      'in event / chat message',
      'in ack / #1',
      'in eio ping',
      'out eio pong',
      'in event /chat server ask #7',
      'out ack /chat #7',
      'out event / up #9',
      'in ack / #9',
      'in disconnect /chat',
      'in eio transport_close',
    ]);
  });

  it('joins polling and WebSocket into one connection by sid', () => {
    expect(tracker.connections).toHaveLength(1);
    const info = tracker.connections[0];
    expect(new Set(tracker.log.map((e) => e.conn))).toEqual(new Set([info.id]));
    expect(info).toMatchObject({ eio: 4, sio: 5, sid: 'S4', transport: 'websocket', state: 'closed', parser: 'default' });
    expect(info.handshake?.maxPayload).toBe(1000000);
    expect(info.upgrades).toEqual([{ t: expect.any(Number), from: 'polling', to: 'websocket', ok: true }]);
    expect(info.closeReason).toBe('transport closed (WebSocket code 1000)');
  });

  it('pairs acks with their events in both directions, with latency', () => {
    const ask = tracker.log[9] as SioEntry;
    const ack = tracker.log[11] as SioEntry;
    expect(ask.ackedBy).toBe(11);
    expect(ack.ackOf).toBe(9);
    expect(ack.latency).toBe(ack.t - ask.t);
    expect((tracker.log[15] as SioEntry).ackOf).toBe(14);
    expect((tracker.log[17] as SioEntry).ackOf).toBe(16);
  });

  it('puts binary attachments back in place and counts their bytes', () => {
    const up = tracker.log[16] as SioEntry;
    expect(up.args).toEqual([{ a: new Uint8Array([1, 2]) }, new Uint8Array([])]);
    expect(up.attachments).toBe(2);
    expect(up.size).toBe(binaryHeader.length + 2 + 0);
  });

  it('tracks namespaces: socket ids, auth, and who disconnected', () => {
    const ns = tracker.connections[0].namespaces;
    expect(ns.get('/chat')).toMatchObject({ state: 'disconnected', socketId: 'B', auth: { token: 'secret' }, reason: 'the server disconnected the socket' });
    expect(ns.get('/')).toMatchObject({ state: 'disconnected', socketId: 'A', reason: 'transport closed (WebSocket code 1000)' });
  });

  it('lazy mode keeps arguments for later and gives the same result', () => {
    const lazy = run(c.frames, true);
    expect(lazy.log.map(brief)).toEqual(tracker.log.map(brief));
    const up = lazy.log[16] as SioEntry;
    expect(up.args).toBeUndefined();
    expect(up.event).toBe('up');
    expect(materialize(up)).toEqual((tracker.log[16] as SioEntry).args);
    expect(up.pending).toBeUndefined();
    expect(lazy.log.map((e) => e.size)).toEqual(tracker.log.map((e) => e.size));
  });
});

describe('socket.io 2 (EIO3, protocol 4)', () => {
  it('reads the implicit 40, length-prefixed payloads, namespace queries and the client ping', () => {
    const c = capture(3);
    c.poll(undefined, v3('0' + HS3, '40'));
    c.post('S3', v3('40/chat?token=secret&x=1,'));
    c.poll('S3', v3('40/chat,'));
    c.post('S3', v3('42/chat,1["hello","wörld"]'));
    c.poll('S3', v3('43/chat,1["ok"]'));
    c.post('S3', '1:2');
    c.poll('S3', '1:3');
    c.poll('S3', v3('44/nope,"Invalid namespace"'));
    c.poll('S3', v3('451-["bin",{"_placeholder":true,"num":0}]', 'b4AQID'));
    c.poll('S3', '1:61:1');
    const tracker = run(c.frames);
    expect(tracker.log.map(brief)).toEqual([
      'in eio open',
      'in connect /',
      'out connect /chat',
      'in connect /chat',
      'out event /chat hello #1',
      'in ack /chat #1',
      'out eio ping',
      'in eio pong',
      'in connect_error /nope',
      'in event / bin',
      'in eio noop',
      'in eio close',
    ]);
    const info = tracker.connections[0];
    expect(info).toMatchObject({ eio: 3, sio: 4, state: 'closed', closeReason: 'the server closed the session' });
    expect(info.namespaces.get('/chat')).toMatchObject({ query: 'token=secret&x=1', state: 'disconnected' });
    expect(info.namespaces.get('/nope')).toMatchObject({ state: 'refused', reason: 'Invalid namespace' });
    expect((tracker.log[2] as SioEntry).query).toBe('token=secret&x=1');
    expect((tracker.log[9] as SioEntry).args).toEqual([new Uint8Array([1, 2, 3])]);
  });

  it('reads EIO3 binary polling bodies and binary WebSocket frames with a type byte', () => {
    const c = capture(3);
    c.poll(undefined, v3('0' + HS3, '40'));
    const header = '451-["bin",{"_placeholder":true,"num":0}]';
    const body = [0, ...String(header.length).split('').map(Number), 0xff, ...new TextEncoder().encode(header), 1, 4, 0xff, 4, 7, 8, 9];
    c.poll('S3', bytesToBase64(new Uint8Array(body)), { binary: true });
    const ws = c.socket('w1', 'S3');
    ws.out('2probe');
    ws.in('3probe');
    ws.out('5');
    ws.in('461-3[{"_placeholder":true,"num":0}]');
    ws.in(new Uint8Array([4, 0xca, 0xfe]));
    const tracker = run(c.frames);
    const sio = tracker.log.filter((e): e is SioEntry => e.layer === 'sio');
    expect(sio.map((e) => e.args)).toEqual([undefined, [new Uint8Array([7, 8, 9])], [new Uint8Array([0xca, 0xfe])]]);
    expect(tracker.log.filter((e) => e.layer === 'error')).toEqual([]);
  });
});

describe('WebSocket-only sessions and the msgpack parser', () => {
  it('opens on the WebSocket and detects msgpack from the first binary packet', () => {
    const c = capture(4);
    const ws = c.socket('w9');
    ws.in('0' + HS4.replace('["websocket"]', '[]'));
    ws.out(encode({ type: 0, nsp: '/', data: { token: 'x' } }));
    ws.in(encode({ type: 0, nsp: '/', data: { sid: 'M' } }));
    ws.out(encode({ type: 2, nsp: '/', data: ['bin', new Uint8Array([5])], id: 3 }));
    ws.in(encode({ type: 3, nsp: '/', data: ['ok'], id: 3 }));
    const tracker = run(c.frames);
    expect(tracker.log.map(brief)).toEqual(['in eio open', 'out connect /', 'in connect /', 'out event / bin #3', 'in ack / #3']);
    expect(tracker.connections[0]).toMatchObject({ parser: 'msgpack', transport: 'websocket', sid: 'S4' });
    expect((tracker.log[3] as SioEntry).args).toEqual([new Uint8Array([5])]);
    expect((tracker.log[4] as SioEntry).latency).toBe(10);
  });
});

describe('failures are entries, never exceptions', () => {
  const session = () => {
    const c = capture(4);
    c.poll(undefined, '0' + HS4);
    return { c, ws: c.socket('w1', 'S4') };
  };
  const errorsOf = (frames: RawFrame[]) => run(frames).log.filter((e) => e.layer === 'error').map((e) => (e.layer === 'error' ? e.error : ''));

  it('a failed upgrade is recorded and the session stays on polling', () => {
    const { c, ws } = session();
    ws.out('2probe');
    ws.close(1006);
    c.poll('S4', '42["still polling"]');
    const tracker = run(c.frames);
    expect(tracker.connections[0].upgrades).toEqual([{ t: expect.any(Number), from: 'polling', to: 'websocket', ok: false }]);
    expect(tracker.connections[0].state).toBe('open');
    expect(tracker.log.at(-1)).toMatchObject({ layer: 'sio', event: 'still polling', transport: 'polling' });
  });

  it('bad JSON, truncation and garbage keep their raw data, and the next packet still decodes', () => {
    const { c, ws } = session();
    ws.in('42["x",{"a":');
    ws.in('4\u0000\u0001garbage');
    ws.in('9');
    ws.in(new Uint8Array([0xc1, 0xff, 0x00]));
    ws.in('42["after"]');
    const tracker = run(c.frames);
    const errors = tracker.log.filter((e) => e.layer === 'error');
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatchObject({ error: expect.stringMatching(/invalid JSON/), raw: '42["x",{"a":' });
    expect(errors[3]).toMatchObject({ error: expect.stringMatching(/outside a binary packet/), raw: 'wf8A' });
    expect(tracker.log.at(-1)).toMatchObject({ layer: 'sio', event: 'after' });
  });

  it('wrong attachment counts', () => {
    const { c, ws } = session();
    ws.in('452-["two",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]');
    ws.in(new Uint8Array([1]));
    ws.in('42["interrupts"]');
    ws.in('451-["bad num",{"_placeholder":true,"num":4}]');
    ws.in(new Uint8Array([1]));
    ws.in('451-["never completed"]');
    expect(errorsOf(c.frames)).toEqual([
      'binary packet incomplete: expected 2 attachment(s), got 1 before a text packet came first',
      'illegal attachments: placeholder 4 with 1 attachment(s)',
      'binary packet incomplete: expected 1 attachment(s), got 0 before the capture ended',
    ]);
  });

  it('HTTP errors on polling are transport errors with their status and body', () => {
    const { c } = session();
    c.poll('S4', '{"code":1,"message":"Session ID unknown"}', { status: 400 });
    expect(run(c.frames).log.at(-1)).toMatchObject({
      layer: 'eio',
      type: 'transport_error',
      data: { status: 400, body: '{"code":1,"message":"Session ID unknown"}' },
    });
  });

  it('a 10 MB frame and 10,000-deep JSON decode without hanging or overflowing', () => {
    const { c, ws } = session();
    const big = 'x'.repeat(10 * 1024 * 1024);
    ws.in(`42["big","${big}"]`);
    ws.in(`42["deep",${'['.repeat(10_000)}${']'.repeat(10_000)}]`);
    ws.in(`42["big garbage","${big}`);
    const tracker = run(c.frames);
    expect(tracker.log.slice(-3).map(brief)).toEqual(['in event / big', 'in event / deep', expect.stringMatching(/^error: invalid JSON/)]);
    expect(tracker.log.at(-3)!.size).toBe(big.length + 12);
  });

  it('hostile keys stay data', () => {
    const { c, ws } = session();
    ws.in('451-["p",{"__proto__":{"_placeholder":true,"num":0},"constructor":{"prototype":{"polluted":1}}}]');
    ws.in(new Uint8Array([1]));
    const tracker = run(c.frames);
    const arg = (tracker.log.at(-1) as SioEntry).args![0] as Record<string, unknown>;
    expect(Object.getPrototypeOf(arg)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(arg, '__proto__')?.value).toEqual(new Uint8Array([1]));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('frames of the wrong shape do not throw', () => {
    const tracker = new Tracker();
    const hostile = [
      { seq: 1, t: 1, conn: 'x', url: 'nope', transport: 'websocket', dir: 'in', kind: 'message', opcode: 'binary', data: '!!!' },
      { seq: 2, t: 2, conn: 'x', url: 'nope', transport: 'websocket', dir: 'in', kind: 'message', data: 42 },
      { seq: 3, t: 3, conn: 'y', url: '', transport: 'polling', dir: 'in', kind: 'response', data: '\u001e\u001e' },
    ] as unknown as RawFrame[];
    for (const f of hostile) expect(() => tracker.push(f)).not.toThrow();
    expect(tracker.log.every((e) => e.layer === 'error')).toBe(true);
  });

  it('materialize reports bad JSON found late as a Failure', () => {
    const { c, ws } = session();
    ws.in('42["x",{"a":1}}]');
    const tracker = run(c.frames, true);
    const entry = tracker.log.at(-1) as SioEntry;
    expect(entry.event).toBe('x');
    expect(materialize(entry)).toBeInstanceOf(Failure);
  });
});

describe('version detection without EIO= in the URL', () => {
  /** Frames of one page whose transport URLs carry no `EIO=` (a proxy or a custom client dropped it). */
  function bare() {
    const frames: RawFrame[] = [];
    let seq = 0;
    const push = (f: Omit<RawFrame, 'seq' | 't'>) => frames.push({ seq: ++seq, t: 1000 + seq * 10, ...f });
    const http = 'http://127.0.0.1:3000/socket.io/?transport=polling';
    return {
      frames,
      poll(conn: string, body: string, sid?: string) {
        const url = sid ? `${http}&sid=${sid}` : http;
        push({ conn, url, transport: 'polling', dir: 'out', kind: 'request', method: 'GET', data: '' });
        push({ conn, url, transport: 'polling', dir: 'in', kind: 'response', status: 200, data: body, opcode: 'text' });
      },
      ws(conn: string, dir: 'in' | 'out', data: string) {
        push({ conn, url: 'ws://127.0.0.1:3000/socket.io/?transport=websocket', transport: 'websocket', dir, kind: 'message', opcode: 'text', data });
      },
    };
  }

  it('a polling body framed `NN:0{...}` is Engine.IO 3, Socket.IO protocol 4', () => {
    const c = bare();
    c.poll('h1', v3('0' + HS3, '40'));
    c.poll('h2', v3('42["hi",1]'), 'S3');
    const tracker = run(c.frames);
    expect(tracker.connections).toHaveLength(1);
    expect(tracker.connections[0]).toMatchObject({ eio: 3, sio: 4, sid: 'S3' });
    expect(tracker.log.map(brief)).toEqual(['in eio open', 'in connect /', 'in event / hi']);
  });

  it('a WebSocket handshake with maxPayload is Engine.IO 4', () => {
    const c = bare();
    c.ws('w1', 'in', '0' + HS4);
    c.ws('w1', 'out', '40');
    c.ws('w1', 'in', '40{"sid":"A"}');
    const tracker = run(c.frames);
    expect(tracker.connections[0]).toMatchObject({ eio: 4, sio: 5 });
    expect(tracker.log.map(brief)).toEqual(['in eio open', 'out connect /', 'in connect /']);
  });

  it('a WebSocket handshake without maxPayload is Engine.IO 3', () => {
    const c = bare();
    c.ws('w1', 'in', '0' + HS3);
    c.ws('w1', 'in', '40');
    c.ws('w1', 'in', '451-["bin",{"_placeholder":true,"num":0}]');
    c.ws('w1', 'in', 'b4AQID');
    const tracker = run(c.frames);
    expect(tracker.connections[0]).toMatchObject({ eio: 3, sio: 4 });
    expect(tracker.log.map(brief)).toEqual(['in eio open', 'in connect /', 'in event / bin']);
    expect((tracker.log[2] as SioEntry).args).toEqual([new Uint8Array([1, 2, 3])]);
  });
});

describe('base64 binary messages in WebSocket text frames', () => {
  const header = '451-["bin",{"_placeholder":true,"num":0}]';
  it('EIO4 `bAQID` is the attachment of the binary event before it', () => {
    const c = capture(4);
    const ws = c.socket('w1');
    ws.in('0' + HS4);
    ws.in(header);
    ws.in('bAQID');
    const tracker = run(c.frames);
    expect(tracker.log.map(brief)).toEqual(['in eio open', 'in event / bin']);
    expect((tracker.log[1] as SioEntry).args).toEqual([new Uint8Array([1, 2, 3])]);
    // Bytes on the wire: the text frame, not the bytes it stands for.
    expect(tracker.log[1].size).toBe(header.length + 'bAQID'.length);
  });

  it('EIO3 `b4AQID` (type digit, then base64) is the same attachment', () => {
    const c = capture(3);
    const ws = c.socket('w1');
    ws.in('0' + HS3);
    ws.in('40');
    ws.in(header);
    ws.in('b4AQID');
    const tracker = run(c.frames);
    expect(tracker.log.map(brief)).toEqual(['in eio open', 'in connect /', 'in event / bin']);
    expect((tracker.log[2] as SioEntry).args).toEqual([new Uint8Array([1, 2, 3])]);
  });
});

describe('sizes are bytes on the wire, whichever transport carried the packet', () => {
  const header = '451-["bin",{"_placeholder":true,"num":0}]';
  const utf8 = (s: string) => new TextEncoder().encode(s).length;
  const lastSio = (tracker: Tracker) => tracker.log.filter((e): e is SioEntry => e.layer === 'sio').at(-1)!;

  it('a base64 attachment in an EIO4 polling payload counts its text, as on a WebSocket', () => {
    const c = capture(4);
    c.poll(undefined, '0' + HS4);
    c.poll('S4', `${header}\x1ebAQID`);
    const tracker = run(c.frames);
    expect(lastSio(tracker)).toMatchObject({ event: 'bin', args: [new Uint8Array([1, 2, 3])], size: header.length + 'bAQID'.length });
  });

  it('a base64 attachment in an EIO3 text payload counts its text, type digit included', () => {
    const c = capture(3);
    c.poll(undefined, v3('0' + HS3, '40'));
    c.poll('S3', v3(header, 'b4AQID'));
    const tracker = run(c.frames);
    expect(lastSio(tracker)).toMatchObject({ event: 'bin', args: [new Uint8Array([1, 2, 3])], size: header.length + 'b4AQID'.length });
  });

  it('an EIO3 binary payload counts a text packet in UTF-8 bytes, a binary one with its type byte', () => {
    const c = capture(3);
    c.poll(undefined, v3('0' + HS3, '40'));
    const text = '451-["caf\u00e9 \u65e5\u672c",{"_placeholder":true,"num":0}]';
    const bytes = new TextEncoder().encode(text);
    const body = [0, ...String(bytes.length).split('').map(Number), 0xff, ...bytes, 1, 4, 0xff, 4, 7, 8, 9];
    c.poll('S3', bytesToBase64(new Uint8Array(body)), { binary: true });
    const tracker = run(c.frames);
    expect(tracker.log.filter((e) => e.layer === 'error')).toEqual([]);
    expect(lastSio(tracker)).toMatchObject({ event: 'café 日本', args: [new Uint8Array([7, 8, 9])], size: utf8(text) + 4 });
  });

  it('JSONP: a packet whose non-ASCII text came \\u-escaped counts the UTF-8 bytes of its text', () => {
    const base = 'http://127.0.0.1:3000/socket.io/?EIO=3&transport=polling&j=0';
    const frames: RawFrame[] = [];
    const exchange = (seq: number, url: string, response: string) => {
      frames.push({ seq, t: seq * 10, conn: `h${seq}`, url, transport: 'polling', dir: 'out', kind: 'request', method: 'GET', data: '' });
      frames.push({ seq: seq + 1, t: seq * 10 + 5, conn: `h${seq}`, url, transport: 'polling', dir: 'in', kind: 'response', status: 200, data: response });
    };
    exchange(1, base, `___eio[0](${JSON.stringify(v3('0' + HS3, '40'))});`);
    const packet = '42["\u00e9t\u00e9"]';
    // The wrapper escapes every non-ASCII character, so the body itself is ASCII.
    const wrapped = `___eio[0](${JSON.stringify(v3(packet)).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)});`;
    expect(/^[\x00-\x7f]*$/.test(wrapped)).toBe(true);
    exchange(3, `${base}&sid=S3`, wrapped);
    const tracker = run(frames);
    expect(tracker.log.filter((e) => e.layer === 'error')).toEqual([]);
    expect(lastSio(tracker)).toMatchObject({ event: 'été', size: utf8(packet) });
  });
});

describe('EIO3 JSONP polling (`j=0`), bodies as the old client and a socket.io 2 server write them', () => {
  // Response: the payload as a JSON string inside `___eio[<j>]("...");`. Request: a form post, field `d`, where the
  // client first turned the JSON escape `\n` into `\\n` and real newlines into `\n` (browsers would make a form's
  // newlines CRLF); socket.io 2's server reverses that.
  const base = 'http://127.0.0.1:3000/socket.io/?EIO=3&transport=polling&j=0';
  const frames: RawFrame[] = [];
  let seq = 0;
  const exchange = (conn: string, url: string, request: string | undefined, response: string) => {
    const method = request === undefined ? 'GET' : 'POST';
    frames.push({ seq: ++seq, t: seq * 10, conn, url, transport: 'polling', dir: 'out', kind: 'request', method, data: request ?? '' });
    frames.push({ seq: ++seq, t: seq * 10, conn, url, transport: 'polling', dir: 'in', kind: 'response', status: 200, data: response });
  };
  const sidUrl = `${base}&sid=OBY4tsbl45td6RMBAAAA`;
  exchange('h1', base, undefined, '___eio[0]("97:0{\\"sid\\":\\"OBY4tsbl45td6RMBAAAA\\",\\"upgrades\\":[\\"websocket\\"],\\"pingInterval\\":25000,\\"pingTimeout\\":20000}2:40");');
  exchange('h2', sidUrl, 'd=28%3A421%5B%22echo%22%2C%22line1%5C%5Cnline2+%C3%A9%22%5D', 'ok');
  exchange('h3', sidUrl, undefined, '___eio[0]("21:431[\\"line1\\\\nline2 é\\"]");');
  exchange('h4', sidUrl, 'd=1%3A2', 'ok');
  exchange('h5', sidUrl, undefined, '___eio[0]("1:3");');

  it('decodes the session, newlines and non-ASCII text included', () => {
    const tracker = run(frames);
    expect(tracker.log.filter((e) => e.layer === 'error')).toEqual([]);
    expect(tracker.log.map(brief)).toEqual(['in eio open', 'in connect /', 'out event / echo #1', 'in ack / #1', 'out eio ping', 'in eio pong']);
    expect(tracker.connections).toHaveLength(1);
    expect(tracker.connections[0]).toMatchObject({ eio: 3, sio: 4, sid: 'OBY4tsbl45td6RMBAAAA', transport: 'polling' });
    expect((tracker.log[2] as SioEntry).args).toEqual(['line1\nline2 é']);
    expect((tracker.log[3] as SioEntry).args).toEqual(['line1\nline2 é']);
    expect((tracker.log[3] as SioEntry).ackOf).toBe(2);
  });
});

describe('malformed input stays data', () => {
  /** `push` turns an exception into an 'internal decoder error' entry: none may appear. */
  const run = (frames: RawFrame[], lazy = false) => {
    const tracker = new Tracker({ lazy });
    for (const f of frames) tracker.push(f);
    tracker.finish();
    expect(tracker.log.filter((e) => e.layer === 'error' && /internal decoder error/.test(e.error))).toEqual([]);
    return tracker;
  };
  const session = (eio: 3 | 4) => {
    const c = capture(eio);
    c.poll(undefined, eio === 4 ? '0' + HS4 : v3('0' + HS3, '40'));
    return c;
  };
  const big = 'x'.repeat(10 * 1024 * 1024);
  const deepOpen = `42["deep",${'['.repeat(10_000)}`;
  /** Ends with one `]`: a header-only read sees an array's end; only parsing the arguments finds 9,999 open. */
  const deepShut = deepOpen + ']';

  it.each([false, true])('an unclosed 10,000-deep array is an error entry with its raw text (lazy: %s)', (lazy) => {
    const c = session(4);
    c.socket('w1', 'S4').in(deepOpen);
    const tracker = run(c.frames, lazy);
    expect(tracker.log.at(-1)).toMatchObject({ layer: 'error', raw: deepOpen, error: expect.stringMatching(/invalid JSON|unterminated/) });
  });

  it('eager: 10,000 open arrays closed by one `]` are an error entry with its raw text', () => {
    const c = session(4);
    c.socket('w1', 'S4').in(deepShut);
    expect(run(c.frames).log.at(-1)).toMatchObject({ layer: 'error', raw: deepShut, error: expect.stringMatching(/^invalid JSON/) });
  });

  it('lazy: the same packet is an event until materialize, which fails with a reason kept on the entry', () => {
    const c = session(4);
    c.socket('w1', 'S4').in(deepShut);
    const tracker = run(c.frames, true);
    const entry = tracker.log.at(-1) as SioEntry;
    expect(entry).toMatchObject({ layer: 'sio', type: 'event', event: 'deep' });
    expect(entry.invalid).toBeUndefined();
    const result = materialize(entry);
    expect(result).toBeInstanceOf(Failure);
    expect((result as Failure).reason).toMatch(/^invalid JSON/);
    expect((result as Failure).raw).toBe(deepShut.slice(1));
    expect(entry.invalid).toBe((result as Failure).reason);
    expect(entry.pending?.json).toBe(deepShut.slice(1));
    const again = materialize(entry);
    expect(again).toBeInstanceOf(Failure);
    expect((again as Failure).reason).toBe(entry.invalid);
  });

  it.each([
    [4, (p: string[]) => p.join('\x1e')],
    [3, (p: string[]) => v3(...p)],
  ] as const)('a 10 MB text packet inside an EIO%s polling body decodes with the packet after it', (eio, body) => {
    for (const lazy of [false, true]) {
      const c = session(eio);
      c.poll(eio === 4 ? 'S4' : 'S3', body([`42["big","${big}"]`, '42["small"]']));
      const tracker = run(c.frames, lazy);
      expect(tracker.log.filter((e) => e.layer === 'error')).toEqual([]);
      const [bigEntry, small] = tracker.log.slice(-2) as SioEntry[];
      expect(bigEntry).toMatchObject({ layer: 'sio', event: 'big', size: big.length + 12 });
      expect(small).toMatchObject({ layer: 'sio', event: 'small' });
      expect(materialize(bigEntry)).toEqual([big]);
    }
  });

  it.each([false, true])('a truncated 10 MB packet in an EIO4 polling body is an error with its raw text (lazy: %s)', (lazy) => {
    const c = session(4);
    const cut = `42["big","${big}`;
    c.poll('S4', cut);
    expect(run(c.frames, lazy).log.at(-1)).toMatchObject({ layer: 'error', raw: cut, error: expect.stringMatching(/invalid JSON|unterminated/) });
  });

  it.each([false, true])('a truncated 10 MB packet in an EIO3 polling body is an error with the whole body (lazy: %s)', (lazy) => {
    const c = session(3);
    const cut = v3(`42["big","${big}"]`).slice(0, -5);
    c.poll('S3', cut);
    expect(run(c.frames, lazy).log.at(-1)).toMatchObject({ layer: 'error', raw: cut, error: expect.stringMatching(/^truncated EIO3 payload/) });
  });

  it('lazy: bad arguments behind a good event name fail at materialize, durably, and nothing throws', () => {
    const c = session(4);
    const ws = c.socket('w1', 'S4');
    ws.in('42["x",{"a":1}}]');
    ws.in('43/chat,5[{"b":]');
    ws.in('451-["bin",{"_placeholder":true,"num":3}]');
    ws.in(new Uint8Array([1]));
    const tracker = run(c.frames, true);
    const entries = tracker.log.slice(-3) as SioEntry[];
    expect(entries.map((e) => [e.layer, e.type, e.invalid])).toEqual([
      ['sio', 'event', undefined],
      ['sio', 'ack', undefined],
      ['sio', 'event', undefined],
    ]);
    const reasons = entries.map((e) => {
      const result = materialize(e);
      expect(result).toBeInstanceOf(Failure);
      return (result as Failure).reason;
    });
    expect(reasons[0]).toMatch(/^invalid JSON/);
    expect(reasons[1]).toMatch(/^invalid JSON/);
    expect(reasons[2]).toBe('illegal attachments: placeholder 3 with 1 attachment(s)');
    expect(entries.map((e) => e.invalid)).toEqual(reasons);
    expect(entries.every((e) => e.args === undefined && e.pending !== undefined)).toBe(true);
  });
});
