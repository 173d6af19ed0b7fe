// What an `@socket.io/admin-ui` server (`instrument(io, …)`, v0.5) sends on its `/admin` namespace, typed and checked.
// Every message is hostile until read here: ids and room names are any string ("__proto__" included), payloads any
// JSON. Dates travel as ISO strings (socket.io's JSON of a Date).

export interface AdminServerStats {
  serverId: string;
  hostname: string;
  pid: number;
  uptime: number;
  clientsCount: number;
  pollingClientsCount: number;
  namespaces: { name: string; socketsCount: number }[];
  /** Per-second counts the server aggregated: rawConnection, rawDisconnection, packetsIn/Out, bytesIn/Out. */
  aggregatedEvents: { timestamp: number; type: string; subType?: string; count: number }[];
}

/**
 * A socket as read here. `handshake` and `data` stay JSON text: a worker hands 50,000 of these to the page, and a
 * string crosses (and is collected) far cheaper than a tree of objects; the details view parses the one it shows.
 */
export interface AdminSocket {
  id: string;
  nsp: string;
  clientId: string;
  transport: string;
  address: string;
  /** `data.serverId` when it is a string (see app/admin/server/tag-sockets.ts). */
  serverId: string | undefined;
  /**
   * The handshake (headers, query…), often most of a socket's size: the connection keeps it (in the worker) and the
   * page asks for the one it shows; it is absent once the socket has left the connection.
   */
  handshake?: unknown;
  dataJson: string;
  rooms: string[];
}

export type AdminSocketPatch = { id: string; nsp: string; transport?: string; dataJson?: string; serverId?: string };

/** Server → admin client, one variant per event name of the admin namespace. */
export type AdminServerMessage =
  | { type: 'session'; sessionId: string }
  | { type: 'config'; features: string[] }
  | { type: 'server_stats'; stats: AdminServerStats; t: number }
  | { type: 'all_sockets'; sockets: AdminSocket[] }
  | { type: 'socket_connected'; socket: AdminSocket; t: number }
  | { type: 'socket_updated'; patch: AdminSocketPatch }
  | { type: 'socket_disconnected'; nsp: string; id: string; reason: string; t: number }
  | { type: 'room_joined' | 'room_left'; nsp: string; room: string; id: string; t: number }
  | { type: 'event_received' | 'event_sent'; nsp: string; id: string; args: unknown[]; t: number };

export type AdminEventName = AdminServerMessage['type'];
export const ADMIN_EVENTS: readonly AdminEventName[] = [
  'session',
  'config',
  'server_stats',
  'all_sockets',
  'socket_connected',
  'socket_updated',
  'socket_disconnected',
  'room_joined',
  'room_left',
  'event_received',
  'event_sent',
];

/** Admin client → server, as the instrumentation listens for them (`filter` is a room; a socket id is a room). */
export type AdminAction =
  | { type: 'emit'; nsp: string; filter: string | undefined; event: string; args: unknown[] }
  | { type: 'join' | 'leave'; nsp: string; room: string; filter: string | undefined }
  | { type: '_disconnect'; nsp: string; close: boolean; filter: string | undefined };

/** Rooms kept per socket; more are counted, not kept. */
export const MAX_ROOMS_PER_SOCKET = 1000;

