import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as ioV4 } from 'socket.io-client';
import msgpackParser from 'socket.io-msgpack-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { startChatServer, type ChatServer, type ServerGeneration } from './chat-server.ts';

type Listener = (...args: any[]) => void;
/** What the tests use of a socket.io-client 2.x or 4.x socket. */
interface TestClient {
  connected: boolean;
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  close(): unknown;
}

interface ConnectOptions {
  ns?: string;
  token?: string;
  msgpack?: boolean;
  transports?: string[];
}

const require = createRequire(import.meta.url);
const ioV2 = require('socket.io-client-v2') as (url: string, opts: object) => TestClient;

let server: ChatServer | undefined;
const clients: TestClient[] = [];

afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await server?.close();
  server = undefined;
});

function connect(clientGen: 2 | 4, opts: ConnectOptions = {}): TestClient {
  if (!server) throw new Error('no server');
  const url = server.url + (opts.ns ?? '');
  const base = { forceNew: true, reconnection: false, ...(opts.transports ? { transports: opts.transports } : {}) };
  const client =
    clientGen === 2
      ? ioV2(url, {
          ...base,
          ...(opts.token ? { query: { token: opts.token } } : {}),
          ...(opts.msgpack ? { parser: require('socket.io-msgpack-parser-v2') as object } : {}),
        })
      : (ioV4(url, {
          ...base,
          ...(opts.token ? { auth: { token: opts.token } } : {}),
          ...(opts.msgpack ? { parser: msgpackParser } : {}),
        }) as unknown as TestClient);
  clients.push(client);
  return client;
}

function next(client: TestClient, event: string): Promise<unknown[]> {
  return new Promise((done) => client.once(event, (...args: unknown[]) => done(args)));
}

function emitAck(client: TestClient, event: string, ...args: unknown[]): Promise<unknown[]> {
  return new Promise((done) => client.emit(event, ...args, (...reply: unknown[]) => done(reply)));
}

function bytes(value: unknown): number[] {
  if (value instanceof ArrayBuffer) return [...new Uint8Array(value)];
  if (value instanceof Uint8Array) return [...value];
  throw new Error(`not binary: ${JSON.stringify(value)}`);
}

const matrix: { generation: ServerGeneration; client: 2 | 4; msgpack: boolean; allowEIO3?: boolean }[] = [
  { generation: 2, client: 2, msgpack: false },
  { generation: 2, client: 2, msgpack: true },
  { generation: 3, client: 4, msgpack: false },
  { generation: 4, client: 4, msgpack: false },
  { generation: 4, client: 4, msgpack: true },
  { generation: 4, client: 2, msgpack: false, allowEIO3: true },
];

