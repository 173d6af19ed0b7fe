// The charts on real traffic: a socket.io 4 server answers 'fast' after 20 ms and 'slow' after 200 ms and never
// answers 'never'; a page emits each with an ack callback; the panel's Charts view shows the latencies, the
// unanswered emits after a timeout, jumps to an event from its point and filters the timeline to a brushed range.
// Takes docs/charts.png (test-results/ unless SOCKSCOPE_SCREENSHOTS=docs), and test-results/charts-dark.png.
import { readFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { Server } from 'socket.io';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchWithExtension, panelEntries, type ExtensionBrowser } from './support/extension.ts';

const DOCS = resolve(import.meta.dirname, '..', process.env.SOCKSCOPE_SCREENSHOTS === 'docs' ? 'docs' : 'test-results');
const PAGE = readFileSync(resolve(import.meta.dirname, 'fixtures', 'acks.html'));

let http: HttpServer;
let io: Server;
let url: string;
let browser: ExtensionBrowser;
let page: Page;
let panel: Page;

beforeAll(async () => {
  http = createServer((req, res) => {
    if (req.url === '/acks.html') res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    else if (!req.url?.startsWith('/socket.io/')) res.writeHead(404).end();
  });
  // A quick heartbeat, so the heartbeat chart has pings within the test.
  io = new Server(http, { pingInterval: 300, pingTimeout: 2000 });
  io.on('connection', (socket) => {
    socket.on('fast', (n: number, ack: (r: unknown) => void) => setTimeout(() => ack({ fast: n }), 20));
    socket.on('slow', (n: number, ack: (r: unknown) => void) => setTimeout(() => ack({ slow: n }), 200));
    socket.on('never', () => undefined);
  });
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  browser = await launchWithExtension();
  page = await browser.context.newPage();
  await page.goto(`${url}/acks.html`);
  await page.evaluate(() => (window as unknown as { done: Promise<void> }).done);
  panel = await browser.openPanel(page);
  await panel.setViewportSize({ width: 1280, height: 900 });
  await panel.bringToFront();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((done) => io?.close(done));
});

const row = (key: string) => panel.locator(`.acks [data-key="${key}"]`);
const cell = (key: string, column: string) => row(key).locator(`.c-${column}`).textContent();
const millis = async (key: string, column: string) => Number((await cell(key, column))?.replace(/[^\d.]/g, ''));

it('the table shows each event’s latency within a few ms of what the server waited, and the answered counts', async () => {
  await expect.poll(() => panel.getByTestId('entry-count').textContent(), { timeout: 10_000 }).toMatch(/^(?!0 )\d+ entries/);
  await panel.getByRole('button', { name: 'Charts' }).click();
  await expect.poll(() => cell('out slow', 'answered'), { timeout: 10_000 }).toBe('10 / 10');
  expect(await cell('out fast', 'answered')).toBe('10 / 10');
  expect(await cell('out fast', 'count')).toBe('10');
  // The server's timer is the floor; the ceiling allows for a loaded two-core machine (measured: a few ms over).
  const fast = await millis('out fast', 'p50');
  const slow = await millis('out slow', 'p50');
  expect(fast).toBeGreaterThanOrEqual(19.5);
  expect(fast).toBeLessThan(45);
  expect(slow).toBeGreaterThanOrEqual(199.5);
  expect(slow).toBeLessThan(245);
  expect(await millis('out slow', 'max')).toBeGreaterThanOrEqual(slow);
  // Against the decoded log itself: the table's p50 is the nearest-rank median of the acks' latencies.
  const entries = await panelEntries(panel);
  const latencies = entries.filter((e) => e.layer === 'sio' && e.type === 'ack' && e.ackOf !== undefined && (entries[e.ackOf] as { event?: unknown }).event === 'fast');
  const sorted = latencies.map((e) => (e as { latency: number }).latency).sort((a, b) => a - b);
  expect(sorted).toHaveLength(10);
  expect(await cell('out fast', 'p50')).toBe(`${Math.round(sorted[4])} ms`);
});

it('emits that never get an ack count as unanswered once the timeout the user sets has passed', async () => {
  expect(await cell('out never', 'unanswered')).toBe('0');
  await panel.getByLabel('Ack timeout (seconds)').fill('0.5');
  await expect.poll(() => cell('out never', 'unanswered')).toBe('2');
  expect(await cell('out never', 'answered')).toBe('0 / 2');
  expect(await cell('out fast', 'unanswered')).toBe('0');
});

it('sorting by a column, with the mouse or the keyboard', async () => {
  const order = () => panel.locator('.acks .line .c-event').allTextContents();
  await panel.getByRole('button', { name: /^p50/ }).click();
  await expect.poll(order).toEqual(['slow', 'fast', 'never']);
  await panel.getByRole('button', { name: /^p50/ }).press('Enter');
  await expect.poll(order).toEqual(['fast', 'slow', 'never']);
});

