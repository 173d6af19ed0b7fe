import type { ComposedEmit, Sender, SendResult } from './sender.ts';

/** A socket.io-client socket connected to the server's `/admin` namespace (@socket.io/admin-ui). */
export interface AdminSocketLike {
  connected: boolean;
  emit(event: string, ...args: unknown[]): unknown;
}

/**
 * Admin mode: the server itself emits, to every socket of a namespace, to a room, or to one socket (a socket's id is
 * a room of its own), through admin-ui's `emit` feature. Such emits cannot ask for an ack.
 */
export class AdminSender implements Sender {
  readonly mode = 'admin';

  constructor(private readonly admin: AdminSocketLike) {}

  async send(emit: ComposedEmit): Promise<SendResult> {
    if (emit.target !== 'server') return { ok: false, reason: 'admin mode emits from the server: there is no page to fire at' };
    if (emit.ack) return { ok: false, reason: 'an emit through the admin namespace cannot ask for an ack' };
    if (!this.admin.connected) return { ok: false, reason: 'not connected to the admin namespace' };
    this.admin.emit('emit', emit.ns, emit.room ?? '', emit.event, ...emit.args);
    return { ok: true };
  }
}
