import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActionLog } from './admin-actions.ts';
import { readAdminMessage, type AdminServerMessage } from './admin-messages.ts';
import { AdminModel, UNKNOWN_SERVER } from './admin-model.ts';
import { buildTree } from './admin-tree.ts';

const at = '2026-01-01T00:00:00.000Z';
const wireSocket = (id: string, nsp = '/', rooms: string[] = [id], extra: Record<string, unknown> = {}) => ({
  id,
  clientId: 'c-' + id,
  transport: 'websocket',
  nsp,
  data: {},
  handshake: { address: '10.0.0.' + id.length, headers: {} },
  rooms,
  ...extra,
});

function read(name: string, ...args: unknown[]): AdminServerMessage {
  const message = readAdminMessage(name, args);
  if (typeof message === 'string') throw new Error(message);
  return message;
}

function modelWith(...messages: AdminServerMessage[]): AdminModel {
  const model = new AdminModel();
  for (const m of messages) model.apply(m);
  model.commit();
  return model;
}

const stats = (serverId: string) =>
  read('server_stats', { serverId, hostname: 'h', pid: 1, uptime: 2, clientsCount: 3, pollingClientsCount: 0, namespaces: [{ name: '/', socketsCount: 3 }], aggregatedEvents: [{ timestamp: 1, type: 'bytesIn', count: 10 }, { timestamp: 1, type: 'bytesIn', count: 5 }] });

describe('reading admin messages', () => {
  it('turns the official shapes into typed messages, dates into epoch ms', () => {
    expect(read('room_joined', '/', 'lobby', 'a', at)).toEqual({ type: 'room_joined', nsp: '/', room: 'lobby', id: 'a', t: Date.parse(at) });
    expect(read('config', { supportedFeatures: ['JOIN', 3, 'ALL_EVENTS'] })).toEqual({ type: 'config', features: ['JOIN', 'ALL_EVENTS'] });
    const connected = read('socket_connected', wireSocket('a', '/', ['a', 'r']), at);
    expect(connected).toMatchObject({ type: 'socket_connected', socket: { id: 'a', address: '10.0.0.1', rooms: ['a', 'r'] } });
  });

  it('says what is wrong with a hostile message instead of throwing', () => {
    expect(readAdminMessage('room_joined', ['/', 5, 'a'])).toMatch(/without a namespace, room and id/);
    expect(readAdminMessage('socket_connected', [{ id: {}, nsp: '/' }])).toMatch(/string id/);
    expect(readAdminMessage('all_sockets', [[null, wireSocket('ok'), { id: 1 }]])).toMatchObject({ sockets: [{ id: 'ok' }] });
    expect(readAdminMessage('server_stats', [{}])).toMatch(/serverId/);
    expect(readAdminMessage('__proto__', [])).toMatch(/unknown admin event/);
  });
});

describe('AdminModel', () => {
  it('follows sockets as they connect, join and leave rooms, change transport and disconnect', () => {
    const model = modelWith(stats('s1'), read('all_sockets', [wireSocket('a', '/', ['a', 'lobby'])]), read('socket_connected', wireSocket('b'), at));
    expect([...model.sockets.values()].map((s) => s.id)).toEqual(['a', 'b']);
    model.apply(read('room_joined', '/', 'lobby', 'b', at));
    model.apply(read('socket_updated', { id: 'b', nsp: '/', transport: 'polling' }));
    expect(model.search('room:lobby').map((k) => model.sockets.get(k)!.id)).toEqual(['a', 'b']);
    model.apply(read('room_left', '/', 'lobby', 'a', at));
    model.apply(read('socket_disconnected', '/', 'b', 'client namespace disconnect', at));
    expect(model.search('room:lobby')).toEqual([]);
    expect(model.sockets.size).toBe(1);
    expect(model.socket('/', 'a')!.rooms.includes('lobby')).toBe(false);
  });

  it('bumps its version on commit only, once per batch', () => {
    const model = new AdminModel();
    model.apply(read('socket_connected', wireSocket('a'), at));
    model.apply(read('socket_connected', wireSocket('b'), at));
    expect(model.version).toBe(0);
    expect(model.commit()).toBe(true);
    expect(model.commit()).toBe(false);
    expect(model.version).toBe(1);
  });

  it('keeps ids and room names like "__proto__" as plain keys', () => {
    const model = modelWith(read('socket_connected', wireSocket('__proto__', '/', ['__proto__', 'constructor']), at));
    model.apply(read('socket_connected', wireSocket('toString', '/', ['toString', 'constructor']), at));
    expect(model.search('room:constructor')).toHaveLength(2);
    expect(model.search('id:__proto__')).toHaveLength(1);
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
    expect(buildTree(model)[0].namespaces[0].rooms.map((r) => r.name)).toEqual(['constructor']);
  });

  it('searches by id, room, address and namespace, and combines terms', () => {
    const model = modelWith(
      read('socket_connected', wireSocket('alpha', '/', ['alpha', 'red']), at),
      read('socket_connected', wireSocket('beta', '/chat', ['beta', 'red']), at),
      read('socket_connected', wireSocket('gamma', '/chat', ['gamma', 'blue']), at),
    );
    const ids = (q: string) => model.search(q).map((k) => model.sockets.get(k)!.id);
    expect(ids('')).toEqual(['alpha', 'beta', 'gamma']);
    expect(ids('ns:/chat')).toEqual(['beta', 'gamma']);
    expect(ids('room:red ns:/chat')).toEqual(['beta']);
    expect(ids('addr:10.0.0.5')).toEqual(['alpha', 'gamma']);
    expect(ids('BLU')).toEqual(['gamma']);
    expect(ids('et')).toEqual(['beta']);
    expect(ids('room:nothing')).toEqual([]);
  });

  it('places sockets on the node that reports them, and keeps a bounded series of server stats', () => {
    const model = new AdminModel({ maxStatsPoints: 3 });
    model.apply(read('socket_connected', wireSocket('a', '/', ['a', 'span'], { data: { serverId: 'n1' } }), at));
    model.apply(read('socket_connected', wireSocket('b', '/', ['b', 'span'], { data: { serverId: 'n2' } }), at));
    model.apply(read('socket_connected', wireSocket('c'), at));
    for (let i = 0; i < 5; i++) model.apply(stats(i % 2 ? 'n1' : 'n2'));
    expect(model.series).toHaveLength(3);
    expect(model.series[0].bytesIn).toBe(15);
    const tree = buildTree(model);
    expect(tree.map((s) => [s.serverId, s.count])).toEqual([[UNKNOWN_SERVER, 1], ['n1', 1], ['n2', 1]]);
    expect(tree[1].namespaces[0].rooms).toMatchObject([{ name: 'span', count: 1 }]);
    expect(model.search('server:n2').map((k) => model.sockets.get(k)!.id)).toEqual(['b']);
  });

  it('keeps at most maxSockets and counts the rest', () => {
    const model = new AdminModel({ maxSockets: 2 });
    model.apply(read('all_sockets', [wireSocket('a'), wireSocket('b'), wireSocket('c')]));
    expect(model.sockets.size).toBe(2);
    expect(model.socketsOverCap).toBe(1);
  });
});