describe.each(matrix)('server v$generation, client v$client, msgpack $msgpack', ({ generation, client: clientGen, msgpack, allowEIO3 }) => {
  const start = async () => {
    server = await startChatServer({ generation, parser: msgpack ? 'msgpack' : 'default', allowEIO3 });
    expect(server.generation).toBe(generation);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  };
  const open = (opts: ConnectOptions = {}) => connect(clientGen, { msgpack, ...opts });

  it('welcomes, acks and broadcasts chat messages', async () => {
    await start();
    const a = open();
    const [welcome, text] = await next(a, 'welcome');
    expect(welcome).toEqual({ id: expect.any(String) });
    expect(text).toBe('héllo wörld, € and 😀 from 日本');

    const b = open({ transports: ['websocket'] });
    await next(b, 'welcome');
    const heard = next(b, 'chat message');
    const [reply] = await emitAck(a, 'chat message', 'hi €');
    expect(reply).toEqual({ ok: true, at: expect.any(Number) });
    expect(await heard).toEqual(['hi €']);
  });

  it('joins rooms and sends to them', async () => {
    await start();
    const a = open();
    await next(a, 'welcome');
    const [rooms] = await emitAck(a, 'join', 'lobby');
    expect(rooms).toEqual(expect.arrayContaining(['lobby']));
    const got = next(a, 'room message');
    a.emit('room message', { room: 'lobby', text: 'yo' });
    expect((await got)[0]).toMatchObject({ room: 'lobby', text: 'yo' });
  });

  it('acks in both directions', async () => {
    await start();
    const a = open();
    a.on('server ask', (question: unknown, answer: (v: unknown) => void) => answer(`answer to ${String(question)}`));
    await next(a, 'welcome');
    const got = next(a, 'server got');
    const [reply] = await emitAck(a, 'ping me');
    expect(reply).toMatchObject({ ok: true });
    expect(await got).toEqual(['answer to question']);
  });

  it('echoes binary and plain arguments', async () => {
    await start();
    const a = open();
    await next(a, 'welcome');
    const echoed = next(a, 'binary echo');
    const [ackBuf] = await emitAck(a, 'binary', Buffer.from([9, 8]), 'x');
    expect(bytes(ackBuf)).toEqual([0xde, 0xad, 0xbe, 0xef]);
    const [first, second, obj] = await echoed;
    expect(bytes(first)).toEqual([1, 2, 3]);
    expect(Buffer.from(bytes(second)).toString()).toBe('€ bytes');
    const nested = obj as { nested: { buf: unknown; list: [string, { deep: unknown }] }; args: unknown[] };
    expect(bytes(nested.nested.buf)).toEqual([0xff, 0x00, 0x7f]);
    expect(Buffer.from(bytes(nested.nested.list[1].deep)).toString()).toBe('deep');
    expect(bytes(nested.args[0])).toEqual([9, 8]);
    expect(nested.args[1]).toBe('x');

    expect(await emitAck(a, 'echo', 1, 'two', { three: [3] }, null)).toEqual([1, 'two', { three: [3] }, null]);
  });

  it('guards /chat with a token', async () => {
    await start();
    const denied = open({ ns: '/chat', token: 'wrong' });
    if (clientGen === 2) {
      // socket.io-client 2 reports middleware errors as an 'error' event. A v4 server in EIO3 mode sends
      // `err.data` instead of the message when there is one, like socket.io 2 does.
      const expected = generation === 2 ? 'not authorized' : { reason: 'bad token' };
      expect(await next(denied, 'error')).toEqual([expected]);
    } else {
      const [err] = (await next(denied, 'connect_error')) as [Error & { data?: unknown }];
      expect(err.message).toBe('not authorized');
      expect(err.data).toEqual({ reason: 'bad token' });
    }

    const allowed = open({ ns: '/chat', token: 'secret' });
    await next(allowed, 'connect');
    const [reply] = await emitAck(allowed, 'chat message', 'in chat');
    expect(reply).toMatchObject({ ok: true });
    expect(await emitAck(allowed, 'echo', 'e')).toEqual(['e']);
  });

  it('disconnects on kick me', async () => {
    await start();
    const a = open();
    await next(a, 'welcome');
    const gone = next(a, 'disconnect');
    a.emit('kick me');
    expect((await gone)[0]).toBe('io server disconnect');
    expect(a.connected).toBe(false);
  });
});

describe('static files', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('serves index.html and assets, nothing outside the directory', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sockscope-static-'));
    const root = join(dir, 'site');
    await mkdir(join(root, 'sub'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>hi</title>');
    await writeFile(join(root, 'sub', 'app.js'), 'console.log(1)');
    await writeFile(join(dir, 'secret.txt'), 'secret');
    await symlink(join(dir, 'secret.txt'), join(root, 'link.txt'));
    server = await startChatServer({ staticDir: root });

    const index = await fetch(server.url + '/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('access-control-allow-origin')).toBeNull();
    expect(await index.text()).toContain('<title>hi</title>');

    const js = await fetch(server.url + '/sub/app.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');

    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/sub/..%2f..%2fsecret.txt', '/link.txt', '/missing']) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }

    const eio = await fetch(server.url + '/socket.io/?EIO=4&transport=polling', { headers: { origin: 'http://elsewhere' } });
    expect(eio.headers.get('access-control-allow-origin')).toBe('*');
    expect(await eio.text()).toMatch(/^0\{"sid":/);
  });

  it('answers 404 without a static directory', async () => {
    server = await startChatServer({ generation: 2 });
    const res = await fetch(server.url + '/');
    expect(res.status).toBe(404);
    await res.arrayBuffer();
  });
});
