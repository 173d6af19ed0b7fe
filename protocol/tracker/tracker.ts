import { base64ToBytes, bytesToBase64, utf8Length } from '../bytes.ts';
import { decodeEioBinary, decodeEioText, type EioPacket } from '../engineio/packet.ts';
import { decodeHandshake } from '../engineio/handshake.ts';
import {
  decodePayloadPartV4,
  decodePayloadV3Binary,
  decodePayloadV3Text,
  splitPayloadV4,
  unwrapJsonpRequest,
  unwrapJsonpResponse,
  type PayloadItem,
} from '../engineio/payload.ts';
import { Failure } from '../failure.ts';
import { reconstructPlaceholders } from '../socketio/binary.ts';
import { parseSioHeader, type SioHeader } from '../socketio/header.ts';
import { decodeJsonObjectPacket, decodeMsgpackPacket, looksLikeMsgpackPacket } from '../socketio/msgpack.ts';
import { decodeSioPayload, summarizeSioText, type SioPacket } from '../socketio/packet.ts';
import type {
  DecodedEntry,
  Direction,
  EioEntry,
  EioVersion,
  PendingPayload,
  RawFrame,
  SioEntry,
  SioVersion,
  TransportName,
} from '../types.ts';
import { readUrl } from '../version.ts';
import type { ConnectionInfo, ConnectionState, NamespaceInfo } from './connection.ts';
import { SioLogEntry } from './sio-log-entry.ts';

export interface TrackerOptions {
  /**
   * Leave event and ack arguments unparsed (`entry.pending`), for `materialize` to read when someone opens the
   * row: the timeline needs only type, namespace, event name and size.
   */
  lazy?: boolean;
}

/** Where one packet came from. */
interface PacketContext {
  frame: RawFrame;
  state: ConnectionState;
  dir: Direction;
  transport: TransportName;
}

const OPPOSITE: Record<Direction, Direction> = { in: 'out', out: 'in' };
const JSONP_QUERY = /[?&]j=/;

/**
 * Decodes raw frames into the log, one frame at a time, and keeps per-connection state: Engine.IO sessions across
 * transports, namespaces, acks paired with their events, binary attachments put back in place.
 */
export class Tracker {
  /** Every decoded entry so far; `entry.index` is its position. */
  readonly log: DecodedEntry[] = [];
  private readonly lazy: boolean;
  private readonly states: ConnectionState[] = [];
  private readonly byRawConn = new Map<string, ConnectionState>();
  private readonly bySid = new Map<string, ConnectionState>();
  /** Filled afresh for every packet, and never kept: a header object per packet was garbage at once. */
  private readonly header: SioHeader = { code: 0, type: 'connect', attachments: -1, ns: '/', query: undefined, id: undefined, start: 0 };

  constructor(options: TrackerOptions = {}) {
    this.lazy = options.lazy ?? false;
  }

  get connections(): ConnectionInfo[] {
    return this.states.map((s) => s.info);
  }

  connection(id: string): ConnectionInfo | undefined {
    return this.states.find((s) => s.info.id === id)?.info;
  }

  /** The raw conn of the session's WebSocket in use (not a probe still upgrading), if it has one open. */
  liveWebSocket(id: string): string | undefined {
    const state = this.states.find((s) => s.info.id === id);
    if (!state) return undefined;
    for (const [conn, socket] of state.sockets) if (!socket.probing) return conn;
    return undefined;
  }

  /** Decodes one frame; returns how many entries it added to `log` (an ack also updates the event it answers). */
  push(frame: RawFrame): number {
    const from = this.log.length;
    try {
      this.route(frame);
    } catch (e) {
      // A decoder bug must not cost the rest of the log.
      const state = this.byRawConn.get(frame.conn);
      const error = `internal decoder error: ${(e as Error)?.message ?? String(e)}`;
      const { seq, t, dir, transport } = frame;
      const raw = typeof frame.data === 'string' ? frame.data : '';
      this.emit({ index: 0, seq, conn: state?.info.id ?? String(frame.conn), t, dir, transport, size: 0, layer: 'error', error, raw });
    }
    return this.log.length - from;
  }

