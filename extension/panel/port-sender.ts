import type { ComposedEmit, Sender, SendResult } from '../../app/composer/sender.ts';
import type { SendOutcome } from '../messages.ts';
import type { PortSource } from './port-source.ts';

/** How long the page has to say it sent: a page that went away mid-request never answers. */
const ANSWER_MS = 10_000;

/** The hook's conn ids are `<instance>:<n>`: the instance names the document (and so the relay) that owns it. */
export function instanceOf(conn: string): string {
  const colon = conn.indexOf(':');
  return colon < 0 ? conn : conn.slice(0, colon);
}

/**
 * The composer's sender in the DevTools panel: the plan goes over the panel's port to the background, which hands
 * it to the relay of the page that owns the connection; the hook puts it on the page's wire and answers.
 */
export class PortSender implements Sender {
  readonly mode = 'wire';
  private readonly pending = new Map<string, (outcome: SendOutcome) => void>();
  private counter = 0;

  constructor(private readonly source: PortSource) {
    source.onSent = (requestId, outcome) => {
      const settle = this.pending.get(requestId);
      this.pending.delete(requestId);
      settle?.(outcome);
    };
  }

  send(emit: ComposedEmit): Promise<SendResult> {
    const plan = emit.plan;
    if (!plan || emit.conn === undefined) return Promise.resolve({ ok: false, reason: 'nothing encoded to send' });
    const requestId = `${Date.now().toString(36)}-${++this.counter}`;
    const instance = instanceOf(plan.via === 'polling' ? emit.conn : plan.socket);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        resolve({ ok: false, reason: 'no answer from the page in 10 s (was it reloaded?)' });
      }, ANSWER_MS);
      this.pending.set(requestId, (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
      const posted = this.source.post({ source: 'sockscope-panel', type: 'send', requestId, tabId: this.source.tabId, instance, plan });
      if (!posted) {
        clearTimeout(timer);
        this.pending.delete(requestId);
        resolve({ ok: false, reason: 'the extension is restarting its service worker: try again in a moment' });
      }
    });
  }
}
