// The page hook: runs in the page's MAIN world at document_start, before any page script, as a self-contained IIFE.
// It copies Engine.IO traffic (WebSocket, XHR and fetch polling) into a small ring buffer and streams it to the
// relay over a private MessagePort once a panel subscribes. Nothing here may throw into the page or change what
// the page sees.
import { HANDSHAKE_HELLO_EVENT, HANDSHAKE_PORT_EVENT, type RelayToHook } from '../messages.ts';
import { readSendCommand, runSend } from './composer.ts';
import { findOwnScript, maskToString } from './disguise.ts';
import { FrameLog } from './frame-log.ts';
import { call, natives, now } from './natives.ts';
import { wrapFetch } from './wrap-fetch.ts';
import { wrapWebSocket } from './wrap-websocket.ts';
import { wrapXhr } from './wrap-xhr.ts';

/** The relay's message, checked without Array.isArray or any other built-in a page may have replaced. */
function readRelayMessage(value: unknown): RelayToHook | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const message = value as Record<string, unknown>;
  if (message.source !== 'sockscope-relay') return undefined;
  if (message.type === 'ready' || message.type === 'unsubscribe') return message as RelayToHook;
  if (message.type === 'send') {
    const command = readSendCommand(message);
    return command && { source: 'sockscope-relay', type: 'send', ...command };
  }
  return message.type === 'subscribe' && typeof message.fromSeq === 'number' ? (message as RelayToHook) : undefined;
}

function install(): void {
  findOwnScript();
  const instance = call(natives.mathRandom, Math).toString(36).slice(2, 10);
  let counter = 0;
  const nextConn = (prefix: string) => `${instance}:${prefix}${++counter}`;
  const log = new FrameLog(now);

  const channel = new natives.MessageChannel();
  const port = channel.port1;
  log.connect(port);
  port.onmessage = (event: MessageEvent) => {
    const message = readRelayMessage(call(natives.messageEventData, event));
    if (!message) return;
    if (message.type === 'ready') {
      call(natives.removeEventListener, document, HANDSHAKE_HELLO_EVENT, offerPort);
      log.post({ source: 'sockscope-hook', type: 'hello', instance, url: location.href, top: window === window.top });
    } else if (message.type === 'subscribe') log.subscribe(message.fromSeq);
    else if (message.type === 'send') {
      const { requestId } = message;
      runSend(message, log, nextConn, (outcome) => log.post({ source: 'sockscope-hook', type: 'sent', requestId, outcome }));
    } else log.unsubscribe();
  };

  // The relay may start before or after us: we offer the port now, and again when it says hello. No `message`
  // event reaches the page's window listeners; the port travels in a DOM event only the relay listens for. The
  // relay cancels the event it takes the port from, synchronously: from then on a hello (which a page script can
  // send too) gets nothing. Both scripts run at document_start, so this is over before the page's first script.
  function offerPort(): void {
    const event = new natives.MessageEvent(HANDSHAKE_PORT_EVENT, { ports: [channel.port2], cancelable: true });
    if (!call(natives.dispatchEvent, document, event)) call(natives.removeEventListener, document, HANDSHAKE_HELLO_EVENT, offerPort);
  }
  call(natives.addEventListener, document, HANDSHAKE_HELLO_EVENT, offerPort);
  offerPort();

  for (const wrap of [wrapWebSocket, wrapXhr, wrapFetch, maskToString]) {
    try {
      wrap(log, nextConn);
    } catch {
      // Each wrap is all or nothing on its own; the others still install.
    }
  }
}

try {
  install();
} catch {
  // A hook that cannot install leaves the page exactly as it was.
}
