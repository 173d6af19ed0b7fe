// Several nodes: a real Redis (Debian's redis-server) and two socket.io server processes sharing it through
// @socket.io/redis-adapter, both instrumented. The app, attached to one node's admin namespace, shows both servers,
// the sockets on each, a room spanning both, and a broadcast from one node reaching a client of the other.
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Socket as ClientSocket } from 'socket.io-client';
import { afterAll, beforeAll, beforeEach, expect, it, onTestFailed } from 'vitest';
import type { ChatServer } from '../app/demo/chat-server.ts';
import { nextEvent, nodeClient } from './support/admin-server.ts';
import { launchBrowser, startAppServer } from './support/app-server.ts';
import { startRedisCluster, type RedisCluster } from './support/redis-cluster.ts';

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

let app: ChatServer;
let cluster: RedisCluster;
let browser: Browser;
let page: Page;
const clients: ClientSocket[] = [];
let onA: ClientSocket;
let onB: ClientSocket;

beforeAll(async () => {
  app = await startAppServer();
  cluster = await startRedisCluster(['node-a', 'node-b']);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.setDefaultTimeout(15_000);
  const [a, b] = cluster.nodes;
  onA = await nodeClient(a.url);
  onB = await nodeClient(b.url);
  clients.push(onA, onB);
  await page.goto(`${app.url}/?mode=admin&url=${encodeURIComponent(a.url)}`);
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  await browser?.close();
  await cluster?.stop();
  await app?.close();
});
beforeEach(() => onTestFailed(() => page.screenshot({ path: resolve(import.meta.dirname, '..', 'test-results', 'nodes-failure.png') }).then(() => undefined)));

const tree = () => page.getByRole('navigation', { name: 'Server tree' });
const server = (id: string) => tree().locator(`[data-server="${id}"]`);

it('shows both servers, each with its own sockets', async () => {
  await poll(() => server('node-a').count()).toBe(1);
  await poll(() => server('node-b').count()).toBe(1);
  await poll(() => server('node-b').textContent()).toMatch(/pid \d+/);
  await poll(() => page.locator(`[data-socket="${onA.id}"] span:nth-child(3)`).textContent()).toBe('node-a');
  await poll(() => page.locator(`[data-socket="${onB.id}"] span:nth-child(3)`).textContent()).toBe('node-b');
  await page.getByLabel('Search sockets').fill('server:node-b ns:/');
  await poll(() => page.locator('[role="grid"][aria-label="Sockets"] .row .id').allTextContents()).toEqual([onB.id]);
  await page.getByLabel('Search sockets').fill('');
});

it('shows a room that spans both nodes, and a broadcast from node A reaches the client on node B', async () => {
  expect(await new Promise((done) => onA.emit('whoami', done))).toBe('node-a');
  expect(await new Promise((done) => onB.emit('whoami', done))).toBe('node-b');
  onA.emit('join', 'span');
  onB.emit('join', 'span');
  const span = (node: string) => server(node).locator('[data-room="span"]');
  await span('node-a').getByRole('button', { name: 'Sockets of span' }).click();
  await poll(() => span('node-a').textContent()).toContain(onA.id!);
  await span('node-b').getByRole('button', { name: 'Sockets of span' }).click();
  await poll(() => span('node-b').textContent()).toContain(onB.id!);
  expect(await span('node-a').textContent()).not.toContain(onB.id!);
  await page.getByLabel('Search sockets').fill('room:span');
  await poll(() => page.getByTestId('socket-count').textContent()).toMatch(/^2 of /);

  const heard = nextEvent(onB, 'said');
  onA.emit('say', 'span', 'hello from A');
  expect(await heard).toEqual(['node-a', 'hello from A']);

  // The admin namespace's emit goes through node A's adapter too: both nodes' clients get it.
  await span('node-b').locator('.room-name').click();
  const both = Promise.all([nextEvent(onA, 'from admin'), nextEvent(onB, 'from admin')]);
  const form = page.getByRole('form', { name: 'Emit to this room' });
  await form.getByLabel('Event name').fill('from admin');
  await form.getByLabel('Arguments').fill('["to everyone in span"]');
  await form.getByRole('button', { name: 'Emit' }).click();
  expect(await both).toEqual([['to everyone in span'], ['to everyone in span']]);
  await poll(() => page.getByRole('list', { name: 'Actions' }).textContent()).toMatch(/confirmed: socket \S+ was sent "from admin"/);
});
