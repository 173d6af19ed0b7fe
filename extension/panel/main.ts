import { mount } from 'svelte';
import { CaptureStore } from '../../app/capture/capture-store.ts';
import LiveLog from '../../app/panel/LiveLog.svelte';
import { PortSource } from './port-source.ts';

// Inside DevTools the inspected tab is known; opened as a page (end-to-end tests), it comes as `?tabId=N`.
const fromQuery = Number(new URLSearchParams(location.search).get('tabId'));
const tabId = chrome.devtools?.inspectedWindow?.tabId ?? fromQuery;

const store = new CaptureStore();
const source = new PortSource(tabId);
source.start((event) => store.handle(event));
mount(LiveLog, { target: document.getElementById('app')!, props: { store } });

/** For end-to-end tests: the decoded log as the panel holds it. */
Object.assign(globalThis, { sockscopePanel: { store, tabId } });