  /** Ends the capture: binary packets still waiting for attachments become errors. Returns how many. */
  finish(): number {
    const from = this.log.length;
    for (const state of this.states) {
      for (const dir of ['out', 'in'] as const) this.abandonReassembly(state, dir, state.info.lastT, 'the capture ended');
    }
    return this.log.length - from;
  }

  private route(frame: RawFrame): void {
    const state = this.stateFor(frame);
    state.info.lastT = frame.t;
    if (frame.transport === 'polling') this.routePolling(frame, state);
    else this.routeWebSocket(frame, state);
  }

  private stateFor(frame: RawFrame): ConnectionState {
    const known = this.byRawConn.get(frame.conn);
    if (known) return known;
    const url = readUrl(frame.url);
    let state = url.sid === undefined ? undefined : this.bySid.get(url.sid);
    if (!state) {
      state = {
        info: {
          id: frame.conn,
          url: frame.url,
          eio: url.eio,
          sio: url.eio === undefined ? undefined : sioFor(url.eio),
          parser: 'default',
          sid: url.sid,
          transport: frame.transport,
          upgrades: [],
          state: 'opening',
          namespaces: new Map(),
          firstT: frame.t,
          lastT: frame.t,
        },
        awaitingAck: { in: new Map(), out: new Map() },
        reassembly: { in: undefined, out: undefined },
        sockets: new Map(),
      };
      this.states.push(state);
      if (url.sid !== undefined) this.bySid.set(url.sid, state);
    }
    if (state.info.eio === undefined && url.eio !== undefined) this.setEio(state, url.eio);
    this.byRawConn.set(frame.conn, state);
    if (frame.transport === 'websocket') state.sockets.set(frame.conn, { probing: url.sid !== undefined });
    return state;
  }

  private setEio(state: ConnectionState, eio: EioVersion): void {
    state.info.eio = eio;
    state.info.sio = sioFor(eio);
  }

  private routePolling(frame: RawFrame, state: ConnectionState): void {
    const body = typeof frame.data === 'string' ? frame.data : '';
    if (frame.kind === 'response') {
      this.byRawConn.delete(frame.conn);
      if (frame.status !== undefined && frame.status !== 200) {
        const data = { status: frame.status, body };
        this.emit(this.eioEntry({ frame, state, dir: 'in', transport: 'polling' }, utf8Length(body), 'transport_error', data));
        return;
      }
      if (body === 'ok' || body === '') return; // a POST's acknowledgement
    } else if (frame.kind !== 'request' || body === '') {
      return;
    }
    const ctx: PacketContext = { frame, state, dir: frame.dir, transport: 'polling' };
    const decoded = this.decodePollingBody(frame, state, body);
    const { ascii } = decoded;
    if ('v4' in decoded) {
      // As on a WebSocket, a message packet goes straight to the Socket.IO layer.
      for (const part of splitPayloadV4(decoded.v4)) {
        if (part.charCodeAt(0) === 52 /* 4: message */) this.handleSioText(part.slice(1), ctx, textSize(part, ascii));
        else this.handlePayloadItem(decodePayloadPartV4(part), ctx, ascii, body);
      }
      return;
    }
    for (const item of decoded.items) this.handlePayloadItem(item, ctx, ascii, body);
  }

  private handlePayloadItem(item: PayloadItem, ctx: PacketContext, ascii: boolean, body: string): void {
    if (item instanceof Failure) this.fail(ctx.frame, ctx.state, item.reason, item.raw ?? body);
    else this.handleEio(item, ctx, packetSize(item, ascii));
  }

