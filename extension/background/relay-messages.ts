import type { RawFrame } from '../../protocol/types.ts';
import { readSendOutcome } from '../../app/composer/wire-plan.ts';
import { framesOfColumns } from '../frame-columns.ts';
import { isRecord, type RelayToBackground } from '../messages.ts';

/** A relay's message as the router uses it: frame columns already turned into frames. */
export type RelayMessage = Exclude<RelayToBackground, { type: 'frames' }> | { source: 'sockscope-relay'; type: 'frames'; instance: string; frames: RawFrame[] };

/**
 * The relay is our code, but it lives in a renderer the page controls: the envelope is checked here, and the panel
 * checks each frame where it decodes them (a router that re-validated every frame would pay twice for nothing).
 * Frames come as columns (cheap to serialise on the page's thread) and go on to the panel as objects.
 */
export function readRelayMessage(value: unknown): RelayMessage | undefined {
  if (!isRecord(value) || value.source !== 'sockscope-relay' || typeof value.instance !== 'string') return undefined;
  switch (value.type) {
    case 'hello':
      return typeof value.url === 'string' && typeof value.top === 'boolean'
        ? { source: 'sockscope-relay', type: 'hello', instance: value.instance, url: value.url, top: value.top }
        : undefined;
    case 'frames': {
      const frames = framesOfColumns(value.batch);
      return frames ? { source: 'sockscope-relay', type: 'frames', instance: value.instance, frames } : undefined;
    }
    case 'dropped':
      return typeof value.count === 'number' && typeof value.firstKept === 'number' && typeof value.reason === 'string'
        ? { source: 'sockscope-relay', type: 'dropped', instance: value.instance, count: value.count, firstKept: value.firstKept, reason: value.reason }
        : undefined;
    case 'sent': {
      const outcome = readSendOutcome(value.outcome);
      return typeof value.requestId === 'string' && outcome ? { source: 'sockscope-relay', type: 'sent', instance: value.instance, requestId: value.requestId, outcome } : undefined;
    }
    default:
      return undefined;
  }
}
