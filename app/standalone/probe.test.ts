import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatServer, type ChatServer } from '../demo/chat-server.ts';
import { probe, probeUrl } from './probe.ts';

// Node's fetch has no CORS, so only the answered and unreachable outcomes are seen here; the browser spec
// (e2e/standalone-client.e2e.ts) sees the opaque one.
let huge: Server;
let hugeUrl: string;
let chat: ChatServer;
/** Settles with whether the huge answer was sent to its end when its connection closed. */
let hugeSentAll: Promise<boolean>;

beforeAll(async () => {
  huge = createServer((_req, res) => {
    let finished = false;
    res.on('finish', () => (finished = true));
    hugeSentAll = new Promise((done) => res.on('close', () => done(finished)));
    res.writeHead(404, { 'content-type': 'text/plain' });
    const chunk = 'x'.repeat(64 * 1024);
    let sent = 0;
    const more = () => {
      while (sent < 1000 && res.write(chunk)) sent++;
      if (sent < 1000) res.once('drain', more);
      else res.end();
    };
    more();
  });
  await new Promise<void>((done) => huge.listen(0, '127.0.0.1', done));
  hugeUrl = `http://127.0.0.1:${(huge.address() as AddressInfo).port}`;
  chat = await startChatServer({ generation: 4 });
});
afterAll(async () => {
  huge.closeAllConnections();
  await new Promise((done) => huge.close(done));
  await chat.close();
});

describe('probe', () => {
  it('reads a real handshake', async () => {
    const result = await probe(fetch, probeUrl(chat.url, '/socket.io', 4));
    expect(result).toMatchObject({ kind: 'answered', status: 200 });
    expect(result.kind === 'answered' && result.body).toMatch(/^0\{"sid":/);
  });

  it("reads the start of a 64 MB answer, not all of it", async () => {
    const result = await probe(fetch, probeUrl(hugeUrl, '/socket.io', 4));
    expect(result).toMatchObject({ kind: 'answered', status: 404 });
    expect(result.kind === 'answered' && result.body.length).toBe(4096);
    expect(await hugeSentAll).toBe(false);
  });

  it('says unreachable when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    expect(await probe(fetch, probeUrl(`http://127.0.0.1:${port}`, '/socket.io', 4))).toEqual({ kind: 'unreachable' });
  });
});
