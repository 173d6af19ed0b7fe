import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startChatServer, type ChatServer } from '../../app/demo/chat-server.ts';
import { CHROMIUM_FLAGS, findChromium } from './chromium.ts';

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
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}
