// The panel as a developer uses it: a real server's events appear, a filter narrows them, selecting an event shows
// its arguments and its ack latency, copy-as-code gives the call, and the theme follows the setting. Also takes
// the README's screenshots: into test-results/ on every run, into docs/ with SOCKSCOPE_SCREENSHOTS=docs.
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from './support/extension.ts';
import { startFixtureServer, type FixtureServer } from './support/fixture-server.ts';

let server: FixtureServer;
let browser: ExtensionBrowser;
let page: Page;
let panel: Page;
const DOCS = resolve(import.meta.dirname, '..', process.env.SOCKSCOPE_SCREENSHOTS === 'docs' ? 'docs' : 'test-results');

beforeAll(async () => {
  server = await startFixtureServer({ generation: 4 });
  browser = await launchWithExtension();
  page = await browser.context.newPage();
  await page.goto(server.page('chat.html?v=4&transports=polling,websocket&ui=1'));
  await page.evaluate(() => (window as unknown as { scenario: Promise<void> }).scenario);
  panel = await browser.openPanel(page);
  await panel.setViewportSize({ width: 1280, height: 640 });
  await panel.bringToFront();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const rows = () => panel.locator('.row');
const eventCells = () => panel.locator('.row .c-event');

it("shows the server's events from the handshake on, engine rows one toggle away", async () => {
  await expect.poll(() => eventCells().allTextContents(), { timeout: 10_000 }).toContain('welcome');
  const types = await panel.locator('.row .c-type').allTextContents();
  expect(types).toContain('connect');
  expect(types).not.toContain('ping');
  await panel.getByLabel('Engine.IO').check();
  // The view follows the end of the log; the handshake is at its start. (Home is pressed again until the engine
  // rows are in: pressed while the rows are being rebuilt and all fit on screen, the view is at the end and follows.)
  await panel.locator('.timeline').focus();
  await expect
    .poll(async () => {
      await panel.keyboard.press('Home');
      return panel.locator('.row .c-type').allTextContents();
    })
    .toContain('open');
  await panel.getByLabel('Engine.IO').uncheck();
});

it('raw frames are one toggle away: the wire before decoding', async () => {
  await panel.getByRole('checkbox', { name: 'Raw frames' }).check();
  const data = panel.getByRole('grid', { name: 'Raw frames' }).locator('.data');
  // The view follows the end of the log: the last frames of the scenario are on screen.
  await expect.poll(() => data.allTextContents()).toContain('42["kick me"]');
  expect(await data.allTextContents()).toContain('41');
  await panel.getByRole('checkbox', { name: 'Raw frames' }).uncheck();
  await expect.poll(() => eventCells().count()).toBeGreaterThan(0);
});

it('a filter narrows the timeline, and Esc clears it', async () => {
  const all = await rows().count();
  await panel.keyboard.press('Control+f');
  await panel.keyboard.type('event:echo dir:out');
  await expect.poll(() => eventCells().allTextContents()).toEqual(['echo', 'echo']);
  await panel.getByLabel('Filter').fill('/^chat/ -dir:in');
  await expect.poll(() => eventCells().allTextContents()).toEqual(['chat message']);
  await panel.getByLabel('Filter').fill('/([/');
  await expect.poll(() => panel.getByRole('alert').textContent()).toMatch(/bad regular expression/);
  await panel.getByLabel('Filter').press('Escape');
  await expect.poll(() => rows().count()).toBe(all);
});

it('selecting an emit shows its arguments and latency, the ack is highlighted, and `a` jumps to it', async () => {
  await panel.getByLabel('Filter').fill('event:"chat message" dir:out');
  // The filter applies on the panel's next tick: wait for it before clicking the first row.
  await expect.poll(async () => [...new Set(await eventCells().allTextContents())]).toEqual(['chat message']);
  await rows().first().click();
  const details = panel.getByLabel('Details');
  await expect.poll(() => details.textContent()).toContain('hello é😀');
  expect(await panel.getByTestId('latency').textContent()).toMatch(/^\d+\.\d ms$/);
  await panel.getByLabel('Filter').fill('');
  await expect.poll(() => panel.locator('.row.partner .c-type').textContent()).toBe('ack');
  // `a` is a key of the timeline, not of the filter box the last step typed in.
  await panel.locator('.timeline').focus();
  await panel.keyboard.press('a');
  await expect.poll(() => panel.locator('.row.selected .c-type').textContent()).toBe('ack');
  await expect.poll(() => details.textContent()).toContain('ok');
});

it('copy as code gives the socket.emit call with its ack callback', async () => {
  await panel.getByLabel('Filter').fill('event:echo ns:/chat dir:out');
  await expect.poll(() => panel.locator('.row .c-ns').allTextContents()).toEqual(['/chat']);
  await rows().first().click();
  await panel.getByRole('button', { name: 'Copy as code' }).click();
  const code = await panel.getByTestId('copy-text').textContent();
  expect(code).toBe('io("/chat").emit(\n  "echo",\n  {\n    "from": "chat"\n  },\n  [\n    1,\n    2,\n    3\n  ],\n  (...response) => {\n    console.log(response);\n  }\n);');
  await panel.getByLabel('Filter').fill('');
});

it('keyboard: arrows move the selection, Enter keeps the details open', async () => {
  await panel.locator('.timeline').focus();
  await panel.keyboard.press('Home');
  const first = await panel.locator('.row.selected').getAttribute('data-index');
  await panel.keyboard.press('ArrowDown');
  const second = await panel.locator('.row.selected').getAttribute('data-index');
  expect(Number(second)).toBeGreaterThan(Number(first));
  await panel.keyboard.press('Enter');
  await expect.poll(() => panel.getByLabel('Details').isVisible()).toBe(true);
});

it('follows the theme it is given, light and dark (screenshots for the README)', async () => {
  // Only rows near the view are in the DOM: a filter brings the one to select into it.
  const selectBinaryEcho = async () => {
    await panel.getByLabel('Filter').fill('event:"binary echo"');
    await panel.locator('.row', { hasText: 'binary echo' }).first().click();
    await panel.getByLabel('Filter').fill('');
  };
  await selectBinaryEcho();
  await panel.getByLabel('Details').getByRole('button', { expanded: false }).first().click().catch(() => undefined);
  await panel.screenshot({ path: resolve(DOCS, 'panel-light.png') });
  const background = () => panel.locator('.panel').evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(await background()).toBe('rgb(255, 255, 255)');

  const url = new URL(panel.url());
  url.searchParams.set('theme', 'dark');
  await panel.goto(url.toString());
  await expect.poll(() => eventCells().count(), { timeout: 10_000 }).toBeGreaterThan(0);
  expect(await background()).toBe('rgb(32, 33, 36)');
  await selectBinaryEcho();
  await panel.screenshot({ path: resolve(DOCS, 'panel-dark.png') });
});
