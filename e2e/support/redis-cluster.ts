// Redis plus two socket.io nodes sharing it through @socket.io/redis-adapter, each a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { startRedis, stopChild, waitForLine, type RedisServer } from './redis-server.ts';

const NODE_SCRIPT = resolve(import.meta.dirname, 'redis-node.ts');

export interface RedisCluster {
  redis: RedisServer;
  nodes: { serverId: string; url: string }[];
  stop(): Promise<void>;
}

export async function startRedisCluster(serverIds: string[]): Promise<RedisCluster> {
  const redis = await startRedis();
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopChild));
    await redis.stop();
  };
  try {
    const nodes = await Promise.all(
      serverIds.map(async (serverId) => {
        const child = spawn(process.execPath, ['--import', 'tsx', NODE_SCRIPT, serverId, redis.url], { stdio: ['ignore', 'pipe', 'pipe'] });
        children.push(child);
        const [, url] = await waitForLine(child, /listening (\S+)\n/, `node ${serverId}`);
        return { serverId, url };
      }),
    );
    return { redis, nodes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
