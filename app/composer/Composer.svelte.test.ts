import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { RawFrame } from '../../protocol/types.ts';
import { CaptureStore } from '../capture/capture-store.ts';
import Composer from './Composer.svelte';
import type { ComposedEmit, Sender, SenderMode, SendResult } from './sender.ts';
import { StorageTemplateStore } from './template-store.ts';

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
}

/** A sender that records what it was asked (the real ones are tested against real servers and in e2e). */
class RecordingSender implements Sender {
  readonly sent: ComposedEmit[] = [];
  constructor(
    readonly mode: SenderMode,
    private readonly reply: (emit: ComposedEmit) => SendResult = () => ({ ok: true }),
  ) {}
  async send(emit: ComposedEmit): Promise<SendResult> {
    this.sent.push(emit);
    return this.reply(emit);
  }
}

function connectedStore(): CaptureStore {
  const store = new CaptureStore();
  const url = 'ws://h/socket.io/?EIO=4&transport=websocket';
  const frames = ['0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000}', '40', '40{"sid":"x"}'].map(
    (data, i): RawFrame => ({ seq: i + 1, t: i, conn: 'p:w1', url, transport: 'websocket', dir: i === 1 ? 'out' : 'in', kind: 'message', opcode: 'text', data }),
  );
  store.handle({ type: 'frames', instance: 'p', frames });
  return store;
}

function setup(sender: Sender, store = connectedStore()) {
  const templates = new StorageTemplateStore(new MemoryStorage());
  render(Composer, { store, version: store.version, sender, templates, seed: { ns: '/', event: 'record' }, onclose: () => {}, onjump: () => {} });
}

async function addArg(index: number, kind: string, text: string) {
  await fireEvent.click(screen.getByRole('button', { name: 'Add argument' }));
  await fireEvent.change(screen.getByLabelText(`Argument ${index} kind`), { target: { value: kind } });
  await fireEvent.input(screen.getByLabelText(`Argument ${index}`), { target: { value: text } });
}

describe('Composer', () => {
  it('bad input: a message at the argument, and the sender is never called', async () => {
    const sender = new RecordingSender('wire');
    setup(sender);
    await addArg(1, 'json', '[1,');
    await addArg(2, 'hex', 'xyz');
    expect(screen.getAllByTestId('arg-error').map((e) => e.textContent)).toEqual([expect.stringMatching(/^JSON: /), 'hex: "x" is not a hex digit']);
    await fireEvent.click(screen.getByRole('button', { name: 'Send to server' }));
    await waitFor(() => expect(screen.getByTestId('composer-status').textContent).toBe('Nothing was sent: fix the arguments marked in red.'));
    // Arguments fixed, but a name no handler would get: refused too.
    await fireEvent.click(screen.getByRole('button', { name: 'Remove argument 2' }));
    await fireEvent.input(screen.getByLabelText('Argument 1'), { target: { value: '[1]' } });
    await fireEvent.input(screen.getByLabelText('Event'), { target: { value: 'disconnect' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Send to server' }));
    await waitFor(() => expect(screen.getByTestId('composer-status').textContent).toBe('Nothing was sent: "disconnect" is reserved by Socket.IO: no handler would get it.'));
    expect(sender.sent).toEqual([]);
  });

  it('wire mode: the plan is encoded for the captured connection, with an ack id from the high range', async () => {
    const sender = new RecordingSender('wire');
    setup(sender);
    await addArg(1, 'json', '{"a": 1}');
    await fireEvent.click(screen.getByRole('button', { name: 'Send to server' }));
    await waitFor(() => expect(sender.sent).toHaveLength(1));
    const [emit] = sender.sent;
    expect(emit).toMatchObject({ target: 'server', conn: 'p:w1', ns: '/', event: 'record', args: [{ a: 1 }], ack: true });
    expect(emit.ackId).toBeGreaterThanOrEqual(2 ** 30);
    expect(emit.plan).toEqual({ via: 'websocket', socket: 'p:w1', frames: [{ opcode: 'text', data: `42${emit.ackId}["record",{"a":1}]` }] });
    await waitFor(() => expect(screen.getByTestId('composer-status').textContent).toMatch(/waiting for the ack/));
  });

  it("client mode (the app's own socket): no connection picker, the sender's own ack shows with its latency", async () => {
    const sender = new RecordingSender('client', () => ({ ok: true, answer: Promise.resolve([{ ok: true }]) }));
    setup(sender, new CaptureStore());
    expect(screen.queryByLabelText('Connection')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Fire at page' })).toBeNull();
    await fireEvent.input(screen.getByLabelText('Namespace'), { target: { value: '/chat' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Send to server' }));
    await waitFor(() => expect(screen.getByTestId('composer-status').textContent).toMatch(/^Sent to the server; ack in \d+\.\d ms\.$/));
    expect(screen.getByTestId('composer-answer').querySelector('pre')!.textContent).toBe('[{"ok":true}]');
    expect(sender.sent[0]).toMatchObject({ ns: '/chat', event: 'record', args: [], ack: true });
    expect(sender.sent[0].plan).toBeUndefined();
  });

  it('admin mode: a room or socket id, no ack', async () => {
    const sender = new RecordingSender('admin');
    setup(sender, new CaptureStore());
    expect(screen.queryByLabelText('Ask for an ack')).toBeNull();
    await fireEvent.input(screen.getByLabelText('Room or socket id'), { target: { value: 'lobby' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Emit from the server' }));
    await waitFor(() => expect(screen.getByTestId('composer-status').textContent).toBe('Emitted by the server.'));
    expect(sender.sent[0]).toMatchObject({ target: 'server', ns: '/', room: 'lobby', ack: false });
  });
});
