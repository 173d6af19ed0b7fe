// `npm start`: the demo chat server (socket.io 4) serving the built demo page, until Ctrl+C.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startChatServer } from './chat-server.ts';

const staticDir = join(import.meta.dirname, '..', '..', 'dist', 'demo');
if (!existsSync(join(staticDir, 'index.html'))) {
  console.error('dist/demo is missing: run `npm run build` first (npm start does).');
  process.exit(1);
}

const port = Number(process.env.PORT ?? 3000);
const server = await startChatServer({ generation: 4, host: '127.0.0.1', port, staticDir, allowEIO3: true }).catch((e: NodeJS.ErrnoException) => {
  console.error(e.code === 'EADDRINUSE' ? `port ${port} is taken: set PORT to another one` : e.message);
  process.exit(1);
});

console.log(`Sockscope demo chat: ${server.url}/  (socket.io ${server.generation}, namespaces / and /chat; token "secret")`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