  /**
   * The packets of a polling body: decoded (`items`), or, for an EIO4 text payload, the payload itself (`v4`).
   * `ascii`: the text payload's packets are all ASCII, so a text packet's size is its length.
   */
  private decodePollingBody(frame: RawFrame, state: ConnectionState, body: string): { items: PayloadItem[]; ascii: boolean } | { v4: string; ascii: boolean } {
    if (frame.opcode === 'binary') {
      const bytes = base64ToBytes(body);
      if (!bytes) return { items: [new Failure('invalid base64 in binary polling body', body)], ascii: false };
      if (state.info.eio === 4) return { items: [new Failure('binary polling body in Engine.IO v4 (v4 payloads are text)', body)], ascii: false };
      this.setEio(state, 3);
      return { items: decodePayloadV3Binary(bytes), ascii: false };
    }
    let text = body;
    if (JSONP_QUERY.test(frame.url) && readUrl(frame.url).jsonp !== undefined) {
      const unwrapped = frame.kind === 'response' ? unwrapJsonpResponse(body) : unwrapJsonpRequest(body);
      if (unwrapped instanceof Failure) return { items: [unwrapped], ascii: false };
      text = unwrapped;
    }
    if (state.info.eio === undefined) this.setEio(state, /^\d+:/.test(text) ? 3 : 4);
    // One measure of the whole payload tells whether it is ASCII.
    const ascii = utf8Length(text) === text.length;
    return state.info.eio === 3 ? { items: decodePayloadV3Text(text), ascii } : { v4: text, ascii };
  }

  private routeWebSocket(frame: RawFrame, state: ConnectionState): void {
    const ctx: PacketContext = { frame, state, dir: frame.dir, transport: 'websocket' };
    switch (frame.kind) {
      case 'message': {
        const data = typeof frame.data === 'string' ? frame.data : '';
        let packet: EioPacket | Failure;
        let size: number;
        if (frame.opcode === 'binary') {
          const bytes = base64ToBytes(data);
          if (!bytes) return this.fail(frame, state, 'invalid base64 in binary frame', data);
          packet = decodeEioBinary(bytes, state.info.eio ?? 4);
          size = bytes.length;
        } else {
          size = utf8Length(data);
          if (data.charCodeAt(0) === 52 /* 4: message */) return this.handleSioText(data.slice(1), ctx, size);
          packet = decodeEioText(data, state.info.eio);
        }
        if (packet instanceof Failure) return this.fail(frame, state, packet.reason, data);
        return this.handleEio(packet, ctx, size);
      }
      case 'close':
        return this.closeWebSocket(ctx);
      case 'error':
        this.emit(this.eioEntry(ctx, 0, 'transport_error'));
        return;
      default:
        return; // 'open': the transport exists; packets say the rest
    }
  }

  private closeWebSocket(ctx: PacketContext): void {
    const { frame, state } = ctx;
    const socket = state.sockets.get(frame.conn);
    this.byRawConn.delete(frame.conn);
    state.sockets.delete(frame.conn);
    const data: Record<string, unknown> = { code: frame.code, reason: frame.reason ?? '' };
    if (socket?.probing && state.info.transport === 'polling') {
      state.info.upgrades.push({ t: frame.t, from: 'polling', to: 'websocket', ok: false });
      data.upgrade = 'failed';
      this.emit(this.eioEntry(ctx, 0, 'transport_close', data));
      return;
    }
    this.emit(this.eioEntry(ctx, 0, 'transport_close', data));
    if (state.info.state !== 'closed') {
      const why = frame.reason ? `: ${frame.reason}` : '';
      this.close(state, frame.t, `transport closed (WebSocket code ${frame.code ?? 'unknown'}${why})`);
    }
  }

