import { defineConfig } from 'vitest/config';

// Kept apart from vite.config.ts: the extension build pulls in crxjs, which unit tests must not load.
export default defineConfig({
  test: {
    include: ['protocol/**/*.test.ts', 'app/**/*.test.ts', 'extension/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
