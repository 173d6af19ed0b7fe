// Saved client connections, in localStorage under one key. What is read back is untrusted (another tab, an older
// version, a hand edit): every entry is checked, bad ones are skipped and counted, and nothing here throws.
import { readClientOptions, type ClientConnectOptions } from './connect-options.ts';

export const SAVED_KEY = 'sockscope.savedConnections.v1';
/** At most this many saved connections; saving one more drops the oldest. */
export const MAX_SAVED = 50;
const MAX_NAME = 120;

export interface SavedConnection {
  name: string;
  options: ClientConnectOptions;
}

export interface SavedRead {
  saved: SavedConnection[];
  /** Entries that were not usable and were left out (a message for the UI when non-zero). */
  skipped: number;
  /** Set when the stored value as a whole could not be read. */
  error?: string;
}

type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

export function readSaved(storage: StorageLike | undefined): SavedRead {
  let text: string | null;
  try {
    text = storage?.getItem(SAVED_KEY) ?? null;
  } catch (e) {
    return { saved: [], skipped: 0, error: `saved connections unavailable: ${(e as Error).message}` };
  }
  if (text === null) return { saved: [], skipped: 0 };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { saved: [], skipped: 0, error: 'saved connections were not valid JSON and were ignored' };
  }
  if (!Array.isArray(value)) return { saved: [], skipped: 0, error: 'saved connections were not a list and were ignored' };
  const saved: SavedConnection[] = [];
  let skipped = 0;
  for (const item of value) {
    const entry = readEntry(item);
    if (entry && !saved.some((s) => s.name === entry.name)) saved.push(entry);
    else skipped++;
  }
  const kept = saved.slice(-MAX_SAVED);
  return { saved: kept, skipped: skipped + saved.length - kept.length };
}

function readEntry(item: unknown): SavedConnection | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const { name, options } = item as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME) return undefined;
  const checked = readClientOptions(options);
  return checked ? { name, options: checked } : undefined;
}

/** The list with `entry` in it (replacing one of the same name), oldest dropped past MAX_SAVED. */
export function withSaved(list: readonly SavedConnection[], entry: SavedConnection): SavedConnection[] {
  const name = entry.name.trim().slice(0, MAX_NAME) || entry.options.url;
  return [...list.filter((s) => s.name !== name), { name, options: entry.options }].slice(-MAX_SAVED);
}

export function withoutSaved(list: readonly SavedConnection[], name: string): SavedConnection[] {
  return list.filter((s) => s.name !== name);
}

/** Writes the list; a message when the browser refused (quota, storage disabled). */
export function writeSaved(storage: StorageLike | undefined, list: readonly SavedConnection[]): string | undefined {
  try {
    storage?.setItem(SAVED_KEY, JSON.stringify(list));
    return undefined;
  } catch (e) {
    return `could not save: ${(e as Error).message}`;
  }
}
