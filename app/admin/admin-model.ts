// The server's picture as the admin namespace reports it: servers, sockets, their rooms, and a bounded series of the
// servers' statistics. Everything keyed by strings from the wire lives in Maps (a socket id or room name may be
// "__proto__"). `apply` is cheap and may run per message; views re-read when `commit` bumps `version`, which the
// caller does a few times a second at most.
import type { AdminServerMessage, AdminServerStats, AdminSocket, AdminSocketPatch } from './admin-messages.ts';

export interface SocketRecord {
  /** `nsp` + NUL + `id`: socket ids are per namespace. */
  key: string;
  id: string;
  nsp: string;
  clientId: string;
  transport: string;
  address: string;
  /** JSON text, parsed by whoever shows it (see AdminSocket); the handshake stays with the connection. */
  dataJson: string;
  /** Its rooms, its own (named by its id) included; a short array: sockets are in a few rooms. */
  rooms: string[];
  /** The node it lives on, when the server says so (`socket.data.serverId`; see app/admin/server/). */
  serverId: string | undefined;
  connectedAt: number | undefined;
}

export interface ServerRecord extends AdminServerStats {
  lastSeen: number;
}

/** One server_stats message, reduced to what charts plot. */
export interface StatsPoint {
  t: number;
  serverId: string;
  clientsCount: number;
  sockets: number;
  bytesIn: number;
  bytesOut: number;
  packetsIn: number;
  packetsOut: number;
  connections: number;
  disconnections: number;
}

export interface ModelLimits {
  maxSockets: number;
  maxStatsPoints: number;
}

export const DEFAULT_LIMITS: ModelLimits = { maxSockets: 250_000, maxStatsPoints: 3_600 };

/** Sockets whose node is unknown while several nodes report (no `socket.data.serverId`). */
export const UNKNOWN_SERVER = '(server not reported)';

const keyOf = (nsp: string, id: string) => `${nsp}\u0000${id}`;

/**
 * Value → socket keys. Most values (an address, a small room) name one socket: those keep the key itself, and only
 * values shared by several get a Set (50,000 Sets cost a 50,000-socket load a third of its time).
 */
class MultiIndex {
  private readonly map = new Map<string, string | Set<string>>();

  add(value: string, key: string): void {
    const found = this.map.get(value);
    if (found === undefined) this.map.set(value, key);
    else if (typeof found === 'string') {
      if (found !== key) this.map.set(value, new Set([found, key]));
    } else found.add(key);
  }

  remove(value: string, key: string): void {
    const found = this.map.get(value);
    if (found === key) this.map.delete(value);
    else if (typeof found === 'object') {
      found.delete(key);
      if (found.size === 1) this.map.set(value, found.values().next().value!);
    }
  }

  get(value: string): ReadonlySet<string> {
    const found = this.map.get(value);
    return found === undefined ? new Set() : typeof found === 'string' ? new Set([found]) : found;
  }

  clear(): void {
    this.map.clear();
  }
}

/** One namespace of one node in the tree's counts. */
export interface NamespaceTally {
  sockets: number;
  /** Room → members (a socket's own room left out). */
  rooms: Map<string, number>;
}

export class AdminModel {
  readonly servers = new Map<string, ServerRecord>();
  readonly sockets = new Map<string, SocketRecord>();
  readonly series: StatsPoint[] = [];
  /** What the server said it supports (config), e.g. JOIN, EMIT, ALL_EVENTS (development mode). */
  features: string[] | undefined;
  sessionId: string | undefined;
  /** Messages that could not be read, counted, with the last few reasons. */
  rejected = 0;
  readonly rejections: string[] = [];
  /** Sockets not kept because `maxSockets` was reached. */
  socketsOverCap = 0;
  version = 0;
  /**
   * The tree's counts, kept as sockets come and go so a render costs the rooms, not the sockets: reported node
   * (`undefined`: none reported) → namespace → counts.
   */
  readonly tally = new Map<string | undefined, Map<string, NamespaceTally>>();

  private readonly byNamespace = new Map<string, Set<string>>();
  /** Room name → socket keys, every namespace; sockets' own rooms are not indexed (the socket map has them). */
  private readonly byRoom = new MultiIndex();
  private readonly byAddress = new MultiIndex();
  private readonly limits: ModelLimits;
  private changed = false;

