// Named composer templates and the history of what was sent. The interface is what the composer needs; the panel
// keeps both in the recording database (db-template-store.ts), and this localStorage store serves where there is no
// database. Both check what they read: bad records are skipped and counted, never trusted.
import { readDraft, type Draft } from './draft.ts';

export interface Template {
  name: string;
  draft: Draft;
  savedAt: number;
}

export interface HistoryItem {
  draft: Draft;
  conn: string;
  sentAt: number;
  /** What happened: "sent", "ack in 12.3 ms", or the error. */
  outcome: string;
}

export interface TemplateStore {
  templates(): Promise<Template[]>;
  /** Replaces a template of the same name. */
  saveTemplate(template: Template): Promise<void>;
  deleteTemplate(name: string): Promise<void>;
  history(): Promise<HistoryItem[]>;
  addHistory(item: HistoryItem): Promise<void>;
  /** Records that could not be read (hostile or from another version), skipped. */
  skipped: number;
}

export const TEMPLATES_MAX = 200;
export const HISTORY_MAX = 100;
const TEMPLATES_KEY = 'sockscope.composer.templates';
const HISTORY_KEY = 'sockscope.composer.history';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function readTemplate(v: unknown): Template | undefined {
  if (!isRecord(v) || typeof v.name !== 'string' || v.name.length === 0 || v.name.length > 200 || typeof v.savedAt !== 'number') return undefined;
  const draft = readDraft(v.draft);
  return draft && { name: v.name, draft, savedAt: v.savedAt };
}

export function readHistoryItem(v: unknown): HistoryItem | undefined {
  if (!isRecord(v) || typeof v.conn !== 'string' || typeof v.sentAt !== 'number' || typeof v.outcome !== 'string') return undefined;
  const draft = readDraft(v.draft);
  return draft && { draft, conn: v.conn.slice(0, 200), sentAt: v.sentAt, outcome: v.outcome.slice(0, 500) };
}

/** The records that pass `check`, and how many did not: stored data is never trusted. */
export function readValid<T>(values: Iterable<unknown>, check: (v: unknown) => T | undefined): { items: T[]; skipped: number } {
  const items: T[] = [];
  let skipped = 0;
  for (const value of values) {
    const item = check(value);
    if (item) items.push(item);
    else skipped++;
  }
  return { items, skipped };
}

/** A `Storage` (localStorage in the panel; any other in tests). */
export class StorageTemplateStore implements TemplateStore {
  skipped = 0;

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'>) {}

  private read<T>(key: string, check: (v: unknown) => T | undefined): T[] {
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.storage.getItem(key) ?? '[]');
    } catch {
      this.skipped++;
      return [];
    }
    if (!Array.isArray(parsed)) {
      this.skipped++;
      return [];
    }
    const { items, skipped } = readValid(parsed, check);
    this.skipped += skipped;
    return items;
  }

  private write(key: string, value: unknown[]): void {
    this.storage.setItem(key, JSON.stringify(value));
  }

  async templates(): Promise<Template[]> {
    this.skipped = 0;
    return this.read(TEMPLATES_KEY, readTemplate).sort((a, b) => a.name.localeCompare(b.name));
  }

  async saveTemplate(template: Template): Promise<void> {
    const rest = this.read(TEMPLATES_KEY, readTemplate).filter((t) => t.name !== template.name);
    if (rest.length >= TEMPLATES_MAX) throw new Error(`at most ${TEMPLATES_MAX} templates: delete one first`);
    this.write(TEMPLATES_KEY, [...rest, template]);
  }

  async deleteTemplate(name: string): Promise<void> {
    this.write(TEMPLATES_KEY, this.read(TEMPLATES_KEY, readTemplate).filter((t) => t.name !== name));
  }

  async history(): Promise<HistoryItem[]> {
    return this.read(HISTORY_KEY, readHistoryItem);
  }

  async addHistory(item: HistoryItem): Promise<void> {
    this.write(HISTORY_KEY, [item, ...this.read(HISTORY_KEY, readHistoryItem)].slice(0, HISTORY_MAX));
  }
}
