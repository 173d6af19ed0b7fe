// The background service worker: a router keyed by tab. It holds live ports only, never frames: Chrome may stop
// it at any moment, and relays and panels reconnect and re-announce themselves when it starts again.
import { isPanelToBackground, type BackgroundToPanel, type BackgroundToRelay, type PageInstance, type PanelToBackground } from '../messages.ts';
import { readRelayMessage } from './relay-messages.ts';

interface RelayConnection {
  port: chrome.runtime.Port;
  tabId: number;
  frameId: number;
  page?: PageInstance;
}

interface PanelConnection {
  port: chrome.runtime.Port;
  tabId: number;
  resume: Record<string, number>;
}

const relays = new Map<number, Set<RelayConnection>>();
const panels = new Map<number, Set<PanelConnection>>();
/** The composer's requests on their way to a page: who asked, to route the answer back (lost with the worker). */
const pendingSends = new Map<string, chrome.runtime.Port>();
const PENDING_MAX = 1000;

function add<T>(map: Map<number, Set<T>>, tabId: number, value: T): void {
  let set = map.get(tabId);
  if (!set) map.set(tabId, (set = new Set()));
  set.add(value);
}

function remove<T>(map: Map<number, Set<T>>, tabId: number, value: T): void {
  const set = map.get(tabId);
  set?.delete(value);
  if (set?.size === 0) map.delete(tabId);
}

function send(port: chrome.runtime.Port, message: BackgroundToPanel | BackgroundToRelay): void {
  try {
    port.postMessage(message);
  } catch {
    // The other end went away; its onDisconnect cleans up.
  }
}

/** Asks a relay's hook for frames from the earliest seq any attached panel lacks. */
function subscribe(relay: RelayConnection): void {
  const attached = panels.get(relay.tabId);
  if (!relay.page || !attached) return;
  let fromSeq = Infinity;
  for (const panel of attached) fromSeq = Math.min(fromSeq, (panel.resume[relay.page.instance] ?? 0) + 1);
  send(relay.port, { source: 'sockscope-background', type: 'subscribe', fromSeq });
}

function announce(relay: RelayConnection, panel: PanelConnection): void {
  if (relay.page) send(panel.port, { source: 'sockscope-background', type: 'page', frameId: relay.frameId, ...relay.page });
}

function onRelay(port: chrome.runtime.Port, tabId: number, frameId: number): void {
  const relay: RelayConnection = { port, tabId, frameId };
  add(relays, tabId, relay);
  port.onDisconnect.addListener(() => remove(relays, tabId, relay));
  port.onMessage.addListener((value: unknown) => {
    const message = readRelayMessage(value);
    if (!message) return;
    const attached = panels.get(tabId) ?? new Set<PanelConnection>();
    if (message.type === 'hello') {
      relay.page = { instance: message.instance, url: message.url, top: message.top };
      for (const panel of attached) announce(relay, panel);
      subscribe(relay);
      return;
    }
    if (!relay.page || message.instance !== relay.page.instance) return;
    if (message.type === 'sent') {
      const asker = pendingSends.get(message.requestId);
      pendingSends.delete(message.requestId);
      if (asker) send(asker, { source: 'sockscope-background', type: 'sent', requestId: message.requestId, outcome: message.outcome });
      return;
    }
    for (const panel of attached) {
      if (message.type === 'frames') send(panel.port, { source: 'sockscope-background', type: 'frames', frameId, instance: message.instance, frames: message.frames });
      else send(panel.port, { source: 'sockscope-background', type: 'dropped', frameId, instance: message.instance, count: message.count, firstKept: message.firstKept, reason: message.reason });
    }
  });
}

function onPanel(port: chrome.runtime.Port): void {
  let panel: PanelConnection | undefined;
  port.onMessage.addListener((message: unknown) => {
    if (!isPanelToBackground(message)) return;
    if (message.type === 'send') return forwardSend(port, message);
    if (panel) remove(panels, panel.tabId, panel);
    panel = { port, tabId: message.tabId, resume: sanitizeResume(message.resume) };
    add(panels, panel.tabId, panel);
    for (const relay of relays.get(panel.tabId) ?? []) {
      announce(relay, panel);
      subscribe(relay);
    }
  });
  port.onDisconnect.addListener(() => {
    if (!panel) return;
    remove(panels, panel.tabId, panel);
    if (!panels.has(panel.tabId)) {
      for (const relay of relays.get(panel.tabId) ?? []) send(relay.port, { source: 'sockscope-background', type: 'unsubscribe' });
    }
  });
}

/** A composer request goes to the relay of the document whose hook owns the connection (its `instance`). */
function forwardSend(port: chrome.runtime.Port, message: Extract<PanelToBackground, { type: 'send' }>): void {
  const relay = [...(relays.get(message.tabId) ?? [])].find((r) => r.page?.instance === message.instance);
  if (!relay) {
    const reason = 'the page that owns this connection is gone (reloaded or closed)';
    return send(port, { source: 'sockscope-background', type: 'sent', requestId: message.requestId, outcome: { ok: false, reason } });
  }
  if (pendingSends.size >= PENDING_MAX) pendingSends.delete(pendingSends.keys().next().value!);
  pendingSends.set(message.requestId, port);
  send(relay.port, { source: 'sockscope-background', type: 'send', requestId: message.requestId, plan: message.plan });
}

function sanitizeResume(resume: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  for (const [instance, seq] of Object.entries(resume)) if (typeof seq === 'number' && Number.isFinite(seq)) out[instance] = seq;
  return out;
}

const extensionOrigin = chrome.runtime.getURL('');

chrome.runtime.onConnect.addListener((port) => {
  const sender = port.sender;
  if (sender?.id !== chrome.runtime.id) return port.disconnect();
  if (port.name === 'relay' && sender.tab?.id !== undefined && sender.frameId !== undefined) return onRelay(port, sender.tab.id, sender.frameId);
  if (port.name === 'panel' && sender.url?.startsWith(extensionOrigin)) return onPanel(port);
  port.disconnect();
});

/** For end-to-end tests: which tabs have a relay connected, and on which URL. */
Object.assign(globalThis, {
  sockscopeRelays: () => [...relays.values()].flatMap((set) => [...set].map((r) => ({ tabId: r.tabId, frameId: r.frameId, url: r.page?.url, top: r.page?.top }))),
});
