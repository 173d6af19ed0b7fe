import { describe, expect, it } from 'vitest';
import { isBackgroundToPanel, isBackgroundToRelay, isPanelToBackground } from '../../extension/messages.ts';
import { toHookPlan } from '../../extension/relay/hook-plan.ts';
import { PLAN_MAX_FRAMES, readSendOutcome, readWirePlan } from './wire-plan.ts';

describe('wire plans crossing a boundary', () => {
  it('keeps known fields only, and refuses malformed plans', () => {
    expect(readWirePlan({ via: 'websocket', socket: 'p:w1', frames: [{ opcode: 'text', data: '42["a"]', extra: 1 }], more: true })).toEqual({
      via: 'websocket',
      socket: 'p:w1',
      frames: [{ opcode: 'text', data: '42["a"]' }],
    });
    expect(readWirePlan({ via: 'polling', url: 'http://x/?EIO=4', body: { opcode: 'binary', base64: 'AQ==' } })).toBeDefined();
    for (const bad of [
      null,
      { via: 'websocket', socket: 'p:w1', frames: [] },
      { via: 'inject', socket: 'p:w1', frames: [{ opcode: 'text', data: 5 }] },
      { via: 'websocket', socket: 'p:w1', frames: new Array(PLAN_MAX_FRAMES + 1).fill({ opcode: 'text', data: '' }) },
      { via: 'polling', url: 5, body: { opcode: 'text', data: '' } },
      { via: 'carrier pigeon' },
    ]) {
      expect(readWirePlan(bad)).toBeUndefined();
    }
    expect(readSendOutcome({ ok: false, reason: 'x'.repeat(1000) })).toEqual({ ok: false, reason: 'x'.repeat(500) });
    expect(readSendOutcome({ ok: 'yes' })).toBeUndefined();
  });

  it('the hops check their send messages', () => {
    const plan = { via: 'websocket', socket: 'p:w1', frames: [{ opcode: 'text', data: '42["a"]' }] };
    expect(isPanelToBackground({ source: 'sockscope-panel', type: 'send', requestId: 'r1', tabId: 3, instance: 'p', plan })).toBe(true);
    expect(isPanelToBackground({ source: 'sockscope-panel', type: 'send', requestId: 'r1', tabId: 3, instance: 'p', plan: {} })).toBe(false);
    expect(isBackgroundToRelay({ source: 'sockscope-background', type: 'send', requestId: '', plan })).toBe(false);
    expect(isBackgroundToPanel({ source: 'sockscope-background', type: 'sent', requestId: 'r1', outcome: { ok: true } })).toBe(true);
    expect(isBackgroundToPanel({ source: 'sockscope-background', type: 'sent', requestId: 'r1', outcome: {} })).toBe(false);
  });

  it('the relay hands the hook bytes, and nothing when any base64 is bad', () => {
    const hookPlan = toHookPlan({ via: 'inject', socket: 'p:w1', frames: [{ opcode: 'text', data: '451-["a",{"_placeholder":true,"num":0}]' }, { opcode: 'binary', base64: 'AQID' }] });
    expect(hookPlan?.via === 'inject' && new Uint8Array(hookPlan.frames[1] as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]));
    expect(toHookPlan({ via: 'websocket', socket: 'p:w1', frames: [{ opcode: 'text', data: 'x' }, { opcode: 'binary', base64: '*' }] })).toBeUndefined();
  });
});
