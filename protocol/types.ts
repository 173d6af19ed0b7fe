// The contracts of ../shared/DESIGN.md: raw frames in, decoded log out.

export type Direction = 'out' | 'in';
export type TransportName = 'websocket' | 'polling';

/** One WebSocket message or lifecycle event, or one HTTP body of a polling transport, as the hook copies it. */
export interface RawFrame {
  /** Rises by one per page per frame. */
  seq: number;
  /** Epoch milliseconds, fractional. */
  t: number;
  /** Names the WebSocket object, or one HTTP exchange (a request and its response share it). */
  conn: string;
  url: string;
  transport: TransportName;
  dir: Direction;
  kind: 'open' | 'message' | 'close' | 'error' | 'request' | 'response';
  /** Binary payloads have `opcode: 'binary'` and base64 `data`. */
  opcode?: 'text' | 'binary';
  data?: string;
  method?: string;
  status?: number;
  /** WebSocket close code and reason (kind 'close'). */
  code?: number;
  reason?: string;
  /** Set on frames Sockscope itself put on the wire or fired at the page (the emit composer), never the page's own. */
  origin?: 'sockscope';
}

export type EioVersion = 3 | 4;
/** Socket.IO protocol revision: 4 for socket.io 2.x, 5 for socket.io 3.x/4.x. */
export type SioVersion = 4 | 5;
export type ParserName = 'default' | 'msgpack';

export type EioPacketType = 'open' | 'close' | 'ping' | 'pong' | 'message' | 'upgrade' | 'noop';
export type SioPacketType = 'connect' | 'disconnect' | 'event' | 'ack' | 'connect_error';

/** The Engine.IO handshake (open packet) payload. */
export interface Handshake {
  sid: string;
  upgrades: string[];
  pingInterval: number;
  pingTimeout: number;
  maxPayload?: number;
}

interface EntryBase {
  /** Position in the tracker's log. */
  index: number;
  /** `seq` of the raw frame this entry came from. */
  seq: number;
  /** Logical connection: every transport of one Engine.IO session shares it. */
  conn: string;
  t: number;
  dir: Direction;
  transport: TransportName;
  /** Bytes on the wire (UTF-8 for text), attachments included. */
  size: number;
  /**
   * Absent: seen on the wire by the client side. 'server': reported by a server's admin instrumentation (the
   * standalone app's admin mode); `dir` is then the server's view ('in' received from the client, 'out' sent to it).
   */
  side?: 'server';
}

export interface EioEntry extends EntryBase {
  layer: 'eio';
  /** Packets, plus what happened to a transport underneath them. */
  type: EioPacketType | 'transport_close' | 'transport_error';
  data?: unknown;
}

export interface SioEntry extends EntryBase {
  layer: 'sio';
  type: SioPacketType;
  ns: string;
  /** Query string of a namespace CONNECT (protocol v4 puts it in the namespace). */
  query?: string;
  event?: string | number;
  /** Arguments after the event name (events) or of the ack; absent until materialised in lazy mode. */
  args?: unknown[];
  id?: number;
  /** CONNECT auth / reply, CONNECT_ERROR reason. */
  data?: unknown;
  /** Number of binary attachments (BINARY_EVENT / BINARY_ACK). */
  attachments?: number;
  /** For an ack: index of the event it answers, and the time between them. */
  ackOf?: number;
  latency?: number;
  /** For an event that asked for an ack: index of the ack once it came. */
  ackedBy?: number;
  /** Lazy mode: the undecoded arguments, read by `materialize`. */
  pending?: PendingPayload;
  /**
   * Lazy mode: why the arguments could not be decoded, set by the first `materialize` that failed (the tracker
   * read only the header; the rest of the packet turned out malformed). Such an entry counts as an error for the
   * timeline's `type:error` filter, its row styling and the diagnostics; `pending` keeps the raw packet.
   */
  invalid?: string;
}

export interface ErrorEntry extends EntryBase {
  layer: 'error';
  error: string;
  /** The input that could not be decoded, unchanged (base64 for binary). */
  raw: string;
}

export type DecodedEntry = EioEntry | SioEntry | ErrorEntry;

/** What a lazy entry keeps to decode its arguments later. */
export interface PendingPayload {
  json: string;
  /** Offset in `json` where the JSON value starts. */
  start: number;
  /** The connection's Socket.IO protocol, which decides what is valid (reserved event names, for one). */
  sio: SioVersion;
  attachments?: Uint8Array[];
}
