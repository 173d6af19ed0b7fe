// The app's re-emit run against a real socket.io 4 server: a session recorded from a real client (through the
// capture proxy) is re-sent with ClientSender over a second real connection whose traffic feeds a live CaptureStore,
// as the app's tap does; the run waits for the answers to settle and compares only what came after it started.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { startChatServer, type ChatServer } from '../demo/chat-server.ts';
import { runChatSession, untilQuiet } from '../../protocol/test/support/chat-session.ts';
import { startCaptureProxy, type CaptureProxy } from '../../protocol/test/support/capture-proxy.ts';
import type { RawFrame } from '../../protocol/types.ts';
import { CaptureStore } from '../capture/capture-store.ts';
import { ClientSender } from '../composer/client-sender.ts';
import { prepareReEmit, runReEmit } from './re-emit-run.ts';

let server: ChatServer;
let recorded: RawFrame[];
beforeAll(async () => {
  server = await startChatServer({ generation: 4, parser: 'default' });
  const proxy = await startCaptureProxy(server.url);
  try {
    await runChatSession(proxy.url, { generation: 4, parser: 'default', transports: ['websocket'] });
    await untilQuiet(proxy.frames);
  } finally {
    await proxy.close();
  }
  recorded = proxy.frames;
});
afterAll(() => server?.close());

/** A live store fed with what the proxy forwards, a few times a second, like the tap's batches. */
function liveStore(proxy: CaptureProxy): { store: CaptureStore; stop(): void } {
  const store = new CaptureStore();
  store.handle({ type: 'page', page: { instance: 'live', url: 'http://app/', top: true, frameId: 0 } });
  let fed = 0;
  const timer = setInterval(() => {
    if (proxy.frames.length === fed) return;
    store.handle({ type: 'frames', instance: 'live', frames: proxy.frames.slice(fed) });
    fed = proxy.frames.length;
  }, 20);
  return { store, stop: () => clearInterval(timer) };
}

it("re-sends the events of the namespaces the live connection joined, and compares only the run's traffic", async () => {
  const proxy = await startCaptureProxy(server.url);
  const live = liveStore(proxy);
  const socket: Socket = io(proxy.url, { transports: ['websocket'], reconnection: false });
  try {
    await new Promise<void>((done, fail) => {
      socket.once('connect', () => done());
      socket.once('connect_error', fail);
    });
    // Traffic before the run: an earlier chat message and its ack are in the live log, and must not be matched.
    await new Promise((done) => socket.emit('chat message', 'before the run', done));
    await untilQuiet(proxy.frames);

    const prep = await prepareReEmit(recorded, 'back-to-back', ['/']);
    expect(prep.notJoined).toEqual([{ ns: '/chat', auth: { token: 'secret' } }]);
    expect(new Set(prep.steps.map((s) => s.ns))).toEqual(new Set(['/']));
    const progress: number[] = [];
    const outcome = await runReEmit(prep, 'back-to-back', live.store, new ClientSender((ns) => (ns === '/' ? socket : undefined)), (n) => progress.push(n));
    expect(outcome.problem).toBeUndefined();
    expect(outcome.sent).toBe(prep.steps.length);
    expect(progress.at(-1)).toBe(prep.steps.length);
    const chat = outcome.comparisons.find((c) => c.step.event === 'chat message')!;
    expect(chat.ack.status).toBe('changed');
    expect(chat.ack.differences.map((d) => d.path)).toEqual(['$[0].at']);
    // Matched with the re-sent emit, not the one before the run: its broadcast says the same text as recorded.
    expect(chat.answers.map((a) => [a.event, a.status])).toEqual([['chat message', 'same']]);
    expect(outcome.comparisons.map((c) => String(c.step.event))).toEqual(prep.steps.map((s) => String(s.event)));
  } finally {
    live.stop();
    socket.close();
    await proxy.close();
  }
});

it('a cleared live log during the run is said, not compared', async () => {
  const proxy = await startCaptureProxy(server.url);
  const live = liveStore(proxy);
  const socket: Socket = io(proxy.url, { transports: ['websocket'], reconnection: false });
  try {
    await new Promise<void>((done) => socket.once('connect', () => done()));
    const prep = await prepareReEmit(recorded, 'back-to-back', ['/']);
    const outcome = await runReEmit(prep, 'back-to-back', live.store, new ClientSender(() => socket), (n) => n === 1 && live.store.clear());
    expect(outcome.comparisons).toEqual([]);
    expect(outcome.problem).toMatch(/cleared during the run/);
  } finally {
    live.stop();
    socket.close();
    await proxy.close();
  }
});
