// One node of the two-node spec, run as its own process: an instrumented socket.io server (admin-server.ts) with
// the Redis adapter. Arguments: <serverId> <redis url>. Prints `listening <url>` once ready.
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { startInstrumentedServer } from './admin-server.ts';

const [serverId, redisUrl] = process.argv.slice(2);
const pub = createClient({ url: redisUrl });
const sub = pub.duplicate();
await Promise.all([pub.connect(), sub.connect()]);
const server = await startInstrumentedServer({ serverId, adapter: createAdapter(pub, sub) });
process.stdout.write(`listening ${server.url}\n`);

const stop = async () => {
  await server.close();
  await Promise.allSettled([pub.quit(), sub.quit()]);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
