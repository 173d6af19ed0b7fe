// A deterministic peer for end-to-end specs, on its own port next to the fixture server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer } from 'ws';

export interface EchoServer {
  port: number;
  close(): Promise<void>;
}

const HTML = '<!doctype html><html><head><title>doc ✓</title></head><body><p id="x">para</p></body></html>';

/**
 * A deterministic peer on its own port: a WebSocket echo on any path (`cmd:close` and `cmd:terminate` make the
 * server end the connection) and small CORS-enabled HTTP endpoints. Paths ignore the query, so the page can ask
 * for the same thing with and without `EIO=` in it.
 */
export async function startEchoServer(): Promise<EchoServer> {
  const cors = {
    'access-control-allow-origin': '*',
    'access-control-expose-headers': 'x-custom, x-echo-type, x-echo-method',
  };
  const reply = (res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    res.writeHead(status, { ...cors, 'content-type': type, 'content-length': String(bytes.length), 'x-custom': 'yes', ...extra });
    res.end(bytes);
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, POST, PUT', 'access-control-allow-headers': '*' });
      return void res.end();
    }
    switch (path) {
      case '/text':
        return reply(res, 200, 'text/plain; charset=utf-8', 'hello text ✓');
      case '/json':
        return reply(res, 200, 'application/json', '{"a":1,"b":[true,null,"x"],"s":"✓"}');
      case '/bin':
        return reply(res, 200, 'application/octet-stream', Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
      case '/html':
        return reply(res, 200, 'text/html; charset=utf-8', HTML);
      case '/status-404':
        return reply(res, 404, 'text/plain', 'nope');
      case '/slow': {
        const timer = setTimeout(() => reply(res, 200, 'text/plain', 'late'), 3000);
        return void res.on('close', () => clearTimeout(timer));
      }
      case '/slow-body': {
        res.writeHead(200, { ...cors, 'content-type': 'text/plain', 'content-length': '8' });
        res.write('part');
        const timer = setTimeout(() => res.end('rest'), 3000);
        return void res.on('close', () => clearTimeout(timer));
      }
      case '/echo-body': {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => reply(res, 200, 'application/octet-stream', Buffer.concat(chunks), { 'x-echo-type': req.headers['content-type'] ?? '', 'x-echo-method': req.method ?? '' }));
        return;
      }
      default:
        return reply(res, 404, 'text/plain', 'unknown');
    }
  };
  const http: Server = createServer(handle);
  const sockets = new Set<Socket>();
  http.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: true,
    handleProtocols: (protocols) => (protocols.has('chat.v2') ? 'chat.v2' : false),
  });
  http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      if (text === 'cmd:close') ws.close(4001, 'server bye ✓');
      else if (text === 'cmd:terminate') ws.terminate();
      else ws.send(data, { binary: isBinary });
    });
  });
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  const port = (http.address() as { port: number }).port;
  return {
    port,
    close: () =>
      new Promise<void>((done) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        for (const s of sockets) s.destroy();
        http.close(() => done());
      }),
  };
}
