import type { Direction, SioEntry, EioVersion, Handshake, ParserName, SioVersion, TransportName } from '../types.ts';

export type NamespaceState = 'connecting' | 'connected' | 'disconnected' | 'refused';

export interface NamespaceInfo {
  ns: string;
  state: NamespaceState;
  /** The Socket.IO socket id (protocol v5 CONNECT reply); distinct from the Engine.IO sid. */
  socketId?: string;
  /** The CONNECT payload the client sent (auth), or the v4 namespace query. */
  auth?: unknown;
  query?: string;
  /** Why it is disconnected or refused. */
  reason?: string;
  since: number;
}

export interface TransportChange {
  t: number;
  from: TransportName;
  to: TransportName;
  /** False when the probe failed and the session stayed on polling. */
  ok: boolean;
}

/** What the tracker knows about one Engine.IO session. */
export interface ConnectionInfo {
  id: string;
  url: string;
  eio?: EioVersion;
  sio?: SioVersion;
  parser: ParserName;
  sid?: string;
  handshake?: Handshake;
  transport: TransportName;
  upgrades: TransportChange[];
  state: 'opening' | 'open' | 'closed';
  closeReason?: string;
  namespaces: Map<string, NamespaceInfo>;
  firstT: number;
  lastT: number;
}

/** The tracker's private per-connection state. */
export interface ConnectionState {
  info: ConnectionInfo;
  /** Events waiting for their ack, by direction of the event, then namespace, then ack id: their log index. */
  awaitingAck: Record<Direction, Map<string, Map<number, number>>>;
  /** A BINARY_EVENT / BINARY_ACK header waiting for its attachments, per direction. */
  reassembly: Record<Direction, Reassembly | undefined>;
  /** Raw WebSocket conns of this session, and whether each is the probe of an upgrade. */
  sockets: Map<string, { probing: boolean }>;
}

export interface Reassembly {
  /** The header's entry, logged once its attachments are in. */
  entry: SioEntry;
  text: string;
  expected: number;
  attachments: Uint8Array[];
}
