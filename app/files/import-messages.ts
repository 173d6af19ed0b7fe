// The import worker's two directions.
import type { ImportedFile, ImportProgress } from './import-file.ts';

export type PanelToImportWorker = { type: 'import'; file: File };

export type ImportWorkerToPanel =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; file: ImportedFile }
  | { type: 'failed'; message: string };
