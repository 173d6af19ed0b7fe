import { describe, expect, it } from 'vitest';
import { engineErrorOf, explainFailure, handshakeVersion, type FailureInput, type ProbeResult } from './connect-failure.ts';
import { probeUrl } from './probe.ts';

const base: FailureInput = {
  message: 'xhr poll error',
  namespace: '/',
  generation: 4,
  appOrigin: 'http://127.0.0.1:5000',
  serverUrl: 'http://127.0.0.1:3000',
  path: '/socket.io',
};
const V4_HANDSHAKE = '0{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';
const V3_HANDSHAKE = '96:0{"sid":"abc","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}2:40';
const answered = (status: number, body: string): ProbeResult => ({ kind: 'answered', status, body });
const explain = (extra: Partial<FailureInput>) => explainFailure({ ...base, ...extra });

describe('explainFailure', () => {
  it('unreachable: nothing answers the probe', () => {
    const e = explain({ probe: { configured: { kind: 'unreachable' } } });
    expect(e.kind).toBe('unreachable');
    expect(e.title).toContain('http://127.0.0.1:3000');
  });

  it('CORS refused: an opaque answer on the path and at /socket.io; says what the server must allow', () => {
    const e = explain({ probe: { configured: { kind: 'opaque' } } });
    expect(e.kind).toBe('cors');
    expect(e.title).toContain('http://127.0.0.1:5000');
    expect(e.detail).toContain("cors: { origin: 'http://127.0.0.1:5000' }");
  });

  it('wrong path: a non-Engine.IO answer, or an opaque one while /socket.io answers', () => {
    const notFound = explain({ path: '/wrong', probe: { configured: answered(404, 'Not found'), defaultPath: answered(200, V4_HANDSHAKE) } });
    expect(notFound.kind).toBe('wrong-path');
    expect(notFound.detail).toContain('HTTP 404');
    expect(notFound.detail).toContain('set path to /socket.io');
    const opaque = explain({ path: '/wrong', probe: { configured: { kind: 'opaque' }, defaultPath: answered(400, '{"code":1,"message":"Session ID unknown"}') } });
    expect(opaque.kind).toBe('wrong-path');
    const html = explain({ path: '/api', probe: { configured: answered(200, '<!doctype html>'), defaultPath: { kind: 'opaque' } } });
    expect(html).toMatchObject({ kind: 'wrong-path' });
    expect(html.detail).not.toContain('set path');
  });

  it('version mismatch: client 4 to a socket.io 2 server (EIO 3 handshake)', () => {
    const e = explain({ message: 'server error', probe: { configured: answered(200, V3_HANDSHAKE) } });
    expect(e.kind).toBe('version-mismatch');
    expect(e.title).toBe('Version mismatch: this server speaks socket.io 2.x');
    expect(e.detail).toContain('choose client generation 2');
  });

  it("version mismatch: client 4's own message when a v2 server answers over WebSocket", () => {
    const message = 'It seems you are trying to reach a Socket.IO server in v2.x with a v3.x client, but they are not compatible (more information here: https://socket.io/docs/v3/migrating-from-2-x-to-3-0/)';
    expect(explain({ message, probe: undefined })).toMatchObject({ kind: 'version-mismatch', title: 'Version mismatch: this server speaks socket.io 2.x' });
  });

  it('version mismatch: client 2 to a socket.io 3/4 server without allowEIO3', () => {
    const e = explain({ generation: 2, status: 400, probe: { configured: answered(400, '{"code":5,"message":"Unsupported protocol version"}') } });
    expect(e.kind).toBe('version-mismatch');
    expect(e.detail).toContain('choose client generation 4');
    expect(e.detail).toContain('allowEIO3: true');
  });

  it('WebSocket only, to a server that offers polling only', () => {
    const pollingOnly = '0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';
    const e = explain({ message: 'websocket error', transports: 'websocket', probe: { configured: answered(200, pollingOnly) } });
    expect(e).toMatchObject({ kind: 'transport', title: 'The server does not offer WebSocket' });
    expect(explain({ message: 'websocket error', transports: 'websocket', probe: { configured: answered(200, V4_HANDSHAKE) } }).kind).toBe('other');
  });

  it('"Transport unknown" and allowRequest refusals are named', () => {
    expect(explain({ probe: { configured: answered(400, '{"code":0,"message":"Transport unknown"}') } }).kind).toBe('transport');
    expect(explain({ probe: { configured: answered(403, '{"code":4,"message":"Forbidden"}') } }).kind).toBe('rejected');
  });

  it('middleware rejection: the message and data as the server sent them', () => {
    const e = explain({ message: 'not authorized', data: { reason: 'bad token' }, namespace: '/chat' });
    expect(e.kind).toBe('rejected');
    expect(e.title).toBe('/chat refused by the server: not authorized');
    expect(e.detail).toContain('{"reason":"bad token"}');
    expect(explain({ message: 'Invalid namespace', namespace: '/nope' }).kind).toBe('no-namespace');
  });

  it('hostile error data is cut short and never throws', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(explain({ message: 'x', data: cyclic }).detail).toContain('cannot be shown');
    expect(explain({ message: 'y'.repeat(10_000) }).title.length).toBeLessThan(600);
  });

  it('a handshake that works leaves a plain message', () => {
    expect(explain({ message: 'websocket error', probe: { configured: answered(200, V4_HANDSHAKE) } }).kind).toBe('other');
    expect(explain({ message: 'timeout' }).kind).toBe('timeout');
  });
});

describe('wire helpers', () => {
  it('tells Engine.IO 3 from 4 by the handshake body', () => {
    expect(handshakeVersion(V3_HANDSHAKE)).toBe(3);
    expect(handshakeVersion(V4_HANDSHAKE)).toBe(4);
    expect(handshakeVersion('<html>')).toBeUndefined();
  });
  it('reads an Engine.IO error body', () => {
    expect(engineErrorOf('{"code":5,"message":"Unsupported protocol version"}')).toEqual({ code: 5, message: 'Unsupported protocol version' });
    expect(engineErrorOf('nope')).toBeUndefined();
    expect(engineErrorOf('{"message":"x"}')).toBeUndefined();
  });
  it('probes the polling URL of the path with the client generation', () => {
    expect(probeUrl('http://h:1', '/socket.io', 4)).toBe('http://h:1/socket.io/?EIO=4&transport=polling&t=sockscope-probe');
    expect(probeUrl('ws://h:1/', '/io/', 3)).toBe('http://h:1/io/?EIO=3&transport=polling&t=sockscope-probe&b64=1');
  });
});
