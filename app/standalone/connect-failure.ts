// Why a connection failed, in words a developer can act on. The browser hides most of it (a refused CORS response
// and a closed port are both "xhr poll error", status 0), so the app probes the server's polling URL itself (see
// probe.ts) and this pure module reads the error together with what the probes saw.
import type { ClientGeneration } from './connect-options.ts';

/** What one probe of `<url><path>/?EIO=N&transport=polling` saw. */
export type ProbeResult =
  | { kind: 'unreachable' }
  /** Something answered, but without CORS headers for this page: the browser does not let us read it. */
  | { kind: 'opaque' }
  | { kind: 'answered'; status: number; body: string };

export interface FailureInput {
  /** `connect_error`'s message (socket.io 2: also the socket's `error` event). */
  message: string;
  /** `err.data` from a middleware (socket.io 3+), or the value of a socket.io 2 `error` event. */
  data?: unknown;
  /** `err.description`: the HTTP status of a failed poll (0 when the browser saw none), when the client gives it. */
  status?: number;
  namespace: string;
  generation: ClientGeneration;
  /** The page's origin, for the CORS advice. */
  appOrigin: string;
  serverUrl: string;
  path: string;
  /** The transports the client was allowed, in order (`websocket`, `polling,websocket`...). */
  transports?: string;
  /** The configured path, probed with the client's Engine.IO version; the default path when that differs. */
  probe?: { configured: ProbeResult; defaultPath?: ProbeResult };
}

export type FailureKind = 'unreachable' | 'cors' | 'wrong-path' | 'version-mismatch' | 'rejected' | 'no-namespace' | 'transport' | 'timeout' | 'other';

export interface FailureExplanation {
  kind: FailureKind;
  title: string;
  detail: string;
}

/** Messages the client makes up itself for a transport failure; anything else came from the server. */
const TRANSPORT_ERRORS = new Set(['xhr poll error', 'xhr post error', 'websocket error', 'fetch read error', 'poll error', 'server error', 'parser error', 'timeout', 'transport error', 'transport close']);
const MAX_DETAIL = 500;

export function isTransportError(message: string): boolean {
  return TRANSPORT_ERRORS.has(message);
}

function short(text: string): string {
  return text.length > MAX_DETAIL ? text.slice(0, MAX_DETAIL) + '…' : text;
}

function dataText(data: unknown): string {
  if (data === undefined) return '';
  try {
    return short(typeof data === 'string' ? data : JSON.stringify(data) ?? String(data));
  } catch {
    return '(data that cannot be shown)';
  }
}

/** The Engine.IO error code of a 400 body like `{"code":5,"message":"Unsupported protocol version"}`. */
export function engineErrorOf(body: string): { code: number; message: string } | undefined {
  try {
    const value: unknown = JSON.parse(body);
    if (value === null || typeof value !== 'object') return undefined;
    const { code, message } = value as Record<string, unknown>;
    return typeof code === 'number' ? { code, message: typeof message === 'string' ? message : '' } : undefined;
  } catch {
    return undefined;
  }
}

/** Which Engine.IO a handshake body speaks: EIO 3 prefixes each packet with its length (`96:0{…`). */
export function handshakeVersion(body: string): 3 | 4 | undefined {
  if (/^\d+:0\{/.test(body)) return 3;
  if (body.startsWith('0{')) return 4;
  return undefined;
}

/** Whether a handshake's `upgrades` lists websocket (a polling-only server lists none). */
function offersWebSocket(body: string): boolean {
  try {
    const open: unknown = JSON.parse(body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1));
    const upgrades = (open as { upgrades?: unknown } | null)?.upgrades;
    return !Array.isArray(upgrades) || upgrades.includes('websocket');
  } catch {
    return true;
  }
}

/** An answer only an Engine.IO server gives: a handshake, or its JSON error. */
function speaksEngineIo(result: ProbeResult | undefined): boolean {
  if (result?.kind !== 'answered') return false;
  return handshakeVersion(result.body) !== undefined || (result.status === 400 || result.status === 403 ? engineErrorOf(result.body) !== undefined : false);
}

