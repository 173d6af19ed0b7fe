import { crx } from '@crxjs/vite-plugin';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import manifest from './manifest.config.ts';

// The extension. The hook and the relay are standalone IIFEs: they must run synchronously at document_start,
// before any page script, which crxjs's module loader (an async import) would not.
export default defineConfig({
  plugins: [
    svelte(),
    crx({
      manifest,
      contentScripts: { standaloneFiles: ['extension/hook/page-hook.ts', 'extension/relay/relay.ts'] },
    }),
  ],
  build: {
    outDir: 'dist/extension',
    emptyOutDir: true,
    target: 'es2022',
    // Keep function names: the hook's wrappers must not rename what the page can inspect.
    minify: false,
    rollupOptions: { input: { panel: 'extension/panel/panel.html' } },
  },
});
