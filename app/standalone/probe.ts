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

/** The start of a body, read no further than needed: an unknown server may answer with anything, of any size. */
async function firstChars(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < MAX_BODY) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  return text.slice(0, MAX_BODY);
}

export async function probe(fetchFn: typeof fetch, url: string): Promise<ProbeResult> {
  const init: RequestInit = { cache: 'no-store', credentials: 'omit', redirect: 'follow' };
  try {
    const response = await fetchFn(url, { ...init, mode: 'cors', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return { kind: 'answered', status: response.status, body: await firstChars(response) };
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
