import { stringifyValue } from '../../protocol/json-output.ts';
import type { DecodedEntry } from '../../protocol/types.ts';
import { matchesTerms, parseFilter, type FilterSubject, type FilterTerm } from './filter.ts';

/** What the filter reads: the event name, and the payload as it came over the wire (no parse, no copy). */
const payloadText = new WeakMap<DecodedEntry, string>();
export const filterSubject: FilterSubject = {
  event: (e) => (e.layer === 'sio' && e.event !== undefined ? String(e.event) : ''),
  text(e) {
    if (e.layer === 'error') return e.raw;
    if (e.layer === 'eio') return e.data === undefined ? '' : typeof e.data === 'string' ? e.data : stringifyValue(e.data);
    if (e.pending) return e.pending.json;
    let text = payloadText.get(e);
    if (text === undefined) {
      text = stringifyValue(e.args ?? e.data ?? null);
      payloadText.set(e, text);
    }
    return text;
  },
};

export interface ViewOptions {
  filter: string;
  /** Engine.IO rows (open, ping, pong, upgrade, close...): hidden by default. */
  showEngine: boolean;
}

/**
 * The rows the timeline shows: indices into the log, in a typed array that grows as entries come. A new filter
 * is applied a slice at a time (`advance`, called once per animation frame with a time budget), so a million
 * entries never hold up the page.
 */
/** Entries examined between two looks at the clock. */
export const SCAN_CHUNK = 1024;

export class TimelineModel {
  private rows = new Int32Array(1024);
  count = 0;
  /** Rises whenever the rows change (rows added, or a reset): a view compares it with the one it last rendered. */
  revision = 0;
  /** Log entries examined so far under the current filter. */
  scanned = 0;
  errors: string[] = [];
  private terms: readonly FilterTerm[] = [];
  private showEngine = false;
  private options: ViewOptions = { filter: '', showEngine: false };
  /** The log array the rows index into: a cleared log is a new array. */
  private log: readonly DecodedEntry[] | undefined;

  constructor(private readonly entries: () => readonly DecodedEntry[]) {
    this.configure(this.options);
  }

  configure(options: ViewOptions): void {
    this.options = { ...options };
    const parsed = parseFilter(options.filter);
    this.errors = parsed.errors;
    this.terms = parsed.terms;
    this.showEngine = options.showEngine;
    this.reset();
  }

  /** Starts over: the log was cleared or the filter changed. */
  reset(): void {
    this.count = 0;
    this.scanned = 0;
    this.revision++;
  }

  get done(): boolean {
    return this.scanned >= this.entries().length;
  }

  /** Examines entries not yet seen until `budgetMs` runs out; returns true when it reached the end of the log. */
  advance(budgetMs: number): boolean {
    const entries = this.entries();
    if (entries !== this.log || this.scanned > entries.length) {
      this.log = entries;
      this.reset();
    }
    const until = performance.now() + budgetMs;
    while (this.scanned < entries.length) {
      const end = Math.min(entries.length, this.scanned + SCAN_CHUNK);
      const { terms, showEngine } = this;
      const before = this.count;
      for (let i = this.scanned; i < end; i++) {
        const entry = entries[i];
        if ((showEngine || entry.layer !== 'eio') && matchesTerms(terms, entry, filterSubject)) this.push(i);
      }
      if (this.count !== before) this.revision++;
      this.scanned = end;
      if (performance.now() >= until) break;
    }
    return this.scanned >= entries.length;
  }

  /** Log index of the row at `position`. */
  at(position: number): number {
    return this.rows[position];
  }

  /** Row position of a log index, or -1 when it is filtered out (binary search: rows are in log order). */
  positionOf(index: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const value = this.rows[mid];
      if (value === index) return mid;
      if (value < index) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private push(index: number): void {
    if (this.count === this.rows.length) {
      const grown = new Int32Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    this.rows[this.count++] = index;
  }
}