export function explainFailure(input: FailureInput): FailureExplanation {
  const where = `${input.serverUrl}${input.path}`;
  if (!isTransportError(input.message)) {
    // socket.io-client 4 says this itself when a v2 server's CONNECT answer has no socket id (a WebSocket-only
    // connection gets that far: the Engine.IO 3 open packet reads as an Engine.IO 4 one).
    if (/Socket\.IO server in v2\.x/.test(input.message)) return V2_SERVER;
    if (input.message === 'Invalid namespace') {
      return { kind: 'no-namespace', title: `No namespace ${input.namespace} on this server`, detail: `The server answered "Invalid namespace": it defines no ${input.namespace} (check its io.of(...) calls).` };
    }
    const data = dataText(input.data);
    return {
      kind: 'rejected',
      title: `${input.namespace} refused by the server: ${short(input.message)}`,
      detail: `A middleware on ${input.namespace} rejected the connection${data ? ` with data ${data}` : ''}. Check the auth and query it expects.`,
    };
  }
  const probe = input.probe?.configured;
  const versionAdvice = versionMismatch(input, probe);
  if (versionAdvice) return versionAdvice;
  if (probe?.kind === 'unreachable') {
    return { kind: 'unreachable', title: `Server unreachable: ${input.serverUrl}`, detail: 'Nothing answers there: the server is not running, the host or port is wrong, or the network blocks it.' };
  }
  if (probe?.kind === 'answered') {
    const engineError = probe.status === 200 ? undefined : engineErrorOf(probe.body);
    if (engineError?.code === 0) {
      return { kind: 'transport', title: `The server refuses the transport (${engineError.message})`, detail: `${where} answered "Transport unknown": the server does not allow the chosen transports; try another order or both.` };
    }
    if (engineError?.code === 4) {
      return { kind: 'rejected', title: `The server refused the connection (${engineError.message})`, detail: 'Its allowRequest check said no to this request (origin, headers or cookies).' };
    }
    if (input.transports === 'websocket' && probe.status === 200 && handshakeVersion(probe.body) !== undefined && !offersWebSocket(probe.body)) {
      return { kind: 'transport', title: 'The server does not offer WebSocket', detail: `${where} answers over HTTP long-polling only (its handshake lists no WebSocket upgrade): allow polling too.` };
    }
    if (!speaksEngineIo(probe)) {
      const elsewhere = speaksEngineIo(input.probe?.defaultPath) ? ` The server does answer at ${input.serverUrl}/socket.io: set path to /socket.io.` : '';
      return { kind: 'wrong-path', title: `Wrong path: no Socket.IO server at ${input.path}`, detail: `${where}/ answered HTTP ${probe.status}, not a Socket.IO handshake.${elsewhere}` };
    }
  }
  if (probe?.kind === 'opaque') {
    if (speaksEngineIo(input.probe?.defaultPath)) {
      return { kind: 'wrong-path', title: `Wrong path: no Socket.IO server at ${input.path}`, detail: `The server answers at ${input.serverUrl}/socket.io, not at ${input.path}: set path to /socket.io.` };
    }
    return {
      kind: 'cors',
      title: `CORS refused: the server does not allow ${input.appOrigin}`,
      detail:
        `${input.serverUrl} answers, but without Access-Control-Allow-Origin for this page, so the browser blocks it. ` +
        `The server must allow this origin: new Server(httpServer, { cors: { origin: '${input.appOrigin}' } }) ` +
        `(socket.io 2: origins: '${input.appOrigin}:*'). If it does, check the path (${input.path}).`,
    };
  }
  if (input.message === 'timeout') {
    return { kind: 'timeout', title: 'Connection timed out', detail: `No handshake from ${where} within the client's timeout.` };
  }
  return { kind: 'other', title: `Connection failed: ${short(input.message)}`, detail: input.status ? `HTTP ${input.status} from ${where}.` : `The client reported "${short(input.message)}".` };
}

const V2_SERVER: FailureExplanation = {
  kind: 'version-mismatch',
  title: 'Version mismatch: this server speaks socket.io 2.x',
  detail: 'It answers with the Engine.IO 3 / Socket.IO 4 protocols, which socket.io-client 4 cannot use: choose client generation 2 (socket.io 2.x).',
};

function versionMismatch(input: FailureInput, probe: ProbeResult | undefined): FailureExplanation | undefined {
  if (probe?.kind !== 'answered') return undefined;
  if (input.generation === 4 && handshakeVersion(probe.body) === 3) return V2_SERVER;
  const engineError = probe.status === 400 ? engineErrorOf(probe.body) : undefined;
  if (engineError?.code === 5) {
    return {
      kind: 'version-mismatch',
      title: `Version mismatch: this server speaks socket.io 3.x/4.x`,
      detail:
        input.generation === 2
          ? `It answered "${engineError.message}" to socket.io-client 2: choose client generation 4, or let the server accept old clients with allowEIO3: true.`
          : `It answered "${engineError.message}" to this client.`,
    };
  }
  return undefined;
}
