import { base64ToBytes } from '../../protocol/bytes.ts';
import type { WireData, WirePlan } from '../../app/composer/wire-plan.ts';
import type { HookWirePlan } from '../messages.ts';

/** Binary messages as bytes for the hook (it has no base64 of its own that a page could not replace). */
function toHookData(d: WireData): string | ArrayBuffer | undefined {
  if (d.opcode === 'text') return d.data;
  const bytes = base64ToBytes(d.base64);
  return bytes ? (bytes.slice().buffer as ArrayBuffer) : undefined;
}

/** The plan the hook executes, or undefined when any binary message is not valid base64 (nothing is sent then). */
export function toHookPlan(plan: WirePlan): HookWirePlan | undefined {
  if (plan.via === 'polling') {
    const body = toHookData(plan.body);
    return body === undefined ? undefined : { via: 'polling', url: plan.url, body };
  }
  const frames: (string | ArrayBuffer)[] = [];
  for (const frame of plan.frames) {
    const data = toHookData(frame);
    if (data === undefined) return undefined;
    frames.push(data);
  }
  return { via: plan.via, socket: plan.socket, frames };
}