  constructor(limits: Partial<ModelLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  get developmentMode(): boolean {
    return this.features?.includes('ALL_EVENTS') ?? false;
  }

  supports(feature: string): boolean {
    return this.features?.includes(feature) ?? false;
  }

  reject(reason: string): void {
    this.rejected++;
    this.rejections.push(reason);
    if (this.rejections.length > 10) this.rejections.shift();
    this.changed = true;
  }

  apply(message: AdminServerMessage): void {
    this.changed = true;
    switch (message.type) {
      case 'session':
        this.sessionId = message.sessionId;
        return;
      case 'config':
        this.features = message.features;
        return;
      case 'server_stats':
        this.stats(message.stats, message.t);
        return;
      case 'all_sockets':
        for (const socket of message.sockets) this.upsert(socket, undefined);
        return;
      case 'socket_connected':
        this.upsert(message.socket, message.t);
        return;
      case 'socket_updated':
        this.patch(message.patch);
        return;
      case 'socket_disconnected':
        this.remove(keyOf(message.nsp, message.id));
        return;
      case 'room_joined': {
        const socket = this.sockets.get(keyOf(message.nsp, message.id));
        if (!socket || socket.rooms.includes(message.room)) return;
        socket.rooms.push(message.room);
        if (message.room !== socket.id) this.byRoom.add(message.room, socket.key);
        this.countRoom(socket, message.room, 1);
        return;
      }
      case 'room_left': {
        const socket = this.sockets.get(keyOf(message.nsp, message.id));
        const at = socket ? socket.rooms.indexOf(message.room) : -1;
        if (!socket || at < 0) return;
        socket.rooms.splice(at, 1);
        this.byRoom.remove(message.room, socket.key);
        this.countRoom(socket, message.room, -1);
        return;
      }
      case 'event_received':
      case 'event_sent':
        this.changed = false;
        return;
    }
  }

  /** Makes what `apply` did visible: bumps `version` if anything changed. Returns whether it did. */
  commit(): boolean {
    if (!this.changed) return false;
    this.changed = false;
    this.version++;
    return true;
  }

  /** Forgets sockets and servers (a new connection will send all_sockets again); keeps the stats series. */
  resetSockets(): void {
    this.sockets.clear();
    this.byNamespace.clear();
    this.byRoom.clear();
    this.byAddress.clear();
    this.tally.clear();
    this.socketsOverCap = 0;
    this.changed = true;
  }

  socket(nsp: string, id: string): SocketRecord | undefined {
    return this.sockets.get(keyOf(nsp, id));
  }

  /** Keys of the members of a room of a namespace (a socket id is also a room: the socket's own). */
  roomMembers(nsp: string, room: string): ReadonlySet<string> {
    const members = new Set<string>();
    for (const key of this.byRoom.get(room)) if (this.sockets.get(key)?.nsp === nsp) members.add(key);
    const own = keyOf(nsp, room);
    if (this.sockets.has(own)) members.add(own);
    return members;
  }

  /** Where a socket shows in the tree: its reported node, else the only node there is. */
  serverOf(socket: SocketRecord): string {
    if (socket.serverId !== undefined) return socket.serverId;
    if (this.servers.size === 1) return this.servers.keys().next().value!;
    return UNKNOWN_SERVER;
  }

  /**
   * Socket keys matching a query, in connection order. Terms (ANDed): `room:NAME`, `ns:/chat`, `addr:1.2.3.4` and
   * `id:ID` match exactly through indexes; `server:ID` by node; other words match a substring of the id, address,
   * namespace or a room name.
   */
  search(query: string): string[] {
    // `field:"with spaces"` keeps spaces in a value (a value cannot hold a double quote).
    const terms = (query.match(/[^\s"]*"[^"]*"?|\S+/g) ?? []).map((t) => t.replace(/"/g, '')).filter(Boolean);
    if (terms.length === 0) return [...this.sockets.keys()];
    let candidates: Set<string> | undefined;
    const free: string[] = [];
    const servers: string[] = [];
    const narrow = (set: ReadonlySet<string> | undefined) => {
      const next = new Set<string>();
      if (set) for (const key of set) if (!candidates || candidates.has(key)) next.add(key);
      candidates = next;
    };
    for (const term of terms) {
      const colon = term.indexOf(':');
      const field = colon > 0 ? term.slice(0, colon) : '';
      const value = term.slice(colon + 1);
      if (field === 'room') narrow(this.byRoom.get(value));
      else if (field === 'ns') narrow(this.byNamespace.get(value));
      else if (field === 'addr') narrow(this.byAddress.get(value));
      else if (field === 'id') narrow(new Set([...this.byNamespace.keys()].map((nsp) => keyOf(nsp, value)).filter((k) => this.sockets.has(k))));
      else if (field === 'server') servers.push(value);
      else free.push(term.toLowerCase());
    }
    const out: string[] = [];
    // One pass in connection order (the table's order); the indexes only narrow which keys pass.
    for (const [key, socket] of this.sockets) {
      if (candidates && !candidates.has(key)) continue;
      if (servers.length > 0 && !servers.includes(this.serverOf(socket))) continue;
      if (free.length > 0 && !free.every((word) => this.matchesText(socket, word))) continue;
      out.push(key);
    }
    return out;
  }

  private matchesText(socket: SocketRecord, word: string): boolean {
    if (socket.id.toLowerCase().includes(word) || socket.address.toLowerCase().includes(word) || socket.nsp.toLowerCase().includes(word)) return true;
    for (const room of socket.rooms) if (room !== socket.id && room.toLowerCase().includes(word)) return true;
    return false;
  }

  /** The first `limit` sockets of a room that live on a node (as the tree places them). */
  roomSample(serverId: string, nsp: string, room: string, limit: number): SocketRecord[] {
    const out: SocketRecord[] = [];
    for (const key of this.roomMembers(nsp, room)) {
      const socket = this.sockets.get(key);
      if (socket && this.serverOf(socket) === serverId) out.push(socket);
      if (out.length >= limit) break;
    }
    return out;
  }

  private count(socket: SocketRecord, delta: 1 | -1): void {
    let byNsp = this.tally.get(socket.serverId);
    if (!byNsp) this.tally.set(socket.serverId, (byNsp = new Map()));
    let ns = byNsp.get(socket.nsp);
    if (!ns) byNsp.set(socket.nsp, (ns = { sockets: 0, rooms: new Map() }));
    ns.sockets += delta;
    for (const room of socket.rooms) this.countRoom(socket, room, delta);
    if (ns.sockets === 0) byNsp.delete(socket.nsp);
    if (byNsp.size === 0) this.tally.delete(socket.serverId);
  }

  private countRoom(socket: SocketRecord, room: string, delta: 1 | -1): void {
    if (room === socket.id) return;
    const ns = this.tally.get(socket.serverId)?.get(socket.nsp);
    if (!ns) return;
    const n = (ns.rooms.get(room) ?? 0) + delta;
    if (n > 0) ns.rooms.set(room, n);
    else ns.rooms.delete(room);
  }

  private stats(stats: AdminServerStats, t: number): void {
    this.servers.set(stats.serverId, { ...stats, lastSeen: t });
    const sum = (type: string) => stats.aggregatedEvents.reduce((n, e) => (e.type === type ? n + e.count : n), 0);
    this.series.push({
      t,
      serverId: stats.serverId,
      clientsCount: stats.clientsCount,
      sockets: stats.namespaces.reduce((n, ns) => n + ns.socketsCount, 0),
      bytesIn: sum('bytesIn'),
      bytesOut: sum('bytesOut'),
      packetsIn: sum('packetsIn'),
      packetsOut: sum('packetsOut'),
      connections: sum('rawConnection'),
      disconnections: sum('rawDisconnection'),
    });
    if (this.series.length > this.limits.maxStatsPoints) this.series.splice(0, this.series.length - this.limits.maxStatsPoints);
  }

  private upsert(wire: AdminSocket, connectedAt: number | undefined): void {
    const key = keyOf(wire.nsp, wire.id);
    const existing = this.sockets.get(key);
    if (existing) this.remove(key);
    else if (this.sockets.size >= this.limits.maxSockets) {
      this.socketsOverCap++;
      return;
    }
    const socket: SocketRecord = {
      key,
      id: wire.id,
      nsp: wire.nsp,
      clientId: wire.clientId,
      transport: wire.transport,
      address: wire.address,
      dataJson: wire.dataJson,
      rooms: wire.rooms,
      serverId: wire.serverId,
      connectedAt: connectedAt ?? existing?.connectedAt,
    };
    this.sockets.set(key, socket);
    this.count(socket, 1);
    let inNamespace = this.byNamespace.get(socket.nsp);
    if (!inNamespace) this.byNamespace.set(socket.nsp, (inNamespace = new Set()));
    inNamespace.add(key);
    this.byAddress.add(socket.address, key);
    for (const room of socket.rooms) if (room !== socket.id) this.byRoom.add(room, key);
  }

  private patch(patch: AdminSocketPatch): void {
    const socket = this.sockets.get(keyOf(patch.nsp, patch.id));
    if (!socket) return;
    if (patch.transport !== undefined) socket.transport = patch.transport;
    if (patch.dataJson !== undefined) {
      socket.dataJson = patch.dataJson;
      if (patch.serverId !== undefined && patch.serverId !== socket.serverId) {
        this.count(socket, -1);
        socket.serverId = patch.serverId;
        this.count(socket, 1);
      }
    }
  }

  private remove(key: string): void {
    const socket = this.sockets.get(key);
    if (!socket) return;
    this.sockets.delete(key);
    this.count(socket, -1);
    const inNamespace = this.byNamespace.get(socket.nsp);
    inNamespace?.delete(key);
    if (inNamespace?.size === 0) this.byNamespace.delete(socket.nsp);
    this.byAddress.remove(socket.address, key);
    for (const room of socket.rooms) if (room !== socket.id) this.byRoom.remove(room, key);
  }
}
