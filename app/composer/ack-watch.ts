// Waits in the capture for the ack that answers a composed emit: the hook captured the emit and the server's
// answer like any other frames, and the tracker paired them (so the timeline shows them as one pair too).
import { Failure } from '../../protocol/failure.ts';
import { materialize } from '../../protocol/tracker/tracker.ts';
import type { DecodedEntry, SioEntry } from '../../protocol/types.ts';

export interface AckWatchTarget {
  conn: string;
  ns: string;
  id: number;
}

/** The slice of CaptureStore the watcher reads. */
export interface AckLog {
  readonly entries: readonly DecodedEntry[];
  subscribe(listener: () => void): () => void;
}

export type AckAnswer = { args: unknown[] | Failure; latency: number | undefined; index: number };

export function isAnswer(entry: DecodedEntry, target: AckWatchTarget): entry is SioEntry {
  return entry.layer === 'sio' && entry.type === 'ack' && entry.dir === 'in' && entry.id === target.id && entry.conn === target.conn && entry.ns === target.ns;
}

/**
 * Calls `done` once: with the answer, or with undefined after `timeoutMs`. Only entries added since the last look
 * are scanned. Returns a function that stops watching (without calling `done`).
 */
export function watchAck(log: AckLog, target: AckWatchTarget, from: number, timeoutMs: number, done: (answer: AckAnswer | undefined) => void): () => void {
  let scanned = from;
  let finished = false;
  const finish = (answer: AckAnswer | undefined) => {
    if (finished) return;
    finished = true;
    unsubscribe();
    clearTimeout(timer);
    done(answer);
  };
  const look = () => {
    const entries = log.entries;
    if (entries.length < scanned) scanned = 0; // the log was cleared
    for (; scanned < entries.length; scanned++) {
      const entry = entries[scanned];
      if (isAnswer(entry, target)) {
        const args = materialize(entry);
        return finish({ args, latency: entry.latency, index: entry.index });
      }
    }
  };
  const unsubscribe = log.subscribe(look);
  const timer = setTimeout(() => finish(undefined), timeoutMs);
  look();
  return () => {
    finished = true;
    unsubscribe();
    clearTimeout(timer);
  };
}
