// HAR 1.2 the way Chrome's DevTools writes it ("Save all as HAR with content"), so Chrome, HTTP Toolkit and other
// HAR readers open what Sockscope exports: one entry per WebSocket with its messages in `_webSocketMessages`, one
// entry per polling HTTP exchange with the bodies in `request.postData.text` and `response.content.text`.
import type { Entry, Har } from 'har-format';
import { utf8Length } from './bytes.ts';
import type { RawFrame } from './types.ts';

export interface HarExportOptions {
  pageUrl?: string;
  title?: string;
  creatorVersion?: string;
}

type WebSocketMessage = NonNullable<Entry['_webSocketMessages']>[number];

const iso = (t: number) => new Date(t).toISOString();
const noTimings = (wait: number) => ({ blocked: -1, dns: -1, connect: -1, send: 0, wait, receive: 0, ssl: -1 });

/**
 * Frames to a HAR document. WebSocket close and error events have no place in Chrome's format and are left out;
 * everything the decoder needs (handshake, messages, polling bodies) is kept.
 */
export function framesToHar(frames: readonly RawFrame[], options: HarExportOptions = {}): Har {
  // One group per `conn`: a WebSocket object, or one HTTP exchange (its request and response).
  const groups = new Map<string, RawFrame[]>();
  for (const frame of frames) {
    let group = groups.get(frame.conn);
    if (!group) groups.set(frame.conn, (group = []));
    group.push(frame);
  }
  const entries: Entry[] = [];
  for (const group of groups.values()) {
    if (group[0].transport === 'websocket') entries.push(webSocketEntry(group));
    else entries.push(...pollingEntries(group));
  }
  entries.sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime));
  const first = frames.length > 0 ? Math.min(...frames.slice(0, 1000).map((f) => f.t)) : Date.now();
  for (const entry of entries) entry.pageref = 'page_1';
  return {
    log: {
      version: '1.2',
      creator: { name: 'Sockscope', version: options.creatorVersion ?? '1' },
      pages: [{ startedDateTime: iso(first), id: 'page_1', title: options.title ?? options.pageUrl ?? '', pageTimings: { onContentLoad: -1, onLoad: -1 } }],
      entries,
    },
  };
}

function request(url: string, method: string, body?: RawFrame): Entry['request'] {
  const r: Entry['request'] = { method, url, httpVersion: 'HTTP/1.1', cookies: [], headers: [], queryString: queryOf(url), headersSize: -1, bodySize: 0 };
  if (body && body.data !== undefined && (method !== 'GET' || body.data !== '')) {
    const binary = body.opcode === 'binary';
    r.postData = { mimeType: binary ? 'application/octet-stream' : 'text/plain;charset=UTF-8', text: body.data };
    // Not in HAR 1.2 (postData has no encoding): Sockscope's importer reads it, others see base64 text.
    if (binary) Object.assign(r.postData, { _encoding: 'base64' });
    r.bodySize = binary ? Math.floor((body.data.length * 3) / 4) : utf8Length(body.data);
  }
  return r;
}

function queryOf(url: string): { name: string; value: string }[] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  return [...new URLSearchParams(url.slice(q + 1))].map(([name, value]) => ({ name, value }));
}

function webSocketEntry(group: RawFrame[]): Entry {
  const open = group.find((f) => f.kind === 'open') ?? group[0];
  const messages: WebSocketMessage[] = [];
  for (const f of group) {
    if (f.kind !== 'message') continue;
    messages.push({ type: f.dir === 'out' ? 'send' : 'receive', time: f.t / 1000, opcode: f.opcode === 'binary' ? 2 : 1, data: f.data ?? '' });
  }
  const last = group[group.length - 1].t;
  return {
    _resourceType: 'websocket',
    startedDateTime: iso(open.t),
    time: Math.max(0, last - open.t),
    request: request(open.url, 'GET'),
    response: {
      status: 101,
      statusText: 'Switching Protocols',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: 0,
    },
    cache: {},
    timings: noTimings(Math.max(0, last - open.t)),
    _webSocketMessages: messages,
  };
}

function pollingEntries(group: RawFrame[]): Entry[] {
  const out: Entry[] = [];
  // Normally one request and its response; a conn reused by several exchanges pairs them in order.
  for (let i = 0; i < group.length; i++) {
    const req = group[i];
    if (req.kind !== 'request') continue;
    const res = group[i + 1]?.kind === 'response' ? group[++i] : undefined;
    const method = req.method ?? 'GET';
    const wait = res ? Math.max(0, res.t - req.t) : 0;
    const binary = res?.opcode === 'binary';
    const text = res?.data ?? '';
    out.push({
      _resourceType: method === 'GET' || method === 'POST' ? 'xhr' : 'other',
      startedDateTime: iso(req.t),
      time: wait,
      request: request(req.url, method, req),
      response: {
        status: res?.status ?? 0,
        statusText: res?.status === 200 ? 'OK' : '',
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: [],
        content: binary
          ? { size: Math.floor((text.length * 3) / 4), mimeType: 'application/octet-stream', text, encoding: 'base64' }
          : { size: utf8Length(text), mimeType: 'text/plain; charset=UTF-8', text },
        redirectURL: '',
        headersSize: -1,
        bodySize: -1,
      },
      cache: {},
      timings: noTimings(wait),
    });
  }
  return out;
}
