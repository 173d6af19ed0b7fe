// Re-emit against real servers: a session recorded from a real client (through the capture proxy) is sent again
// by a fresh socket.io client, and the comparison finds what a real server answers differently the second time.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { startChatServer, type ChatServer } from '../demo/chat-server.ts';
import { runChatSession, untilQuiet } from '../../protocol/test/support/chat-session.ts';
import { startCaptureProxy } from '../../protocol/test/support/capture-proxy.ts';
import { materialize, Tracker } from '../../protocol/tracker/tracker.ts';
import type { DecodedEntry, RawFrame } from '../../protocol/types.ts';
import { compareRuns, planReEmit, recordedNamespaces, runPlan, type EmitStep } from './re-emit.ts';

let server: ChatServer;
let recorded: DecodedEntry[];
beforeAll(async () => {
  server = await startChatServer({ generation: 4, parser: 'default' });
  const proxy = await startCaptureProxy(server.url);
  try {
    await runChatSession(proxy.url, { generation: 4, parser: 'default', transports: ['websocket'] });
    await untilQuiet(proxy.frames);
  } finally {
    await proxy.close();
  }
  recorded = decode(proxy.frames);
});
afterAll(() => server?.close());

function decode(frames: readonly RawFrame[]): DecodedEntry[] {
  const tracker = new Tracker();
  for (const f of frames) tracker.push(f);
  tracker.finish();
  for (const e of tracker.log) if (e.layer === 'sio') materialize(e);
  return tracker.log;
}

it('sends the recorded events again and marks what the server answered differently', async () => {
  const namespaces = recordedNamespaces(recorded);
  expect(namespaces).toEqual([
    { ns: '/', auth: undefined },
    { ns: '/chat', auth: { token: 'secret' } },
  ]);
  const plan = planReEmit(recorded, { timing: 'back-to-back' });
  expect(plan.map((s) => s.event)).toEqual(['chat message', 'echo', 'echo', 'echo', 'join', 'room message', 'ping me', 'binary', 'kick me']);

  // The re-emitting client: one connection, the recorded namespaces joined with their recorded auth.
  const proxy = await startCaptureProxy(server.url);
  const sockets = new Map<string, Socket>();
  try {
    for (const { ns, auth } of namespaces) {
      const socket = io(proxy.url + ns, { transports: ['websocket'], reconnection: false, auth: (auth ?? {}) as Record<string, unknown> });
      await new Promise<void>((done, fail) => {
        socket.once('connect', () => done());
        socket.once('connect_error', fail);
      });
      sockets.set(ns, socket);
    }
    const send = (step: EmitStep) =>
      new Promise<void>((done) => {
        const socket = sockets.get(step.ns)!;
        if (!step.ack) {
          socket.emit(String(step.event), ...step.args);
          done();
        } else socket.emit(String(step.event), ...step.args, () => done());
      });
    expect(await runPlan(plan, send, (ms) => new Promise((r) => setTimeout(r, ms)))).toBe(plan.length);
    await untilQuiet(proxy.frames);
  } finally {
    for (const s of sockets.values()) s.close();
    await proxy.close();
  }

  const steps = compareRuns(recorded, plan, decode(proxy.frames));
  const byEvent = (event: string) => steps.filter((s) => s.step.event === event);
  // The server stamps its ack with the time: only that differs.
  const [chat] = byEvent('chat message');
  expect(chat.ack.status).toBe('changed');
  expect(chat.ack.differences.map((d) => d.path)).toEqual(['$[0].at']);
  expect(chat.answers.map((a) => [a.event, a.status])).toEqual([['chat message', 'same']]);
  // Echo answers with what it was sent: the same.
  expect(byEvent('echo').map((s) => s.ack.status)).toEqual(['same', 'same', 'same']);
  // The rooms list holds the socket's new id; the room message says who sent it.
  expect(byEvent('join')[0].ack).toMatchObject({ status: 'changed', differences: [{ path: '$[0][0]' }] });
  expect(byEvent('room message')[0].answers).toMatchObject([{ event: 'room message', status: 'changed', differences: [{ path: '$[0].from' }] }]);
  // Binary acks compare byte for byte.
  expect(byEvent('binary')[0].ack.status).toBe('same');
});
