import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { SockscopeDb } from '../recording/db.ts';
import { DbTemplateStore } from './db-template-store.ts';
import type { Draft } from './draft.ts';
import { HISTORY_MAX, StorageTemplateStore, TEMPLATES_MAX, type TemplateStore } from './template-store.ts';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

const draft: Draft = { target: 'server', ns: '/chat', event: 'echo', args: [{ kind: 'json', text: '1' }, { kind: 'hex', text: 'ff' }], ack: true, timeoutMs: 5000 };

let dbs: SockscopeDb[] = [];
let dbCounter = 0;
afterEach(() => {
  for (const db of dbs) db.close();
  dbs = [];
});
const openDb = () => {
  const db = new SockscopeDb(`templates-${++dbCounter}`);
  dbs.push(db);
  return db;
};

// The same contract for both stores: localStorage (the panel until the database is there) and the recording database.
describe.each([
  ['StorageTemplateStore', (): TemplateStore => new StorageTemplateStore(new MemoryStorage())],
  ['DbTemplateStore', (): TemplateStore => new DbTemplateStore(openDb())],
])('%s', (_name, make) => {
  it('saves, replaces by name, lists by name and deletes templates', async () => {
    const store = make();
    await store.saveTemplate({ name: 'b', draft, savedAt: 1 });
    await store.saveTemplate({ name: 'a', draft, savedAt: 2 });
    await store.saveTemplate({ name: 'b', draft: { ...draft, event: 'other' }, savedAt: 3 });
    expect((await store.templates()).map((t) => [t.name, t.draft.event])).toEqual([['a', 'echo'], ['b', 'other']]);
    await store.deleteTemplate('a');
    expect((await store.templates()).map((t) => t.name)).toEqual(['b']);
  });

  it('keeps the newest history first, up to its cap', async () => {
    const store = make();
    for (let i = 0; i < HISTORY_MAX + 5; i++) await store.addHistory({ draft, conn: 'p:w1', sentAt: i, outcome: 'sent' });
    const history = await store.history();
    expect(history).toHaveLength(HISTORY_MAX);
    expect(history[0].sentAt).toBe(HISTORY_MAX + 4);
  });

  it('refuses a template over the cap instead of dropping one silently', async () => {
    const store = make();
    for (let i = 0; i < TEMPLATES_MAX; i++) await store.saveTemplate({ name: `t${i}`, draft, savedAt: i });
    await expect(store.saveTemplate({ name: 'one more', draft, savedAt: 0 })).rejects.toThrow(/at most/);
    // Replacing one by name is still allowed at the cap.
    await store.saveTemplate({ name: 't0', draft: { ...draft, event: 'again' }, savedAt: 1 });
    expect((await store.templates()).find((t) => t.name === 't0')?.draft.event).toBe('again');
  });
});

describe('StorageTemplateStore', () => {

  it('hostile or foreign data is skipped and counted, never trusted', async () => {
    const storage = new MemoryStorage();
    const store = new StorageTemplateStore(storage);
    storage.setItem('sockscope.composer.templates', 'not json');
    expect(await store.templates()).toEqual([]);
    expect(store.skipped).toBe(1);
    storage.setItem(
      'sockscope.composer.templates',
      JSON.stringify([
        { name: 'ok', draft, savedAt: 1 },
        { name: 'bad target', draft: { ...draft, target: 'everyone' }, savedAt: 1 },
        { name: 'bad arg', draft: { ...draft, args: [{ kind: 'file', text: 'x' }] }, savedAt: 1 },
        { name: 'bad timeout', draft: { ...draft, timeoutMs: -1 }, savedAt: 1 },
        JSON.parse('{"__proto__": {"polluted": true}, "name": "proto", "savedAt": 1}'),
        null,
        'string',
      ]),
    );
    expect((await store.templates()).map((t) => t.name)).toEqual(['ok']);
    expect(store.skipped).toBe(6);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    storage.setItem('sockscope.composer.history', '{"not": "an array"}');
    expect(await store.history()).toEqual([]);
  });
});

describe('DbTemplateStore', () => {
  it('hostile records in the database are skipped and counted, never trusted', async () => {
    const db = openDb();
    const store = new DbTemplateStore(db);
    await db.templates.bulkAdd([
      { name: 'ok', draft, savedAt: 1 },
      { name: 'bad target', draft: { ...draft, target: 'everyone' }, savedAt: 1 },
      JSON.parse('{"name": "proto", "draft": {"__proto__": {"polluted": true}}, "savedAt": 1}'),
    ]);
    await db.history.add({ draft: 'nope', conn: 'c', sentAt: 1, outcome: 'sent' });
    expect((await store.templates()).map((t) => t.name)).toEqual(['ok']);
    expect(store.skipped).toBe(2);
    expect(await store.history()).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