  private handleEio(packet: EioPacket, ctx: PacketContext, size: number): void {
    const { state } = ctx;
    switch (packet.type) {
      case 'message':
        if (typeof packet.data === 'string') this.handleSioText(packet.data, ctx, size);
        else this.handleSioBinary(packet.data, ctx, size);
        return;
      case 'open': {
        const handshake = decodeHandshake(String(packet.data));
        if (handshake instanceof Failure) return this.fail(ctx.frame, state, handshake.reason, String(packet.data));
        state.info.handshake = handshake;
        state.info.sid = handshake.sid;
        state.info.state = 'open';
        state.info.transport = ctx.transport;
        if (state.info.eio === undefined) this.setEio(state, handshake.maxPayload !== undefined ? 4 : 3);
        this.bySid.set(handshake.sid, state);
        this.emit(this.eioEntry(ctx, size, 'open', handshake));
        return;
      }
      case 'close':
        this.emit(this.eioEntry(ctx, size, 'close'));
        this.close(state, ctx.frame.t, ctx.dir === 'in' ? 'the server closed the session' : 'the client closed the session');
        return;
      case 'upgrade':
        if (ctx.transport === 'websocket') {
          state.info.upgrades.push({ t: ctx.frame.t, from: state.info.transport, to: 'websocket', ok: true });
          state.info.transport = 'websocket';
          const socket = state.sockets.get(ctx.frame.conn);
          if (socket) socket.probing = false;
        }
        this.emit(this.eioEntry(ctx, size, 'upgrade'));
        return;
      default:
        this.emit(this.eioEntry(ctx, size, packet.type, typeof packet.data === 'string' && packet.data !== '' ? packet.data : undefined));
    }
  }

  private handleSioText(text: string, ctx: PacketContext, size: number): void {
    const { state, dir } = ctx;
    this.abandonReassembly(state, dir, ctx.frame.t, 'a text packet came first');
    if (text.charCodeAt(0) === 123 /* { */) return this.handleJsonObjectPacket(text, ctx, size);
    const header = parseSioHeader(text, this.header);
    if (header instanceof Failure) return this.fail(ctx.frame, state, header.reason, '4' + text, size);
    const sio = state.info.sio ?? 5;
    const summaryOnly = this.lazy && header.code !== 0 && header.code !== 1 && header.code !== 4;
    const entry = this.sioEntry(ctx, size, header.type, header.ns);
    if (summaryOnly) {
      const summary = summarizeSioText(text, header, sio);
      if (summary instanceof Failure) return this.fail(ctx.frame, state, summary.reason, '4' + text, size);
      if (header.query !== undefined) entry.query = header.query;
      if (header.id !== undefined) entry.id = header.id;
      if (summary.event !== undefined) entry.event = summary.event;
      if (header.attachments >= 0) entry.attachments = header.attachments;
      if (header.start < text.length) entry.pending = { json: text, start: header.start, sio };
    } else {
      const packet = decodeSioPayload(header, text, sio, entry);
      if (packet instanceof Failure) return this.fail(ctx.frame, state, packet.reason, '4' + text, size);
    }
    if (header.attachments > 0) {
      state.reassembly[dir] = { entry, text, expected: header.attachments, attachments: [] };
      return;
    }
    this.emitSio(entry, state);
  }

  private handleJsonObjectPacket(text: string, ctx: PacketContext, size: number): void {
    const packet = decodeJsonObjectPacket(text, ctx.state.info.sio ?? 5);
    if (packet instanceof Failure) return this.fail(ctx.frame, ctx.state, `not a Socket.IO packet: ${packet.reason}`, '4' + text, size);
    ctx.state.info.parser = 'msgpack';
    this.emitSio(this.entryFromPacket(ctx, size, packet), ctx.state);
  }

