// A recording reverse proxy: real client -> proxy -> real server, the wire written down as RawFrame records.
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import type { Direction, RawFrame } from '../../types.ts';

export interface CaptureProxy {
  /** http://127.0.0.1:PORT, to be used in place of the target's URL. */
  url: string;
  /** Every frame so far, in the order the proxy forwarded them. */
  frames: RawFrame[];
  close(): Promise<void>;
}

type FrameFields = Omit<RawFrame, 'seq' | 't'>;

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'content-length',
  // Recorded bodies must be what the page sees, not gzip.
  'accept-encoding',
]);
const WS_HANDSHAKE = new Set(['host', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions', 'sec-websocket-protocol']);

function forwardHeaders(headers: IncomingHttpHeaders, drop = new Set<string>()): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !drop.has(name)));
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => done(Buffer.concat(chunks)));
    stream.on('error', fail);
  });
}

function body(bytes: Buffer, contentType: string | undefined): Pick<RawFrame, 'opcode' | 'data'> {
  return contentType?.toLowerCase().startsWith('application/octet-stream')
    ? { opcode: 'binary', data: bytes.toString('base64') }
    : { opcode: 'text', data: bytes.toString('utf8') };
}

function toBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

/** Codes a peer may put in a close frame (1005, 1006 and 1015 are only ever reported locally). */
function sendableCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

function closeLike(ws: WebSocket, code: number, reason: Buffer): void {
  if (ws.readyState === WebSocket.OPEN) {
    if (sendableCode(code)) ws.close(code, reason);
    else ws.close();
  } else if (ws.readyState === WebSocket.CONNECTING) {
    ws.terminate();
  }
}

function badGateway(res: ServerResponse): void {
  if (res.headersSent) res.destroy();
  else res.writeHead(502).end();
}

