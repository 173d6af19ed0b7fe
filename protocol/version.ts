import type { EioVersion, TransportName } from './types.ts';

export interface UrlInfo {
  eio?: EioVersion;
  sid?: string;
  transport?: TransportName;
  /** `b64=1`: an EIO3 polling client that asked for text-only payloads. */
  b64: boolean;
  /** JSONP index (`j=`), EIO3 legacy polling. */
  jsonp?: string;
}

/** Reads the Engine.IO query parameters from a transport URL; tolerant of relative and malformed URLs. */
export function readUrl(url: string): UrlInfo {
  const info: UrlInfo = { b64: false };
  const q = url.indexOf('?');
  if (q < 0) return info;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : safeDecode(pair.slice(eq + 1));
    if (key === 'EIO') {
      if (value === '3' || value === '4') info.eio = Number(value) as EioVersion;
    } else if (key === 'sid') info.sid = value;
    else if (key === 'transport') {
      if (value === 'websocket' || value === 'polling') info.transport = value;
    } else if (key === 'b64') info.b64 = value !== '' && value !== '0';
    else if (key === 'j') info.jsonp = value;
  }
  return info;
}

/** True when a URL looks like an Engine.IO transport endpoint: the hook's cheap filter. */
export function isEngineIoUrl(url: string): boolean {
  return /[?&]EIO=\d/.test(url);
}

function safeDecode(s: string): string {
  if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
