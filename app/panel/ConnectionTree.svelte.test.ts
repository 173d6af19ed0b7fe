import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ConnectionInfo } from '../../protocol/tracker/connection.ts';
import { compileFilter, parseFilter } from '../timeline/filter.ts';
import { filterSubject } from '../timeline/timeline-model.ts';
import ConnectionTree from './ConnectionTree.svelte';

const connection = (id: string, over: Partial<ConnectionInfo> = {}): ConnectionInfo => ({
  id,
  url: 'http://127.0.0.1:3000/socket.io/?EIO=4&transport=polling',
  eio: 4,
  sio: 5,
  parser: 'default',
  sid: 'S-' + id,
  transport: 'websocket',
  upgrades: [],
  state: 'open',
  namespaces: new Map(),
  firstT: 0,
  lastT: 0,
  ...over,
});

describe('connection tree', () => {
  const connections = [
    connection('p:h1', {
      namespaces: new Map([
        ['/', { ns: '/', state: 'connected', socketId: 'sock1', since: 0 }],
        ['/a.b', { ns: '/a.b', state: 'refused', reason: '<b>not authorized</b>', since: 0 }],
      ]),
    }),
    connection('p:h10', { state: 'closed', parser: 'msgpack', transport: 'polling' }),
  ];

  it('shows connections, versions, namespaces with socket ids and reasons, as text', () => {
    const { container } = render(ConnectionTree, { props: { connections, selected: '', onselect: () => {} } });
    expect(container.textContent).toContain('127.0.0.1:3000/socket.io/');
    expect(container.textContent).toContain('websocket · EIO4/SIO5');
    expect(container.textContent).toContain('polling · EIO4/SIO5 · msgpack');
    expect(container.textContent).toContain('connected · sock1');
    expect(container.textContent).toContain('refused · <b>not authorized</b>');
    expect(container.querySelector('b')).toBeNull();
    expect(container.textContent).toMatch(/wire does not show them/);
  });

  it('selecting a node gives a filter that matches exactly that connection / namespace', async () => {
    let filter = '';
    render(ConnectionTree, { props: { connections, selected: '', onselect: (f: string) => (filter = f) } });
    await fireEvent.click(screen.getByText('/a.b'));
    const match = compileFilter(parseFilter(filter), filterSubject);
    const entry = (conn: string, ns: string) =>
      ({ index: 0, seq: 0, conn, t: 0, dir: 'in', transport: 'websocket', size: 0, layer: 'sio', type: 'event', ns, event: 'x' }) as const;
    expect(match(entry('p:h1', '/a.b'))).toBe(true);
    expect(match(entry('p:h10', '/a.b'))).toBe(false);
    expect(match(entry('p:h1', '/axb'))).toBe(false);
    expect(match(entry('p:h1', '/'))).toBe(false);
  });
});
