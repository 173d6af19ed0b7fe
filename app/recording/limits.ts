// What the user lets recording keep, and enforcing it: the oldest sessions go first.
import { sessionFrames, type SessionRecord, type SockscopeDb } from './db.ts';

export interface Limits {
  /** Total bytes of all sessions (approximate, as `SessionRecord.bytes` counts them). */
  maxBytes: number;
  maxSessions: number;
}

export const DEFAULT_LIMITS: Limits = { maxBytes: 500 * 1024 * 1024, maxSessions: 50 };
/** Bounds of what the settings accept. */
export const LIMIT_RANGE = { minBytes: 1024 * 1024, maxBytes: 64 * 1024 * 1024 * 1024, minSessions: 1, maxSessions: 10_000 };

export interface Usage {
  sessions: number;
  bytes: number;
  frames: number;
}

export async function readLimits(db: SockscopeDb): Promise<Limits> {
  const row = await db.settings.get('limits');
  return sanitizeLimits(row?.value);
}

export async function writeLimits(db: SockscopeDb, limits: Limits): Promise<Limits> {
  const clean = sanitizeLimits(limits);
  await db.settings.put({ key: 'limits', value: clean });
  return clean;
}

function sanitizeLimits(value: unknown): Limits {
  const v = (value ?? {}) as Partial<Record<keyof Limits, unknown>>;
  const num = (x: unknown, fallback: number, min: number, max: number) =>
    typeof x === 'number' && Number.isFinite(x) ? Math.min(max, Math.max(min, Math.round(x))) : fallback;
  return {
    maxBytes: num(v.maxBytes, DEFAULT_LIMITS.maxBytes, LIMIT_RANGE.minBytes, LIMIT_RANGE.maxBytes),
    maxSessions: num(v.maxSessions, DEFAULT_LIMITS.maxSessions, LIMIT_RANGE.minSessions, LIMIT_RANGE.maxSessions),
  };
}

export function usageOf(sessions: readonly SessionRecord[]): Usage {
  let bytes = 0;
  let frames = 0;
  for (const s of sessions) {
    bytes += s.bytes;
    frames += s.frameCount;
  }
  return { sessions: sessions.length, bytes, frames };
}

/** Deletes a session and its frames in one transaction. */
export async function deleteSession(db: SockscopeDb, id: number): Promise<void> {
  await db.transaction('rw', db.sessions, db.frames, async () => {
    await sessionFrames(db, id).delete();
    await db.sessions.delete(id);
  });
}

/**
 * Drops the oldest sessions until the rest fit the limits; `keep` (the session being recorded) is never dropped.
 * Returns the ids dropped.
 */
export async function enforceLimits(db: SockscopeDb, limits: Limits, keep?: number): Promise<number[]> {
  const sessions = await db.sessions.orderBy('startedAt').toArray();
  let { bytes, sessions: count } = usageOf(sessions);
  const dropped: number[] = [];
  for (const s of sessions) {
    if (bytes <= limits.maxBytes && count <= limits.maxSessions) break;
    if (s.id === keep) continue;
    await deleteSession(db, s.id!);
    dropped.push(s.id!);
    bytes -= s.bytes;
    count--;
  }
  return dropped;
}
