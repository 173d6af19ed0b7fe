// The standalone app in client mode, against real socket.io 2 and 4 servers with both parsers: what the server
// sends shows up in the timeline without any listener, acks are timed, auth reaches the server, several namespaces
// share one connection, each common failure gets its explanation, and a link or a saved connection reopens it.
// Also takes the README's screenshot (test-results/, or docs/ with SOCKSCOPE_SCREENSHOTS=docs).
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatServer, type ChatServer, type ChatServerOptions } from '../app/demo/chat-server.ts';
import { closedPort, launchBrowser, startAppServer } from './support/app-server.ts';

const DOCS = resolve(import.meta.dirname, '..', process.env.SOCKSCOPE_SCREENSHOTS === 'docs' ? 'docs' : 'test-results');

interface Handshake {
  namespace: string;
  auth?: unknown;
  query: unknown;
}

let app: ChatServer;
let browser: Browser;
let context: BrowserContext;
const servers: Record<string, ChatServer> = {};
const handshakes: Record<string, Handshake[]> = {};

async function server(name: string, options: ChatServerOptions): Promise<void> {
  handshakes[name] = [];
  servers[name] = await startChatServer({ ...options, onHandshake: (namespace, h) => handshakes[name].push({ namespace, ...h }) });
}

beforeAll(async () => {
  app = await startAppServer();
  await server('v4', { generation: 4 });
  await server('v4msgpack', { generation: 4, parser: 'msgpack' });
  await server('v2', { generation: 2 });
  await server('v2msgpack', { generation: 2, parser: 'msgpack' });
  await server('noCors', { generation: 4, corsOrigin: false });
  await server('v3', { generation: 3 });
  await server('pollingOnly', { generation: 4, transports: ['polling'] });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([app, ...Object.values(servers)].map((s) => s?.close()));
});

