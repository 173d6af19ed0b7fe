import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { readAdminMessage, type AdminServerMessage } from './admin-messages.ts';
import { AdminModel } from './admin-model.ts';
import { buildTree } from './admin-tree.ts';
import AdminTree from './AdminTree.svelte';

const read = (name: string, ...args: unknown[]) => readAdminMessage(name, args) as AdminServerMessage;
const socket = (id: string, rooms: string[], serverId: string) => ({ id, nsp: '/', rooms: [id, ...rooms], data: { serverId }, handshake: { address: '1.2.3.4' } });

describe('admin tree', () => {
  const model = new AdminModel();
  for (const serverId of ['a', 'b']) {
    model.apply(read('server_stats', { serverId, hostname: 'host-' + serverId, pid: 7, uptime: 90, clientsCount: 1, pollingClientsCount: 0, namespaces: [] }));
  }
  model.apply(read('all_sockets', [socket('s1', ['span', '<img src=x onerror=alert(1)>'], 'a'), socket('s2', ['span'], 'b')]));

  it('shows servers, namespaces and rooms; a room opens on its sockets; hostile names stay text', async () => {
    const onquery = vi.fn();
    const onsocket = vi.fn();
    render(AdminTree, { tree: buildTree(model), query: '', selectedKey: undefined, onquery, onsocket, sample: (s: string, n: string, r: string) => model.roomSample(s, n, r, 20) });
    expect(screen.getByText('▣ a')).toBeTruthy();
    expect(screen.getByText(/host-b · pid 7 · up 90 s/)).toBeTruthy();
    expect(screen.getByText('# <img src=x onerror=alert(1)>')).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
    const spans = screen.getAllByRole('button', { name: 'Sockets of span' });
    expect(spans).toHaveLength(2);
    await fireEvent.click(spans[1]);
    expect(screen.getByRole('button', { name: 's2' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 's1' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 's2' }));
    expect(onsocket).toHaveBeenCalledWith('/\u0000s2');
    await fireEvent.click(screen.getAllByText('# span')[0]);
    expect(onquery).toHaveBeenCalledWith('room:span ns:/');
  });
});
