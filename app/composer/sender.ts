// How the composer reaches a connection, whatever owns it. Three kinds of owner:
// - 'wire' (the DevTools panel): the composer encodes the packet for the captured connection and the sender puts
//   that plan on the page's wire through the hook (extension/panel/port-sender.ts).
// - 'client' (the standalone app's own socket.io-client connection): the sender calls `socket.emit(event, ...args)`
//   itself, with an ack callback when one is asked (client-sender.ts).
// - 'admin' (the standalone app's admin mode): the sender asks the server, through @socket.io/admin-ui's `/admin`
//   namespace, to emit to a namespace, a room or one socket (admin-sender.ts).
import type { SendOutcome, WirePlan } from './wire-plan.ts';

export type EmitTarget = 'server' | 'page';
export type SenderMode = 'wire' | 'client' | 'admin';

/** One composed emit, validated (and, for a 'wire' sender, encoded). */
export interface ComposedEmit {
  target: EmitTarget;
  /** The captured connection (its logical conn id), for a 'wire' sender. */
  conn?: string;
  ns: string;
  event: string;
  /** The arguments as parsed, binary as Uint8Array. */
  args: unknown[];
  /** Whether an answer is asked for. */
  ack: boolean;
  /** 'wire': the ack id the plan carries, from a range the page's own client never uses. */
  ackId?: number;
  /** 'wire': every wire message, ready to go as is. */
  plan?: WirePlan;
  /** 'admin': a room or a socket id; empty for the whole namespace. */
  room?: string;
}

export type SendResult =
  | (SendOutcome & { ok: false })
  | {
      ok: true;
      /** A sender that gets the ack itself (socket.emit's callback) hands it here; else the composer watches the log. */
      answer?: Promise<unknown[]>;
    };

export interface Sender {
  readonly mode: SenderMode;
  send(emit: ComposedEmit): Promise<SendResult>;
}
