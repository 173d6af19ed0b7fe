import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// The standalone web app (client and admin modes), served as static files: `npm start` serves it at /app/.
export default defineConfig({
  root: 'app/standalone',
  base: './',
  plugins: [svelte()],
  build: {
    outDir: '../../dist/app',
    emptyOutDir: true,
    target: 'es2022',
  },
});
