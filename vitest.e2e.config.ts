import { defineConfig } from 'vitest/config';

// End-to-end specs drive the built extension in Chromium: one browser per file, files one after another (a 2-core
// machine runs one Chromium well, not four).
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    // Finds Chromium once, before any spec: without one the run stops there with the how-to.
    globalSetup: ['e2e/support/global-setup.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
