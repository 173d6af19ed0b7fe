import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'sockscope-cli-'));

function decode(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'protocol', 'cli', 'decode.ts'), file], { cwd: root }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** The way a user runs it: the package script, through npm. */
function decodeWithNpm(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '--silent', 'decode', '--', file], { cwd: root, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

function write(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const HS = '{"sid":"Zx","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';

/** The shape Chrome's DevTools saves: polling as ordinary entries, the WebSocket with `_webSocketMessages`. */
const chromeHar = {
  log: {
    version: '1.2',
    creator: { name: 'WebInspector', version: '537.36' },
    pages: [],
    entries: [
      { startedDateTime: '2026-11-25T10:00:00.000Z', time: 12, _resourceType: 'script', request: { method: 'GET', url: 'http://localhost:3000/app.js' }, response: { status: 200, content: { text: 'x' } } },
      {
        startedDateTime: '2026-11-25T10:00:00.100Z',
        time: 5.5,
        _resourceType: 'xhr',
        request: { method: 'GET', url: 'http://localhost:3000/socket.io/?EIO=4&transport=polling&t=abc', headers: [] },
        response: { status: 200, content: { size: 100, mimeType: 'text/plain', text: '0' + HS } },
      },
      {
        startedDateTime: '2026-11-25T10:00:00.120Z',
        time: 3,
        _resourceType: 'xhr',
        request: { method: 'POST', url: 'http://localhost:3000/socket.io/?EIO=4&transport=polling&t=abd&sid=Zx', postData: { mimeType: 'text/plain;charset=UTF-8', text: '40' } },
        response: { status: 200, content: { mimeType: 'text/html', text: 'ok' } },
      },
      {
        startedDateTime: '2026-11-25T10:00:00.130Z',
        time: 4,
        _resourceType: 'xhr',
        request: { method: 'GET', url: 'http://localhost:3000/socket.io/?EIO=4&transport=polling&t=abe&sid=Zx' },
        response: { status: 200, content: { mimeType: 'text/plain', text: 'NDB7InNpZCI6Ik4xIn0=', encoding: 'base64' } },
      },
      {
        startedDateTime: '2026-11-25T10:00:00.200Z',
        time: 0,
        _resourceType: 'websocket',
        request: { method: 'GET', url: 'ws://localhost:3000/socket.io/?EIO=4&transport=websocket&sid=Zx' },
        response: { status: 101, content: { size: 0 } },
        _webSocketMessages: [
          { type: 'send', time: 1795600800.21, opcode: 1, data: '2probe' },
          { type: 'receive', time: 1795600800.22, opcode: 1, data: '3probe' },
          { type: 'send', time: 1795600800.23, opcode: 1, data: '5' },
          { type: 'send', time: 1795600800.3, opcode: 1, data: '451-0["file",{"_placeholder":true,"num":0}]' },
          { type: 'send', time: 1795600800.31, opcode: 2, data: 'AAEC' },
          { type: 'receive', time: 1795600800.4, opcode: 1, data: '430["saved"]' },
        ],
      },
    ],
  },
};

describe('decode CLI', () => {
  it('decodes a HAR saved by Chrome, in time order, with binary as $binary', async () => {
    const { code, stdout, stderr } = await decode(write('chrome.har', JSON.stringify(chromeHar)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const log = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(log.map((e) => `${e.dir} ${e.layer} ${e.type}`)).toEqual([
      'in eio open',
      'out sio connect',
      'in sio connect',
      'out eio ping',
      'in eio pong',
      'out eio upgrade',
      'out sio event',
      'in sio ack',
    ]);
    expect(new Set(log.map((e) => e.conn)).size).toBe(1);
    expect(log[2].data).toEqual({ sid: 'N1' });
    expect(log[6]).toMatchObject({ event: 'file', id: 0, args: [{ $binary: 'AAEC' }], ackedBy: 7 });
    expect(log[7]).toMatchObject({ ackOf: 6, args: ['saved'] });
    expect(log[7].latency).toBeCloseTo(100, 0);
  });

  it('decodes JSON lines of raw frames and reports bad lines on stderr', async () => {
    const url = 'ws://h/socket.io/?EIO=4&transport=websocket';
    const frame = (seq: number, dir: string, data: string) => JSON.stringify({ seq, t: seq, conn: 'w', url, transport: 'websocket', dir, kind: 'message', opcode: 'text', data });
    const lines = [frame(1, 'in', '0' + HS), '{broken', frame(2, 'out', '40'), JSON.stringify({ seq: 3, kind: 'message' }), frame(4, 'in', '42["x"')];
    const { code, stdout, stderr } = await decode(write('frames.jsonl', lines.join('\n') + '\n'));
    expect(code).toBe(0);
    expect(stderr).toMatch(/skipped 1 line\(s\) that are not JSON \(first: line 2\)/);
    expect(stderr).toMatch(/skipped line 4: raw frame: t must be a number/);
    const log = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(log.map((e) => e.layer)).toEqual(['eio', 'sio', 'error']);
    expect(log[2]).toMatchObject({ raw: '42["x"', error: expect.stringMatching(/unterminated|invalid/) });
  });

  it.each([
    ['missing.har', null, /cannot read .*ENOENT/],
    ['empty.har', '', /is empty/],
    ['text.txt', 'hello', /neither a HAR file nor JSON lines/],
    ['broken.har', '{"log":{"entries":[', /not valid JSON/],
    ['other.json', '{"log":{}}', /not a HAR file/],
  ])('%s gives one clear error line and a non-zero exit', async (name, content, message) => {
    const path = content === null ? join(dir, name) : write(name, content);
    const { code, stdout, stderr } = await decode(path);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });
});

/** `t` of each line never goes back, and the upgrade reads ping probe, pong probe, upgrade, in that order. */
function expectTimeOrder(log: { t: number; layer: string; type: string; data?: unknown }[]): void {
  for (let i = 1; i < log.length; i++) expect(log[i].t, `line ${i + 1}`).toBeGreaterThanOrEqual(log[i - 1].t);
  const upgrade = log.filter((e) => e.layer === 'eio' && ((e.type === 'ping' || e.type === 'pong') ? e.data === 'probe' : e.type === 'upgrade'));
  expect(upgrade.map((e) => e.type)).toEqual(['ping', 'pong', 'upgrade']);
}

describe('decode CLI: time order', () => {
  it('a long-poll answered after the WebSocket\'s first messages comes out in time order (npm run decode)', async () => {
    const har: { log: { entries: object[] } } = structuredClone(chromeHar);
    // The poll parked while the client upgrades: the server ends it with a noop, which DevTools records as the
    // entry's end, after the probe and the upgrade went over the WebSocket.
    har.log.entries.splice(4, 0, {
      startedDateTime: '2026-11-25T10:00:00.140Z',
      time: 200,
      _resourceType: 'xhr',
      request: { method: 'GET', url: 'http://localhost:3000/socket.io/?EIO=4&transport=polling&t=abf&sid=Zx' },
      response: { status: 200, content: { mimeType: 'text/plain', text: '6' } },
    });
    const { code, stdout, stderr } = await decodeWithNpm(write('late-poll.har', JSON.stringify(har)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const log = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expectTimeOrder(log);
    expect(log.map((e) => `${e.transport} ${e.dir} ${e.layer} ${e.type}`)).toEqual([
      'polling in eio open',
      'polling out sio connect',
      'polling in sio connect',
      'websocket out eio ping',
      'websocket in eio pong',
      'websocket out eio upgrade',
      'websocket out sio event',
      'polling in eio noop',
      'websocket in sio ack',
    ]);
    expect(log[7].t).toBe(Date.parse('2026-11-25T10:00:00.340Z'));
  });

  it('shuffled JSON lines of raw frames come out in time order', async () => {
    const ws = 'ws://h/socket.io/?EIO=4&transport=websocket&sid=Zx';
    const poll = 'http://h/socket.io/?EIO=4&transport=polling';
    const frames = [
      { conn: 'h1', url: poll, transport: 'polling', dir: 'out', kind: 'request', method: 'GET', data: '' },
      { conn: 'h1', url: poll, transport: 'polling', dir: 'in', kind: 'response', method: 'GET', status: 200, data: '0' + HS },
      { conn: 'h2', url: `${poll}&sid=Zx`, transport: 'polling', dir: 'out', kind: 'request', method: 'POST', data: '40' },
      { conn: 'h2', url: `${poll}&sid=Zx`, transport: 'polling', dir: 'in', kind: 'response', method: 'POST', status: 200, data: 'ok' },
      { conn: 'h3', url: `${poll}&sid=Zx`, transport: 'polling', dir: 'out', kind: 'request', method: 'GET', data: '' },
      { conn: 'w1', url: ws, transport: 'websocket', dir: 'out', kind: 'open' },
      { conn: 'w1', url: ws, transport: 'websocket', dir: 'out', kind: 'message', opcode: 'text', data: '2probe' },
      { conn: 'w1', url: ws, transport: 'websocket', dir: 'in', kind: 'message', opcode: 'text', data: '3probe' },
      { conn: 'h3', url: `${poll}&sid=Zx`, transport: 'polling', dir: 'in', kind: 'response', method: 'GET', status: 200, data: '40{"sid":"N1"}\x1e6' },
      { conn: 'w1', url: ws, transport: 'websocket', dir: 'out', kind: 'message', opcode: 'text', data: '5' },
      { conn: 'w1', url: ws, transport: 'websocket', dir: 'out', kind: 'message', opcode: 'text', data: '42["after upgrade"]' },
      { conn: 'w1', url: ws, transport: 'websocket', dir: 'in', kind: 'message', opcode: 'text', data: '2' },
      { conn: 'w1', url: ws, transport: 'websocket', dir: 'out', kind: 'message', opcode: 'text', data: '3' },
    ].map((f, i) => ({ seq: i + 1, t: 1_764_064_800_000 + i * 7.5, ...f }));
    // A fixed shuffle (no two frames keep their neighbours): the file order says nothing about time.
    const order = [9, 2, 12, 0, 7, 4, 11, 1, 6, 10, 3, 8, 5];
    expect([...order].sort((a, b) => a - b)).toEqual(frames.map((_, i) => i));
    const { code, stdout, stderr } = await decode(write('shuffled.jsonl', order.map((i) => JSON.stringify(frames[i])).join('\n') + '\n'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const log = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expectTimeOrder(log);
    expect(log.map((e) => `${e.dir} ${e.layer} ${e.type}`)).toEqual([
      'in eio open',
      'out sio connect',
      'out eio ping',
      'in eio pong',
      'in sio connect',
      'in eio noop',
      'out eio upgrade',
      'out sio event',
      'in eio ping',
      'out eio pong',
    ]);
    expect(log.filter((e) => e.layer === 'error')).toEqual([]);
  });

  it('the DevTools fixture (e2e/fixtures/devtools-chat.har) comes out in time order', async () => {
    const fixture = join(root, 'e2e', 'fixtures', 'devtools-chat.har');
    const before = readFileSync(fixture, 'utf8');
    const { code, stdout, stderr } = await decode(fixture);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const log = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(log.length).toBeGreaterThan(8);
    expectTimeOrder(log);
    expect(readFileSync(fixture, 'utf8')).toBe(before);
  });
});
