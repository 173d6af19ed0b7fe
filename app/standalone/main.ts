// The standalone app. The tap goes first: it must wrap WebSocket, XHR and fetch before any Socket.IO client module
// is evaluated (those are loaded later, with dynamic imports, by client-session.ts and the admin view).
import { LocalTapSource } from './local-tap.ts';
import { mount } from 'svelte';
import { CaptureStore } from '../capture/capture-store.ts';
import { materialize } from '../../protocol/tracker/tracker.ts';
import { SockscopeDb } from '../recording/db.ts';
import { Recorder } from '../recording/recorder.ts';
import type { OpenedSession } from '../replay/opened-session.ts';
import App from './App.svelte';

const clientStore = new CaptureStore();
// The app's origin has its own IndexedDB: its recordings, and the composer's templates and history.
const db = new SockscopeDb();
const recorder = new Recorder(db, { preserveLog: () => clientStore.preserveLog });
new LocalTapSource().start((event) => {
  clientStore.handle(event);
  recorder.handle(event);
});
let opened: OpenedSession | undefined;
mount(App, { target: document.getElementById('app')!, props: { clientStore, db, recorder, onopened: (o: OpenedSession | undefined) => (opened = o) } });

/** For end-to-end tests: the client-mode log, with every entry's arguments read. */
const decoded = () => {
  for (const entry of clientStore.entries) if (entry.layer === 'sio') materialize(entry);
  return clientStore.entries;
};
Object.assign(globalThis, { sockscopeApp: { store: clientStore, decoded, db, recorder, opened: () => opened } });
