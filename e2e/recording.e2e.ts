// Recording in the panel with the browser's real IndexedDB: a real session is recorded, survives a panel reload,
// is found in the library, replayed, exported as HAR and JSON, and imported into a clean profile with the same
// events; a HAR in Chrome's DevTools format imports too, and hostile files are refused with a message.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DecodedEntry } from '../protocol/types.ts';
import { CHROMIUM_FLAGS, findChromium } from './support/chromium.ts';
import { launchWithExtension, type ExtensionBrowser } from './support/extension.ts';
import { startFixtureServer, type FixtureServer } from './support/fixture-server.ts';

let server: FixtureServer;
let browser: ExtensionBrowser;
let clean: ExtensionBrowser | undefined;
let page: Page;
let panel: Page;
let liveEvents: EventView[];
const files: Record<string, string> = {};
const dir = mkdtempSync(join(tmpdir(), 'sockscope-recording-'));
const SHOTS = resolve(import.meta.dirname, '..', 'test-results');

type EventView = { dir: string; ns: string; type: string; event?: string | number; args?: unknown };

beforeAll(async () => {
  server = await startFixtureServer({ generation: 4 });
  browser = await launchWithExtension();
  page = await browser.context.newPage();
  await page.goto(server.page('chat.html?v=4&transports=polling,websocket'));
  await page.evaluate(() => (window as unknown as { scenario: Promise<void> }).scenario);
  panel = await browser.openPanel(page);
});
afterAll(async () => {
  await clean?.close();
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The Socket.IO packets of the live log (no store argument) or of the session open in the player. */
function events(p: Page, of: 'live' | 'opened'): Promise<EventView[]> {
  return p.evaluate((of) => {
    const g = globalThis as unknown as { sockscopePanel: { decoded(store?: unknown): DecodedEntry[]; opened(): { store: unknown } | undefined } };
    const { sockscopePanel: sp } = g;
    const store = of === 'live' ? undefined : sp.opened()?.store;
    if (of === 'opened' && !store) return [];
    const entries = sp.decoded(store);
    return JSON.parse(
      JSON.stringify(
        entries.filter((e) => e.layer === 'sio').map((e) => ({ dir: e.dir, ns: e.ns, type: e.type, event: e.event, args: e.args })),
        (_k, v) => (v instanceof Uint8Array ? { $binary: Array.from(v) } : v),
      ),
    );
  }, of);
}

const storedSessions = (p: Page) =>
  p.evaluate(async () => {
    const { db } = (globalThis as unknown as { sockscopePanel: { db: { sessions: { toArray(): Promise<{ id: number; name: string; frameCount: number; origin: string }[]> } } } }).sockscopePanel;
    return (await db.sessions.toArray()).map(({ id, name, frameCount, origin }) => ({ id, name, frameCount, origin }));
  });
const liveFrameCount = (p: Page) => p.evaluate(() => (globalThis as unknown as { sockscopePanel: { store: { frameCount: number } } }).sockscopePanel.store.frameCount);
const sessionRows = (p: Page) => p.getByRole('grid', { name: 'Stored sessions' }).locator('.session');

it('records the page load while the panel is open, in batches, and the session survives a panel reload', async () => {
  await expect.poll(() => events(panel, 'live').then((e) => e.map((x) => x.event)), { timeout: 10_000 }).toContain('kick me');
  liveEvents = await events(panel, 'live');
  const frames = await liveFrameCount(panel);
  await expect.poll(() => storedSessions(panel), { timeout: 10_000 }).toEqual([expect.objectContaining({ frameCount: frames, origin: 'recorded' })]);
  await expect(panel.getByRole('button', { name: '● Recording' }).getAttribute('aria-pressed')).resolves.toBe('true');

  // A reload of the panel: the page's ring buffer replays, and the same session continues without doubles.
  await panel.reload();
  await expect.poll(() => liveFrameCount(panel), { timeout: 10_000 }).toBe(frames);
  await panel.evaluate(() => (globalThis as unknown as { sockscopePanel: { recorder: { flush(): Promise<void> } } }).sockscopePanel.recorder.flush());
  expect(await storedSessions(panel)).toEqual([expect.objectContaining({ frameCount: frames })]);
});

it('finds the session in the library and opens it in the same views', async () => {
  await panel.getByLabel('Filter').fill('event:welcome');
  await panel.getByRole('button', { name: 'Sessions', exact: true }).click();
  await expect.poll(() => sessionRows(panel).count()).toBe(1);
  const row = sessionRows(panel).first();
  expect(await row.textContent()).toContain('/chat.html');
  await panel.getByLabel('Search sessions').fill('no such session');
  await expect.poll(() => sessionRows(panel).count()).toBe(0);
  await panel.getByLabel('Search sessions').fill('chat.html');
  await expect.poll(() => sessionRows(panel).count()).toBe(1);
  await row.getByRole('button', { name: 'Open' }).click();
  await expect.poll(() => panel.locator('.row .c-event').allTextContents(), { timeout: 10_000 }).toContain('welcome');
  expect(await events(panel, 'opened')).toEqual(liveEvents);
  await panel.setViewportSize({ width: 1280, height: 640 });
  await panel.screenshot({ path: resolve(SHOTS, 'replay.png') });
});

it('the player rewinds, steps to the next event and plays to the end', async () => {
  const total = liveEvents.length;
  const scrub = panel.getByLabel('Position');
  await scrub.evaluate((el: HTMLInputElement) => {
    el.value = '0';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await expect.poll(() => events(panel, 'opened').then((e) => e.length)).toBeLessThan(3);
  const before = (await events(panel, 'opened')).length;
  await panel.getByRole('button', { name: 'Next event' }).click();
  await expect.poll(() => events(panel, 'opened').then((e) => e.length)).toBe(before + 1);
  await panel.getByLabel('Speed').selectOption({ label: 'As fast as possible' });
  await panel.getByRole('button', { name: 'Play', exact: true }).click();
  await expect.poll(() => events(panel, 'opened').then((e) => e.length), { timeout: 10_000 }).toBe(total);
  expect(await events(panel, 'opened')).toEqual(liveEvents);
});

it("the replay's charts show the session as it stood at the player's position", async () => {
  await panel.getByRole('button', { name: 'Charts' }).click();
  const acks = panel.getByRole('grid', { name: 'Acknowledgements' });
  await expect.poll(() => acks.textContent(), { timeout: 10_000 }).toContain('chat message');
  const scrub = panel.getByLabel('Position');
  await scrub.evaluate((el: HTMLInputElement) => {
    el.value = '0';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await expect.poll(async () => (await acks.count()) === 0 || !(await acks.textContent())?.includes('chat message')).toBe(true);
  await panel.getByLabel('Speed').selectOption({ label: 'As fast as possible' });
  await panel.getByRole('button', { name: 'Play', exact: true }).click();
  await expect.poll(() => acks.textContent(), { timeout: 10_000 }).toContain('chat message');
  await panel.getByRole('button', { name: 'Charts' }).click();
});

it('exports the session as HAR and as Sockscope JSON (renamed first)', async () => {
  await panel.getByRole('button', { name: 'Sessions', exact: true }).click();
  const row = sessionRows(panel).first();
  await row.getByRole('button', { name: 'Rename' }).click();
  await panel.getByLabel('New name').fill('recorded chat');
  await panel.getByLabel('New name').press('Enter');
  await expect.poll(() => storedSessions(panel).then((s) => s[0].name)).toBe('recorded chat');
  await panel.screenshot({ path: resolve(SHOTS, 'sessions.png') });
  for (const format of ['HAR', 'JSON'] as const) {
    const download = panel.waitForEvent('download');
    await sessionRows(panel).first().getByRole('button', { name: format }).click();
    const file = await download;
    const path = join(dir, file.suggestedFilename());
    await file.saveAs(path);
    files[format] = path;
  }
  expect(files.HAR).toMatch(/recorded-chat\.har$/);
  const har = JSON.parse(readFileSync(files.HAR, 'utf8'));
  expect(har.log.version).toBe('1.2');
  expect(har.log.entries.some((e: { _resourceType?: string; _webSocketMessages?: unknown[] }) => e._resourceType === 'websocket' && e._webSocketMessages!.length > 0)).toBe(true);
  const json = JSON.parse(readFileSync(files.JSON, 'utf8'));
  expect(json).toMatchObject({ format: 'sockscope-session', version: 1, session: { name: 'recorded chat' } });
});

it('the live view is as it was left: its filter kept while the library and the replay showed', async () => {
  await panel.getByRole('button', { name: 'Live' }).click();
  await expect.poll(() => panel.getByLabel('Filter').inputValue()).toBe('event:welcome');
  await expect.poll(() => panel.locator('.row .c-event').allTextContents()).toEqual(['welcome']);
});

it('imports both files into a clean profile and shows the same events', async () => {
  clean = await launchWithExtension();
  // No page to watch: the panel opened on its own, for the library.
  const p = await clean.context.newPage();
  await p.goto(`chrome-extension://${clean.extensionId}/extension/panel/panel.html?tabId=-1`);
  await p.getByRole('button', { name: 'Sessions', exact: true }).click();
  expect(await storedSessions(p)).toEqual([]);
  for (const format of ['JSON', 'HAR'] as const) {
    await p.getByLabel('Import file').setInputFiles(files[format]);
    await expect.poll(() => p.getByRole('status').allTextContents(), { timeout: 15_000 }).toContainEqual(expect.stringMatching(/^Imported /));
    await expect.poll(() => storedSessions(p).then((s) => s.length)).toBe(format === 'JSON' ? 1 : 2);
    const name = format === 'JSON' ? 'recorded chat' : 'recorded-chat.har';
    await p.locator('.session', { hasText: name }).getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => events(p, 'opened'), { timeout: 10_000 }).toEqual(liveEvents);
    await p.getByRole('button', { name: 'Sessions', exact: true }).click();
  }
});

it("imports a HAR in Chrome DevTools' format, dropped on the library, and shows its decoded events", async () => {
  const p = clean!.context.pages().find((x) => x.url().includes('panel.html'))!;
  const text = readFileSync(resolve(import.meta.dirname, 'fixtures', 'devtools-chat.har'), 'utf8');
  const dataTransfer = await p.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'devtools-chat.har', { type: 'application/json' }));
    return dt;
  }, text);
  await p.dispatchEvent('section.sessions', 'drop', { dataTransfer });
  await expect.poll(() => storedSessions(p).then((s) => s.length), { timeout: 15_000 }).toBe(3);
  await p.locator('.session', { hasText: 'devtools-chat.har' }).getByRole('button', { name: 'Open' }).click();
  await expect.poll(() => events(p, 'opened').then((e) => e.map((x) => [x.dir, x.type, x.event ?? null])), { timeout: 10_000 }).toEqual([
    ['out', 'connect', null],
    ['in', 'connect', null],
    ['in', 'event', 'welcome'],
    ['out', 'event', 'chat message'],
    ['in', 'ack', null],
    ['out', 'event', 'binary'],
  ]);
  await expect.poll(() => p.locator('.row .c-event').allTextContents()).toContain('chat message');
  await p.getByRole('button', { name: 'Sessions', exact: true }).click();
});

it("imports a HAR written by Playwright's recordHar from a real session", async () => {
  // A plain browser (no extension) records the chat scenario over polling into a HAR, as Playwright users do.
  const harPath = join(dir, 'playwright.har');
  const profile = mkdtempSync(join(tmpdir(), 'sockscope-har-'));
  const recording = await chromium.launchPersistentContext(profile, { executablePath: findChromium(), headless: true, args: CHROMIUM_FLAGS, recordHar: { path: harPath, content: 'embed' } });
  let observed: { sent: { event: string }[]; received: { event: string }[] };
  try {
    const chat = await recording.newPage();
    await chat.goto(server.page('chat.html?v=4&transports=polling'));
    await chat.evaluate(() => (window as unknown as { scenario: Promise<void> }).scenario);
    observed = await chat.evaluate(() => (window as unknown as { observed: typeof observed }).observed);
  } finally {
    await recording.close();
    rmSync(profile, { recursive: true, force: true });
  }
  const p = clean!.context.pages().find((x) => x.url().includes('panel.html'))!;
  const count = (await storedSessions(p)).length;
  await p.getByLabel('Import file').setInputFiles(harPath);
  await expect.poll(() => storedSessions(p).then((s) => s.length), { timeout: 15_000 }).toBe(count + 1);
  await p.locator('.session', { hasText: 'playwright.har' }).getByRole('button', { name: 'Open' }).click();
  const main = (e: EventView) => e.type === 'event';
  await expect
    .poll(async () => (await events(p, 'opened')).filter((e) => main(e) && e.dir === 'out').map((e) => e.event), { timeout: 10_000 })
    .toEqual(observed!.sent.map((e) => e.event));
  const received = (await events(p, 'opened')).filter((e) => main(e) && e.dir === 'in').map((e) => e.event);
  for (const e of observed!.received) expect(received).toContain(e.event);
  await p.getByRole('button', { name: 'Sessions', exact: true }).click();
});

it('a hostile or wrong file gets a clear message, and the stored sessions stay', async () => {
  const p = clean!.context.pages().find((x) => x.url().includes('panel.html'))!;
  const before = await storedSessions(p);
  const cases: [string, string, RegExp][] = [
    ['page.har', '<!doctype html><html><body><script>alert(1)</script></body></html>', /HTML or XML, not a HAR/],
    ['evil.har', '{"__proto__":{"polluted":true},"log":{"__proto__":{"x":1},"entries":[{"__proto__":{"request":{"url":"ws://h/socket.io/?EIO=4"}}}]}}', /no Socket\.IO traffic/],
    ['broken.json', '{"format":"sockscope-session","version":1,"session":{},"frames":[{"seq":1}', /invalid JSON/],
    ['future.json', '{"format":"sockscope-session","version":7,"session":{},"frames":[]}', /version 7 is not supported/],
  ];
  for (const [name, text, message] of cases) {
    const path = join(dir, name);
    writeFileSync(path, text);
    await p.getByLabel('Import file').setInputFiles(path);
    await expect.poll(() => p.getByRole('alert').textContent(), { timeout: 15_000 }).toMatch(message);
    expect(await p.getByRole('alert').textContent()).toMatch(/Existing sessions are unchanged/);
    await p.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();
  }
  expect(await storedSessions(p)).toEqual(before);
  expect(await p.evaluate(() => ({} as Record<string, unknown>).polluted)).toBeUndefined();
});

it('deletes with undo', async () => {
  const p = clean!.context.pages().find((x) => x.url().includes('panel.html'))!;
  const before = await storedSessions(p);
  await p.locator('.session', { hasText: 'devtools-chat.har' }).getByRole('button', { name: 'Delete' }).click();
  await expect.poll(() => sessionRows(p).count()).toBe(before.length - 1);
  await p.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => sessionRows(p).count()).toBe(before.length);
  expect(await storedSessions(p)).toEqual(before);
  await p.locator('.session', { hasText: 'devtools-chat.har' }).getByRole('button', { name: 'Delete' }).click();
  // Leaving the library commits the delete at once.
  await p.getByRole('button', { name: 'Live' }).click();
  await expect.poll(() => storedSessions(p).then((s) => s.length)).toBe(before.length - 1);
});