export async function startCaptureProxy(target: string): Promise<CaptureProxy> {
  const upstream = new URL(target);
  if (upstream.protocol !== 'http:') throw new Error(`capture proxy: only http: targets, got ${target}`);
  const upstreamWs = `ws://${upstream.host}`;

  const frames: RawFrame[] = [];
  let seq = 0;
  let httpCount = 0;
  let wsCount = 0;
  let closing = false;
  let origin = '';
  const record = (fields: FrameFields) => {
    if (!closing) frames.push({ seq: ++seq, t: performance.timeOrigin + performance.now(), ...fields });
  };

  const agent = new Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  const upstreamSockets = new Set<WebSocket>();

  const forward = (req: IncomingMessage, headers: IncomingHttpHeaders) =>
    request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent });

  const passThrough = (req: IncomingMessage, res: ServerResponse) => {
    const out = forward(req, { ...req.headers, host: upstream.host });
    out.on('response', (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', () => badGateway(res));
    req.pipe(out);
  };

  const capture = async (req: IncomingMessage, res: ServerResponse) => {
    const conn = `h${++httpCount}`;
    const base = { conn, url: origin + req.url, transport: 'polling' } as const;
    const sent = await readBody(req);
    const headers = { ...forwardHeaders(req.headers), host: upstream.host };
    if (sent.length > 0 || (req.method !== 'GET' && req.method !== 'HEAD')) headers['content-length'] = String(sent.length);
    record({ ...base, dir: 'out', kind: 'request', method: req.method, ...body(sent, req.headers['content-type']) });

    const out = forward(req, headers);
    // A client that gives up on a long poll must not leave the upstream request behind.
    res.on('close', () => {
      if (!res.writableFinished) out.destroy();
    });
    out.on('response', (up) => {
      readBody(up).then((received) => {
        const status = up.statusCode ?? 502;
        record({ ...base, dir: 'in', kind: 'response', status, ...body(received, up.headers['content-type']) });
        res.writeHead(status, { ...forwardHeaders(up.headers), 'content-length': String(received.length) });
        res.end(received);
      }, () => res.destroy());
    });
    out.on('error', (err) => {
      if (res.writableFinished || res.destroyed) return;
      record({ ...base, dir: 'in', kind: 'error', data: err.message });
      badGateway(res);
    });
    out.end(sent);
  };

  const server = createServer((req, res) => {
    if (req.url?.includes('EIO=')) capture(req, res).catch(() => res.destroy());
    else passThrough(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const upstreamOf = new WeakMap<IncomingMessage, WebSocket>();
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (_offered, req) => upstreamOf.get(req)?.protocol || false,
  });

  const relay = (client: WebSocket, up: WebSocket, rec: (f: Omit<FrameFields, 'conn' | 'url' | 'transport'>) => void) => {
    rec({ dir: 'in', kind: 'open' });
    const pipe = (from: WebSocket, to: WebSocket, dir: Direction) => {
      from.on('message', (data, isBinary) => {
        const bytes = toBuffer(data);
        rec({ dir, kind: 'message', ...(isBinary ? { opcode: 'binary', data: bytes.toString('base64') } : { opcode: 'text', data: bytes.toString('utf8') }) });
        if (to.readyState === WebSocket.OPEN) to.send(bytes, { binary: isBinary });
      });
      from.on('error', (err) => {
        rec({ dir, kind: 'error', data: err.message });
        to.terminate();
      });
    };
    pipe(client, up, 'out');
    pipe(up, client, 'in');
    let closed = false;
    const onClose = (dir: Direction, other: WebSocket) => (code: number, reason: Buffer) => {
      if (!closed) rec({ dir, kind: 'close', code, reason: reason.toString('utf8') });
      closed = true;
      closeLike(other, code, reason);
    };
    client.on('close', onClose('out', up));
    up.on('close', onClose('in', client));
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = req.url ?? '/';
    const captured = url.includes('EIO=');
    const fields = { conn: captured ? `w${++wsCount}` : '', url: origin.replace(/^http/, 'ws') + url, transport: 'websocket' } as const;
    const rec = (f: Omit<FrameFields, 'conn' | 'url' | 'transport'>) => {
      if (captured) record({ ...fields, ...f });
    };

    const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    const up = new WebSocket(upstreamWs + url, protocols, {
      headers: forwardHeaders(req.headers, WS_HANDSHAKE) as Record<string, string>,
      perMessageDeflate: false,
    });
    upstreamSockets.add(up);
    up.on('close', () => upstreamSockets.delete(up));
    socket.on('error', () => up.terminate());

    // Before the handshake completes a failure is answered over the raw socket, like a browser would see it.
    const refuse = (status: number, message: string, error: string, payload: Buffer = Buffer.alloc(0)) => {
      rec({ dir: 'in', kind: 'error', data: error });
      rec({ dir: 'in', kind: 'close', code: 1006, reason: '' });
      socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Length: ${payload.length}\r\n\r\n`), payload]));
    };
    const onEarlyError = (err: Error) => refuse(502, 'Bad Gateway', err.message, Buffer.from(err.message));
    up.once('error', onEarlyError);
    up.once('unexpected-response', (upReq, upRes) => {
      up.off('error', onEarlyError);
      up.on('error', () => {});
      readBody(upRes).then((payload) => {
        const status = upRes.statusCode ?? 502;
        refuse(status, upRes.statusMessage ?? 'Bad Gateway', `Unexpected server response: ${status}`, payload);
        upReq.destroy();
      }, () => socket.destroy());
    });
    up.once('open', () => {
      up.off('error', onEarlyError);
      upstreamOf.set(req, up);
      // Synchronous: no upstream message can be dispatched before the relay listens.
      wss.handleUpgrade(req, socket, head, (client) => relay(client, up, rec));
    });
  });

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', fail);
      done();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('capture proxy: no TCP address');
  origin = `http://127.0.0.1:${address.port}`;

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((done) => {
      closing = true;
      upstreamSockets.forEach((ws) => ws.terminate());
      wss.clients.forEach((ws) => ws.terminate());
      agent.destroy();
      server.close(() => done());
      sockets.forEach((s) => s.destroy());
    }));

  return { url: origin, frames, close };
}
