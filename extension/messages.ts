// Every message that crosses a boundary of the extension: one tagged union per hop, named by direction.
import type { RawFrame } from '../protocol/types.ts';
import { readSendOutcome, readWirePlan, type SendOutcome, type WireData, type WirePlan } from '../app/composer/wire-plan.ts';

export type { SendOutcome, WirePlan } from '../app/composer/wire-plan.ts';

/** A wire plan as the hook gets it: binary already bytes (structured clone), text as is. */
export type HookWirePlan =
  | { via: 'websocket' | 'inject'; socket: string; frames: (string | ArrayBuffer)[] }
  | { via: 'polling'; url: string; body: string | ArrayBuffer };
export type { WireData };

/** DOM event names of the page-to-relay handshake (on `document`; no `message` events reach the page). */
export const HANDSHAKE_PORT_EVENT = 'sockscope:port';
export const HANDSHAKE_HELLO_EVENT = 'sockscope:hello';

/** A frame as the hook posts it: binary data stays an ArrayBuffer (structured clone); the relay base64-encodes it. */
export type HookFrame = Omit<RawFrame, 'data'> & { data?: string | ArrayBuffer };

/** What frames of one kind on one connection have in common (the same object for all of a socket's messages). */
export type FrameHead = Omit<RawFrame, 'seq' | 't' | 'data'>;

/**
 * Frames in columns, as the relay sends them to the background: frame i is `heads[head[i]]` with `seq[i]`, `t[i]` and
 * data `data[i]`, where a number is the length of its text in `text`, after the text of the frames before it. Cloned
 * (page to relay, see HookColumns) and JSON-serialised (relay to background) on the page's main thread, a batch of
 * objects repeated every field name and the URL once per frame, and each text was a string of its own to copy,
 * allocate and collect; this is a few arrays of plain values and one string. `D` is binary data as base64 and `null`
 * for none.
 */
export interface FrameColumns<D> {
  heads: FrameHead[];
  head: number[];
  seq: number[];
  t: number[];
  data: (D | number)[];
  text: string;
}

/** `HookColumns.data`: the frame has no data. */
export const DATA_NONE = -1;
/** `HookColumns.data`: the frame's data is the next buffer of `binary`. */
export const DATA_BINARY = -2;

/**
 * Frames in columns as the page hook posts them: frame i is `heads[head[i]]` with `seq[i]` and `t[i]`; `data[i]` is
 * the length of its text in `text` (after the text of the frames before it), DATA_BINARY or DATA_NONE. The numbers
 * are typed arrays because the hook builds them on the page's side: an array growing by index asks Array.prototype
 * for a setter at that index (or a Proxy a page put behind it), while a typed array's elements are its own.
 */
export interface HookColumns {
  heads: FrameHead[];
  head: Float64Array;
  seq: Float64Array;
  t: Float64Array;
  data: Float64Array;
  binary: ArrayBuffer[];
  text: string;
}

/** Identifies one document's hook: frames' `seq` rises per instance. */
export interface PageInstance {
  instance: string;
  url: string;
  top: boolean;
}

// page hook (MAIN world) -> relay (isolated world), over the MessagePort handed over at document_start
export type HookToRelay =
  | ({ source: 'sockscope-hook'; type: 'hello' } & PageInstance)
  | { source: 'sockscope-hook'; type: 'frames'; batch: HookColumns }
  /** Frames from `fromSeq` on were asked for, but the page's ring buffer had already let `count` of them go. */
  | { source: 'sockscope-hook'; type: 'dropped'; count: number; firstKept: number }
  /** The answer to a `send` (the composer's RPC, apart from the frame stream). */
  | { source: 'sockscope-hook'; type: 'sent'; requestId: string; outcome: SendOutcome };

