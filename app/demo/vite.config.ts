import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// The demo chat page that `npm start` serves next to the demo server.
export default defineConfig({
  root: 'app/demo/page',
  base: './',
  plugins: [svelte()],
  build: {
    outDir: '../../../dist/demo',
    emptyOutDir: true,
    target: 'es2022',
  },
});
