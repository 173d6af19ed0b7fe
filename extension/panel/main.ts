import { mount } from 'svelte';
import { CaptureStore } from '../../app/capture/capture-store.ts';
import { materialize } from '../../protocol/tracker/tracker.ts';
import PanelHost from '../../app/library/PanelHost.svelte';
import { SockscopeDb } from '../../app/recording/db.ts';
import { Recorder } from '../../app/recording/recorder.ts';
import type { OpenedSession } from '../../app/replay/opened-session.ts';
import { PortSource } from './port-source.ts';
import { PortSender } from './port-sender.ts';
import { DbTemplateStore } from '../../app/composer/db-template-store.ts';

const query = new URLSearchParams(location.search);
// Inside DevTools the inspected tab is known; opened as a page (end-to-end tests), it comes as `?tabId=N`.
const tabId = chrome.devtools?.inspectedWindow?.tabId ?? Number(query.get('tabId'));
// DevTools says 'default' or 'dark'; as a page, `?theme=` or the system's colour scheme decides.
const devtoolsTheme = chrome.devtools?.panels?.themeName;
const asked = devtoolsTheme ?? query.get('theme');
const theme = asked === 'dark' ? 'dark' : asked === 'default' || asked === 'light' ? 'light' : undefined;

const store = new CaptureStore();
const db = new SockscopeDb();
const recorder = new Recorder(db, { preserveLog: () => store.preserveLog });
const source = new PortSource(tabId);
source.start((event) => {
  store.handle(event);
  recorder.handle(event);
});
const sender = new PortSender(source);
const templates = new DbTemplateStore(db);
let opened: OpenedSession | undefined;
mount(PanelHost, {
  target: document.getElementById('app')!,
  props: { live: store, theme, db, recorder, sender, templates, onopened: (o: OpenedSession | undefined) => (opened = o) },
});

/** For end-to-end tests: the decoded log as the panel holds it, and with every entry's arguments read. */
const decoded = (of: CaptureStore = store) => {
  for (const entry of of.entries) if (entry.layer === 'sio') materialize(entry);
  return of.entries;
};
Object.assign(globalThis, { sockscopePanel: { store, tabId, decoded, db, recorder, opened: () => opened } });
