// The page's own polling POSTs still waiting for their answer, per Engine.IO session (sid). An Engine.IO server
// closes a polling session when two POSTs of it overlap ("data request overlap"), so the composer waits for the
// page's to finish before sending its own. A null-prototype object: no page code runs on access.
import { call, natives } from './natives.ts';

const SID = /[?&]sid=([^&#]+)/;
const inFlight: Record<string, number> = Object.create(null);

function sidOf(url: string): string | undefined {
  const match = call(natives.regExpExec, SID, url) as RegExpExecArray | null;
  return match === null ? undefined : match[1];
}

export function postStarted(url: string): void {
  const sid = sidOf(url);
  if (sid !== undefined) inFlight[sid] = (inFlight[sid] ?? 0) + 1;
}

export function postEnded(url: string): void {
  const sid = sidOf(url);
  if (sid === undefined || inFlight[sid] === undefined) return;
  if (--inFlight[sid] <= 0) delete inFlight[sid];
}

export function postsInFlight(url: string): number {
  const sid = sidOf(url);
  return sid === undefined ? 0 : (inFlight[sid] ?? 0);
}
