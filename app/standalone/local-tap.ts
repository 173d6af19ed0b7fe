// The app's own connections go through the extension's page hook: the same wrappers of WebSocket, XHR and fetch,
// the same FrameLog, the same checks the relay applies, so one decode path serves the panel and the app. Installed
// once, before any Socket.IO client module loads (engine.io-client reads `WebSocket` when its module is evaluated):
// main.ts imports this module first and loads the clients with dynamic imports.
import { FrameLog } from '../../extension/hook/frame-log.ts';
import { now } from '../../extension/hook/natives.ts';
import { wrapFetch } from '../../extension/hook/wrap-fetch.ts';
import { wrapWebSocket } from '../../extension/hook/wrap-websocket.ts';
import { wrapXhr } from '../../extension/hook/wrap-xhr.ts';
import { readHookMessage, toMessagingColumns } from '../../extension/relay/hook-frames.ts';
import { framesOfColumns } from '../../extension/frame-columns.ts';
import type { PageInstance } from '../../extension/messages.ts';
import type { Source, SourceEvent } from '../source.ts';

/** `fetch` as it was before the tap: the app's own probes are not traffic to show. */
export const untappedFetch: typeof fetch = globalThis.fetch.bind(globalThis);

const instance = Math.random().toString(36).slice(2, 10);
const page: PageInstance = { instance, url: location.href, top: true };
const log = new FrameLog(now);
const channel = new MessageChannel();
log.connect(channel.port1);
let counter = 0;
const nextConn = (prefix: string) => `${instance}:${prefix}${++counter}`;
for (const wrap of [wrapWebSocket, wrapXhr, wrapFetch]) wrap(log, nextConn);

/** What the tap has copied, as the UI's Source: frames checked like the relay checks a page's. */
export class LocalTapSource implements Source {
  private onEvent: ((event: SourceEvent) => void) | undefined;

  start(onEvent: (event: SourceEvent) => void): void {
    this.onEvent = onEvent;
    onEvent({ type: 'page', page: { ...page, frameId: 0 } });
    channel.port2.onmessage = (event: MessageEvent) => this.receive(event.data);
    log.subscribe(1);
    onEvent({ type: 'status', connected: true });
  }

  stop(): void {
    log.unsubscribe();
    channel.port2.onmessage = null;
    this.onEvent = undefined;
  }

  private receive(value: unknown): void {
    const message = readHookMessage(value);
    if (!message || !this.onEvent) return;
    if (message.type === 'dropped') {
      this.onEvent({ type: 'dropped', instance, count: message.count, reason: 'tap buffer full' });
    } else if (message.type === 'frames') {
      const columns = toMessagingColumns(message.batch, page);
      const frames = columns && framesOfColumns(columns);
      if (frames && frames.length > 0) this.onEvent({ type: 'frames', instance, frames });
    }
  }
}
