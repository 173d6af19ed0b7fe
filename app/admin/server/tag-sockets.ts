// Optional, server side: add next to `instrument(io, { serverId })` when several nodes share an adapter (Redis).
// The admin protocol does not say which node a socket lives on; this puts the node's id in `socket.data.serverId`,
// which the instrumentation reports with every socket, so Sockscope's tree can place each socket under its node.
import type { Namespace, Server } from 'socket.io';

export function tagSocketsWithServerId(io: Server, serverId: string): void {
  const tag = (nsp: Namespace) =>
    nsp.use((socket, next) => {
      socket.data = { ...(socket.data ?? {}), serverId };
      next();
    });
  io._nsps.forEach(tag);
  io.on('new_namespace', tag);
}
