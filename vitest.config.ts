import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

// Kept apart from vite.config.ts: the extension build pulls in crxjs, which unit tests must not load.
// Two projects: plain unit tests in Node (real servers, real clients), and Svelte component tests in jsdom, which
// need the browser build of Svelte (and must not hand it to the Node tests' socket.io clients).
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        // Projects take the root's test options (the timeouts above) only when they extend it.
        extends: true,
        test: {
          name: 'unit',
          include: ['protocol/**/*.test.ts', 'app/**/*.test.ts', 'extension/**/*.test.ts'],
          exclude: ['**/*.svelte.test.ts', '**/node_modules/**'],
          environment: 'node',
        },
      },
      {
        extends: true,
        plugins: [svelte(), svelteTesting()],
        test: {
          name: 'components',
          include: ['app/**/*.svelte.test.ts'],
          environment: 'jsdom',
          setupFiles: ['app/jsdom-setup.ts'],
        },
      },
    ],
  },
});
