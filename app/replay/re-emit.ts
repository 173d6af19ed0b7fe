// Re-emit: sends a recorded session's client events again to a live server, then sets the new answers beside the
// recorded ones. This module is the pure core: the plan (what to send, when), a runner that takes the send
// function (the standalone app's client connection), and the comparison with differences marked.
import type { DecodedEntry, SioEntry } from '../../protocol/types.ts';

export type Timing = 'original' | 'back-to-back';

export interface EmitStep {
  /** Index of the recorded event in the recorded log. */
  recorded: number;
  ns: string;
  event: string | number;
  args: unknown[];
  /** The recorded emit asked for an ack. */
  ack: boolean;
  /** Milliseconds after the start at which to send it (0 for every step back to back). */
  at: number;
}

export interface PlanOptions {
  timing: Timing;
  /** Only these namespaces (all when absent). */
  namespaces?: readonly string[];
  /** Original timing, faster or slower (2 = twice as fast). */
  speed?: number;
}

const isClientEvent = (e: DecodedEntry): e is SioEntry => e.layer === 'sio' && e.type === 'event' && e.dir === 'out' && e.event !== undefined;

/** The client's events of a recorded log, in order, with when to send each. `args` must be materialised. */
export function planReEmit(log: readonly DecodedEntry[], options: PlanOptions): EmitStep[] {
  const speed = options.speed && options.speed > 0 ? options.speed : 1;
  const steps: EmitStep[] = [];
  let start: number | undefined;
  for (const e of log) {
    if (!isClientEvent(e)) continue;
    if (options.namespaces && !options.namespaces.includes(e.ns)) continue;
    start ??= e.t;
    steps.push({ recorded: e.index, ns: e.ns, event: e.event!, args: e.args ?? [], ack: e.id !== undefined, at: options.timing === 'original' ? (e.t - start) / speed : 0 });
  }
  return steps;
}

/**
 * The namespaces the recorded client joined, each with the auth of its first CONNECT the server accepted (the
 * re-emitting connection joins them the same way before it sends). Refused attempts are left out.
 */
export function recordedNamespaces(log: readonly DecodedEntry[]): { ns: string; auth: unknown }[] {
  const asked = new Map<string, SioEntry>();
  const joined = new Map<string, unknown>();
  for (const e of log) {
    if (e.layer !== 'sio' || e.type !== 'connect') continue;
    const key = `${e.conn} ${e.ns}`;
    if (e.dir === 'out') asked.set(key, e);
    else if (!joined.has(e.ns)) joined.set(e.ns, asked.get(key)?.data);
  }
  return [...joined].map(([ns, auth]) => ({ ns, auth }));
}

/**
 * Runs a plan: `send` each step at its time (`sleep` waits; back to back, each waits for the previous send). Stops
 * early when `signal` aborts. Returns how many steps were sent.
 */
