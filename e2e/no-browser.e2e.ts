// Without Chromium the e2e run stops once, before any spec, with the how-to (e2e/support/global-setup.ts). Checked
// by running vitest on this config in a child process with no browser to find: CHROME_PATH naming a missing file,
// then no CHROME_PATH and the test-only SOCKSCOPE_CHROMIUM_SEARCH_PATHS emptied.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const VITEST = resolve(ROOT, 'node_modules', 'vitest', 'vitest.mjs');

/** `vitest run` on the e2e config for two spec files that launch a browser; the exit code and everything printed. */
function runWithout(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, CHROME_PATH: undefined, SOCKSCOPE_CHROMIUM_SEARCH_PATHS: undefined, NO_COLOR: '1', ...env };
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  const child = spawn(process.execPath, [VITEST, 'run', '--config', 'vitest.e2e.config.ts', 'e2e/smoke.e2e.ts', 'e2e/hostile.e2e.ts'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((done) => child.once('close', (code) => done({ code, output })));
}

const HOW_TO = 'On Debian or Ubuntu: `sudo apt-get install -y chromium`; elsewhere install Chrome and set CHROME_PATH to its executable.';
const stops = (output: string) => output.split('\n').filter((line) => line.startsWith('End-to-end run stopped before any spec: '));

it('stops once with the how-to when CHROME_PATH names a file that does not exist', async () => {
  const { code, output } = await runWithout({ CHROME_PATH: resolve(ROOT, 'no-such-dir', 'chromium') });
  expect(code).toBe(1);
  expect(stops(output)).toEqual([`End-to-end run stopped before any spec: CHROME_PATH is set to ${resolve(ROOT, 'no-such-dir', 'chromium')}, which does not exist. ${HOW_TO}`]);
  // No spec file ran, so none failed on its own.
  expect(output).not.toMatch(/Test Files|FAIL/);
});

it('stops once with the how-to when no browser is at any install path', async () => {
  const { code, output } = await runWithout({ SOCKSCOPE_CHROMIUM_SEARCH_PATHS: '' });
  expect(code).toBe(1);
  expect(stops(output)).toEqual([`End-to-end run stopped before any spec: End-to-end tests need Chromium or Chrome and found neither (SOCKSCOPE_CHROMIUM_SEARCH_PATHS names no path to look in). ${HOW_TO}`]);
  expect(output).not.toMatch(/Test Files|FAIL/);
});
