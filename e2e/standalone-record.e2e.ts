// The standalone app's composer, recording and re-emit, end to end against a real socket.io 4 server: the composer
// emits over the app's own connection (binary too) and shows the ack; the app records its traffic into its own
// IndexedDB (on by default); the session opens in the replay view; re-emitting it over the live connection sets
// the new acks beside the recorded ones, differences marked (the chat ack carries the server's time).
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startChatServer, type ChatServer } from '../app/demo/chat-server.ts';
import { launchBrowser, startAppServer } from './support/app-server.ts';

const SHOTS = resolve(import.meta.dirname, '..', process.env.SOCKSCOPE_SCREENSHOTS === 'docs' ? 'docs' : 'test-results');

let app: ChatServer;
let server: ChatServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  app = await startAppServer();
  server = await startChatServer({ generation: 4 });
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  await page.goto(`${app.url}/?${new URLSearchParams({ mode: 'client', url: server.url, ns: '/' })}`);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([app, server].map((s) => s?.close()));
});

/** Plain JSON of what the server received (Buffers as byte lists). */
const plain = (value: unknown) => JSON.parse(JSON.stringify(value, (_k, v) => (v && v.type === 'Buffer' && Array.isArray(v.data) ? { $binary: v.data } : v)));

async function compose(event: string, args: [kind: string, text: string][]): Promise<void> {
  await page.locator('#composer-event').fill(event);
  while ((await page.getByRole('button', { name: /^Remove argument/ }).count()) > 0) await page.getByRole('button', { name: /^Remove argument/ }).first().click();
  for (const [i, [kind, text]] of args.entries()) {
    await page.getByRole('button', { name: 'Add argument' }).click();
    await page.getByLabel(`Argument ${i + 1} kind`).selectOption(kind);
    await page.getByLabel(`Argument ${i + 1}`, { exact: true }).fill(text);
  }
  await page.getByLabel('Ask for an ack').check();
  await page.getByRole('button', { name: 'Send to server' }).click();
}

const answer = () => page.getByTestId('composer-answer').locator('pre').textContent();

it("the composer emits over the app's connection, binary too, and shows the ack", async () => {
  await expect.poll(() => page.locator('[data-testid="namespace-state"][data-namespace="/"]').textContent(), { timeout: 15_000 }).toMatch(/^\/: connected/);
  await page.getByRole('button', { name: 'Compose' }).click();
  // Client mode: the namespace is typed (the app's own sockets), not picked from a captured connection.
  await page.locator('#composer-ns').fill('/');
  await compose('record', [
    ['json', '{"n": 1}'],
    ['hex', 'de ad be ef'],
  ]);
  await expect.poll(() => server.records.length, { timeout: 10_000 }).toBe(1);
  expect(plain(server.records[0])).toEqual({ ns: '/', args: [{ n: 1 }, { $binary: [0xde, 0xad, 0xbe, 0xef] }], acked: true });
  await expect.poll(answer, { timeout: 10_000 }).toBe('[{"received":2,"ns":"/"}]');

  await compose('chat message', [['json', '"hi from the composer"']]);
  await expect.poll(answer, { timeout: 10_000 }).toMatch(/^\[\{"ok":true,"at":\d+\}\]$/);
  // The emit and its ack are in the live timeline.
  await expect.poll(() => page.locator('.row .c-event:visible').allTextContents()).toEqual(expect.arrayContaining(['record', 'chat message']));
});