// relay -> page hook
export type RelayToHook =
  /** The relay holds the port: the handshake is over. */
  | { source: 'sockscope-relay'; type: 'ready' }
  | { source: 'sockscope-relay'; type: 'subscribe'; fromSeq: number }
  | { source: 'sockscope-relay'; type: 'unsubscribe' }
  | { source: 'sockscope-relay'; type: 'send'; requestId: string; plan: HookWirePlan };

// relay -> background, over a runtime port named 'relay'
export type RelayToBackground =
  | ({ source: 'sockscope-relay'; type: 'hello' } & PageInstance)
  /** Binary data as base64; `null` where a frame has none. The background hands the panel frames as objects. */
  | { source: 'sockscope-relay'; type: 'frames'; instance: string; batch: FrameColumns<string | null> }
  /** The page's ring buffer starts at `firstKept`: the frames before it that were asked for are gone. */
  | { source: 'sockscope-relay'; type: 'dropped'; instance: string; count: number; firstKept: number; reason: string }
  | { source: 'sockscope-relay'; type: 'sent'; instance: string; requestId: string; outcome: SendOutcome };

// background -> relay
export type BackgroundToRelay =
  | { source: 'sockscope-background'; type: 'subscribe'; fromSeq: number }
  | { source: 'sockscope-background'; type: 'unsubscribe' }
  | { source: 'sockscope-background'; type: 'send'; requestId: string; plan: WirePlan };

/** Where a frame batch came from: a document in one frame of the inspected tab. */
export interface FrameSource extends PageInstance {
  frameId: number;
}

// panel -> background, over a runtime port named 'panel'
export type PanelToBackground =
  | {
      source: 'sockscope-panel';
      type: 'attach';
      tabId: number;
      /** Last seq the panel holds per hook instance, so a reconnect resumes without loss or repeats. */
      resume: Record<string, number>;
    }
  /** The composer: put `plan` on the wire of the page `instance` of tab `tabId`; answered by `sent`. */
  | { source: 'sockscope-panel'; type: 'send'; requestId: string; tabId: number; instance: string; plan: WirePlan };

// background -> panel
export type BackgroundToPanel =
  | ({ source: 'sockscope-background'; type: 'page' } & FrameSource)
  | { source: 'sockscope-background'; type: 'frames'; frameId: number; instance: string; frames: RawFrame[] }
  | { source: 'sockscope-background'; type: 'dropped'; frameId: number; instance: string; count: number; firstKept: number; reason: string }
  | { source: 'sockscope-background'; type: 'sent'; requestId: string; outcome: SendOutcome };

/** A plain object (not null, not an array): the first check on any message that crossed a boundary. */
export const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function isRelayToHook(v: unknown): v is RelayToHook {
  return (
    isRecord(v) && v.source === 'sockscope-relay' && (v.type === 'ready' || v.type === 'unsubscribe' || (v.type === 'subscribe' && typeof v.fromSeq === 'number'))
  );
}

const isRequestId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 64;

export function isBackgroundToRelay(v: unknown): v is BackgroundToRelay {
  if (!isRecord(v) || v.source !== 'sockscope-background') return false;
  if (v.type === 'send') return isRequestId(v.requestId) && readWirePlan(v.plan) !== undefined;
  return v.type === 'unsubscribe' || (v.type === 'subscribe' && typeof v.fromSeq === 'number');
}

export function isPanelToBackground(v: unknown): v is PanelToBackground {
  if (!isRecord(v) || v.source !== 'sockscope-panel' || typeof v.tabId !== 'number') return false;
  if (v.type === 'send') return isRequestId(v.requestId) && typeof v.instance === 'string' && readWirePlan(v.plan) !== undefined;
  return v.type === 'attach' && isRecord(v.resume);
}

export function isBackgroundToPanel(v: unknown): v is BackgroundToPanel {
  if (!isRecord(v) || v.source !== 'sockscope-background') return false;
  if (v.type === 'sent') return isRequestId(v.requestId) && readSendOutcome(v.outcome) !== undefined;
  return v.type === 'page' || v.type === 'frames' || v.type === 'dropped';
}
