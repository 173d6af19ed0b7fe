import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_OPTIONS } from './connect-options.ts';
import { MAX_SAVED, readSaved, SAVED_KEY, withoutSaved, withSaved, writeSaved, type SavedConnection } from './saved-connections.ts';

class MemoryStorage {
  map = new Map<string, string>();
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
}

const entry = (name: string, url = 'http://127.0.0.1:3000'): SavedConnection => ({ name, options: { ...DEFAULT_CLIENT_OPTIONS, url } });

describe('saved connections', () => {
  it('write then read gives the same list', () => {
    const storage = new MemoryStorage();
    const list = withSaved(withSaved([], entry('local')), entry('staging', 'https://staging.example'));
    expect(writeSaved(storage, list)).toBeUndefined();
    expect(readSaved(storage)).toEqual({ saved: list, skipped: 0 });
  });

  it('saving under an existing name replaces it; deleting removes it', () => {
    const list = withSaved(withSaved([], entry('a')), entry('a', 'http://other:1'));
    expect(list).toEqual([entry('a', 'http://other:1')]);
    expect(withoutSaved(list, 'a')).toEqual([]);
  });

  it('keeps the newest MAX_SAVED', () => {
    let list: SavedConnection[] = [];
    for (let i = 0; i < MAX_SAVED + 5; i++) list = withSaved(list, entry(`c${i}`));
    expect(list).toHaveLength(MAX_SAVED);
    expect(list[0].name).toBe('c5');
  });

  it('hostile content is skipped and counted, never thrown', () => {
    const storage = new MemoryStorage();
    const good = entry('ok');
    storage.setItem(
      SAVED_KEY,
      JSON.stringify([good, null, 'x', { name: '', options: good.options }, { name: 'bad', options: { ...good.options, generation: 9 } }, { name: 'ok', options: good.options }, { __proto__: { polluted: true }, name: 'p' }]),
    );
    const read = readSaved(storage);
    expect(read.saved).toEqual([good]);
    expect(read.skipped).toBe(6);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    storage.setItem(SAVED_KEY, '{not json');
    expect(readSaved(storage)).toMatchObject({ saved: [], error: expect.stringContaining('not valid JSON') });
    storage.setItem(SAVED_KEY, '{"a":1}');
    expect(readSaved(storage)).toMatchObject({ saved: [], error: expect.stringContaining('not a list') });
  });

  it('a storage that throws (disabled, over quota) gives a message', () => {
    const broken = {
      getItem(): string | null {
        throw new Error('denied');
      },
      setItem(): void {
        throw new Error('quota exceeded');
      },
    };
    expect(readSaved(broken)).toMatchObject({ saved: [], error: expect.stringContaining('denied') });
    expect(writeSaved(broken, [entry('a')])).toContain('quota exceeded');
    expect(readSaved(undefined)).toEqual({ saved: [], skipped: 0 });
  });
});
