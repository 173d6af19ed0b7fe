// The timeline's filter language, in the spirit of DevTools' Network filter:
//   chat            free text: event names and payloads, case-insensitive
//   /^chat\s/i      a regular expression over the same text
//   event:chat      ns:/admin   dir:in|out   type:ack   conn:w3    a field (substring, or /regex/)
//   type:error      undecodable frames, and entries whose arguments failed to parse (`invalid`)
//   -type:ping      a leading `-` negates a term
//   "two words"     quotes keep spaces in a term (also after `field:`)
//   time:FROM-TO    entries whose time is in [FROM, TO], epoch milliseconds (the charts' brush writes it)
// Terms are ANDed. An unknown `field:` is free text, as DevTools does.
import type { DecodedEntry } from '../../protocol/types.ts';

export const FILTER_FIELDS = ['event', 'ns', 'dir', 'type', 'conn'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];

export interface FilterTerm {
  field: FilterField | 'text' | 'time';
  negate: boolean;
  /** Plain text becomes a case-insensitive expression too: no lower-cased copy of every payload. */
  match: RegExp;
  /** `time:` terms: the range, epoch ms, inclusive. */
  from: number;
  to: number;
}

export interface ParsedFilter {
  terms: FilterTerm[];
  /** What could not be read (a bad regular expression), for the filter bar to show. */
  errors: string[];
}

/** What a term is matched against; `text` is the event name and the raw payload, read lazily. */
export interface FilterSubject {
  event(entry: DecodedEntry): string;
  text(entry: DecodedEntry): string;
}

const MAX_PATTERN = 1000;

/** Splits on spaces outside double quotes; quotes are dropped, `\"` keeps one. */
function tokenize(input: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  let started = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === '\\' && quoted && input[i + 1] === '"') {
      current += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      started = true;
    } else if (!quoted && /\s/.test(c)) {
      if (started || current) tokens.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (started || current) tokens.push(current);
  return tokens;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function readPattern(value: string, exact: boolean, errors: string[]): RegExp | undefined {
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(value);
  if (!regex) return new RegExp(exact ? `^${escapeRegExp(value)}$` : escapeRegExp(value), 'i');
  if (regex[1].length > MAX_PATTERN) {
    errors.push(`regular expression longer than ${MAX_PATTERN} characters`);
    return undefined;
  }
  try {
    const flags = regex[2].replace(/[gy]/g, '');
    return new RegExp(regex[1], flags.includes('i') ? flags : flags + 'i');
  } catch (e) {
    errors.push(`bad regular expression /${regex[1]}/: ${(e as Error).message}`);
    return undefined;
  }
}

const ANY = /(?:)/;

/** `FROM-TO`, two non-negative decimal numbers. */
function readTimeRange(value: string): [number, number] | undefined {
  const range = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(value);
  if (!range) return undefined;
  const from = Number(range[1]);
  const to = Number(range[2]);
  return from <= to ? [from, to] : undefined;
}

export function parseFilter(input: string): ParsedFilter {
  const terms: FilterTerm[] = [];
  const errors: string[] = [];
  for (let token of tokenize(input)) {
    let negate = false;
    if (token.length > 1 && token.startsWith('-')) {
      negate = true;
      token = token.slice(1);
    }
    const colon = token.indexOf(':');
    const key = colon > 0 ? token.slice(0, colon).toLowerCase() : '';
    if (key === 'time') {
      const range = readTimeRange(token.slice(colon + 1));
      if (range) terms.push({ field: 'time', negate, match: ANY, from: range[0], to: range[1] });
      else errors.push(`bad time range "${token.slice(colon + 1)}": write time:FROM-TO in epoch milliseconds`);
      continue;
    }
    const field = (FILTER_FIELDS as readonly string[]).includes(key) ? (key as FilterField) : 'text';
    const value = field === 'text' ? token : token.slice(colon + 1);
    if (value === '') continue;
    const match = readPattern(value, field === 'dir' || field === 'type', errors);
    if (match !== undefined) terms.push({ field, negate, match, from: NaN, to: NaN });
  }
  return { terms, errors };
}

function fieldValue(entry: DecodedEntry, field: FilterField, subject: FilterSubject): string {
  switch (field) {
    case 'event':
      return subject.event(entry);
    case 'ns':
      return entry.layer === 'sio' ? entry.ns : '';
    case 'dir':
      return entry.dir;
    case 'type':
      return entry.layer === 'error' ? 'error' : entry.type;
    case 'conn':
      return entry.conn;
  }
}

/**
 * Whether an entry passes every term; `dir:` and `type:` match whole values, other fields substrings. One function
 * for every filter, so the JIT's work on it survives a change of filter (a fresh closure per filter ran cold, and
 * a million entries paid for its warm-up each time).
 */
export function matchesTerms(terms: readonly FilterTerm[], entry: DecodedEntry, subject: FilterSubject): boolean {
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i];
    let hit: boolean;
    if (term.field === 'time') {
      hit = entry.t >= term.from && entry.t <= term.to;
    } else if (term.field === 'text') {
      // A lazy entry's raw payload holds its event name too.
      hit = entry.layer === 'sio' && entry.pending ? term.match.test(entry.pending.json) : term.match.test(subject.event(entry)) || term.match.test(subject.text(entry));
    } else {
      hit = term.match.test(fieldValue(entry, term.field, subject));
      // A lazy entry whose arguments failed to parse is an error as well as its packet type.
      if (!hit && term.field === 'type' && entry.layer === 'sio' && entry.invalid !== undefined) hit = term.match.test('error');
    }
    if (hit === term.negate) return false;
  }
  return true;
}

export function compileFilter(filter: ParsedFilter, subject: FilterSubject): (entry: DecodedEntry) => boolean {
  const { terms } = filter;
  return (entry) => matchesTerms(terms, entry, subject);
}
