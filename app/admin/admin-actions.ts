// Actions from the tree (emit, join, leave, disconnect) and their confirmation: an action is confirmed when the
// admin stream shows its effect (room_joined, room_left, socket_disconnected, event_sent for the target), not when
// it is sent: the instrumentation answers nothing.
import type { AdminAction, AdminServerMessage } from './admin-messages.ts';
import type { AdminModel } from './admin-model.ts';

export type ActionState = 'pending' | 'confirmed' | 'timed out';

export interface TrackedAction {
  seq: number;
  action: AdminAction;
  /** What was asked, in words ("socket abc join room lobby"). */
  label: string;
  state: ActionState;
  /** What the server showed ("socket abc joined room lobby"). */
  outcome: string;
  sentAt: number;
  /** Socket ids the action is about: the target socket, or the room's members when it was sent. */
  targets: ReadonlySet<string>;
}

export const CONFIRM_TIMEOUT_MS = 5_000;
const KEEP = 20;

export function describeAction(action: AdminAction): string {
  const target = action.filter === undefined ? `every socket of ${action.nsp}` : `${action.filter}`;
  switch (action.type) {
    case 'emit':
      return `emit "${action.event}" to ${target}`;
    case 'join':
      return `${target} join room "${action.room}"`;
    case 'leave':
      return `${target} leave room "${action.room}"`;
    case '_disconnect':
      return `disconnect ${target}`;
  }
}

export class ActionLog {
  readonly actions: TrackedAction[] = [];
  private seq = 0;

  constructor(private readonly model: AdminModel) {}

  /** Records an action about to be sent. `filter` is a socket id or a room: both are rooms on the server. */
  track(action: AdminAction, now: number): TrackedAction {
    const members = action.filter === undefined ? undefined : this.model.roomMembers(action.nsp, action.filter);
    const targets = new Set<string>();
    if (members) for (const key of members) targets.add(key.slice(key.indexOf('\u0000') + 1));
    if (action.filter !== undefined && targets.size === 0) targets.add(action.filter);
    const tracked: TrackedAction = { seq: ++this.seq, action, label: describeAction(action), state: 'pending', outcome: '', sentAt: now, targets };
    this.actions.push(tracked);
    if (this.actions.length > KEEP) this.actions.shift();
    return tracked;
  }

  /** Confirms the pending actions a message shows the effect of; returns whether any changed. */
  observe(message: AdminServerMessage): boolean {
    let changed = false;
    for (const tracked of this.actions) {
      if (tracked.state !== 'pending') continue;
      const outcome = confirmation(tracked, message);
      if (outcome) {
        tracked.state = 'confirmed';
        tracked.outcome = outcome;
        changed = true;
      }
    }
    return changed;
  }

  expire(now: number): boolean {
    let changed = false;
    for (const tracked of this.actions) {
      if (tracked.state === 'pending' && now - tracked.sentAt >= CONFIRM_TIMEOUT_MS) {
        tracked.state = 'timed out';
        tracked.outcome = `no sign of it from the server within ${CONFIRM_TIMEOUT_MS / 1000} s (readonly or production mode, already done, or no such socket)`;
        changed = true;
      }
    }
    return changed;
  }

  get pending(): boolean {
    return this.actions.some((a) => a.state === 'pending');
  }
}

function confirmation(tracked: TrackedAction, message: AdminServerMessage): string | undefined {
  const { action, targets } = tracked;
  if (!('nsp' in message) || message.nsp !== action.nsp) return undefined;
  const aimed = (id: string) => action.filter === undefined || targets.has(id);
  switch (action.type) {
    case 'join':
      return message.type === 'room_joined' && message.room === action.room && aimed(message.id)
        ? `confirmed: socket ${message.id} joined room "${message.room}"`
        : undefined;
    case 'leave':
      return message.type === 'room_left' && message.room === action.room && aimed(message.id)
        ? `confirmed: socket ${message.id} left room "${message.room}"`
        : undefined;
    case '_disconnect':
      return message.type === 'socket_disconnected' && aimed(message.id)
        ? `confirmed: socket ${message.id} disconnected (${message.reason})`
        : undefined;
    case 'emit':
      return message.type === 'event_sent' && message.args[0] === action.event && aimed(message.id)
        ? `confirmed: socket ${message.id} was sent "${action.event}"`
        : undefined;
  }
}
