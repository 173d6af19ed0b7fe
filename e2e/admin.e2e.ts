// The standalone app in admin mode against real socket.io 4 servers instrumented with @socket.io/admin-ui: the tree
// follows Node clients live, the four actions act on the server and are confirmed, server-side traffic reaches the
// log, and basic auth lets the right password in and keeps the wrong one out. Also takes the README's screenshot
// (test-results/, or docs/ with SOCKSCOPE_SCREENSHOTS=docs).
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Socket as ClientSocket } from 'socket.io-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import type { ChatServer } from '../app/demo/chat-server.ts';
import { nextEvent, nodeClient, startInstrumentedServer, type InstrumentedServer } from './support/admin-server.ts';
import { launchBrowser, startAppServer } from './support/app-server.ts';

/** Polls a bit longer than vitest's default second: the machine is shared and slow at times. */
const poll = <T>(read: () => T | Promise<T>, options: { timeout?: number } = {}) => expect.poll(read, { timeout: 10_000, ...options });

const DOCS = resolve(import.meta.dirname, '..', process.env.SOCKSCOPE_SCREENSHOTS === 'docs' ? 'docs' : 'test-results');

let app: ChatServer;
let server: InstrumentedServer;
let secured: InstrumentedServer;
let browser: Browser;
let page: Page;
const clients: ClientSocket[] = [];

async function client(url: string, nsp = '/'): Promise<ClientSocket> {
  const socket = await nodeClient(url, nsp);
  clients.push(socket);
  return socket;
}

beforeAll(async () => {
  app = await startAppServer();
  server = await startInstrumentedServer({ serverId: 'node-a' });
  secured = await startInstrumentedServer({ serverId: 'secured', auth: { username: 'admin', password: 'correct horse' } });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.setDefaultTimeout(15_000);
  await page.goto(`${app.url}/?mode=admin&url=${encodeURIComponent(server.url)}`);
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await browser?.close();
  await Promise.all([app, server, secured].map((s) => s?.close()));
});

const tree = () => page.getByRole('navigation', { name: 'Server tree' });
const table = () => page.getByRole('grid', { name: 'Sockets' });
const actions = () => page.getByRole('list', { name: 'Actions' });
const serverRooms = (id: string, nsp = '/') => [...(server.io.of(nsp).sockets.get(id)?.rooms ?? [])];

beforeEach(() => onTestFailed(() => page.screenshot({ path: resolve(import.meta.dirname, '..', 'test-results', 'admin-failure.png') }).then(() => undefined)));