  private handleSioBinary(bytes: Uint8Array, ctx: PacketContext, size: number): void {
    const { state, dir } = ctx;
    const pending = state.reassembly[dir];
    if (pending) {
      pending.attachments.push(bytes);
      pending.entry.size += size;
      if (pending.attachments.length === pending.expected) {
        state.reassembly[dir] = undefined;
        this.completeBinary(pending.entry, pending.attachments, pending.text, ctx);
      }
      return;
    }
    if (looksLikeMsgpackPacket(bytes)) {
      const packet = decodeMsgpackPacket(bytes, state.info.sio ?? 5);
      if (!(packet instanceof Failure)) {
        state.info.parser = 'msgpack';
        this.emitSio(this.entryFromPacket(ctx, size, packet), state);
        return;
      }
      if (state.info.parser === 'msgpack') return this.fail(ctx.frame, state, packet.reason, bytesToBase64(bytes), size);
    }
    const reason = 'binary message outside a binary packet: no BINARY_EVENT/BINARY_ACK header is waiting for attachments';
    this.fail(ctx.frame, state, reason, bytesToBase64(bytes), size);
  }

  private completeBinary(entry: SioEntry, attachments: Uint8Array[], text: string, ctx: PacketContext): void {
    if (entry.pending) {
      entry.pending.attachments = attachments;
    } else if (entry.args) {
      const rebuilt = reconstructPlaceholders(entry.args, attachments);
      if (rebuilt instanceof Failure) return this.fail(ctx.frame, ctx.state, rebuilt.reason, '4' + text, entry.size, entry.t);
    }
    this.emitSio(entry, ctx.state);
  }

  private abandonReassembly(state: ConnectionState, dir: Direction, t: number, why: string): void {
    const pending = state.reassembly[dir];
    if (!pending) return;
    state.reassembly[dir] = undefined;
    const reason = `binary packet incomplete: expected ${pending.expected} attachment(s), got ${pending.attachments.length} before ${why}`;
    const { seq, conn, transport, size } = pending.entry;
    this.emit({ index: 0, seq, conn, t, dir, transport, size, layer: 'error', error: reason, raw: '4' + pending.text });
  }

  /** One object shape for every Socket.IO entry: see SioLogEntry. */
  private sioEntry(ctx: PacketContext, size: number, type: SioEntry['type'], ns: string): SioEntry {
    const { frame, dir, transport } = ctx;
    return new SioLogEntry(frame.seq, ctx.state.info.id, frame.t, dir, transport, size, type, ns);
  }

  /** An entry from a packet decoded elsewhere (the msgpack parser's maps). */
  private entryFromPacket(ctx: PacketContext, size: number, packet: SioPacket): SioEntry {
    return Object.assign(this.sioEntry(ctx, size, packet.type, packet.ns), packet);
  }

  private emitSio(entry: SioEntry, state: ConnectionState): void {
    this.emit(entry);
    const { dir, ns } = entry;
    switch (entry.type) {
      case 'event': {
        if (entry.id === undefined) return;
        const byNs = state.awaitingAck[dir];
        let awaiting = byNs.get(ns);
        if (!awaiting) byNs.set(ns, (awaiting = new Map()));
        awaiting.set(entry.id, entry.index);
        return;
      }
      case 'ack': {
        if (entry.id === undefined) return;
        const awaiting = state.awaitingAck[OPPOSITE[dir]].get(ns);
        const eventIndex = awaiting?.get(entry.id);
        if (eventIndex === undefined) return;
        awaiting!.delete(entry.id);
        const event = this.log[eventIndex] as SioEntry;
        event.ackedBy = entry.index;
        entry.ackOf = eventIndex;
        entry.latency = entry.t - event.t;
        return;
      }
      case 'connect': {
        const info = namespace(state, ns, entry.t);
        if (dir === 'out') {
          info.state = 'connecting';
          info.auth = entry.data;
          info.query = entry.query;
        } else {
          info.state = 'connected';
          const sid = (entry.data as { sid?: unknown } | undefined)?.sid;
          if (typeof sid === 'string') info.socketId = sid;
        }
        info.reason = undefined;
        return;
      }
      case 'connect_error': {
        const info = namespace(state, ns, entry.t);
        info.state = 'refused';
        info.reason = errorMessage(entry.data);
        return;
      }
      case 'disconnect': {
        const info = namespace(state, ns, entry.t);
        info.state = 'disconnected';
        info.reason = dir === 'in' ? 'the server disconnected the socket' : 'the client disconnected the socket';
      }
    }
  }

