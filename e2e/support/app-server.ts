import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startChatServer, type ChatServer } from '../../app/demo/chat-server.ts';
import { CHROMIUM_FLAGS, findChromium } from './chromium.ts';
import { freePort } from './free-port.ts';

const APP_DIR = resolve(import.meta.dirname, '..', '..', 'dist', 'app');

/** The built standalone app (dist/app) on an origin of its own, served by a socket.io 4 demo server. */
export async function startAppServer(): Promise<ChatServer> {
  if (!existsSync(resolve(APP_DIR, 'index.html'))) throw new Error('dist/app is missing: run `npm run build` first.');
  return startChatServer({ generation: 4, staticDir: APP_DIR });
}

/** Chromium without the extension: the app taps its own connections. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_FLAGS });
}

/** A port nothing listens on (bound, then released). */
export const closedPort = freePort;
