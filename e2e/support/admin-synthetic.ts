// A server that speaks the admin protocol of `@socket.io/admin-ui` for sockets that do not exist: for benchmarks
// at sizes a 2-core machine cannot hold real clients for (50,000 sockets), and for event floods. A plain socket.io
// server whose `/admin` namespace sends what `instrument()` sends: config, all_sockets, server_stats every 2 s,
// and event_received / event_sent on demand. Messages have the official shapes (see its serialize()).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

export interface SyntheticAdminServer {
  url: string;
  /**
   * Emits `perSecond` event_received / event_sent messages (half each) for `seconds`, on the clock (a late timer
   * sends what is due); resolves with how many were sent and how long it took.
   */
  flood(perSecond: number, seconds: number): Promise<{ sent: number; ms: number }>;
  close(): Promise<void>;
}

const FEATURES = ['EMIT', 'JOIN', 'LEAVE', 'DISCONNECT', 'MJOIN', 'MLEAVE', 'MDISCONNECT', 'AGGREGATED_EVENTS', 'ALL_EVENTS'];

/** 20 characters like socket.io's ids, unique per index. */
function fakeId(i: number): string {
  return `${i.toString(36).padStart(6, '0')}-SyNtHeTiC${'ABCD'.charAt(i % 4)}AAAA`;
}

function fakeSocket(i: number, rooms: number) {
  const id = fakeId(i);
  const time = new Date(Date.UTC(2026, 0, 1, 0, 0, i % 60)).toString();
  return {
    id,
    clientId: id.slice(0, 12),
    transport: i % 10 === 0 ? 'polling' : 'websocket',
    nsp: i % 5 === 0 ? '/chat' : '/',
    data: { user: `user${i}` },
    handshake: {
      address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      headers: {
        host: 'example.test:3000',
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': Buffer.from(id).toString('base64'),
        'sec-websocket-extensions': 'permessage-deflate; client_max_window_bits',
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36',
      },
      query: { EIO: '4', transport: 'websocket' },
      issued: 1767225600000 + i,
      secure: false,
      time,
      url: '/socket.io/?EIO=4&transport=websocket',
      xdomain: false,
    },
    rooms: [id, `room-${i % rooms}`],
  };
}

export async function startSyntheticAdminServer(options: { sockets: number; rooms?: number }): Promise<SyntheticAdminServer> {
  const rooms = options.rooms ?? 1000;
  const sockets = Array.from({ length: options.sockets }, (_, i) => fakeSocket(i, rooms));
  const http = createServer();
  const io = new Server(http, { maxHttpBufferSize: 1e8 });
  const admin = io.of('/admin');
  admin.on('connection', (socket) => {
    socket.emit('config', { supportedFeatures: FEATURES });
    socket.emit('all_sockets', sockets);
  });
  const stats = () =>
    admin.emit('server_stats', {
      serverId: 'synthetic',
      hostname: 'synthetic',
      pid: process.pid,
      uptime: process.uptime(),
      clientsCount: sockets.length,
      pollingClientsCount: 0,
      aggregatedEvents: [],
      namespaces: [
        { name: '/', socketsCount: sockets.filter((s) => s.nsp === '/').length },
        { name: '/chat', socketsCount: sockets.filter((s) => s.nsp === '/chat').length },
      ],
    });
  const statsTimer = setInterval(stats, 2000);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  return {
    url,
    flood(perSecond, seconds) {
      const tickMs = 10;
      const perTick = Math.round((perSecond * tickMs) / 1000);
      const ticks = (seconds * 1000) / tickMs;
      let sent = 0;
      let n = 0;
      const started = performance.now();
      return new Promise((resolve) => {
        const tick = () => {
          // Catch up on the clock, not on the timer: setTimeout drifts under load.
          const due = Math.min(ticks, Math.floor((performance.now() - started) / tickMs) + 1);
          for (; n < due; n++) {
            for (let k = 0; k < perTick; k++) {
              const s = sockets[(n * perTick + k) % sockets.length];
              const kind = k % 2 === 0 ? 'event_received' : 'event_sent';
              admin.emit(kind, s.nsp, s.id, ['chat message', { user: s.data.user, text: 'hello from the flood', seq: sent }], new Date());
              sent++;
            }
          }
          if (n < ticks) setTimeout(tick, tickMs);
          else resolve({ sent, ms: performance.now() - started });
        };
        tick();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(statsTimer);
        io.close(() => resolve());
      }),
  };
}
