// What the composer hands to a connection's page to put on the wire: every message already encoded, so nothing
// half-encoded can reach it. Binary travels as base64 (ports carry JSON); the relay turns it into bytes for the hook.

export type WireData = { opcode: 'text'; data: string } | { opcode: 'binary'; base64: string };

export type WirePlan =
  /** Frames sent to the server over the page's live WebSocket (`socket` is the hook's raw conn). */
  | { via: 'websocket'; socket: string; frames: WireData[] }
  /** Frames delivered to the page's WebSocket listeners as if the server had sent them. */
  | { via: 'inject'; socket: string; frames: WireData[] }
  /** One polling POST body to the session's polling URL (with its sid). */
  | { via: 'polling'; url: string; body: WireData };

export type SendOutcome = { ok: true } | { ok: false; reason: string };

/** Caps on a plan from another context: a message that breaks them is refused, never cut. */
export const PLAN_MAX_FRAMES = 1000;
export const PLAN_MAX_CHARS = 64 * 1024 * 1024;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function isWireData(v: unknown): v is WireData {
  if (!isRecord(v)) return false;
  if (v.opcode === 'text') return typeof v.data === 'string' && v.data.length <= PLAN_MAX_CHARS;
  return v.opcode === 'binary' && typeof v.base64 === 'string' && v.base64.length <= PLAN_MAX_CHARS;
}

/** Checks a plan that crossed a boundary and copies only its known fields. */
export function readWirePlan(v: unknown): WirePlan | undefined {
  if (!isRecord(v)) return undefined;
  if (v.via === 'websocket' || v.via === 'inject') {
    if (typeof v.socket !== 'string' || v.socket.length > 200 || !Array.isArray(v.frames)) return undefined;
    if (v.frames.length === 0 || v.frames.length > PLAN_MAX_FRAMES || !v.frames.every(isWireData)) return undefined;
    return { via: v.via, socket: v.socket, frames: v.frames.map(copyWireData) };
  }
  if (v.via === 'polling' && typeof v.url === 'string' && v.url.length <= 64 * 1024 && isWireData(v.body)) {
    return { via: 'polling', url: v.url, body: copyWireData(v.body) };
  }
  return undefined;
}

function copyWireData(d: WireData): WireData {
  return d.opcode === 'text' ? { opcode: 'text', data: d.data } : { opcode: 'binary', base64: d.base64 };
}

export function readSendOutcome(v: unknown): SendOutcome | undefined {
  if (!isRecord(v)) return undefined;
  if (v.ok === true) return { ok: true };
  if (v.ok === false && typeof v.reason === 'string') return { ok: false, reason: v.reason.slice(0, 500) };
  return undefined;
}
