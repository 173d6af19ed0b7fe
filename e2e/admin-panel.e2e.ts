// The extension's panel with an admin source attached: the page's own server, instrumented, shows in the panel's
// side tree with its rooms, and the server's side of the traffic joins the panel's log.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startInstrumentedServer, type InstrumentedServer } from './support/admin-server.ts';
import { launchWithExtension, type ExtensionBrowser } from './support/extension.ts';

const PAGE = `<!doctype html><title>admin panel</title><script src="/socket.io/socket.io.js"></script>
<script>
  const socket = (window.socket = io({ transports: ['websocket'] }));
  socket.on('connect', () => {
    socket.emit('join', 'lobby');
    document.title = 'connected ' + socket.id;
  });
</script>`;

let server: InstrumentedServer;
let browser: ExtensionBrowser;
let page: Page;
let panel: Page;

beforeAll(async () => {
  server = await startInstrumentedServer({ serverId: 'page-server', page: PAGE });
  browser = await launchWithExtension();
  page = await browser.context.newPage();
  await page.goto(server.url + '/');
  await page.waitForFunction(() => document.title.startsWith('connected '), null, { timeout: 10_000 });
  panel = await browser.openPanel(page);
  panel.setDefaultTimeout(15_000);
  await panel.bringToFront();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it("attaches the page server's admin namespace: its tree shows rooms, and server-side entries join the log", async () => {
  const id = (await page.title()).slice('connected '.length);
  const source = panel.getByRole('region', { name: 'Admin source' });
  await source.getByRole('button', { name: /Admin source/ }).click();
  // The address comes from the page's connection when the field is left empty.
  await expect.poll(() => source.getByLabel('Admin server URL').getAttribute('placeholder')).toBe(server.url);
  await source.getByRole('button', { name: 'Attach' }).click();
  await expect.poll(() => panel.getByTestId('panel-admin-state').textContent(), { timeout: 10_000 }).toMatch(/^connected/);

  const lobby = source.locator('[data-server="page-server"] [data-room="lobby"]');
  await expect.poll(() => lobby.textContent(), { timeout: 10_000 }).toContain('1 here');
  await lobby.getByRole('button', { name: 'Sockets of lobby' }).click();
  await expect.poll(() => lobby.textContent()).toContain(id);

  await page.evaluate(() => (globalThis as unknown as { socket: { emit(e: string, a: unknown): void } }).socket.emit('ping me', { from: 'page' }));
  // The page's emit shows twice: as the page sent it, and as the server received it.
  await expect.poll(() => panel.locator('.row .c-event', { hasText: 'ping me' }).count(), { timeout: 10_000 }).toBe(2);
  expect(await panel.locator('.row.server .c-event').allTextContents()).toContain('ping me');
  await lobby.getByRole('button', { name: id }).click();
  await expect.poll(() => panel.getByLabel('Filter').inputValue()).toBe(`conn:"server:${id}"`);
});
