import { describe, expect, it } from 'vitest';
import {
  checkServerUrl,
  clientOptionsFromParams,
  clientOptionsToParams,
  DEFAULT_CLIENT_OPTIONS,
  MAX_NAMESPACES,
  parseAuth,
  parseNamespaces,
  parseQuery,
  problemsOf,
  readableQuery,
  readClientOptions,
  type ClientConnectOptions,
} from './connect-options.ts';

const full: ClientConnectOptions = {
  url: 'http://127.0.0.1:4000',
  path: '/io',
  namespaces: ['/', '/chat', '/a-b'],
  auth: '{"token":"secret","n":1}',
  query: 'x=1&y=é',
  transports: 'websocket,polling',
  parser: 'msgpack',
  generation: 2,
};

describe('namespaces', () => {
  it('adds the leading slash, drops duplicates and empty parts, keeps order', () => {
    expect(parseNamespaces('/, chat  /admin,,/chat')).toEqual(['/', '/chat', '/admin']);
    expect(parseNamespaces('  ')).toEqual(['/']);
  });
  it('caps how many are opened at once', () => {
    const many = Array.from({ length: 40 }, (_, i) => `/n${i}`).join(',');
    expect(parseNamespaces(many)).toHaveLength(MAX_NAMESPACES);
  });
});

describe('auth and query', () => {
  it('auth must be a JSON object; empty is {}', () => {
    expect(parseAuth('')).toEqual({ value: {} });
    expect(parseAuth('{"token":"a"}')).toEqual({ value: { token: 'a' } });
    expect(parseAuth('[1]')).toEqual({ error: expect.stringContaining('JSON object') });
    expect(parseAuth('null')).toEqual({ error: expect.stringContaining('JSON object') });
    expect(parseAuth('{token:')).toEqual({ error: expect.stringContaining('not JSON') });
  });
  it('a query becomes a record without a prototype (keys come from a link)', () => {
    const q = parseQuery('?__proto__=x&a=1&=skipped&b=%C3%A9');
    expect(Object.getPrototypeOf(q)).toBeNull();
    expect(Object.entries(q)).toEqual([['__proto__', 'x'], ['a', '1'], ['b', 'é']]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('server URL and problems', () => {
  it('accepts http(s) and ws(s), says what is wrong otherwise', () => {
    expect(checkServerUrl(' http://localhost:3000/ ')).toEqual({ url: 'http://localhost:3000' });
    expect(checkServerUrl('wss://example.org')).toEqual({ url: 'wss://example.org' });
    expect(checkServerUrl('localhost:3000')).toEqual({ error: expect.stringContaining('must start with http') });
    expect(checkServerUrl('not a url')).toEqual({ error: expect.stringContaining('is not a URL') });
  });
  it('lists every problem before a connection is tried', () => {
    expect(problemsOf(DEFAULT_CLIENT_OPTIONS)).toEqual([]);
    expect(problemsOf({ ...DEFAULT_CLIENT_OPTIONS, url: 'x', path: 'io', auth: '[' })).toHaveLength(3);
  });
});

describe('page URL', () => {
  it('round-trips every field', () => {
    expect(clientOptionsFromParams(clientOptionsToParams(full))).toEqual(full);
  });
  it('writes only what differs from the defaults', () => {
    expect(clientOptionsToParams({ ...DEFAULT_CLIENT_OPTIONS, url: 'http://h:1' }).toString()).toBe('mode=client&url=http%3A%2F%2Fh%3A1');
  });
  it('keeps a link readable and still exact', () => {
    const query = readableQuery(clientOptionsToParams(full));
    expect(query).toContain('url=http://127.0.0.1:4000&path=/io&ns=/,/chat,/a-b');
    expect(clientOptionsFromParams(new URLSearchParams(query))).toEqual(full);
  });
  it('names no connection without a url, or in admin mode', () => {
    expect(clientOptionsFromParams(new URLSearchParams('ns=/chat'))).toBeUndefined();
    expect(clientOptionsFromParams(new URLSearchParams('mode=admin&url=http://h:1'))).toBeUndefined();
  });
  it('a link with a bad field opens nothing rather than something else', () => {
    expect(clientOptionsFromParams(new URLSearchParams('url=http://h:1&client=3'))).toBeUndefined();
    expect(clientOptionsFromParams(new URLSearchParams('url=http://h:1&transports=carrier-pigeon'))).toBeUndefined();
    expect(clientOptionsFromParams(new URLSearchParams('url=http://h:1&parser=json'))).toBeUndefined();
    expect(clientOptionsFromParams(new URLSearchParams(`url=http://h:1&auth=${'x'.repeat(5000)}`))).toBeUndefined();
  });
});

describe('untrusted stored options', () => {
  it('keeps known fields only and rejects wrong types', () => {
    expect(readClientOptions({ ...full, extra: 1 })).toEqual(full);
    for (const bad of [null, [], 'x', { ...full, url: 1 }, { ...full, namespaces: '/' }, { ...full, namespaces: [1] }, { ...full, generation: '4' }, { ...full, parser: 'x' }]) {
      expect(readClientOptions(bad)).toBeUndefined();
    }
  });
});
