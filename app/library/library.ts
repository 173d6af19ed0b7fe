// The sessions library's actions: what the sessions view calls. Deleting is undoable: a deleted session is hidden
// at once and removed from the database only when its undo time is over.
import { liveQuery } from 'dexie';
import { deleteSession, readLimits, usageOf, writeLimits, type Limits, type Usage } from '../recording/limits.ts';
import type { SessionRecord, SockscopeDb } from '../recording/db.ts';
import type { ImportProgress } from '../files/import-file.ts';
import type { ImportWorkerToPanel, PanelToImportWorker } from '../files/import-messages.ts';
import { exportSession, writeImportedSession, type ExportFormat } from '../files/session-io.ts';

export const UNDO_MS = 8000;

export interface PendingDelete {
  session: SessionRecord;
  timer: ReturnType<typeof setTimeout>;
}

export class Library {
  readonly pendingDeletes = new Map<number, PendingDelete>();

  constructor(readonly db: SockscopeDb) {}

  /** Every stored session, newest first, as it changes (the recorder's writes included). */
  watch(onChange: (sessions: SessionRecord[]) => void, onError: (message: string) => void): () => void {
    const subscription = liveQuery(() => this.db.sessions.orderBy('startedAt').reverse().toArray()).subscribe({
      next: onChange,
      error: (e: unknown) => onError(`Cannot read the sessions: ${(e as Error)?.message ?? e}`),
    });
    return () => subscription.unsubscribe();
  }

  usage(sessions: readonly SessionRecord[]): Usage {
    return usageOf(sessions.filter((s) => !this.pendingDeletes.has(s.id!)));
  }

  readLimits(): Promise<Limits> {
    return readLimits(this.db);
  }

  writeLimits(limits: Limits): Promise<Limits> {
    return writeLimits(this.db, limits);
  }

  async rename(id: number, name: string): Promise<void> {
    const clean = name.trim().slice(0, 500);
    if (clean) await this.db.sessions.update(id, { name: clean });
  }

  /** Hides the session now; deletes it when the undo time is over (or at `flushDeletes`). */
  delete(session: SessionRecord, onDone: () => void): void {
    const timer = setTimeout(() => void this.commitDelete(session.id!).then(onDone), UNDO_MS);
    this.pendingDeletes.set(session.id!, { session, timer });
  }

  undoDelete(id: number): void {
    const pending = this.pendingDeletes.get(id);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pendingDeletes.delete(id);
  }

  async flushDeletes(): Promise<void> {
    await Promise.all([...this.pendingDeletes.keys()].map((id) => this.commitDelete(id)));
  }

  private async commitDelete(id: number): Promise<void> {
    const pending = this.pendingDeletes.get(id);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pendingDeletes.delete(id);
    await deleteSession(this.db, id);
  }

  async export(id: number, format: ExportFormat): Promise<void> {
    const { fileName, text } = await exportSession(this.db, id, format);
    const url = URL.createObjectURL(new Blob([text], { type: format === 'har' ? 'application/json' : 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  /**
   * Parses and checks the file in a worker, then writes it as a new session in one transaction. Resolves with the
   * new session's id and what was skipped; rejects with a message for the user.
   */
  import(file: File, onProgress: (p: ImportProgress) => void): Promise<{ id: number; notes: string[] }> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(new URL('../files/import-worker.ts', import.meta.url), { type: 'module' });
      const done = () => worker.terminate();
      worker.onerror = (e) => {
        done();
        reject(new Error(`the import worker failed: ${e.message || 'could not start'}`));
      };
      worker.onmessage = (event: MessageEvent<ImportWorkerToPanel>) => {
        const message = event.data;
        if (message.type === 'progress') onProgress(message.progress);
        else if (message.type === 'failed') {
          done();
          reject(new Error(message.message));
        } else {
          done();
          writeImportedSession(this.db, message.file, onProgress).then(
            (id) => resolve({ id, notes: message.file.notes }),
            (e: unknown) => reject(new Error(`${file.name}: could not store the session (${(e as Error)?.message ?? e}); nothing was written`)),
          );
        }
      };
      const request: PanelToImportWorker = { type: 'import', file };
      worker.postMessage(request);
    });
  }
}
