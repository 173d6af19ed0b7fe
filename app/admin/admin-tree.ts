// The tree the admin view draws: servers → namespaces → rooms → sockets, built from the model's sockets in one pass.
// A socket's own room (named by its id) is left out, as the official UI does; big trees are cut and say so.
import { type AdminModel, type ServerRecord, type SocketRecord } from './admin-model.ts';

export interface RoomNode {
  name: string;
  count: number;
  /** The first sockets of the room on this server (the table shows them all). */
  sockets: SocketRecord[];
}

export interface NamespaceNode {
  name: string;
  count: number;
  rooms: RoomNode[];
  /** Rooms not listed because of `maxRooms`. */
  roomsHidden: number;
}

export interface ServerNode {
  serverId: string;
  /** Absent for sockets whose node has sent no server_stats. */
  info: ServerRecord | undefined;
  count: number;
  namespaces: NamespaceNode[];
}

export interface TreeLimits {
  maxRooms: number;
  socketsPerRoom: number;
}

export function buildTree(model: AdminModel, limits: TreeLimits = { maxRooms: 200, socketsPerRoom: 20 }): ServerNode[] {
  interface Draft {
    count: number;
    namespaces: Map<string, { count: number; rooms: Map<string, RoomNode> }>;
  }
  const drafts = new Map<string, Draft>();
  for (const serverId of model.servers.keys()) drafts.set(serverId, { count: 0, namespaces: new Map() });
  for (const socket of model.sockets.values()) {
    const serverId = model.serverOf(socket);
    let server = drafts.get(serverId);
    if (!server) drafts.set(serverId, (server = { count: 0, namespaces: new Map() }));
    server.count++;
    let ns = server.namespaces.get(socket.nsp);
    if (!ns) server.namespaces.set(socket.nsp, (ns = { count: 0, rooms: new Map() }));
    ns.count++;
    for (const name of socket.rooms) {
      if (name === socket.id) continue;
      let room = ns.rooms.get(name);
      if (!room) ns.rooms.set(name, (room = { name, count: 0, sockets: [] }));
      room.count++;
      if (room.sockets.length < limits.socketsPerRoom) room.sockets.push(socket);
    }
  }
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return [...drafts]
    .map(([serverId, draft]) => ({
      serverId,
      info: model.servers.get(serverId),
      count: draft.count,
      namespaces: [...draft.namespaces]
        .map(([name, ns]) => {
          const rooms = [...ns.rooms.values()].sort(byName);
          return { name, count: ns.count, rooms: rooms.slice(0, limits.maxRooms), roomsHidden: Math.max(0, rooms.length - limits.maxRooms) };
        })
        .sort(byName),
    }))
    .sort((a, b) => (a.serverId < b.serverId ? -1 : a.serverId > b.serverId ? 1 : 0));
}