it('clicking a point of the latency scatter selects that event in the timeline', async () => {
  // Chart only 'slow': select its row.
  await row('out slow').click();
  const canvas = panel.getByTestId('latency-scatter').locator('canvas');
  await expect.poll(() => canvas.evaluate((c) => (c as unknown as { sockscopeChart: { data: { datasets: { label: string }[] } } }).sockscopeChart.data.datasets.map((d) => d.label))).toEqual(['slow ↑']);
  const point = await canvas.evaluate((c) => {
    const chart = (c as unknown as { sockscopeChart: { getDatasetMeta(i: number): { data: { x: number; y: number }[] }; data: { datasets: { data: { index: number }[] }[] } } }).sockscopeChart;
    const i = 3;
    return { x: chart.getDatasetMeta(0).data[i].x, y: chart.getDatasetMeta(0).data[i].y, index: chart.data.datasets[0].data[i].index };
  });
  await canvas.click({ position: { x: point.x, y: point.y } });
  await expect.poll(() => panel.locator('.row.selected').getAttribute('data-index')).toBe(String(point.index));
  expect(await panel.locator('.row.selected .c-event').textContent()).toBe('slow');
  await expect.poll(() => panel.getByTestId('latency').textContent()).toMatch(/^\d+\.\d ms$/);
});

it('dragging across a time chart filters the timeline to that range', async () => {
  const canvas = panel.getByTestId('events-chart').locator('canvas');
  const area = await canvas.evaluate((c) => (c as unknown as { sockscopeChart: { chartArea: { left: number; right: number; top: number; bottom: number } } }).sockscopeChart.chartArea);
  const box = (await canvas.boundingBox())!;
  const y = box.y + (area.top + area.bottom) / 2;
  await panel.mouse.move(box.x + area.left + (area.right - area.left) * 0.3, y);
  await panel.mouse.down();
  await panel.mouse.move(box.x + area.left + (area.right - area.left) * 0.5, y, { steps: 5 });
  await panel.mouse.move(box.x + area.left + (area.right - area.left) * 0.7, y, { steps: 5 });
  await panel.mouse.up();
  await expect.poll(() => panel.getByLabel('Filter').inputValue()).toMatch(/^time:\d+-\d+$/);
  const [from, to] = (await panel.getByLabel('Filter').inputValue()).slice(5).split('-').map(Number);
  const entries = await panelEntries(panel);
  const expected = entries.filter((e) => e.layer !== 'eio' && e.t >= from && e.t <= to).length;
  expect(expected).toBeGreaterThan(0);
  expect(expected).toBeLessThan(entries.filter((e) => e.layer !== 'eio').length);
  await expect.poll(() => panel.getByTestId('shown-count').textContent()).toBe(`${expected.toLocaleString('en')} shown`);
});

it('the heartbeat as seen, and a screenshot for the README', async () => {
  await expect.poll(() => panel.getByTestId('heartbeat-summary').textContent()).toMatch(/pingInterval 300 ms, pingTimeout 2 s · seen: \d+ pings/);
  // A fresh panel (no row selected, so no inspector) on a taller window for the picture.
  await panel.goto(panel.url());
  await panel.setViewportSize({ width: 1280, height: 1000 });
  await panel.getByRole('button', { name: 'Charts' }).click();
  await expect.poll(() => cell('out slow', 'answered'), { timeout: 10_000 }).toBe('10 / 10');
  await panel.screenshot({ path: resolve(DOCS, 'charts.png') });
});

it('follows the dark theme: axes and legends in its colours', async () => {
  const url = new URL(panel.url());
  url.searchParams.set('theme', 'dark');
  await panel.goto(url.toString());
  await panel.getByRole('button', { name: 'Charts' }).click();
  await expect.poll(() => cell('out slow', 'answered'), { timeout: 10_000 }).toBe('10 / 10');
  const canvas = panel.getByTestId('events-chart').locator('canvas');
  const colours = () =>
    canvas.evaluate((c) => {
      const chart = (c as unknown as { sockscopeChart: { options: { scales: { x: { ticks: { color: string } } }; plugins: { legend: { labels: { color: string } } } } } }).sockscopeChart;
      return [chart.options.scales.x.ticks.color, chart.options.plugins.legend.labels.color];
    });
  await expect.poll(colours).toEqual(['#9aa0a6', '#e3e3e3']);
  await panel.screenshot({ path: resolve(import.meta.dirname, '..', 'test-results', 'charts-dark.png') });
});

it('paused, the charts hold still like the timeline; resumed, they catch up', async () => {
  await expect.poll(() => cell('out fast', 'answered'), { timeout: 10_000 }).toBe('10 / 10');
  await panel.getByRole('button', { name: 'Pause' }).click();
  await page.evaluate("Promise.all([ask('fast', 100), ask('fast', 101)])");
  // The panel has the two new acks (it keeps decoding while paused) ...
  const fastAcks = () =>
    panel.evaluate(() => (globalThis as unknown as { sockscopePanel: { decoded(): { layer: string; type: string; dir: string }[] } }).sockscopePanel.decoded().filter((e) => e.layer === 'sio' && e.type === 'ack' && e.dir === 'in').length);
  await expect.poll(fastAcks, { timeout: 10_000 }).toBe(22);
  // ... but the charts, like the timeline, show the log as it stood at the pause (they redraw every 250 ms: a
  // chart that followed the log would have moved by now).
  await new Promise((done) => setTimeout(done, 750));
  expect(await cell('out fast', 'answered')).toBe('10 / 10');
  await panel.getByRole('button', { name: 'Resume' }).click();
  await expect.poll(() => cell('out fast', 'answered'), { timeout: 10_000 }).toBe('12 / 12');
});
