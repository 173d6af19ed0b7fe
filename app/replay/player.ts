// Plays a recorded session into a CaptureStore: the views show the session as it stood at the player's position.
// Going forward feeds the frames in between; going back starts a fresh log and feeds up to the position. Feeding
// is bounded per tick (`maxFramesPerTick`), so a jump across a million frames never blocks a frame.
import type { RawFrame } from '../../protocol/types.ts';
import type { CaptureStore } from '../capture/capture-store.ts';
import type { CapturedPage } from '../source.ts';

export const SPEEDS = [0.5, 1, 2, 5, 10, Infinity] as const;
/** Frames handed to the store at a time, between checks of the time budget. */
const SLICE = 5000;

export class Player {
  /** Frames fed to the store so far. */
  fed = 0;
  /** Where the user wants to be, in frames; `following` keeps it at the end while the session loads. */
  target = 0;
  following = true;
  playing = false;
  /** Session time multiplier; Infinity plays as fast as feeding allows. */
  speed = 1;
  private clock = 0;
  private lastTick: number | undefined;

  constructor(
    private readonly store: CaptureStore,
    private readonly frames: () => readonly RawFrame[],
    private readonly page: CapturedPage,
    private readonly maxFramesPerTick = 50_000,
  ) {
    store.handle({ type: 'page', page });
  }

  get length(): number {
    return this.frames().length;
  }

  /** The session time at the position: the time of the last frame fed, or of the first one. */
  get time(): number {
    const frames = this.frames();
    if (frames.length === 0) return 0;
    return frames[Math.max(0, Math.min(this.fed, this.target) - 1)]?.t ?? frames[0].t;
  }

  get busy(): boolean {
    return this.fed !== this.target;
  }

  play(): void {
    if (this.target >= this.length) this.seek(0);
    this.following = false;
    this.playing = true;
    this.clock = this.time;
    this.lastTick = undefined;
  }

  pause(): void {
    this.playing = false;
  }

  setSpeed(speed: number): void {
    this.speed = speed;
  }

  /** Moves to a frame position (0 = nothing shown, length = all). */
  seek(position: number): void {
    this.following = position >= this.length;
    this.target = Math.max(0, Math.min(this.length, Math.round(position)));
    this.clock = this.time;
  }

  /** Moves to the last frame at or before a session time. */
  seekTime(t: number): void {
    this.seek(upperBound(this.frames(), t));
    this.clock = t;
  }

  /** Feeds frames until the log has one more visible packet (a Socket.IO entry, or an error), or the end. */
  stepEvent(): void {
    this.pause();
    this.following = false;
    this.settle();
    const frames = this.frames();
    const isVisible = (from: number) => {
      const entries = this.store.entries;
      for (let i = from; i < entries.length; i++) if (entries[i].layer !== 'eio') return true;
      return false;
    };
    const before = this.store.entries.length;
    while (this.fed < frames.length && !isVisible(before)) this.feed(this.fed + 1);
    this.target = this.fed;
    this.clock = this.time;
  }

  /** Feeds everything up to the target now (used before a step). */
  settle(): void {
    while (this.busy) this.tick(performance.now(), Infinity);
  }

  /**
   * Called once per animation frame: advances playback and feeds a bounded slice toward the target, at most
   * `budget` frames and, past the first slice, no longer than `timeBudgetMs`.
   */
  tick(now: number, budget = this.maxFramesPerTick, timeBudgetMs = Infinity): void {
    const frames = this.frames();
    if (this.following) this.target = frames.length;
    if (this.playing) {
      const elapsed = this.lastTick === undefined ? 0 : now - this.lastTick;
      if (this.speed === Infinity) this.target = Math.min(frames.length, this.target + budget);
      else {
        this.clock += elapsed * this.speed;
        this.target = Math.max(this.target, upperBound(frames, this.clock));
      }
      if (this.target >= frames.length) this.playing = false;
    }
    this.lastTick = now;
    if (this.target < this.fed) {
      this.store.clear();
      this.store.handle({ type: 'page', page: this.page });
      this.fed = 0;
    }
    const until = Math.min(this.target, this.fed + budget);
    const started = performance.now();
    while (this.fed < until) {
      this.feed(Math.min(until, this.fed + SLICE));
      if (performance.now() - started >= timeBudgetMs) break;
    }
  }

  private feed(to: number): void {
    const frames = this.frames();
    this.store.handle({ type: 'frames', instance: this.page.instance, frames: frames.slice(this.fed, to) });
    this.fed = to;
  }
}

/** Index of the first frame after time t (frames are in capture order, which is time order within a session). */
function upperBound(frames: readonly RawFrame[], t: number): number {
  let lo = 0;
  let hi = frames.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (frames[mid].t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
