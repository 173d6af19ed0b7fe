import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startChatServer, type ChatServer, type ServerGeneration } from '../../app/demo/chat-server.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Browser builds of each client generation, served at /clients/v<N>/. */
const CLIENT_BUNDLES: [string, string][] = [
  ['node_modules/socket.io-client/dist/socket.io.min.js', 'clients/v4/socket.io.min.js'],
  ['node_modules/socket.io-client/dist/socket.io.msgpack.min.js', 'clients/v4/socket.io.msgpack.min.js'],
  ['node_modules/socket.io-client-v3/dist/socket.io.min.js', 'clients/v3/socket.io.min.js'],
  ['node_modules/socket.io-client-v3/dist/socket.io.msgpack.min.js', 'clients/v3/socket.io.msgpack.min.js'],
  ['node_modules/socket.io-client-v2/dist/socket.io.js', 'clients/v2/socket.io.js'],
];

export interface FixtureServer extends ChatServer {
  /** URL of a page under e2e/fixtures, e.g. `page('chat.html?v=4')`. */
  page(path: string): string;
}

/**
 * The demo chat server of one socket.io generation, also serving e2e/fixtures and the matching browser clients,
 * all from one origin on 127.0.0.1.
 */
export async function startFixtureServer(options: { generation?: ServerGeneration; parser?: 'default' | 'msgpack' } = {}): Promise<FixtureServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sockscope-fixtures-'));
  cpSync(join(ROOT, 'e2e', 'fixtures'), dir, { recursive: true });
  for (const [from, to] of CLIENT_BUNDLES) {
    mkdirSync(join(dir, to, '..'), { recursive: true });
    copyFileSync(join(ROOT, from), join(dir, to));
  }
  const server = await startChatServer({ generation: options.generation ?? 4, parser: options.parser ?? 'default', staticDir: dir });
  return {
    ...server,
    page: (path: string) => `${server.url}/${path}`,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
