import type { ComposedEmit, Sender, SendResult } from './sender.ts';

/** The slice of a socket.io-client Socket the composer uses (2.x, 3.x and 4.x alike). */
export interface ClientSocketLike {
  connected: boolean;
  emit(event: string, ...args: unknown[]): unknown;
}

/**
 * The standalone app's composer: emits with the app's own socket.io-client socket for the namespace, which
 * encodes the packet and picks the ack id itself. Its traffic is captured like any other, so the emit and its ack
 * also pair in the timeline.
 */
export class ClientSender implements Sender {
  readonly mode = 'client';

  constructor(private readonly socketFor: (ns: string) => ClientSocketLike | undefined) {}

  async send(emit: ComposedEmit): Promise<SendResult> {
    if (emit.target !== 'server') return { ok: false, reason: "the app's own connection has no page to fire at" };
    const socket = this.socketFor(emit.ns);
    if (!socket) return { ok: false, reason: `the app has no socket on namespace ${emit.ns}` };
    if (!socket.connected) return { ok: false, reason: `the socket of namespace ${emit.ns} is not connected` };
    if (!emit.ack) {
      socket.emit(emit.event, ...emit.args);
      return { ok: true };
    }
    let resolve!: (reply: unknown[]) => void;
    const answer = new Promise<unknown[]>((r) => (resolve = r));
    socket.emit(emit.event, ...emit.args, (...reply: unknown[]) => resolve(reply));
    return { ok: true, answer };
  }
}