export async function runPlan(
  steps: readonly EmitStep[],
  send: (step: EmitStep) => void | Promise<void>,
  sleep: (ms: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<number> {
  let elapsed = 0;
  let sent = 0;
  for (const step of steps) {
    if (signal?.aborted) break;
    if (step.at > elapsed) {
      await sleep(step.at - elapsed);
      elapsed = step.at;
    }
    if (signal?.aborted) break;
    await send(step);
    sent++;
  }
  return sent;
}

export interface Difference {
  /** Where in the value, as `$[0].user.name`. */
  path: string;
  recorded: unknown;
  replayed: unknown;
}

export type AnswerStatus = 'same' | 'changed' | 'missing' | 'extra';

export interface AnswerComparison {
  status: AnswerStatus;
  ns: string;
  event?: string | number;
  recorded?: unknown[];
  replayed?: unknown[];
  differences: Difference[];
}

export interface StepComparison {
  step: EmitStep;
  /** The ack: recorded vs new (status 'same' when neither exists). */
  ack: AnswerComparison;
  /** Events the server sent after this emit and before the next one, recorded vs new, matched in order. */
  answers: AnswerComparison[];
}

/**
 * Sets the new run beside the recorded one. The new log is what the live connection decoded while the plan ran:
 * its client events are matched to the plan's steps in order (same namespace and name). Each step's ack is
 * compared with the recorded one; each server event that followed a recorded emit (until the next one) is matched
 * with the first unclaimed new server event of the same name after the new emit (answers may come later when the
 * run goes back to back); new server events nobody claimed are listed as extra, under the emit they followed.
 * `newFrom`: where the run starts in `newLog` (a live log that also holds earlier traffic); entries keep their
 * indexes, so `newLog` is the whole log.
 */
export function compareRuns(recordedLog: readonly DecodedEntry[], steps: readonly EmitStep[], newLog: readonly DecodedEntry[], newFrom = 0): StepComparison[] {
  const newEmits: SioEntry[] = [];
  for (let i = newFrom; i < newLog.length; i++) if (isClientEvent(newLog[i])) newEmits.push(newLog[i] as SioEntry);
  const recordedEmits = steps.map((s) => recordedLog[s.recorded] as SioEntry);
  const newServer = serverEvents(newLog, newFrom, newLog.length);
  const claimed = new Set<number>();
  const replayedOf: (SioEntry | undefined)[] = [];
  let cursor = 0;
  for (const step of steps) {
    // The next new emit of the same event (the live client may have sent others in between).
    let j = cursor;
    while (j < newEmits.length && !(newEmits[j].ns === step.ns && newEmits[j].event === step.event)) j++;
    replayedOf.push(newEmits[j]);
    if (j < newEmits.length) cursor = j + 1;
  }
  // New server events by namespace and name, in log order: each lookup is a binary search, not a scan of the log.
  const byName = new Map<string, number[]>();
  newServer.forEach((n, x) => {
    const key = answerKey(n);
    const list = byName.get(key);
    if (list) list.push(x);
    else byName.set(key, [x]);
  });
  /** The first unclaimed new server event like `r` after the log index `after`. */
  const claim = (r: SioEntry, after: number): number => {
    const list = byName.get(answerKey(r));
    if (!list) return -1;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newServer[list[mid]].index > after) hi = mid;
      else lo = mid + 1;
    }
    for (let p = lo; p < list.length; p++) if (!claimed.has(list[p])) return list[p];
    return -1;
  };
  const out: StepComparison[] = steps.map((step, i) => {
    const recorded = recordedEmits[i];
    const replayed = replayedOf[i];
    const answers: AnswerComparison[] = [];
    for (const r of serverEvents(recordedLog, recorded.index + 1, recordedEmits[i + 1]?.index ?? recordedLog.length)) {
      const k = replayed ? claim(r, replayed.index) : -1;
      if (k >= 0) claimed.add(k);
      answers.push(compareOne(r.ns, r.event, r.args ?? [], k >= 0 ? (newServer[k].args ?? []) : undefined));
    }
    return { step, ack: compareAck(recordedLog, recorded, newLog, replayed), answers };
  });
  // Unclaimed new server events, under the last new emit before them (none before the first: welcome messages).
  // The new emits found are in log order, so "the last before" is a binary search too.
  const owners: { index: number; step: number }[] = [];
  replayedOf.forEach((e, i) => e && owners.push({ index: e.index, step: i }));
  newServer.forEach((n, x) => {
    if (claimed.has(x)) return;
    let lo = 0;
    let hi = owners.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (owners[mid].index < n.index) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) out[owners[lo - 1].step].answers.push(compareOne(n.ns, n.event, undefined, n.args ?? []));
  });
  return out;
}

const answerKey = (e: SioEntry) => `${e.ns}\u0000${typeof e.event}\u0000${String(e.event)}`;

function serverEvents(log: readonly DecodedEntry[], from: number, to: number): SioEntry[] {
  const out: SioEntry[] = [];
  for (let i = from; i < to && i < log.length; i++) {
    const e = log[i];
    if (e.layer === 'sio' && e.dir === 'in' && e.type === 'event') out.push(e);
  }
  return out;
}