it('records the session (on by default); it is listed in Sessions and opens in the replay view', async () => {
  await expect(page.getByRole('button', { name: '● Recording' }).getAttribute('aria-pressed')).resolves.toBe('true');
  // Everything the tap has seen so far is written.
  const captured = await page.evaluate(() => (globalThis as unknown as { sockscopeApp: { store: { frameCount: number } } }).sockscopeApp.store.frameCount);
  const stored = () =>
    page.evaluate(async () => {
      const app = (globalThis as unknown as { sockscopeApp: { db: { sessions: { toArray(): Promise<{ frameCount: number }[]> } } } }).sockscopeApp;
      return (await app.db.sessions.toArray()).map((s) => s.frameCount);
    });
  await expect.poll(async () => (await stored())[0] ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(captured);

  await page.getByRole('button', { name: 'Sessions', exact: true }).click();
  const rows = page.getByRole('grid', { name: 'Stored sessions' }).locator('.session');
  await expect.poll(() => rows.count()).toBe(1);
  await rows.first().getByRole('button', { name: 'Open' }).click();
  await expect.poll(() => page.getByRole('button', { name: 'Replay' }).getAttribute('class')).toContain('on');
  // The live panel stays mounted, hidden: only the replay's rows are visible.
  await expect.poll(() => page.locator('.row .c-event:visible').allTextContents(), { timeout: 10_000 }).toEqual(expect.arrayContaining(['record', 'chat message']));
});

it('re-emits the recorded session over the live connection: new acks beside the recorded ones, differences marked', async () => {
  const before = server.records.length;
  await page.getByLabel('Re-emit timing').selectOption('back-to-back');
  await page.getByRole('button', { name: 'Re-emit to the live server' }).click();
  const table = page.getByRole('table', { name: 'Re-emit results' });
  await expect.poll(() => table.locator('[data-testid="re-emit-row"]').count(), { timeout: 15_000 }).toBeGreaterThan(0);

  // The server got the recorded emit again, binary included.
  expect(server.records.length).toBe(before + 1);
  expect(plain(server.records[before])).toEqual(plain(server.records[0]));

  const row = (event: string, what: string) => table.locator(`[data-testid="re-emit-row"][data-event="${event}"][data-what="${what}"]`);
  // The record ack says how many arguments came: the same.
  expect(await row('record', 'ack').getAttribute('data-status')).toBe('same');
  expect(await row('record', 'ack').locator('td').nth(5).textContent()).toBe('[{"received":2,"ns":"/"}]');
  // The chat ack carries the server's time: marked, with the path that differs.
  const chat = row('chat message', 'ack');
  expect(await chat.getAttribute('data-status')).toBe('changed');
  expect(await chat.locator('.mark').textContent()).toBe('≠');
  expect(await chat.locator('.diffs').textContent()).toMatch(/^\$\[0\]\.at: \d+ → \d+$/);
  // The broadcast that followed the chat message came again, the same.
  expect(await row('chat message', 'event chat message').getAttribute('data-status')).toBe('same');
  expect(await page.getByTestId('re-emit-summary').textContent()).toBe('sent 2 of 2; 1 answer(s) differ');

  // The new traffic is in the live log too (it went through the tap).
  const liveEmits = await page.evaluate(() => {
    const app = (globalThis as unknown as { sockscopeApp: { decoded(): { layer: string; type: string; dir: string; event?: unknown }[] } }).sockscopeApp;
    return app.decoded().filter((e) => e.layer === 'sio' && e.type === 'event' && e.dir === 'out').map((e) => String(e.event));
  });
  expect(liveEmits).toEqual(['record', 'chat message', 'record', 'chat message']);
  await page.screenshot({ path: resolve(SHOTS, 'app-re-emit.png') });
});

it('with the original timing, the run goes on while the live timeline shows the new traffic', async () => {
  const before = server.records.length;
  await page.getByLabel('Re-emit timing').selectOption('original');
  await page.getByRole('button', { name: 'Re-emit to the live server' }).click();
  await page.getByRole('button', { name: 'Live', exact: true }).click();
  const liveEvents = () => page.locator('.row .c-event:visible').allTextContents();
  await expect.poll(async () => (await liveEvents()).filter((e) => e === 'record').length, { timeout: 10_000 }).toBe(3);
  await expect.poll(async () => (await liveEvents()).filter((e) => e === 'chat message').length, { timeout: 10_000 }).toBe(6);
  expect(server.records.length).toBe(before + 1);
  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  await expect.poll(() => page.getByTestId('re-emit-summary').textContent(), { timeout: 15_000 }).toBe('sent 2 of 2; 1 answer(s) differ');
  expect(await page.locator('[data-testid="re-emit-row"][data-event="chat message"][data-what="ack"]').getAttribute('data-status')).toBe('changed');
});