  private close(state: ConnectionState, t: number, reason: string): void {
    state.info.state = 'closed';
    state.info.closeReason = reason;
    for (const ns of state.info.namespaces.values()) {
      if (ns.state === 'connected' || ns.state === 'connecting') {
        ns.state = 'disconnected';
        ns.reason = reason;
        ns.since = t;
      }
    }
  }

  private fail(frame: RawFrame, state: ConnectionState, error: string, raw: string, size = 0, t = frame.t): void {
    const { seq, dir, transport } = frame;
    this.emit({ index: 0, seq, conn: state.info.id, t, dir, transport, size, layer: 'error', error, raw });
  }

  // Entries are built as one literal each: in V8, `{ ...base, more }` costs several times a plain literal, and
  // this runs once per packet.
  private eioEntry(ctx: PacketContext, size: number, type: EioEntry['type'], data?: unknown): EioEntry {
    const { frame, dir, transport } = ctx;
    const entry: EioEntry = { index: 0, seq: frame.seq, conn: ctx.state.info.id, t: frame.t, dir, transport, size, layer: 'eio', type };
    if (data !== undefined) entry.data = data;
    return entry;
  }

  /** Adds an entry decoded elsewhere (a server's report of its traffic) to the log, after what is there. */
  append(entry: DecodedEntry): void {
    this.emit(entry);
  }

  private emit(entry: DecodedEntry): void {
    entry.index = this.log.length;
    this.log.push(entry);
  }
}

/**
 * Lazy entries: parses the arguments the tracker left aside, once, and keeps them on the entry. A failure is kept
 * too, as `entry.invalid` (the raw packet stays in `entry.pending`), and later calls return it without parsing again.
 */
export function materialize(entry: SioEntry): unknown[] | Failure {
  const pending = entry.pending;
  if (!pending) return entry.args ?? [];
  if (entry.invalid !== undefined) return new Failure(entry.invalid, pending.json);
  const args = decodePending(pending);
  if (args instanceof Failure) {
    entry.invalid = args.reason;
    return new Failure(args.reason, pending.json);
  }
  entry.args = args;
  entry.pending = undefined;
  return args;
}

function decodePending(pending: PendingPayload): unknown[] | Failure {
  const header = parseSioHeader(pending.json);
  if (header instanceof Failure) return header;
  const packet = decodeSioPayload(header, pending.json, pending.sio);
  if (packet instanceof Failure) return packet;
  const args = packet.args ?? [];
  if (pending.attachments) {
    const rebuilt = reconstructPlaceholders(args, pending.attachments);
    if (rebuilt instanceof Failure) return rebuilt;
  }
  return args;
}

function sioFor(eio: EioVersion): SioVersion {
  return eio === 3 ? 4 : 5;
}

function namespace(state: ConnectionState, ns: string, t: number): NamespaceInfo {
  let info = state.info.namespaces.get(ns);
  if (!info) {
    info = { ns, state: 'connecting', since: t };
    state.info.namespaces.set(ns, info);
  } else {
    info.since = t;
  }
  return info;
}

function errorMessage(data: unknown): string {
  if (typeof data === 'string') return data;
  const message = (data as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : JSON.stringify(data) ?? 'connect_error';
}

/** Bytes a packet of a polling payload took: its type digit and its text, unless the payload decoder knew better. */
function packetSize(packet: EioPacket, ascii: boolean): number {
  if (packet.wire !== undefined) return packet.wire;
  if (typeof packet.data === 'string') return 1 + textSize(packet.data, ascii);
  return packet.data.length;
}

/** UTF-8 bytes of a text of a payload already known to be ASCII, or not. */
function textSize(text: string, ascii: boolean): number {
  return ascii ? text.length : utf8Length(text);
}
