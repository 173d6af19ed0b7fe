// The composer's templates and history in the recording database (its `templates` and `history` tables). Records
// are checked as they are read, like the localStorage store's: a record that does not check out is skipped and counted.
import type { SockscopeDb } from '../recording/db.ts';
import { HISTORY_MAX, readHistoryItem, readTemplate, readValid, TEMPLATES_MAX, type HistoryItem, type Template, type TemplateStore } from './template-store.ts';

export class DbTemplateStore implements TemplateStore {
  skipped = 0;

  constructor(private readonly db: SockscopeDb) {}

  async templates(): Promise<Template[]> {
    const { items, skipped } = readValid(await this.db.templates.toArray(), readTemplate);
    this.skipped = skipped;
    return items.sort((a, b) => a.name.localeCompare(b.name));
  }

  async saveTemplate(template: Template): Promise<void> {
    await this.db.transaction('rw', this.db.templates, async () => {
      const existing = await this.db.templates.where('name').equals(template.name).first();
      if (!existing && (await this.db.templates.count()) >= TEMPLATES_MAX) throw new Error(`at most ${TEMPLATES_MAX} templates: delete one first`);
      await this.db.templates.put({ id: existing?.id, name: template.name, draft: template.draft, savedAt: template.savedAt });
    });
  }

  async deleteTemplate(name: string): Promise<void> {
    await this.db.templates.where('name').equals(name).delete();
  }

  async history(): Promise<HistoryItem[]> {
    const { items, skipped } = readValid(await this.db.history.orderBy('sentAt').reverse().limit(HISTORY_MAX).toArray(), readHistoryItem);
    this.skipped += skipped;
    return items;
  }

  async addHistory(item: HistoryItem): Promise<void> {
    await this.db.transaction('rw', this.db.history, async () => {
      await this.db.history.add({ draft: item.draft, conn: item.conn, sentAt: item.sentAt, outcome: item.outcome });
      const over = (await this.db.history.count()) - HISTORY_MAX;
      if (over > 0) await this.db.history.bulkDelete(await this.db.history.orderBy('sentAt').limit(over).primaryKeys());
    });
  }
}
