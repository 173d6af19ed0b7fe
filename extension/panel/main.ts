import { mount } from 'svelte';
import { CaptureStore } from '../../app/capture/capture-store.ts';
import { materialize } from '../../protocol/tracker/tracker.ts';
import Panel from '../../app/panel/Panel.svelte';
import { PortSource } from './port-source.ts';
import { PortSender } from './port-sender.ts';
import { StorageTemplateStore } from '../../app/composer/template-store.ts';

const query = new URLSearchParams(location.search);
// Inside DevTools the inspected tab is known; opened as a page (end-to-end tests), it comes as `?tabId=N`.
const tabId = chrome.devtools?.inspectedWindow?.tabId ?? Number(query.get('tabId'));
// DevTools says 'default' or 'dark'; as a page, `?theme=` or the system's colour scheme decides.
const devtoolsTheme = chrome.devtools?.panels?.themeName;
const asked = devtoolsTheme ?? query.get('theme');
const theme = asked === 'dark' ? 'dark' : asked === 'default' || asked === 'light' ? 'light' : undefined;

const store = new CaptureStore();
const source = new PortSource(tabId);
source.start((event) => store.handle(event));
const sender = new PortSender(source);
const templates = new StorageTemplateStore(localStorage);
mount(Panel, { target: document.getElementById('app')!, props: { store, theme, sender, templates } });

/** For end-to-end tests: the decoded log as the panel holds it, and with every entry's arguments read. */
const decoded = () => {
  for (const entry of store.entries) if (entry.layer === 'sio') materialize(entry);
  return store.entries;
};
Object.assign(globalThis, { sockscopePanel: { store, tabId, decoded } });
