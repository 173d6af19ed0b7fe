// The emit composer against real servers (socket.io 2 and 4, both parsers, WebSocket and polling): an event composed
// in the panel reaches the server's handler with exactly the arguments given (checked on the server), the ack's
// answer and latency show in the composer and pair in the timeline, the page's own acks keep working, an event
// fired at the page reaches the page's handler, and bad input sends nothing.
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodedEntry, SioEntry } from '../protocol/types.ts';
import { launchWithExtension, panelEntries, type ExtensionBrowser } from './support/extension.ts';
import { startFixtureServer, type FixtureServer } from './support/fixture-server.ts';

let browser: ExtensionBrowser;
/** The README's screenshot of the composer: into test-results/ on every run, into docs/ with SOCKSCOPE_SCREENSHOTS=docs. */
const DOCS = resolve(import.meta.dirname, '..', process.env.SOCKSCOPE_SCREENSHOTS === 'docs' ? 'docs' : 'test-results');
const servers = new Map<string, Promise<FixtureServer>>();

function serverFor(generation: 2 | 4, parser: 'default' | 'msgpack'): Promise<FixtureServer> {
  const key = `${generation}/${parser}`;
  if (!servers.has(key)) servers.set(key, startFixtureServer({ generation, parser }));
  return servers.get(key)!;
}

beforeAll(async () => {
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([...servers.values()].map(async (s) => (await s).close()));
});

/** Buffers (server side) and byte arrays alike as { $binary: [bytes] }, to compare with what was typed. */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $binary: Array.from(value) };
  if (value instanceof ArrayBuffer) return { $binary: Array.from(new Uint8Array(value)) };
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

async function openTarget(server: FixtureServer, generation: 2 | 4, parser: string, transports: string): Promise<{ page: Page; panel: Page }> {
  const page = await browser.context.newPage();
  await page.goto(server.page(`composer.html?v=${generation}&parser=${parser}&transports=${transports}`));
  await page.evaluate(() => (window as unknown as { ready: Promise<void> }).ready);
  const panel = await browser.openPanel(page);
  return { page, panel };
}

const pageAck = (page: Page, ns: string, value: string) =>
  page.evaluate(([ns, value]) => (window as unknown as { emitWithAck(ns: string, e: string, ...a: unknown[]): Promise<unknown[]> }).emitWithAck(ns, 'echo', value), [ns, value]);

async function openComposer(panel: Page, transport: string): Promise<void> {
  await panel.getByRole('button', { name: 'Compose' }).click();
  // The composer picks the page's open connection; wait until the panel has seen it on its final transport.
  await expect.poll(() => panel.locator('#composer-conn option:checked').textContent(), { timeout: 10_000 }).toContain(transport);
}

async function fill(panel: Page, ns: string, event: string, args: [kind: string, text: string][]): Promise<void> {
  await expect.poll(() => panel.locator('#composer-ns option').allTextContents()).toContain(ns);
  await panel.locator('#composer-ns').selectOption(ns);
  await panel.locator('#composer-event').fill(event);
  while ((await panel.getByRole('button', { name: /^Remove argument/ }).count()) > 0) await panel.getByRole('button', { name: /^Remove argument/ }).first().click();
  for (const [i, [kind, text]] of args.entries()) {
    await panel.getByRole('button', { name: 'Add argument' }).click();
    await panel.getByLabel(`Argument ${i + 1} kind`).selectOption(kind);
    await panel.getByLabel(`Argument ${i + 1}`, { exact: true }).fill(text);
  }
}

const status = (panel: Page) => panel.getByTestId('composer-status').textContent();

const cases: { generation: 2 | 4; parser: 'default' | 'msgpack'; transports: string }[] = [
  { generation: 4, parser: 'default', transports: 'polling,websocket' },
  { generation: 4, parser: 'default', transports: 'polling' },
  { generation: 4, parser: 'msgpack', transports: 'websocket' },
  { generation: 4, parser: 'msgpack', transports: 'polling' },
  { generation: 2, parser: 'default', transports: 'polling,websocket' },
  { generation: 2, parser: 'default', transports: 'polling' },
];

