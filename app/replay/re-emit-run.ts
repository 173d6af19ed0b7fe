// One re-emit run in the standalone app: decodes the opened session, plans its client events for the namespaces
// the live connection has joined, sends them with the app's sender (its own socket.io-client sockets), waits for
// the answers to settle in the live log, and compares. The new traffic goes through the tap like any other, so the
// live timeline shows it and the comparison reads it from the live store.
import type { DecodedEntry, RawFrame } from '../../protocol/types.ts';
import { materialize, Tracker } from '../../protocol/tracker/tracker.ts';
import type { CaptureStore } from '../capture/capture-store.ts';
import type { Sender } from '../composer/sender.ts';
import { compareRuns, planReEmit, recordedNamespaces, runPlan, type EmitStep, type StepComparison, type Timing } from './re-emit.ts';

/** How long an ack is awaited before the next step goes, back to back. */
export const ACK_WAIT_MS = 5000;
/** The live log is taken as settled after this long without a new entry (at most SETTLE_MAX_MS after the run). */
export const SETTLE_QUIET_MS = 400;
export const SETTLE_MAX_MS = 5000;

export interface ReEmitPreparation {
  recordedLog: readonly DecodedEntry[];
  steps: EmitStep[];
  /** Namespaces the recording joined that the live connection has not: their events are not sent. */
  notJoined: { ns: string; auth: unknown }[];
}

/** Frames decoded between two yields to the page (a long session must not freeze it). */
export const DECODE_CHUNK = 20_000;

/** Decodes the recorded frames (every argument read) and plans the steps the live connection can send. */
export async function prepareReEmit(frames: readonly RawFrame[], timing: Timing, liveNamespaces: readonly string[], onDecoded?: (frames: number) => void): Promise<ReEmitPreparation> {
  const tracker = new Tracker();
  for (let i = 0; i < frames.length; i++) {
    tracker.push(frames[i]);
    if ((i + 1) % DECODE_CHUNK === 0) {
      onDecoded?.(i + 1);
      await new Promise((r) => setTimeout(r, 0));
    }
  }
  tracker.finish();
  const recordedLog = tracker.log;
  for (const e of recordedLog) if (e.layer === 'sio') materialize(e);
  const steps = planReEmit(recordedLog, { timing, namespaces: liveNamespaces });
  const joinedLive = new Set(liveNamespaces);
  const notJoined = recordedNamespaces(recordedLog).filter((n) => !joinedLive.has(n.ns));
  return { recordedLog, steps, notJoined };
}

export interface ReEmitOutcome {
  sent: number;
  /** Steps the sender refused (the socket went away, …), by step position. */
  refused: { step: number; reason: string }[];
  comparisons: StepComparison[];
  /** Set when the comparison could not be made (the live log was cleared during the run). */
  problem?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runReEmit(
  prep: ReEmitPreparation,
  timing: Timing,
  live: CaptureStore,
  sender: Sender,
  onProgress: (sent: number) => void,
  signal?: AbortSignal,
): Promise<ReEmitOutcome> {
  const from = live.entries.length;
  const liveLog = live.entries;
  const refused: ReEmitOutcome['refused'] = [];
  const acks: Promise<unknown>[] = [];
  let position = 0;
  const send = async (step: EmitStep) => {
    const at = position++;
    const result = await sender
      .send({ target: 'server', ns: step.ns, event: String(step.event), args: step.args, ack: step.ack })
      .catch((e: unknown) => ({ ok: false as const, reason: String((e as Error)?.message ?? e) }));
    onProgress(position);
    if (!result.ok) return void refused.push({ step: at, reason: result.reason });
    if (!result.answer) return;
    const answered = Promise.race([result.answer, sleep(ACK_WAIT_MS)]);
    // Back to back: the next step waits for this answer (as the recorded client did). Original timing: the clock.
    if (timing === 'back-to-back') await answered;
    else acks.push(answered);
  };
  const sent = await runPlan(prep.steps, send, sleep, signal);
  await Promise.all(acks);
  await settle(live);
  // The store replaces its log when cleared: indexes from before mean nothing then.
  if (live.entries !== liveLog || live.entries.length < from) {
    return { sent, refused, comparisons: [], problem: 'the live log was cleared during the run: nothing to compare' };
  }
  for (let i = from; i < live.entries.length; i++) {
    const e = live.entries[i];
    if (e.layer === 'sio') materialize(e);
  }
  return { sent, refused, comparisons: compareRuns(prep.recordedLog, prep.steps.slice(0, sent), live.entries, from) };
}

/** Waits until the live log has not grown for SETTLE_QUIET_MS (late answers), or SETTLE_MAX_MS. */
async function settle(live: CaptureStore): Promise<void> {
  const until = performance.now() + SETTLE_MAX_MS;
  let seen = live.version;
  let quietSince = performance.now();
  while (performance.now() < until) {
    await sleep(100);
    if (live.version !== seen) {
      seen = live.version;
      quietSince = performance.now();
    } else if (performance.now() - quietSince >= SETTLE_QUIET_MS) return;
  }
}
