// How the composer reaches a connection, whatever owns it: the DevTools panel sends a wire plan through the page's
// hook (extension/panel/port-sender.ts); the standalone app can call `socket.emit(event, ...args)` on its own
// socket.io-client connection and ignore the plan.
import type { SendOutcome, WirePlan } from './wire-plan.ts';

export type EmitTarget = 'server' | 'page';

/** One composed emit, validated and encoded: `plan` is every wire message, ready to go as is. */
export interface ComposedEmit {
  target: EmitTarget;
  /** The connection (the capture's logical conn id) and namespace. */
  conn: string;
  ns: string;
  event: string;
  /** The arguments as parsed, binary as Uint8Array. */
  args: unknown[];
  /** The ack id the plan carries (chosen from a range the page's own client never uses), if an ack is asked. */
  ackId?: number;
  plan: WirePlan;
}

export type SendResult =
  | (SendOutcome & { ok: false })
  | {
      ok: true;
      /** A sender that gets the ack itself (socket.emit's callback) hands it here; else the composer watches the log. */
      answer?: Promise<unknown[]>;
    };

export interface Sender {
  send(emit: ComposedEmit): Promise<SendResult>;
}
