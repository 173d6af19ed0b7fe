// The relay: an isolated-world content script at document_start, as a self-contained IIFE. It takes the hook's
// MessagePort (once), checks every message from the page side, batches frames to the background over a runtime
// port that it reconnects when the service worker goes away, and passes subscriptions back to the hook.
import { HANDSHAKE_HELLO_EVENT, HANDSHAKE_PORT_EVENT, isBackgroundToRelay, type PageInstance, type RelayToBackground, type RelayToHook } from '../messages.ts';
import { readWirePlan } from '../../app/composer/wire-plan.ts';
import { toHookPlan } from './hook-plan.ts';
import { readHookMessage, sliceColumns, toMessagingColumns, type RelayColumns } from './hook-frames.ts';

const BATCH_MS = 50;
const BATCH_MAX = 1000;
/**
 * Frames kept for the background while its port is down. Older ones are let go without a notice: the panel sees
 * the hole in `seq` and asks again, and the page's ring buffer answers or says exactly what it no longer has.
 */
const QUEUE_MAX = 5000;
const RECONNECT_MS = 250;

let hookPort: MessagePort | undefined;
let page: PageInstance | undefined;
let background: chrome.runtime.Port | undefined;
/** Checked batches not yet sent, oldest first, and how many frames they hold. */
const queue: RelayColumns[] = [];
let queued = 0;
let flushTimer: ReturnType<typeof setTimeout> | undefined;
let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
let contextGone = false;

function toHook(message: RelayToHook): void {
  hookPort?.postMessage(message);
}

function toBackground(message: RelayToBackground): boolean {
  if (!background) return false;
  try {
    background.postMessage(message);
    return true;
  } catch {
    background = undefined;
    scheduleReconnect();
    return false;
  }
}

function connect(): void {
  if (contextGone || background) return;
  try {
    background = chrome.runtime.connect({ name: 'relay' });
  } catch {
    // The extension was reloaded or removed: this relay is orphaned for good.
    contextGone = true;
    return;
  }
  background.onMessage.addListener((message: unknown) => {
    if (!isBackgroundToRelay(message)) return;
    if (message.type === 'subscribe') toHook({ source: 'sockscope-relay', type: 'subscribe', fromSeq: message.fromSeq });
    else if (message.type === 'send') forwardSend(message.requestId, message.plan);
    else toHook({ source: 'sockscope-relay', type: 'unsubscribe' });
  });
  // A port lives until the service worker stops (Chrome stops idle workers after ~30 s, and can at any time).
  background.onDisconnect.addListener(() => {
    background = undefined;
    scheduleReconnect();
  });
  if (page) toBackground({ source: 'sockscope-relay', type: 'hello', ...page });
  flush();
}

function forwardSend(requestId: string, value: unknown): void {
  const plan = readWirePlan(value);
  const refuse = (reason: string): void => void (page && toBackground({ source: 'sockscope-relay', type: 'sent', instance: page.instance, requestId, outcome: { ok: false, reason } }));
  if (!plan) return refuse('the request was malformed');
  const hookPlan = toHookPlan(plan);
  if (!hookPlan) return refuse('a binary message was not valid base64');
  if (!hookPort) return refuse('the page hook is not connected');
  toHook({ source: 'sockscope-relay', type: 'send', requestId, plan: hookPlan });
}

function scheduleReconnect(): void {
  if (reconnectTimer !== undefined || contextGone) return;
  reconnectTimer = setTimeout(() => {
    reconnectTimer = undefined;
    connect();
  }, RECONNECT_MS);
}

function enqueue(batch: RelayColumns): void {
  queue.push(batch);
  queued += batch.head.length;
  if (queued >= BATCH_MAX) flush();
  else flushTimer ??= setTimeout(flush, BATCH_MS);
  // Only what could not be sent is trimmed: one burst from the hook may be bigger than the queue.
  while (queued > QUEUE_MAX) {
    const oldest = queue[0];
    const excess = queued - QUEUE_MAX;
    if (oldest.head.length <= excess) {
      queue.shift();
      queued -= oldest.head.length;
    } else {
      queue[0] = sliceColumns(oldest, excess, oldest.head.length);
      queued -= excess;
    }
  }
}

function flush(): void {
  if (flushTimer !== undefined) clearTimeout(flushTimer);
  flushTimer = undefined;
  if (!page || !background) return;
  while (queue.length > 0) {
    const oldest = queue[0];
    const n = oldest.head.length;
    const batch = n <= BATCH_MAX ? oldest : sliceColumns(oldest, 0, BATCH_MAX);
    if (!toBackground({ source: 'sockscope-relay', type: 'frames', instance: page.instance, batch })) return;
    if (batch === oldest) queue.shift();
    else queue[0] = sliceColumns(oldest, BATCH_MAX, n);
    queued -= batch.head.length;
  }
}

function onHookMessage(event: MessageEvent): void {
  const message = readHookMessage(event.data);
  if (!message) return;
  if (message.type === 'hello') {
    if (page) return;
    page = { instance: message.instance, url: message.url, top: message.top };
    connect();
  } else if (message.type === 'sent') {
    if (page) toBackground({ source: 'sockscope-relay', type: 'sent', instance: page.instance, requestId: message.requestId, outcome: message.outcome });
  } else if (message.type === 'dropped') {
    // Frames still queued here go first: the notice must not overtake frames the panel can still have.
    flush();
    if (page) toBackground({ source: 'sockscope-relay', type: 'dropped', instance: page.instance, count: message.count, firstKept: message.firstKept, reason: 'page buffer full' });
  } else {
    const batch = toMessagingColumns(message.batch, page);
    if (batch && batch.head.length > 0) enqueue(batch);
  }
}

function onPortOffered(event: Event): void {
  const port = (event as MessageEvent).ports?.[0];
  if (hookPort || !port) return;
  // Tells the hook, synchronously, that the port is taken: it stops answering hellos (see page-hook.ts).
  event.preventDefault();
  hookPort = port;
  port.onmessage = onHookMessage;
  toHook({ source: 'sockscope-relay', type: 'ready' });
}

document.addEventListener(HANDSHAKE_PORT_EVENT, onPortOffered);
document.dispatchEvent(new Event(HANDSHAKE_HELLO_EVENT));