describe('ActionLog', () => {
  it('confirms an action when the stream shows its effect on the target, and times out otherwise', () => {
    const model = modelWith(read('all_sockets', [wireSocket('a', '/', ['a', 'room1']), wireSocket('b', '/', ['b', 'room1'])]));
    const log = new ActionLog(model);
    const join = log.track({ type: 'join', nsp: '/', room: 'lobby', filter: 'a' }, 0);
    const emit = log.track({ type: 'emit', nsp: '/', filter: 'room1', event: 'hi', args: [1] }, 0);
    const kick = log.track({ type: '_disconnect', nsp: '/', close: false, filter: 'b' }, 0);
    expect(log.observe(read('room_joined', '/', 'lobby', 'b', at))).toBe(false);
    expect(log.observe(read('room_joined', '/', 'lobby', 'a', at))).toBe(true);
    expect(join.outcome).toBe('confirmed: socket a joined room "lobby"');
    log.observe(read('event_sent', '/', 'b', ['hi', 1], at));
    expect(emit.state).toBe('confirmed');
    expect(log.expire(10_000)).toBe(true);
    expect(kick.state).toBe('timed out');
  });
});

describe('AdminModel search terms', () => {
  it('keeps spaces inside quoted values', () => {
    const model = new AdminModel();
    model.apply(readAdminMessage('socket_connected', [wireSocket('a', '/', ['a', 'two words']), at]) as AdminServerMessage);
    model.apply(readAdminMessage('socket_connected', [wireSocket('b', '/', ['b', 'two']), at]) as AdminServerMessage);
    expect(model.search('room:"two words"').map((k) => model.sockets.get(k)!.id)).toEqual(['a']);
    expect(model.search('"two words"').map((k) => model.sockets.get(k)!.id)).toEqual(['a']);
  });
});

describe('the tree counts kept as messages come', () => {
  it('always equal a count from scratch, whatever the order of connects, joins, leaves and disconnects', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('connect' as const), id: fc.integer({ min: 0, max: 7 }), node: fc.constantFrom('n1', 'n2', undefined) }),
      fc.record({ kind: fc.constantFrom('join' as const, 'leave' as const), id: fc.integer({ min: 0, max: 7 }), room: fc.constantFrom('r1', 'r2', '__proto__') }),
      fc.record({ kind: fc.constant('disconnect' as const), id: fc.integer({ min: 0, max: 7 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const model = new AdminModel();
        model.apply(stats('n1'));
        model.apply(stats('n2'));
        for (const o of ops) {
          const id = `s${o.id}`;
          if (o.kind === 'connect') model.apply(read('socket_connected', wireSocket(id, '/', [id], { data: o.node ? { serverId: o.node } : {} }), at));
          else if (o.kind === 'disconnect') model.apply(read('socket_disconnected', '/', id, 'gone', at));
          else model.apply(read(o.kind === 'join' ? 'room_joined' : 'room_left', '/', o.room, id, at));
        }
        const fromScratch = new Map<string, Map<string, number>>();
        for (const socket of model.sockets.values()) {
          const server = model.serverOf(socket);
          const rooms = fromScratch.get(server) ?? new Map<string, number>();
          fromScratch.set(server, rooms);
          rooms.set('(sockets)', (rooms.get('(sockets)') ?? 0) + 1);
          for (const room of socket.rooms) if (room !== socket.id) rooms.set(room, (rooms.get(room) ?? 0) + 1);
        }
        const fromTree = new Map<string, Map<string, number>>();
        for (const server of buildTree(model)) {
          if (server.count === 0) continue;
          const rooms = new Map<string, number>([['(sockets)', server.count]]);
          for (const room of server.namespaces.flatMap((ns) => ns.rooms)) rooms.set(room.name, room.count);
          fromTree.set(server.serverId, rooms);
        }
        expect(fromTree).toEqual(fromScratch);
      }),
    );
  });
});