async function openApp(query: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${app.url}/?${query}`);
  return page;
}

function link(params: Record<string, string>): string {
  return new URLSearchParams({ mode: 'client', ...params }).toString();
}

interface Row {
  ns: string;
  type: string;
  event?: string;
  dir: string;
  args?: string;
  latency?: number;
}

/** The app's decoded log (Socket.IO layer), as the timeline holds it. */
function sioRows(page: Page): Promise<Row[]> {
  return page.evaluate(() => {
    const app = (globalThis as unknown as { sockscopeApp: { decoded(): { layer: string; ns?: string; type: string; event?: unknown; dir: string; args?: unknown; latency?: number }[] } }).sockscopeApp;
    return app
      .decoded()
      .filter((e) => e.layer === 'sio')
      .map((e) => ({ ns: e.ns ?? '', type: e.type, event: e.event === undefined ? undefined : String(e.event), dir: e.dir, args: JSON.stringify(e.args), latency: e.latency }));
  });
}

/** Sends with the emit composer (opened from the panel's toolbar when closed); arguments as JSON. */
async function emit(page: Page, ns: string, event: string, args: string[], ack: boolean): Promise<void> {
  if ((await page.locator('#composer-event').count()) === 0) await page.getByRole('button', { name: 'Compose' }).click();
  await page.locator('#composer-ns').fill(ns);
  await page.locator('#composer-event').fill(event);
  while ((await page.getByRole('button', { name: /^Remove argument/ }).count()) > 0) await page.getByRole('button', { name: /^Remove argument/ }).first().click();
  for (const [i, text] of args.entries()) {
    await page.getByRole('button', { name: 'Add argument' }).click();
    await page.getByLabel(`Argument ${i + 1}`, { exact: true }).fill(text);
  }
  await page.getByLabel('Ask for an ack').setChecked(ack);
  await page.getByRole('button', { name: 'Send to server' }).click();
}

const namespaceState = (page: Page, ns: string) => page.locator(`[data-testid="namespace-state"][data-namespace="${ns}"]`).textContent();
const failure = (page: Page) => page.getByTestId('failure').first();

describe('connects and shows the traffic', () => {
  it('socket.io 4, default parser: two namespaces on one connection, auth and query reach the server, events without listeners', async () => {
    const page = await openApp(
      link({ url: servers.v4.url, ns: '/,/chat', auth: '{"token":"secret","user":"e2e"}', query: 'room=lobby' }),
    );
    await expect.poll(() => namespaceState(page, '/'), { timeout: 15_000 }).toMatch(/^\/: connected/);
    await expect.poll(() => namespaceState(page, '/chat')).toMatch(/^\/chat: connected/);
    // What the server saw: the auth object and the query, on both namespaces of one Engine.IO session.
    const chat = handshakes.v4.find((h) => h.namespace === '/chat');
    expect(chat?.auth).toEqual({ token: 'secret', user: 'e2e' });
    expect(chat?.query).toMatchObject({ room: 'lobby', EIO: '4' });
    // The server's `welcome` is shown though the app declares no listener for it.
    await expect.poll(() => page.locator('.row .c-event').allTextContents(), { timeout: 10_000 }).toContain('welcome');
    const rows = await sioRows(page);
    expect(rows.filter((r) => r.type === 'connect' && r.dir === 'in').map((r) => r.ns).sort()).toEqual(['/', '/chat']);
    expect(rows.find((r) => r.event === 'welcome')?.args).toContain('héllo wörld, € and 😀 from 日本');
    expect(new Set(await page.locator('.row .c-conn').allTextContents()).size).toBe(1);
    // The connection tree follows the tracker: both namespaces connected, over the upgraded transport.
    const tree = page.getByRole('navigation', { name: 'Connections' });
    await expect.poll(() => tree.textContent(), { timeout: 10_000 }).toMatch(/websocket · EIO4\/SIO5/);
    expect((await tree.textContent())?.match(/connected · /g)).toHaveLength(2);
  });

  it('an emit with an ack (the composer) is timed in the timeline and in the composer', async () => {
    const page = context.pages().at(-1)!;
    await emit(page, '/', 'chat message', ['"hello from the app"'], true);
    await expect.poll(async () => (await sioRows(page)).find((r) => r.type === 'ack')?.latency, { timeout: 10_000 }).toBeGreaterThan(0);
    const ackRow = page.locator('.row', { has: page.locator('.c-type', { hasText: /^ack$/ }) }).first();
    await expect.poll(() => ackRow.locator('.c-lat').textContent()).toMatch(/\d+(\.\d)? ms/);
    await expect.poll(() => page.getByTestId('composer-answer').locator('pre').textContent()).toMatch(/^\[\{"ok":true,"at":\d+\}\]$/);
    expect(await page.getByTestId('composer-latency').textContent()).toMatch(/^\d+\.\d ms$/);
    await page.screenshot({ path: resolve(DOCS, 'app-client.png') });
  });

  it('a server-side disconnect shows its reason', async () => {
    const page = context.pages().at(-1)!;
    await emit(page, '/', 'kick me', [], false);
    await expect.poll(() => namespaceState(page, '/'), { timeout: 10_000 }).toMatch(/^\/: disconnected.*, io server disconnect$/);
    await page.close();
  });

  it('socket.io 4 with the msgpack parser, chosen in the form', async () => {
    const page = await openApp('mode=client');
    await page.getByLabel('Server URL').fill(servers.v4msgpack.url);
    await page.getByLabel('Parser').selectOption('msgpack');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => namespaceState(page, '/'), { timeout: 15_000 }).toMatch(/^\/: connected/);
    await expect.poll(async () => (await sioRows(page)).find((r) => r.event === 'welcome')?.args, { timeout: 10_000 }).toContain('héllo wörld');
    // The link to this page now names the connection.
    expect(new URL(page.url()).searchParams.get('parser')).toBe('msgpack');
    // Binary from the server, decoded from msgpack.
    await emit(page, '/', 'binary', [], false);
    await expect.poll(async () => (await sioRows(page)).find((r) => r.event === 'binary echo')?.args, { timeout: 10_000 }).toContain('"buf":{"0":255,"1":0,"2":127}');
    await page.close();
  });

  it('socket.io 3 with client 4', async () => {
    const page = await openApp(link({ url: servers.v3.url, ns: '/,/chat', auth: '{"token":"secret"}' }));
    await expect.poll(() => namespaceState(page, '/chat'), { timeout: 15_000 }).toMatch(/^\/chat: connected/);
    expect(handshakes.v3.find((h) => h.namespace === '/chat')?.auth).toEqual({ token: 'secret' });
    await expect.poll(async () => (await sioRows(page)).map((r) => r.event), { timeout: 10_000 }).toContain('welcome');
    await page.close();
  });

  for (const [name, parser] of [
    ['v2', 'default'],
    ['v2msgpack', 'msgpack'],
  ] as const) {
    it(`socket.io 2 with client 2 and the ${parser} parser: auth goes in the query, events show without onAny`, async () => {
      const page = await openApp(link({ url: servers[name].url, ns: '/,/chat', auth: '{"token":"secret"}', client: '2', parser }));
      await expect.poll(() => namespaceState(page, '/chat'), { timeout: 15_000 }).toMatch(/^\/chat: connected/);
      expect(handshakes[name].find((h) => h.namespace === '/chat')?.query).toMatchObject({ token: 'secret', EIO: '3' });
      await expect.poll(async () => (await sioRows(page)).map((r) => r.event), { timeout: 10_000 }).toContain('welcome');
      await page.close();
    });
  }
});

describe('follows the connection', () => {
  it('a server going away: the disconnect reason, reconnection attempts, then the reconnection', async () => {
    let restartable = await startChatServer({ generation: 4 });
    const port = restartable.port;
    const page = await openApp(link({ url: restartable.url, transports: 'websocket' }));
    await expect.poll(() => namespaceState(page, '/'), { timeout: 15_000 }).toMatch(/^\/: connected/);
    await restartable.close();
    await expect.poll(() => namespaceState(page, '/'), { timeout: 15_000 }).toMatch(/disconnected.*, transport close$/);
    await expect.poll(() => page.getByTestId('reconnect-attempt').textContent(), { timeout: 15_000 }).toMatch(/reconnection attempt [1-9]/);
    restartable = await startChatServer({ generation: 4, port });
    try {
      await expect.poll(() => namespaceState(page, '/'), { timeout: 20_000 }).toMatch(/^\/: connected/);
      const log = await page.getByTestId('status-lines').textContent();
      expect(log).toMatch(/reconnection attempt 1/);
      expect(log).toMatch(/reconnected after \d+ attempt/);
    } finally {
      await page.close();
      await restartable.close();
    }
  });
});

describe('explains failures', () => {
  it('server unreachable, with reconnection attempts visible', async () => {
    const page = await openApp(link({ url: `http://127.0.0.1:${await closedPort()}` }));
    await expect.poll(() => failure(page).textContent(), { timeout: 15_000 }).toContain('Server unreachable');
    expect(await failure(page).getAttribute('data-kind')).toBe('unreachable');
    await expect.poll(() => page.getByTestId('reconnect-attempt').textContent(), { timeout: 15_000 }).toMatch(/reconnection attempt [1-9]/);
    await page.close();
  });

  it('CORS refused, and what the server must allow', async () => {
    const page = await openApp(link({ url: servers.noCors.url }));
    await expect.poll(() => failure(page).getAttribute('data-kind'), { timeout: 15_000 }).toBe('cors');
    const text = await failure(page).textContent();
    expect(text).toContain(`CORS refused: the server does not allow ${app.url}`);
    expect(text).toContain(`cors: { origin: '${app.url}' }`);
    await page.close();
  });

  it('WebSocket only, to a server that accepts polling only', async () => {
    const page = await openApp(link({ url: servers.pollingOnly.url, transports: 'websocket' }));
    await expect.poll(() => failure(page).getAttribute('data-kind'), { timeout: 15_000 }).toBe('transport');
    expect(await failure(page).textContent()).toContain('The server does not offer WebSocket');
    await page.close();
  });

  it('wrong path', async () => {
    const page = await openApp(link({ url: servers.v4.url, path: '/wrong' }));
    await expect.poll(() => failure(page).getAttribute('data-kind'), { timeout: 15_000 }).toBe('wrong-path');
    expect(await failure(page).textContent()).toContain('set path to /socket.io');
    await page.close();
  });

  for (const transports of ['polling,websocket', 'websocket']) {
    it(`version mismatch: client 4 to a socket.io 2 server (${transports})`, async () => {
      const page = await openApp(link({ url: servers.v2.url, transports }));
      await expect.poll(() => failure(page).textContent(), { timeout: 15_000 }).toContain('this server speaks socket.io 2.x');
      expect(await failure(page).textContent()).toContain('choose client generation 2');
      await page.close();
    });
  }

  it('version mismatch: client 2 to a socket.io 4 server without allowEIO3', async () => {
    const page = await openApp(link({ url: servers.v4.url, client: '2' }));
    await expect.poll(() => failure(page).textContent(), { timeout: 15_000 }).toContain('this server speaks socket.io 3.x/4.x');
    expect(await failure(page).textContent()).toContain('allowEIO3: true');
    await page.close();
  });

  it('middleware rejection with its message and data (socket.io 4), and its message (socket.io 2)', async () => {
    const page = await openApp(link({ url: servers.v4.url, ns: '/,/chat', auth: '{"token":"wrong"}' }));
    await expect.poll(() => failure(page).textContent(), { timeout: 15_000 }).toContain('/chat refused by the server: not authorized');
    expect(await failure(page).textContent()).toContain('{"reason":"bad token"}');
    expect(await namespaceState(page, '/')).toMatch(/^\/: connected/);
    expect(await namespaceState(page, '/chat')).toMatch(/^\/chat: refused/);
    // The refusal is in the timeline too, decoded from the wire.
    expect((await sioRows(page)).some((r) => r.type === 'connect_error' && r.ns === '/chat')).toBe(true);
    await page.close();

    const v2 = await openApp(link({ url: servers.v2.url, ns: '/chat', client: '2' }));
    await expect.poll(() => failure(v2).textContent(), { timeout: 15_000 }).toContain('/chat refused by the server: not authorized');
    await v2.close();
  });
});