function compareAck(recordedLog: readonly DecodedEntry[], recorded: SioEntry, newLog: readonly DecodedEntry[], replayed: SioEntry | undefined): AnswerComparison {
  const a = recorded.ackedBy !== undefined ? (recordedLog[recorded.ackedBy] as SioEntry) : undefined;
  const b = replayed?.ackedBy !== undefined ? (newLog[replayed.ackedBy] as SioEntry) : undefined;
  return compareOne(recorded.ns, undefined, a?.args, b?.args);
}

function compareOne(ns: string, event: string | number | undefined, recorded: unknown[] | undefined, replayed: unknown[] | undefined): AnswerComparison {
  if (recorded === undefined && replayed === undefined) return { status: 'same', ns, event, differences: [] };
  if (replayed === undefined) return { status: 'missing', ns, event, recorded, differences: [] };
  if (recorded === undefined) return { status: 'extra', ns, event, replayed, differences: [] };
  const differences = diffValues(recorded, replayed);
  return { status: differences.length ? 'changed' : 'same', ns, event, recorded, replayed, differences };
}

export const DIFF_LIMITS = { differences: 100, depth: 64 };
/** A key or index one side does not have (not the same as a value `undefined`). */
const ABSENT = Symbol('absent');

/**
 * Where two decoded values differ, as paths. Iterative (no recursion to overflow on hostile nesting), own keys
 * only, capped: past `DIFF_LIMITS.differences` the last entry says how the rest was cut, and anything deeper than
 * `DIFF_LIMITS.depth` is compared as a whole.
 */
export function diffValues(recorded: unknown, replayed: unknown): Difference[] {
  const out: Difference[] = [];
  const stack: [unknown, unknown, string, number][] = [[recorded, replayed, '$', 0]];
  while (stack.length > 0) {
    const [a, b, path, depth] = stack.pop()!;
    if (Object.is(a, b)) continue;
    if (out.length >= DIFF_LIMITS.differences) {
      out.push({ path: '…', recorded: 'more differences not listed', replayed: `limit ${DIFF_LIMITS.differences}` });
      break;
    }
    if (a === ABSENT || b === ABSENT) {
      out.push({ path, recorded: a === ABSENT ? undefined : a, replayed: b === ABSENT ? undefined : b });
      continue;
    }
    if (a instanceof Uint8Array && b instanceof Uint8Array) {
      if (a.length !== b.length || a.some((x, i) => x !== b[i])) out.push({ path, recorded: a, replayed: b });
      continue;
    }
    const kindA = kindOf(a);
    if (kindA !== kindOf(b) || (kindA !== 'array' && kindA !== 'object') || depth >= DIFF_LIMITS.depth) {
      if (kindA !== kindOf(b) || kindA === 'scalar' || !sameShallowJson(a, b)) out.push({ path, recorded: a, replayed: b });
      continue;
    }
    const children: [unknown, unknown, string, number][] = [];
    if (kindA === 'array') {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.max(x.length, y.length); i++) {
        children.push([i < x.length ? x[i] : ABSENT, i < y.length ? y[i] : ABSENT, `${path}[${i}]`, depth + 1]);
      }
    } else {
      const x = a as Record<string, unknown>;
      const y = b as Record<string, unknown>;
      const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
      for (const key of keys) {
        const inX = Object.prototype.hasOwnProperty.call(x, key);
        const inY = Object.prototype.hasOwnProperty.call(y, key);
        const child = `${path}${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`;
        children.push([inX ? x[key] : ABSENT, inY ? y[key] : ABSENT, child, depth + 1]);
      }
    }
    // Depth first, in order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out;
}

function kindOf(v: unknown): 'array' | 'object' | 'bytes' | 'scalar' {
  if (Array.isArray(v)) return 'array';
  if (v instanceof Uint8Array) return 'bytes';
  return v !== null && typeof v === 'object' ? 'object' : 'scalar';
}

/** Past the depth limit: equal when they print the same (bounded by the decoder's own limits). */
function sameShallowJson(a: unknown, b: unknown): boolean {
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}
