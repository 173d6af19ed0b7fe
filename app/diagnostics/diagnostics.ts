// Problems Sockscope notices in a log, each pointing at the rows behind it.
import type { ConnectionInfo } from '../../protocol/tracker/connection.ts';
import type { DecodedEntry } from '../../protocol/types.ts';

export type DiagnosticKind =
  | 'connect_error'
  | 'upgrade_failed'
  | 'upgrade_missing'
  | 'ping_timeout'
  | 'reconnect_loop'
  | 'ack_unanswered'
  | 'payload_too_large'
  | 'near_miss'
  | 'insecure_transport'
  | 'undecodable';

export interface Diagnostic {
  kind: DiagnosticKind;
  severity: 'error' | 'warning';
  message: string;
  /** Log indices of the rows behind it (the first is the one to jump to). */
  entries: number[];
}

export interface DiagnosticsInput {
  entries: readonly DecodedEntry[];
  connections: readonly ConnectionInfo[];
  /** URLs of the pages the traffic came from (insecure transports from https pages). */
  pageUrls: readonly string[];
  /** Now, in the log's clock (epoch ms): what "still unanswered" and "still on polling" are measured against. */
  now: number;
}

/** An ack this late is reported as never answered. */
export const ACK_TIMEOUT_MS = 10_000;
/** A session still on polling this long after a handshake that offered WebSocket is reported. */
export const UPGRADE_GRACE_MS = 10_000;
/** Sessions to one endpoint, each short-lived, this many within the window: a reconnect loop. */
const LOOP_SESSIONS = 3;
const LOOP_WINDOW_MS = 60_000;
const LOOP_SHORT_MS = 10_000;
/** Distinct event names compared for near misses, at most (the check is quadratic in them). */
const NEAR_MISS_NAMES = 300;

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, current[j]);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

/** The endpoint a session talks to, without the per-session and cache-busting parameters. */
function endpointOf(url: string): string {
  return url.replace(/([?&])(sid|t|j)=[^&]*/g, '$1').replace(/[?&]+$/, '').replace(/^ws/, 'http');
}