describe('admin mode, no auth', () => {
  it('shows the server with its stats and follows sockets as they connect, join, leave and disconnect', async () => {
    await poll(() => page.getByTestId('admin-state').textContent(), { timeout: 15_000 }).toBe('connected');
    const a = await client(server.url);
    const b = await client(server.url, '/chat');
    await poll(() => tree().locator('[data-server="node-a"]').textContent(), { timeout: 10_000 }).toMatch(new RegExp(`pid ${process.pid}`));
    await poll(() => table().locator(`[data-socket="${a.id}"]`).count()).toBe(1);
    await poll(() => table().locator(`[data-socket="${b.id}"] span`).allTextContents()).toEqual([b.id, '/chat', 'node-a', 'websocket', '127.0.0.1', '']);

    a.emit('join', 'lobby');
    b.emit('join', 'lobby');
    const lobby = tree().locator('[data-room="lobby"]');
    await poll(() => lobby.count()).toBe(2); // one per namespace
    await lobby.first().getByRole('button', { name: 'Sockets of lobby' }).click();
    await poll(() => lobby.first().textContent()).toContain(a.id!);
    await poll(() => table().locator(`[data-socket="${a.id}"] .rooms`).textContent()).toBe('lobby');

    await page.getByLabel('Search sockets').fill('room:lobby');
    await poll(() => page.getByTestId('socket-count').textContent()).toMatch(/^2 of \d+ sockets$/);
    await page.getByLabel('Search sockets').fill('ns:/chat');
    await poll(() => table().locator('.row .id').allTextContents()).toEqual([b.id]);
    await page.getByLabel('Search sockets').fill('');

    a.emit('leave', 'lobby');
    await poll(() => table().locator(`[data-socket="${a.id}"] .rooms`).textContent()).toBe('');
    const gone = b.id!;
    b.disconnect();
    await poll(() => table().locator(`[data-socket="${gone}"]`).count()).toBe(0);
  });

  it("shows the server's side of the traffic in the log, marked server-side", async () => {
    const c = await client(server.url);
    c.emit('hello server', { n: 1 });
    await page.getByRole('tab', { name: 'Server events' }).click();
    const row = page.locator('.row.server', { hasText: 'hello server' });
    await poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.locator('.c-dir').getAttribute('title')).toBe('server received');
    expect(await row.locator('.c-conn').textContent()).toBe(c.id);
    expect(await row.locator('.c-data').textContent()).toBe('{"n":1}');
    await page.getByRole('tab', { name: 'Sockets' }).click();
  });

  it('charts the server_stats: clients and bytes per second per server', async () => {
    await page.getByRole('tab', { name: 'Servers' }).click();
    // server_stats come every couple of seconds; the bytes chart needs two of them.
    await poll(() => page.getByLabel('Clients per server').count(), { timeout: 15_000 }).toBe(1);
    await poll(() => page.getByLabel('Bytes per second per server').count()).toBe(1);
    await page.getByRole('tab', { name: 'Sockets' }).click();
  });

  it("the emit composer in the server events tab emits through the server to one socket's room", async () => {
    const e = await client(server.url);
    await page.getByRole('tab', { name: 'Server events' }).click();
    await page.getByRole('button', { name: 'Compose' }).click();
    await page.locator('#composer-ns').fill('/');
    await page.locator('#composer-room').fill(e.id!);
    await page.locator('#composer-event').fill('from composer');
    while ((await page.getByRole('button', { name: /^Remove argument/ }).count()) > 0) await page.getByRole('button', { name: /^Remove argument/ }).first().click();
    await page.getByRole('button', { name: 'Add argument' }).click();
    await page.getByLabel('Argument 1', { exact: true }).fill('{"n": 7}');
    // Through the admin namespace an emit cannot ask for an ack: the composer does not offer it.
    expect(await page.getByLabel('Ask for an ack').count()).toBe(0);
    const received = nextEvent(e, 'from composer');
    await page.getByRole('button', { name: 'Emit from the server' }).click();
    expect(await received).toEqual([{ n: 7 }]);
    await page.getByRole('button', { name: 'Close the composer' }).click();
    await page.getByRole('tab', { name: 'Sockets' }).click();
  });

  it('join, emit (to a socket and to a room), leave and disconnect act on the server, each confirmed', async () => {
    const d = await client(server.url);
    const id = d.id!;
    await poll(() => table().locator(`[data-socket="${id}"]`).count()).toBe(1);
    await table().locator(`[data-socket="${id}"]`).dispatchEvent('mousedown');
    const details = page.getByRole('region', { name: 'Socket details' });
    await poll(() => details.locator('.id').textContent()).toBe(id);
    await poll(() => details.textContent()).toMatch(/handshake: \{address, headers, query/);

    await details.getByLabel('Room to join').fill('vip');
    await details.getByRole('button', { name: 'Join' }).click();
    await poll(() => actions().textContent()).toContain(`confirmed: socket ${id} joined room "vip"`);
    expect(serverRooms(id)).toContain('vip');

    let received = nextEvent(d, 'notice');
    const emitForm = details.getByRole('form', { name: 'Emit to this socket' });
    await emitForm.getByLabel('Event name').fill('notice');
    await emitForm.getByLabel('Arguments').fill('["hi", {"from": "admin"}]');
    await emitForm.getByRole('button', { name: 'Emit' }).click();
    expect(await received).toEqual(['hi', { from: 'admin' }]);
    await poll(() => actions().textContent()).toContain(`confirmed: socket ${id} was sent "notice"`);

    await tree().locator('[data-room="vip"] .room-name').click();
    received = nextEvent(d, 'room news');
    const roomForm = page.getByRole('form', { name: 'Emit to this room' });
    await roomForm.getByLabel('Event name').fill('room news');
    await roomForm.getByLabel('Arguments').fill('[42]');
    await roomForm.getByRole('button', { name: 'Emit' }).click();
    expect(await received).toEqual([42]);
    await poll(() => actions().textContent()).toContain('emit "room news" to vip');

    // The README's picture: a few more sockets in rooms, every socket listed, the room open in the tree.
    for (const room of ['general', 'general', 'support']) (await client(server.url, '/chat')).emit('join', room);
    await page.getByLabel('Search sockets').fill('');
    await poll(() => tree().locator('[data-room="general"]').textContent()).toContain('2 here');
    await tree().locator('[data-room="vip"]').getByRole('button', { name: 'Sockets of vip' }).click();
    await page.screenshot({ path: resolve(DOCS, 'app-admin.png') });

    await details.getByRole('button', { name: 'Leave vip' }).click();
    await poll(() => actions().textContent()).toContain(`confirmed: socket ${id} left room "vip"`);
    expect(serverRooms(id)).not.toContain('vip');


    const disconnected = nextEvent(d, 'disconnect');
    await details.getByRole('button', { name: 'Disconnect' }).click();
    expect(await disconnected).toEqual(['io server disconnect', undefined]);
    await poll(() => actions().textContent()).toContain(`confirmed: socket ${id} disconnected (server namespace disconnect)`);
    expect(server.io.of('/').sockets.has(id)).toBe(false);
  });
});

describe('admin mode, basic auth', () => {
  async function connectWith(password: string): Promise<void> {
    const form = page.getByRole('form', { name: 'Connect to admin' });
    if ((await form.getByRole('button', { name: 'Disconnect' }).count()) > 0) await form.getByRole('button', { name: 'Disconnect' }).click();
    await form.getByLabel('Server URL').fill(secured.url);
    await form.getByLabel('user').fill('admin');
    await form.getByLabel('password').fill(password);
    await form.getByRole('button', { name: 'Connect' }).click();
  }

  it('a wrong password is refused, and says so', async () => {
    await connectWith('wrong horse');
    await poll(() => page.getByTestId('admin-state').textContent(), { timeout: 15_000 }).toBe('refused');
    expect(await page.getByTestId('admin-detail').textContent()).toBe('wrong username or password');
  });

  it('the right password connects, and the sockets show', async () => {
    const e = await client(secured.url);
    await connectWith('correct horse');
    await poll(() => page.getByTestId('admin-state').textContent(), { timeout: 15_000 }).toBe('connected');
    await poll(() => table().locator(`[data-socket="${e.id}"]`).count()).toBe(1);
  });
});
