// What the UI reads from: the DevTools panel hands it a port-backed source, the standalone app its own. The UI
// never touches `chrome.*`.
import type { RawFrame } from '../protocol/types.ts';

/** One document whose traffic is captured (a page or one of its frames); `instance` keys its frames' `seq`. */
export interface CapturedPage {
  instance: string;
  url: string;
  top: boolean;
  frameId: number;
}

export type SourceEvent =
  | { type: 'page'; page: CapturedPage }
  /** Frames of one page, in `seq` order, each exactly once. */
  | { type: 'frames'; instance: string; frames: RawFrame[] }
  | { type: 'dropped'; instance: string; count: number; reason: string }
  | { type: 'status'; connected: boolean; detail?: string };

export interface Source {
  start(onEvent: (event: SourceEvent) => void): void;
  stop(): void;
}