describe.each(cases)('socket.io $generation ($parser parser) over $transports', ({ generation, parser, transports }) => {
  const transport = transports.endsWith('websocket') ? 'websocket' : 'polling';
  const ns = generation === 2 ? '/' : '/chat';

  it('sends to the server through the page, with an ack paired in the timeline; fires at the page', async () => {
    const server = await serverFor(generation, parser);
    const { page, panel } = await openTarget(server, generation, parser, transports);
    expect(await pageAck(page, '/', 'before')).toEqual(['before']);
    await openComposer(panel, transport);

    const recordsBefore = server.records.length;
    // Bad input: a message at the argument, nothing on the wire.
    await fill(panel, ns, 'record', [['json', '{"unclosed": 1'], ['hex', 'abc']]);
    await expect.poll(() => panel.getByTestId('arg-error').allTextContents()).toEqual([expect.stringMatching(/^JSON: .*line 1, column \d+/), 'hex: odd number of digits (3); each byte is two']);
    await panel.getByRole('button', { name: 'Send to server' }).click();
    await expect.poll(() => status(panel)).toBe('Nothing was sent: fix the arguments marked in red.');

    await fill(panel, ns, 'record', [
      ['json', '"text é😀"'],
      ['json', '{"n": [1, 2.5, null, true], "nested": {"$binary": "AQID"}}'],
      ['hex', 'de ad be ef'],
    ]);
    await panel.getByLabel('Ask for an ack').check();
    await panel.getByRole('button', { name: 'Send to server' }).click();
    await expect.poll(() => server.records.length, { timeout: 10_000 }).toBe(recordsBefore + 1);
    const record = server.records[recordsBefore];
    expect(record.ns).toBe(ns);
    expect(record.acked).toBe(true);
    expect(plain(record.args)).toEqual(['text é😀', { n: [1, 2.5, null, true], nested: { $binary: [1, 2, 3] } }, { $binary: [0xde, 0xad, 0xbe, 0xef] }]);

    await expect.poll(() => status(panel), { timeout: 10_000 }).toMatch(/^Sent to the server; ack in \d+\.\d ms\.$/);
    expect(await panel.getByTestId('composer-answer').locator('pre').textContent()).toBe(`[{"received":3,"ns":"${ns}"}]`);
    expect(await panel.getByTestId('composer-latency').textContent()).toMatch(/^\d+\.\d ms$/);

    // The timeline holds the emit and its ack as one pair, the emit marked as the composer's.
    const entries = await panelEntries(panel);
    const emit = entries.find((e): e is SioEntry => e.layer === 'sio' && e.type === 'event' && e.event === 'record' && e.dir === 'out');
    expect(emit?.id).toBeGreaterThanOrEqual(2 ** 30);
    expect(emit?.ackedBy).toBeDefined();
    const answer = entries[emit!.ackedBy!] as SioEntry;
    expect(answer).toMatchObject({ type: 'ack', dir: 'in', ns, id: emit!.id, ackOf: emit!.index, args: [{ received: 3, ns }] });
    expect(answer.latency).toBeGreaterThanOrEqual(0);
    expect(await panel.evaluate((i) => {
      const { store } = (globalThis as unknown as { sockscopePanel: { store: { entries: DecodedEntry[]; isComposed(e: DecodedEntry): boolean } } }).sockscopePanel;
      return store.isComposed(store.entries[i]);
    }, emit!.index)).toBe(true);

    // The page's own acks still work, before and after, on both namespaces.
    expect(await pageAck(page, '/', 'after')).toEqual(['after']);
    expect(await pageAck(page, '/chat', 'after chat')).toEqual(['after chat']);

    // An event fired at the page, as if the server had sent it.
    await fill(panel, ns, 'poke', [['json', '{"hello": "page"}'], ['base64', 'AQID']]);
    await panel.getByLabel('Ask for an ack').uncheck();
    await panel.getByRole('button', { name: 'Fire at page' }).click();
    const got = () => page.evaluate(() => (window as unknown as { got: unknown[] }).got);
    if (transport === 'websocket') {
      await expect.poll(() => status(panel)).toBe('Fired at the page.');
      await expect.poll(got).toEqual([{ ns, event: 'poke', args: [{ hello: 'page' }, { $binary: [1, 2, 3] }], withAck: false }]);
      // Marked in the capture as Sockscope's, received.
      await expect.poll(async () => (await panelEntries(panel)).filter((e) => e.layer === 'sio' && e.event === 'poke' && e.dir === 'in').length).toBe(1);
    } else {
      await expect.poll(() => status(panel)).toBe('Nothing was sent: this connection is on polling and cannot take an event to the page: only a WebSocket can deliver one.');
      expect(await got()).toEqual([]);
    }
    expect(server.records.length).toBe(recordsBefore + 1);
    expect(await pageAck(page, '/', 'last')).toEqual(['last']);
    // The page's own wrappers of send and fetch never saw the composer's traffic.
    const seen = await page.evaluate(() => (window as unknown as { seen: { sends: string[]; fetches: number } }).seen);
    expect(seen.fetches).toBe(0);
    expect(seen.sends.filter((s) => s.includes('record') || s.includes('poke'))).toEqual([]);
    if (transport === 'websocket' && parser === 'default') expect(seen.sends.some((s) => s.includes('"echo","last"'))).toBe(true);
    await panel.close();
    await page.close();
  });
});

