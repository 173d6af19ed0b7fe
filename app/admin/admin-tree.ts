// The tree the admin view draws: servers → namespaces → rooms (→ sockets, on demand), from the model's running
// counts: a render costs the rooms, not the sockets. A socket's own room (named by its id) is left out, as the
// official UI does; long room lists are cut and say so.
import { UNKNOWN_SERVER, type AdminModel, type NamespaceTally, type ServerRecord } from './admin-model.ts';

export interface RoomNode {
  name: string;
  count: number;
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

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function buildTree(model: AdminModel, maxRooms = 200): ServerNode[] {
  // Node → namespace → tallies to add up (sockets that name no node join the only node, if there is one).
  const merged = new Map<string, Map<string, NamespaceTally[]>>();
  for (const serverId of model.servers.keys()) merged.set(serverId, new Map());
  const lone = model.servers.size === 1 ? model.servers.keys().next().value! : UNKNOWN_SERVER;
  for (const [reported, byNsp] of model.tally) {
    const serverId = reported ?? lone;
    let target = merged.get(serverId);
    if (!target) merged.set(serverId, (target = new Map()));
    for (const [nsp, tally] of byNsp) {
      const list = target.get(nsp);
      if (list) list.push(tally);
      else target.set(nsp, [tally]);
    }
  }
  return [...merged]
    .sort(([a], [b]) => byName(a, b))
    .map(([serverId, byNsp]) => {
      const namespaces = [...byNsp]
        .sort(([a], [b]) => byName(a, b))
        .map(([name, tallies]) => {
          const rooms = new Map<string, number>();
          let count = 0;
          for (const tally of tallies) {
            count += tally.sockets;
            for (const [room, n] of tally.rooms) rooms.set(room, (rooms.get(room) ?? 0) + n);
          }
          const names = [...rooms.keys()].sort(byName);
          return {
            name,
            count,
            rooms: names.slice(0, maxRooms).map((room) => ({ name: room, count: rooms.get(room)! })),
            roomsHidden: Math.max(0, names.length - maxRooms),
          };
        });
      return { serverId, info: model.servers.get(serverId), count: namespaces.reduce((n, ns) => n + ns.count, 0), namespaces };
    });
}
