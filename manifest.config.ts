import { defineManifest } from '@crxjs/vite-plugin';
import pkg from './package.json' with { type: 'json' };

// Every frame, including about:blank and srcdoc frames (whose origin is their parent's). crxjs's manifest type
// lacks `match_origin_as_fallback`, so it comes in through a spread.
const everyFrame = { all_frames: true, match_origin_as_fallback: true };

export default defineManifest({
  manifest_version: 3,
  name: 'Sockscope',
  version: pkg.version,
  description: 'See and steer Socket.IO traffic: a DevTools panel that decodes every event, ack and packet.',
  minimum_chrome_version: '111',
  devtools_page: 'extension/devtools/devtools.html',
  background: { service_worker: 'extension/background/router.ts', type: 'module' },
  // No permissions: the content scripts' match patterns are the only access the extension has.
  content_scripts: [
    {
      // The relay listens for the hook's port first; either order works (see extension/messages.ts).
      matches: ['<all_urls>'],
      js: ['extension/relay/relay.ts'],
      run_at: 'document_start',
      ...everyFrame,
    },
    {
      matches: ['<all_urls>'],
      js: ['extension/hook/page-hook.ts'],
      run_at: 'document_start',
      ...everyFrame,
      world: 'MAIN',
    },
  ],
});
