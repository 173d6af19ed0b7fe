import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import type { DecodedEntry } from '../../protocol/types.ts';
import { CHROMIUM_FLAGS, findChromium } from './chromium.ts';

/** The built extension: `npm run build` writes it to dist/extension; SOCKSCOPE_EXTENSION_DIR points elsewhere. */
export const EXTENSION_DIR = process.env.SOCKSCOPE_EXTENSION_DIR ?? resolve(import.meta.dirname, '..', '..', 'dist', 'extension');

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  /** The profile directory (Chrome writes DevToolsActivePort here when launched with --remote-debugging-port). */
  userDataDir: string;
  serviceWorker(): Promise<Worker>;
  /** Opens the panel as a tab, attached to the tab that shows `page`. */
  openPanel(page: Page): Promise<Page>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Load the built extension (default true). */
  extension?: boolean;
  /** Extra Chromium flags, after the usual ones. */
  args?: string[];
  /** Another build of the extension than EXTENSION_DIR (a benchmark's baseline). */
  extensionDir?: string;
}

/** A fresh profile with the built extension, in new headless mode (which loads extensions). */
export async function launchWithExtension(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'sockscope-e2e-'));
  const withExtension = options.extension ?? true;
  const dir = options.extensionDir ?? EXTENSION_DIR;
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: findChromium(),
    headless: true,
    args: [...CHROMIUM_FLAGS, ...(withExtension ? [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`] : []), ...(options.args ?? [])],
  });
  const serviceWorker = async (): Promise<Worker> => context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 10_000 }));
  const extensionId = withExtension ? new URL((await serviceWorker()).url()).host : '';
  return {
    context,
    extensionId,
    userDataDir,
    serviceWorker,
    async openPanel(page: Page): Promise<Page> {
      const tabId = await tabIdOf(serviceWorker, page.url());
      const panel = await context.newPage();
      await panel.goto(`chrome-extension://${extensionId}/extension/panel/panel.html?tabId=${tabId}`);
      return panel;
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The tab id of a page, as the background sees its relay (the only place a tab id is known without permissions). */
async function tabIdOf(serviceWorker: () => Promise<Worker>, url: string): Promise<number> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const relays = (await (await serviceWorker()).evaluate(() =>
      (globalThis as unknown as { sockscopeRelays(): { tabId: number; url?: string; top?: boolean }[] }).sockscopeRelays(),
    )) as { tabId: number; url?: string; top?: boolean }[];
    const match = relays.find((r) => r.top && r.url === url);
    if (match) return match.tabId;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no relay reported for ${url}`);
}

/** The decoded log as the panel holds it, every entry's arguments read (the panel reads only the rows on screen). */
export function panelEntries(panel: Page): Promise<DecodedEntry[]> {
  return panel.evaluate(() => {
    const { decoded } = (globalThis as unknown as { sockscopePanel: { decoded(): DecodedEntry[] } }).sockscopePanel;
    return JSON.parse(JSON.stringify(decoded(), (k, v) => (k === 'pending' ? undefined : v instanceof Uint8Array ? { $binary: Array.from(v) } : v)));
  });
}