const str = (v: unknown): v is string => typeof v === 'string';
const num = (v: unknown, fallback = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function time(v: unknown): number {
  const t = str(v) ? Date.parse(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(t) ? t : Date.now();
}

function json(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null';
  } catch {
    return 'null';
  }
}

function serverIdOf(data: unknown): string | undefined {
  return isObject(data) && str(data.serverId) ? data.serverId : undefined;
}

export function socketOf(v: unknown): AdminSocket | string {
  if (!isObject(v)) return 'a socket that is not an object';
  if (!str(v.id) || !str(v.nsp)) return 'a socket without a string id and namespace';
  const handshake = v.handshake;
  const address = isObject(handshake) && str(handshake.address) ? handshake.address : '';
  const rooms = Array.isArray(v.rooms) ? [...new Set(v.rooms.filter(str))].slice(0, MAX_ROOMS_PER_SOCKET) : [];
  return {
    id: v.id,
    nsp: v.nsp,
    clientId: str(v.clientId) ? v.clientId : '',
    transport: str(v.transport) ? v.transport : '',
    address,
    serverId: serverIdOf(v.data),
    handshake,
    dataJson: json(v.data),
    rooms,
  };
}

function statsOf(v: unknown): AdminServerStats | string {
  if (!isObject(v) || !str(v.serverId)) return 'server_stats without a serverId';
  const namespaces = Array.isArray(v.namespaces)
    ? v.namespaces.filter(isObject).flatMap((n) => (str(n.name) ? [{ name: n.name, socketsCount: num(n.socketsCount) }] : []))
    : [];
  const aggregatedEvents = Array.isArray(v.aggregatedEvents)
    ? v.aggregatedEvents.filter(isObject).flatMap((e) =>
        str(e.type) ? [{ timestamp: num(e.timestamp), type: e.type, subType: str(e.subType) ? e.subType : undefined, count: num(e.count) }] : [],
      )
    : [];
  return {
    serverId: v.serverId,
    hostname: str(v.hostname) ? v.hostname : '',
    pid: num(v.pid),
    uptime: num(v.uptime),
    clientsCount: num(v.clientsCount),
    pollingClientsCount: num(v.pollingClientsCount),
    namespaces,
    aggregatedEvents,
  };
}

/** One admin event (its name and arguments as socket.io delivered them) → a message, or why it is unreadable. */
export function readAdminMessage(name: string, args: unknown[]): AdminServerMessage | string {
  const [a, b, c, d] = args;
  switch (name) {
    case 'session':
      return str(a) ? { type: 'session', sessionId: a } : 'session without an id';
    case 'config':
      return isObject(a) && Array.isArray(a.supportedFeatures)
        ? { type: 'config', features: a.supportedFeatures.filter(str) }
        : 'config without supportedFeatures';
    case 'server_stats': {
      const stats = statsOf(a);
      return typeof stats === 'string' ? stats : { type: 'server_stats', stats, t: Date.now() };
    }
    case 'all_sockets': {
      if (!Array.isArray(a)) return 'all_sockets without a list';
      const sockets: AdminSocket[] = [];
      for (const item of a) {
        const socket = socketOf(item);
        if (typeof socket !== 'string') sockets.push(socket);
      }
      return { type: 'all_sockets', sockets };
    }
    case 'socket_connected': {
      const socket = socketOf(a);
      return typeof socket === 'string' ? socket : { type: 'socket_connected', socket, t: time(b) };
    }
    case 'socket_updated': {
      if (!isObject(a) || !str(a.id) || !str(a.nsp)) return 'socket_updated without an id and namespace';
      const patch: AdminSocketPatch = { id: a.id, nsp: a.nsp };
      if (str(a.transport)) patch.transport = a.transport;
      if ('data' in a) {
        patch.dataJson = json(a.data);
        patch.serverId = serverIdOf(a.data);
      }
      return { type: 'socket_updated', patch };
    }
    case 'socket_disconnected':
      return str(a) && str(b) ? { type: 'socket_disconnected', nsp: a, id: b, reason: str(c) ? c : '', t: time(d) } : `${name} without a namespace and id`;
    case 'room_joined':
    case 'room_left':
      return str(a) && str(b) && str(c) ? { type: name, nsp: a, room: b, id: c, t: time(d) } : `${name} without a namespace, room and id`;
    case 'event_received':
    case 'event_sent':
      return str(a) && str(b) && Array.isArray(c) ? { type: name, nsp: a, id: b, args: c, t: time(d) } : `${name} without a namespace, id and arguments`;
    default:
      return `unknown admin event ${JSON.stringify(name.slice(0, 60))}`;
  }
}