describe('reopening a connection', () => {
  it('a link to the page reopens the connection it names', async () => {
    const first = await openApp('mode=client');
    await first.getByLabel('Server URL').fill(servers.v4.url);
    await first.getByLabel('Namespaces').fill('/, /chat');
    await first.getByLabel('auth (JSON)').fill('{"token":"secret"}');
    await first.getByLabel('Transports').selectOption('websocket');
    await first.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => namespaceState(first, '/chat'), { timeout: 15_000 }).toMatch(/connected/);
    const linked = first.url();
    await first.close();

    const again = await context.newPage();
    await again.goto(linked);
    await expect.poll(() => namespaceState(again, '/chat'), { timeout: 15_000 }).toMatch(/^\/chat: connected/);
    expect(await again.getByLabel('Transports').inputValue()).toBe('websocket');
    // Rows come on the panel's next tick after the connection shows.
    await expect.poll(() => again.locator('.row .c-conn').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await again.close();
  });

  it('saved connections survive a reload; hostile saved data does not break the page', async () => {
    const page = await openApp('mode=client');
    await page.getByLabel('Server URL').fill(servers.v4msgpack.url);
    await page.getByLabel('Parser').selectOption('msgpack');
    await page.getByLabel('Name to save as').fill('demo msgpack');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('saved-note').textContent()).toContain('saved as "demo msgpack"');

    await page.goto(`${app.url}/?mode=client`);
    expect(await page.getByLabel('Server URL').inputValue()).not.toBe(servers.v4msgpack.url);
    await page.getByLabel('Saved connections').selectOption('demo msgpack');
    expect(await page.getByLabel('Server URL').inputValue()).toBe(servers.v4msgpack.url);
    expect(await page.getByLabel('Parser').inputValue()).toBe('msgpack');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => namespaceState(page, '/'), { timeout: 15_000 }).toMatch(/^\/: connected/);

    await page.evaluate(() => {
      const saved = JSON.parse(localStorage.getItem('sockscope.savedConnections.v1') ?? '[]') as unknown[];
      localStorage.setItem('sockscope.savedConnections.v1', JSON.stringify([...saved, { name: '<img src=x onerror=alert(1)>', options: { url: 5 } }, 'junk', null]));
    });
    await page.goto(`${app.url}/?mode=client`);
    await expect.poll(() => page.getByTestId('saved-note').textContent()).toContain('3 saved connection(s) were not readable');
    expect(await page.getByLabel('Saved connections').locator('option').allTextContents()).toEqual(['choose…', 'demo msgpack']);
    await page.close();
  });
});
