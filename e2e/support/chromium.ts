import { existsSync } from 'node:fs';
import { delimiter } from 'node:path';

const INSTALL_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

const HOW_TO = 'On Debian or Ubuntu: `sudo apt-get install -y chromium`; elsewhere install Chrome and set CHROME_PATH to its executable.';

/**
 * The paths searched when CHROME_PATH is unset. Test-only override: SOCKSCOPE_CHROMIUM_SEARCH_PATHS, a list of paths
 * separated like PATH, replaces the usual install paths (set it empty to search none, as on a machine without a
 * browser); it exists to check the e2e run's "no browser" stop on a machine that has one.
 */
function searchPaths(): string[] {
  const override = process.env.SOCKSCOPE_CHROMIUM_SEARCH_PATHS;
  if (override === undefined) return INSTALL_PATHS;
  return override.split(delimiter).filter((path) => path !== '');
}

/** Chromium or Chrome: `CHROME_PATH` first, then the usual install paths. */
export function findChromium(): string {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROME_PATH is set to ${fromEnv}, which does not exist. ${HOW_TO}`);
  }
  const paths = searchPaths();
  const found = paths.find((path) => existsSync(path));
  if (found) return found;
  const looked = paths.length ? `looked in ${paths.join(', ')}` : 'SOCKSCOPE_CHROMIUM_SEARCH_PATHS names no path to look in';
  throw new Error(`End-to-end tests need Chromium or Chrome and found neither (${looked}). ${HOW_TO}`);
}

/** Flags for a quiet, reproducible browser on a closed network. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
