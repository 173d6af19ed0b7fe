// A re-emit run that outlives its view: switching to the live timeline (to watch the new traffic) and back to the
// replay unmounts and remounts the re-emit table, and the run goes on; one job per opened session.
import type { CaptureStore } from '../capture/capture-store.ts';
import type { Sender } from '../composer/sender.ts';
import type { OpenedSession } from './opened-session.ts';
import type { Timing } from './re-emit.ts';
import { prepareReEmit, runReEmit, type ReEmitOutcome, type ReEmitPreparation } from './re-emit-run.ts';

export interface ReEmitJobState {
  running: boolean;
  /** Recorded frames decoded so far, while the run is being prepared. */
  decoding?: number;
  sent: number;
  prep?: ReEmitPreparation;
  outcome?: ReEmitOutcome;
  problem: string;
}

export class ReEmitJob {
  state: ReEmitJobState = { running: false, sent: 0, problem: '' };
  private abort: AbortController | undefined;
  private readonly listeners = new Set<(state: ReEmitJobState) => void>();

  constructor(private readonly opened: OpenedSession) {}

  subscribe(listener: (state: ReEmitJobState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  async start(timing: Timing, live: CaptureStore, sender: Sender | undefined, namespaces: readonly string[]): Promise<void> {
    if (this.state.running) return;
    const opened = this.opened;
    const fail = (problem: string) => this.set({ running: false, sent: 0, problem });
    if (!sender || namespaces.length === 0) return fail('connect to a server first: events are re-sent over the live connection');
    if (opened.loading) return fail(`the session is still loading (${opened.loaded} of ${opened.total} frames)`);
    if (opened.error) return fail(`the session could not be read: ${opened.error}`);
    const abort = (this.abort = new AbortController());
    this.set({ running: true, sent: 0, decoding: 0, problem: '' });
    let prep: ReEmitPreparation;
    try {
      prep = await prepareReEmit(opened.frames, timing, namespaces, (decoding) => this.set({ ...this.state, decoding }));
    } catch (e) {
      return fail(`the session could not be decoded: ${(e as Error)?.message ?? e}`);
    }
    if (abort.signal.aborted) return fail('stopped before anything was sent');
    if (prep.steps.length === 0) return this.set({ running: false, sent: 0, prep, problem: `no client event of this session is on a namespace the live connection joined (${namespaces.join(', ')})` });
    this.set({ running: true, sent: 0, prep, problem: '' });
    try {
      const outcome = await runReEmit(prep, timing, live, sender, (sent) => this.set({ ...this.state, sent }), abort.signal);
      this.set({ ...this.state, running: false, outcome, problem: outcome.problem ?? '' });
    } catch (e) {
      this.set({ ...this.state, running: false, problem: `re-emit failed: ${(e as Error)?.message ?? e}` });
    }
  }

  stop(): void {
    this.abort?.abort();
  }

  private set(state: ReEmitJobState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}

const jobs = new WeakMap<OpenedSession, ReEmitJob>();

/** The re-emit job of an opened session (made on first use; it goes with the session). */
export function reEmitJobOf(opened: OpenedSession): ReEmitJob {
  let job = jobs.get(opened);
  if (!job) jobs.set(opened, (job = new ReEmitJob(opened)));
  return job;
}
