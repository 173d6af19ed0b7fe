// Parses and checks an imported file off the UI thread; the panel writes the result (one transaction).
import { Failure } from '../../protocol/failure.ts';
import { importText, MAX_IMPORT_BYTES } from './import-file.ts';
import type { ImportWorkerToPanel, PanelToImportWorker } from './import-messages.ts';

const post = (message: ImportWorkerToPanel) => (self as unknown as Worker).postMessage(message);

self.onmessage = async (event: MessageEvent<PanelToImportWorker>) => {
  const { file } = event.data;
  try {
    if (!(file instanceof Blob)) return post({ type: 'failed', message: 'no file given' });
    if (file.size > MAX_IMPORT_BYTES) {
      return post({ type: 'failed', message: `${file.name}: ${(file.size / 1024 / 1024).toFixed(0)} MB is over the import limit of ${MAX_IMPORT_BYTES / 1024 / 1024} MB` });
    }
    post({ type: 'progress', progress: { phase: 'reading', done: 0, total: file.size } });
    const text = await file.text();
    post({ type: 'progress', progress: { phase: 'reading', done: file.size, total: file.size } });
    let last = 0;
    const result = importText(text, file.name, (progress) => {
      const now = performance.now();
      if (now - last > 100 || progress.done === progress.total) {
        last = now;
        post({ type: 'progress', progress });
      }
    });
    if (result instanceof Failure) post({ type: 'failed', message: result.reason });
    else post({ type: 'done', file: result });
  } catch (e) {
    post({ type: 'failed', message: `${file?.name ?? 'file'}: ${(e as Error)?.message ?? String(e)}` });
  }
};
