import { Failure } from '../failure.ts';

/**
 * Reads the event name from `["name", ...` without parsing the arguments: what the timeline needs for every row.
 * Checks only what it must: a JSON array whose first element is a string or a number, closed at the end.
 */
export function readEventName(json: string, start: number): string | number | Failure {
  let i = skipSpace(json, start);
  if (json.charCodeAt(i) !== 91 /* [ */) return new Failure('invalid payload: an event must be a JSON array');
  if (json.charCodeAt(lastNonSpace(json)) !== 93 /* ] */) return new Failure('invalid payload: unterminated JSON array');
  i = skipSpace(json, i + 1);
  const c = json.charCodeAt(i);
  if (c === 34 /* " */) {
    let j = i + 1;
    let escaped = false;
    for (; j < json.length; j++) {
      const d = json.charCodeAt(j);
      if (d === 34) break;
      if (d === 92 /* \ */) {
        escaped = true;
        j++;
      } else if (d < 32) return new Failure('invalid payload: control character in event name');
    }
    if (j >= json.length) return new Failure('invalid payload: unterminated event name');
    if (!escaped) return json.slice(i + 1, j);
    try {
      return JSON.parse(json.slice(i, j + 1)) as string;
    } catch {
      return new Failure('invalid payload: bad escape in event name');
    }
  }
  if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
    let j = i + 1;
    while (j < json.length && /[0-9.eE+-]/.test(json[j])) j++;
    const n = Number(json.slice(i, j));
    // `1e400` is valid JSON for Infinity, and socket.io-parser takes it as a numeric name.
    return Number.isNaN(n) ? new Failure('invalid payload: bad numeric event name') : n;
  }
  if (c === 93 /* ] */) return new Failure('invalid payload: an event needs a name');
  return new Failure('invalid payload: an event name must be a string or a number');
}

function skipSpace(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    i++;
  }
  return i;
}

function lastNonSpace(s: string): number {
  let i = s.length - 1;
  while (i >= 0) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    i--;
  }
  return i;
}
