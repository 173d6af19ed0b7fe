import { bytesToBase64 } from '../../protocol/bytes.ts';
import { Failure } from '../../protocol/failure.ts';
import { toRawFrame } from '../../protocol/raw-frame.ts';
import type { RawFrame } from '../../protocol/types.ts';
import { readSendOutcome } from '../../app/composer/wire-plan.ts';
import type { HookFrame, HookToRelay, PageInstance } from '../messages.ts';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Checks a message from the page's side of the port; a page script may have forged it. */
export function readHookMessage(value: unknown): HookToRelay | undefined {
  if (!isRecord(value) || value.source !== 'sockscope-hook') return undefined;
  switch (value.type) {
    case 'hello':
      return typeof value.instance === 'string' && value.instance.length <= 64 && typeof value.url === 'string' && typeof value.top === 'boolean'
        ? { source: 'sockscope-hook', type: 'hello', instance: value.instance, url: value.url.slice(0, 8192), top: value.top }
        : undefined;
    case 'frames':
      return Array.isArray(value.frames) ? { source: 'sockscope-hook', type: 'frames', frames: value.frames as HookFrame[] } : undefined;
    case 'dropped':
      return typeof value.count === 'number' && typeof value.firstKept === 'number'
        ? { source: 'sockscope-hook', type: 'dropped', count: value.count, firstKept: value.firstKept }
        : undefined;
    case 'sent': {
      const outcome = readSendOutcome(value.outcome);
      return typeof value.requestId === 'string' && value.requestId.length <= 64 && outcome
        ? { source: 'sockscope-hook', type: 'sent', requestId: value.requestId, outcome }
        : undefined;
    }
    default:
      return undefined;
  }
}

/** A hook frame as a raw frame for messaging (binary as base64), or a Failure saying what was wrong with it. */
export function toMessagingFrame(frame: unknown, page: PageInstance | undefined): RawFrame | Failure {
  if (!isRecord(frame)) return new Failure('not an object');
  const data = frame.data instanceof ArrayBuffer ? bytesToBase64(new Uint8Array(frame.data)) : frame.data;
  const raw = toRawFrame(frame, data);
  if (raw instanceof Failure) return raw;
  if (page && !raw.conn.startsWith(page.instance + ':')) return new Failure('frame from another instance');
  return raw;
}
