// Admin `server_stats` (what the standalone app's admin mode keeps: one sample per server every ~2 s) as chart
// series: clients per server, and bytes per second in and out. Structural types, so any store of samples fits.
import type { TimeSeries } from './series.ts';

export interface ServerStatsSample {
  /** Epoch ms the sample arrived. */
  t: number;
  serverId: string;
  clientsCount: number;
  /** Bytes received / sent by that server since its previous sample. */
  bytesIn: number;
  bytesOut: number;
}

export interface ServerStatsSeries {
  clients: TimeSeries[];
  /** Bytes per second, two series per server (in, out). */
  bytes: TimeSeries[];
  origin: number;
}

/** Series per server; a server's first sample has no interval before it, so its rate starts at its second. */
export function serverStatsSeries(samples: readonly ServerStatsSample[], palette: readonly string[]): ServerStatsSeries {
  const servers = new Map<string, { clients: TimeSeries; bytesIn: TimeSeries; bytesOut: TimeSeries; lastT: number }>();
  for (const s of samples) {
    let server = servers.get(s.serverId);
    if (!server) {
      const colour = palette[servers.size % palette.length];
      const other = palette[(servers.size + 1) % palette.length];
      const name = servers.size === 0 && !samples.some((x) => x.serverId !== s.serverId) ? '' : `${s.serverId} `;
      server = {
        clients: { label: `${name}clients`.trim(), color: colour, points: [] },
        bytesIn: { label: `${name}received`, color: colour, points: [] },
        bytesOut: { label: `${name}sent`, color: other, points: [] },
        lastT: NaN,
      };
      servers.set(s.serverId, server);
    }
    server.clients.points.push({ x: s.t, y: s.clientsCount });
    const seconds = (s.t - server.lastT) / 1000;
    if (seconds > 0) {
      server.bytesIn.points.push({ x: s.t, y: s.bytesIn / seconds });
      server.bytesOut.points.push({ x: s.t, y: s.bytesOut / seconds });
    }
    server.lastT = s.t;
  }
  const all = [...servers.values()];
  return {
    clients: all.map((s) => s.clients),
    bytes: all.flatMap((s) => [s.bytesIn, s.bytesOut]),
    origin: samples.length ? samples[0].t : 0,
  };
}