export function diagnose({ entries, connections, pageUrls, now }: DiagnosticsInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byConn = new Map<string, DecodedEntry[]>();
  const sent = new Map<string, number[]>();
  const received = new Map<string, number[]>();

  const undecodable: number[] = [];
  for (const e of entries) {
    let list = byConn.get(e.conn);
    if (!list) byConn.set(e.conn, (list = []));
    list.push(e);
    if (e.layer === 'error') undecodable.push(e.index);
    if (e.layer !== 'sio') continue;
    // Lazy mode: arguments found malformed when they were parsed (materialize).
    if (e.invalid !== undefined) undecodable.push(e.index);
    if (e.type === 'connect_error') {
      const data = e.data as { message?: unknown } | string | undefined;
      const message = typeof data === 'string' ? data : typeof data?.message === 'string' ? data.message : 'refused';
      out.push({ kind: 'connect_error', severity: 'error', message: `connect_error on ${e.ns}: ${message}`, entries: [e.index] });
    }
    if (e.type === 'event' && e.event !== undefined) {
      const names = e.dir === 'out' ? sent : received;
      const name = String(e.event);
      let indices = names.get(name);
      if (!indices) names.set(name, (indices = []));
      indices.push(e.index);
      if (e.id !== undefined && e.ackedBy === undefined && now - e.t > ACK_TIMEOUT_MS) {
        out.push({ kind: 'ack_unanswered', severity: 'warning', message: `"${name}" (ack ${e.id}) never answered`, entries: [e.index] });
      }
    }
  }

  for (const info of connections) {
    const rows = byConn.get(info.id) ?? [];
    const first = rows[0]?.index;
    const at = (pick: (e: DecodedEntry) => boolean) => rows.filter(pick).map((e) => e.index);
    for (const u of info.upgrades) {
      if (!u.ok) out.push({ kind: 'upgrade_failed', severity: 'warning', message: `upgrade to WebSocket failed on ${info.url}`, entries: at((e) => e.transport === 'websocket').slice(0, 5) });
    }
    const offered = info.handshake?.upgrades.includes('websocket') ?? false;
    if (offered && info.transport === 'polling' && info.upgrades.length === 0 && info.state === 'open' && now - info.firstT > UPGRADE_GRACE_MS) {
      out.push({ kind: 'upgrade_missing', severity: 'warning', message: `still on HTTP long-polling: the server offered WebSocket and no upgrade came (${info.url})`, entries: first === undefined ? [] : [first] });
    }
    const max = info.handshake?.maxPayload;
    if (max !== undefined) {
      const big = at((e) => e.size > max);
      if (big.length > 0) out.push({ kind: 'payload_too_large', severity: 'error', message: `${big.length} packet(s) larger than the handshake's maxPayload (${max.toLocaleString('en')} bytes)`, entries: big });
    }
    if (info.handshake && info.state === 'closed') {
      const heartbeat = rows.filter((e) => e.layer === 'eio' && (e.type === 'ping' || e.type === 'pong') && e.data !== 'probe');
      const lastBeat = heartbeat.at(-1)?.t ?? info.firstT;
      const closedAt = info.lastT;
      if (closedAt - lastBeat > info.handshake.pingInterval + info.handshake.pingTimeout && !/closed the session/.test(info.closeReason ?? '')) {
        out.push({ kind: 'ping_timeout', severity: 'error', message: `no heartbeat for ${Math.round((closedAt - lastBeat) / 1000)} s before the connection closed (ping timeout)`, entries: rows.slice(-1).map((e) => e.index) });
      }
    }
  }

  if (undecodable.length > 0) {
    out.push({ kind: 'undecodable', severity: 'error', message: `${undecodable.length} packet(s) could not be decoded`, entries: undecodable });
  }

  const byEndpoint = new Map<string, ConnectionInfo[]>();
  for (const info of connections) {
    const key = endpointOf(info.url);
    let list = byEndpoint.get(key);
    if (!list) byEndpoint.set(key, (list = []));
    list.push(info);
  }
  for (const [endpoint, sessions] of byEndpoint) {
    const short = sessions.filter((s) => s.state === 'closed' && s.lastT - s.firstT < LOOP_SHORT_MS);
    for (let i = 0; i + LOOP_SESSIONS <= short.length; i++) {
      if (short[i + LOOP_SESSIONS - 1].firstT - short[i].firstT <= LOOP_WINDOW_MS) {
        const firsts = short.map((s) => byConn.get(s.id)?.[0]?.index).filter((x): x is number => x !== undefined);
        out.push({ kind: 'reconnect_loop', severity: 'error', message: `${short.length} short-lived connections to ${endpoint}: a reconnect loop`, entries: firsts });
        break;
      }
    }
  }

  const names = (m: Map<string, number[]>) => [...m.keys()].slice(0, NEAR_MISS_NAMES);
  for (const out1 of names(sent)) {
    if (received.has(out1)) continue;
    for (const in1 of names(received)) {
      if (sent.has(in1) || out1 === in1) continue;
      const limit = Math.max(1, Math.floor(Math.min(out1.length, in1.length) / 5));
      if (editDistance(out1.toLowerCase(), in1.toLowerCase(), limit) <= limit) {
        out.push({ kind: 'near_miss', severity: 'warning', message: `"${out1}" is sent and "${in1}" received: a typo? Nothing answers "${out1}"`, entries: [sent.get(out1)![0], received.get(in1)![0]] });
      }
    }
  }

  if (pageUrls.some((u) => u.startsWith('https:'))) {
    for (const info of connections) {
      if (/^(ws|http):/.test(info.url)) {
        const rows = byConn.get(info.id) ?? [];
        out.push({ kind: 'insecure_transport', severity: 'warning', message: `unencrypted ${info.url.split(':')[0]}:// connection from an https:// page`, entries: rows.slice(0, 1).map((e) => e.index) });
      }
    }
  }
  return out;
}

