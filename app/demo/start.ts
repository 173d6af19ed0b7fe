// `npm start` (after `npm run build`): the demo chat server (socket.io 4, admin-ui instrumented), the demo page at /
// and the standalone app at /app/ already pointed at the server, plus a bot that chats every second so there is
// live traffic from the first moment. Runs until Ctrl+C.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { io as connectBot } from 'socket.io-client';
import { clientOptionsToParams, DEFAULT_CLIENT_OPTIONS, readableQuery } from '../standalone/connect-options.ts';
import { adminOptionsToParams } from '../standalone/admin-params.ts';
import { startChatServer } from './chat-server.ts';

const dist = resolve(import.meta.dirname, '..', '..', 'dist');
for (const built of ['demo', 'app', 'extension']) {
  if (!existsSync(join(dist, built, built === 'extension' ? 'manifest.json' : 'index.html'))) {
    console.error(`dist/${built} is missing: run \`npm run build\` first (npm start does).`);
    process.exit(1);
  }
}

const port = Number(process.env.PORT ?? 3000);
const server = await startChatServer({
  generation: 4,
  host: '127.0.0.1',
  port,
  staticDir: join(dist, 'demo'),
  mounts: { '/app/': join(dist, 'app') },
  allowEIO3: true,
  adminUi: true,
}).catch((e: NodeJS.ErrnoException) => {
  console.error(e.code === 'EADDRINUSE' ? `port ${port} is taken: set PORT to another one` : e.message);
  process.exit(1);
});

// The bot: a real socket.io client on `/` that says something every second (and gets an ack each time).
const bot = connectBot(server.url, { transports: ['websocket'] });
let said = 0;
const chatter = setInterval(() => bot.emit('chat message', { from: 'bot', text: `hello #${++said}` }, () => {}), 1000);

const client = readableQuery(clientOptionsToParams({ ...DEFAULT_CLIENT_OPTIONS, url: server.url, namespaces: ['/', '/chat'], auth: '{"token":"secret"}' }));
const admin = readableQuery(adminOptionsToParams({ url: server.url }));
console.log(`
Sockscope is running (Ctrl+C to stop).

  App, client mode, connected to the demo:  ${server.url}/app/?${client}
  App, admin mode (@socket.io/admin-ui):    ${server.url}/app/?${admin}
  Demo chat page:                           ${server.url}/
  Demo server:                              socket.io ${server.generation} at ${server.url} (namespaces / and /chat, token "secret"; a bot chats every second)

  The DevTools extension, for chrome://extensions > Developer mode > Load unpacked:
    ${join(dist, 'extension')}
`);

const stop = () => {
  clearInterval(chatter);
  bot.disconnect();
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
