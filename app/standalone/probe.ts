// Asks the server's polling URL directly after a failed connection, to tell apart what the client reports as one
// "xhr poll error": a CORS-mode request the browser lets us read, else a no-cors request that can only say
// whether anything answered. Uses the page's fetch from before the tap, so probes stay out of the timeline.
import type { ProbeResult } from './connect-failure.ts';

const PROBE_TIMEOUT_MS = 5000;
const MAX_BODY = 4096;

export function probeUrl(serverUrl: string, path: string, eio: 3 | 4): string {
  const url = new URL(serverUrl.replace(/^ws/, 'http'));
  url.pathname = path.replace(/\/*$/, '/');
  url.search = `EIO=${eio}&transport=polling&t=sockscope-probe${eio === 3 ? '&b64=1' : ''}`;
  return url.href;
}

export async function probe(fetchFn: typeof fetch, url: string): Promise<ProbeResult> {
  const init: RequestInit = { cache: 'no-store', credentials: 'omit', redirect: 'follow' };
  try {
    const response = await fetchFn(url, { ...init, mode: 'cors', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const body = await response.text();
    return { kind: 'answered', status: response.status, body: body.slice(0, MAX_BODY) };
  } catch {
    // CORS refused, or nothing there: a no-cors request succeeds (opaque) only when something answered.
  }
  try {
    await fetchFn(url, { ...init, mode: 'no-cors', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return { kind: 'opaque' };
  } catch {
    return { kind: 'unreachable' };
  }
}
