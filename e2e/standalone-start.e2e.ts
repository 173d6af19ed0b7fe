// `npm start`'s server half (app/demo/start.ts, after the build): the app it prints opens already connected to the
// demo server and shows the bot's live traffic; the demo page and the extension path are printed too.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from './support/app-server.ts';

const ROOT = resolve(import.meta.dirname, '..');
let child: ChildProcess;
let output = '';
let startedAt = 0;
let browser: Browser;

beforeAll(async () => {
  startedAt = performance.now();
  child = spawn(process.execPath, ['--import', 'tsx', 'app/demo/start.ts'], { cwd: ROOT, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`start.ts printed no URLs in 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Load unpacked')) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => fail(new Error(`start.ts exited (${code}):\n${output}`)));
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  }
});

const printed = (label: string) => output.match(new RegExp(`${label}\\s+(\\S+)`))?.[1];

it('prints the app, the demo page and where the built extension is', () => {
  expect(printed('App, client mode, connected to the demo:')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/app\/\?mode=client&url=/);
  expect(printed('App, admin mode \\(@socket\\.io/admin-ui\\):')).toMatch(/\/app\/\?mode=admin&url=/);
  expect(printed('Demo chat page:')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  expect(output).toContain(resolve(ROOT, 'dist', 'extension'));
});

it('the printed app link shows live traffic at once: the bot chatting, both namespaces connected', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(printed('App, client mode, connected to the demo:')!);
  await expect.poll(() => page.locator('[data-testid="namespace-state"][data-namespace="/chat"]').textContent(), { timeout: 15_000 }).toMatch(/^\/chat: connected/);
  await expect.poll(() => page.locator('.row', { hasText: '"from":"bot"' }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
  console.log(`npm start (server half): bot traffic on screen ${((performance.now() - startedAt) / 1000).toFixed(1)} s after start.ts was spawned`);

  const demo = await page.request.get(printed('Demo chat page:')!);
  expect(demo.status()).toBe(200);
  expect(await demo.text()).toContain('Sockscope demo chat');
  await page.close();
});
