// What the client-mode connect form holds, how it travels in the page URL (so a link reopens the connection) and
// how untrusted copies of it (a URL, localStorage) are checked before use.

/** socket.io 3.x/4.x servers take `socket.io-client` 4; socket.io 2.x servers take `socket.io-client` 2. */
export type ClientGeneration = 2 | 4;
/** Transports in the order the client tries them. */
export type TransportOrder = 'polling,websocket' | 'websocket,polling' | 'polling' | 'websocket';
export type ParserName = 'default' | 'msgpack';

export interface ClientConnectOptions {
  /** Server URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** Socket.IO path on that server. */
  path: string;
  /** One or several namespaces, opened together on one Manager. */
  namespaces: string[];
  /** JSON text of the `auth` object (socket.io 2 has no auth: its fields go to the query). */
  auth: string;
  /** `key=value&key=value` added to the handshake query. */
  query: string;
  transports: TransportOrder;
  parser: ParserName;
  generation: ClientGeneration;
}

export const DEFAULT_CLIENT_OPTIONS: ClientConnectOptions = {
  url: 'http://127.0.0.1:3000',
  path: '/socket.io',
  namespaces: ['/'],
  auth: '',
  query: '',
  transports: 'polling,websocket',
  parser: 'default',
  generation: 4,
};

export const TRANSPORT_ORDERS: readonly TransportOrder[] = ['polling,websocket', 'websocket,polling', 'polling', 'websocket'];
export const MAX_NAMESPACES = 16;
const MAX_TEXT = 4096;

/** `/, chat /admin` -> `['/', '/chat', '/admin']`: leading slash added, duplicates dropped, at most MAX_NAMESPACES. */
export function parseNamespaces(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[\s,]+/)) {
    if (part === '') continue;
    const ns = part.startsWith('/') ? part : '/' + part;
    if (!out.includes(ns)) out.push(ns);
    if (out.length === MAX_NAMESPACES) break;
  }
  return out.length > 0 ? out : ['/'];
}

/** The auth object, `{}` for empty text, or a message saying why the text is not a JSON object. */
export function parseAuth(text: string): { value: Record<string, unknown> } | { error: string } {
  if (text.trim() === '') return { value: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { error: `auth is not JSON: ${(e as Error).message}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'auth must be a JSON object, like {"token":"abc"}' };
  return { value: parsed as Record<string, unknown> };
}

/** `a=1&b=two` as a plain record (no prototype: keys come from the user or a link). */
export function parseQuery(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text.trim().replace(/^\?/, ''))) if (key !== '') out[key] = value;
  return out;
}

/** A server URL the client can use, or a message. */
export function checkServerUrl(text: string): { url: string } | { error: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { error: `"${text.slice(0, 200)}" is not a URL: write it like http://127.0.0.1:3000` };
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return { error: `the server URL must start with http://, https://, ws:// or wss:// (not ${url.protocol})` };
  return { url: url.href.replace(/\/$/, '') };
}

/** Every problem with the options before a connection is tried (empty: good to go). */
export function problemsOf(options: ClientConnectOptions): string[] {
  const problems: string[] = [];
  const url = checkServerUrl(options.url);
  if ('error' in url) problems.push(url.error);
  if (!options.path.startsWith('/')) problems.push('path must start with /, like /socket.io');
  const auth = parseAuth(options.auth);
  if ('error' in auth) problems.push(auth.error);
  return problems;
}

const isString = (v: unknown, max = MAX_TEXT): v is string => typeof v === 'string' && v.length <= max;

/** Checks an untrusted value (localStorage, an import) field by field; undefined when it is not usable. */
export function readClientOptions(value: unknown): ClientConnectOptions | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (!isString(v.url) || !isString(v.path) || !isString(v.auth) || !isString(v.query)) return undefined;
  if (!Array.isArray(v.namespaces) || v.namespaces.length > MAX_NAMESPACES || !v.namespaces.every((ns) => isString(ns, 256))) return undefined;
  if (!TRANSPORT_ORDERS.includes(v.transports as TransportOrder)) return undefined;
  if (v.parser !== 'default' && v.parser !== 'msgpack') return undefined;
  if (v.generation !== 2 && v.generation !== 4) return undefined;
  return {
    url: v.url,
    path: v.path,
    namespaces: parseNamespaces((v.namespaces as string[]).join(',')),
    auth: v.auth,
    query: v.query,
    transports: v.transports as TransportOrder,
    parser: v.parser,
    generation: v.generation,
  };
}

/** The page URL's query for a client connection (`mode=client&url=…`). */
export function clientOptionsToParams(options: ClientConnectOptions): URLSearchParams {
  const params = new URLSearchParams({ mode: 'client', url: options.url });
  if (options.path !== DEFAULT_CLIENT_OPTIONS.path) params.set('path', options.path);
  if (options.namespaces.join(',') !== '/') params.set('ns', options.namespaces.join(','));
  if (options.auth.trim() !== '') params.set('auth', options.auth);
  if (options.query.trim() !== '') params.set('query', options.query);
  if (options.transports !== DEFAULT_CLIENT_OPTIONS.transports) params.set('transports', options.transports);
  if (options.parser !== 'default') params.set('parser', options.parser);
  if (options.generation !== 4) params.set('client', String(options.generation));
  return params;
}

/** A query string that stays readable in a link: `/`, `:` and `,` need no escaping there (RFC 3986). */
export function readableQuery(params: URLSearchParams): string {
  return params.toString().replace(/%2F/gi, '/').replace(/%3A/gi, ':').replace(/%2C/gi, ',');
}

/** The connection a link names, or undefined when it names none (no `url`) or names one in client mode badly. */
export function clientOptionsFromParams(params: URLSearchParams): ClientConnectOptions | undefined {
  const url = params.get('url');
  if (url === null || (params.get('mode') ?? 'client') !== 'client') return undefined;
  const transports = params.get('transports') ?? DEFAULT_CLIENT_OPTIONS.transports;
  const parser = params.get('parser') ?? 'default';
  const generation = Number(params.get('client') ?? 4);
  return readClientOptions({
    url,
    path: params.get('path') ?? DEFAULT_CLIENT_OPTIONS.path,
    namespaces: parseNamespaces(params.get('ns') ?? '/'),
    auth: params.get('auth') ?? '',
    query: params.get('query') ?? '',
    transports,
    parser,
    generation,
  });
}