describe('firing at a page whose client takes binary messages as Blobs', () => {
  it('delivers the attachment as a Blob, as the browser would', async () => {
    const server = await serverFor(4, 'default');
    const page = await browser.context.newPage();
    await page.goto(server.page('composer.html?v=4&transports=websocket&blob=1'));
    await page.evaluate(() => (window as unknown as { ready: Promise<void> }).ready);
    const panel = await browser.openPanel(page);
    await openComposer(panel, 'websocket');
    await fill(panel, '/', 'poke', [['hex', '0a 0b 0c']]);
    await panel.getByLabel('Ask for an ack').uncheck();
    await panel.getByRole('button', { name: 'Fire at page' }).click();
    await expect.poll(() => status(panel)).toBe('Fired at the page.');
    await expect.poll(() => page.evaluate(() => (window as unknown as { got: unknown[] }).got)).toEqual([{ ns: '/', event: 'poke', args: [{ $blob: 3 }], withAck: false }]);
    expect(await page.evaluate(() => (window as unknown as { blobBytes(): Promise<number[][]> }).blobBytes())).toEqual([[10, 11, 12]]);
    expect(await page.evaluate(() => (window as unknown as { binaryKinds: string[] }).binaryKinds)).toEqual(['[object Blob]']);
    await panel.close();
    await page.close();
  });
});

describe('polling: the page keeps its session while it posts and the composer posts too', () => {
  it("waits for the page's own POST instead of overlapping it (the server would close the session)", async () => {
    const server = await serverFor(4, 'default');
    const { page, panel } = await openTarget(server, 4, 'default', 'polling');
    await openComposer(panel, 'polling');
    const recordsBefore = server.records.length;
    await fill(panel, '/', 'record', [['json', '"during the stream"']]);
    await panel.getByLabel('Ask for an ack').uncheck();
    // A slow uplink, as on a real network: the page's POSTs follow each other and each stays open at the server.
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 50_000 });
    const streaming = page.evaluate(() => (window as unknown as { stream(ms: number, size: number): Promise<number> }).stream(300, 500));
    await panel.getByRole('button', { name: 'Send to server' }).click();
    await expect.poll(() => status(panel), { timeout: 15_000 }).toBe('Sent to the server.');
    expect(await streaming).toBeGreaterThan(20);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await expect.poll(() => server.records.length, { timeout: 10_000 }).toBe(recordsBefore + 1);
    expect(await pageAck(page, '/', 'still here')).toEqual(['still here']);
    expect(await page.evaluate(() => (window as unknown as { disconnects: unknown[] }).disconnects)).toEqual([]);
    await panel.close();
    await page.close();
  });
});

describe('editing and resending from the timeline, templates and history', () => {
  it('resends a logged emit with changed arguments, keeps a template and the history', async () => {
    const server = await serverFor(4, 'default');
    const { page, panel } = await openTarget(server, 4, 'default', 'websocket');
    expect(await pageAck(page, '/chat', 'from the page')).toEqual(['from the page']);
    await panel.getByLabel('Filter').fill('event:echo dir:out ns:/chat');
    await expect.poll(() => panel.locator('.row .c-event').allTextContents()).toEqual(['echo']);
    await panel.locator('.row').first().click();
    await panel.getByRole('button', { name: 'Edit and resend' }).click();
    await expect.poll(() => panel.getByLabel('Argument 1', { exact: true }).inputValue()).toBe('"from the page"');
    expect(await panel.locator('#composer-ns').inputValue()).toBe('/chat');
    expect(await panel.locator('#composer-event').inputValue()).toBe('echo');
    expect(await panel.getByLabel('Ask for an ack').isChecked()).toBe(true);

    // Typing in the composer is text: `a` does not jump the timeline to the ack.
    await panel.locator('#composer-event').press('End');
    await panel.keyboard.type('a');
    expect(await panel.locator('#composer-event').inputValue()).toBe('echoa');
    expect(await panel.locator('.row.selected .c-type').textContent()).toBe('event');
    await panel.locator('#composer-event').fill('echo');
    await panel.getByLabel('Argument 1', { exact: true }).fill('"edited"');
    await panel.getByRole('button', { name: 'Send to server' }).click();
    await expect.poll(() => status(panel), { timeout: 10_000 }).toMatch(/ack in \d+\.\d ms/);
    expect(await panel.getByTestId('composer-answer').locator('pre').textContent()).toBe('["edited"]');
    await panel.setViewportSize({ width: 1280, height: 800 });
    await panel.screenshot({ path: resolve(DOCS, 'panel-composer.png') });

    await panel.getByText(/^Templates/).click();
    await panel.getByLabel('Template name').fill('echo edited');
    await panel.getByRole('button', { name: 'Save as template' }).click();
    await expect.poll(() => panel.getByRole('list', { name: 'Templates' }).textContent()).toContain('echo edited');
    await panel.getByText(/^History/).click();
    await expect.poll(() => panel.getByRole('list', { name: 'History' }).textContent()).toMatch(/\/chat echo.*ack in/);

    // Both survive a reload of the panel; a template loads back into the composer.
    await panel.reload();
    await panel.getByRole('button', { name: 'Compose' }).click();
    await panel.getByText(/^Templates/).click();
    await panel.getByRole('list', { name: 'Templates' }).getByRole('button', { name: 'echo edited', exact: true }).click();
    await expect.poll(() => panel.getByLabel('Argument 1', { exact: true }).inputValue()).toBe('"edited"');
    await panel.close();
    await page.close();
  });
});
