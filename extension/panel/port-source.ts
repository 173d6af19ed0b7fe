import { Failure } from '../../protocol/failure.ts';
import { toRawFrame } from '../../protocol/raw-frame.ts';
import type { RawFrame } from '../../protocol/types.ts';
import type { Source, SourceEvent } from '../../app/source.ts';
import { readSendOutcome } from '../../app/composer/wire-plan.ts';
import { isBackgroundToPanel, type PanelToBackground, type SendOutcome } from '../messages.ts';

const RECONNECT_MS = 100;
const RESYNC_MS = 1000;

/**
 * The panel's source: a runtime port to the background, reconnected whenever the service worker goes away. It
 * keeps the last `seq` of every page, so frames reach the UI once each and in order: repeats are skipped, and a gap
 * (frames lost with a stopped worker) makes it ask again from the last one it has; the page's ring buffer answers.
 */
export class PortSource implements Source {
  private port: chrome.runtime.Port | undefined;
  private readonly lastSeq: Record<string, number> = Object.create(null);
  private onEvent: ((event: SourceEvent) => void) | undefined;
  private stopped = false;
  private resyncAt = 0;
  private resyncTimer: ReturnType<typeof setTimeout> | undefined;

  /** Answers to the composer's requests (see port-sender.ts). */
  onSent: ((requestId: string, outcome: SendOutcome) => void) | undefined;

  constructor(readonly tabId: number) {}

  /** Posts a request to the background; false when the port is down (the worker is restarting). */
  post(message: PanelToBackground): boolean {
    try {
      if (!this.port) return false;
      this.port.postMessage(message);
      return true;
    } catch {
      return false;
    }
  }

  start(onEvent: (event: SourceEvent) => void): void {
    this.onEvent = onEvent;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.port?.disconnect();
  }

  private connect(): void {
    if (this.stopped) return;
    const port = chrome.runtime.connect({ name: 'panel' });
    this.port = port;
    port.onMessage.addListener((message: unknown) => this.receive(message));
    port.onDisconnect.addListener(() => {
      this.port = undefined;
      this.onEvent?.({ type: 'status', connected: false, detail: 'service worker restarting' });
      setTimeout(() => this.connect(), RECONNECT_MS);
    });
    this.attach();
    this.onEvent?.({ type: 'status', connected: true });
  }

  private attach(): void {
    const message: PanelToBackground = { source: 'sockscope-panel', type: 'attach', tabId: this.tabId, resume: { ...this.lastSeq } };
    this.port?.postMessage(message);
  }

  private receive(message: unknown): void {
    if (!isBackgroundToPanel(message) || !this.onEvent) return;
    if (message.type === 'sent') {
      const outcome = readSendOutcome(message.outcome);
      if (outcome) this.onSent?.(message.requestId, outcome);
    } else if (message.type === 'page') {
      const { instance, url, top, frameId } = message;
      if (typeof instance === 'string' && typeof url === 'string') this.onEvent({ type: 'page', page: { instance, url, top: top === true, frameId } });
    } else if (message.type === 'dropped') {
      this.skipLost(String(message.instance), Number(message.firstKept), String(message.reason));
    } else if (Array.isArray(message.frames)) {
      const frames = this.inOrder(String(message.instance), message.frames);
      if (frames.length > 0) this.onEvent({ type: 'frames', instance: String(message.instance), frames });
    }
  }

  private inOrder(instance: string, batch: unknown[]): RawFrame[] {
    const accepted: RawFrame[] = [];
    for (const value of batch) {
      const frame = toRawFrame(value);
      if (frame instanceof Failure) continue;
      // A page's seq starts at 1: a first frame after that is a hole too (live frames for another panel can come
      // before the answer to this panel's subscription), filled from the ring or reported as dropped.
      const last = this.lastSeq[instance] ?? 0;
      if (frame.seq <= last) continue;
      if (frame.seq > last + 1) {
        this.requestResync();
        break;
      }
      this.lastSeq[instance] = frame.seq;
      accepted.push(frame);
    }
    return accepted;
  }

  /**
   * The page's ring buffer starts at `firstKept`: take up from there (or the hole never closes) and count what this
   * panel lacks. Every subscription from an older seq repeats the notice; once past it, a notice changes nothing.
   */
  private skipLost(instance: string, firstKept: number, reason: string): void {
    if (!Number.isSafeInteger(firstKept)) return;
    const last = this.lastSeq[instance] ?? 0;
    if (firstKept - 1 <= last) return;
    this.lastSeq[instance] = firstKept - 1;
    this.onEvent?.({ type: 'dropped', instance, count: firstKept - 1 - last, reason });
  }

  /** At most one request a second; a later one waits its turn instead of being lost (the stream may have ended). */
  private requestResync(): void {
    if (this.resyncTimer !== undefined) return;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = undefined;
      this.resyncAt = Date.now() + RESYNC_MS;
      this.attach();
    }, Math.max(0, this.resyncAt - Date.now()));
  }
}
