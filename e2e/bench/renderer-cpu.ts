// The CPU time of a browser's page renderers' main threads, read from Linux procfs (/proc/<pid>/task/<pid>/schedstat,
// nanoseconds on a CPU). Unlike CDP's Performance metrics in thread ticks it needs nothing enabled in the page:
// that domain times every call from Blink into JavaScript with two thread-clock reads (system calls in a VM), a
// cost per event listener that lands on the very thing the hook bench measures.
import { readFileSync, readdirSync } from 'node:fs';

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Main-thread nanoseconds per renderer process of the browser using `userDataDir` (extension processes left out). */
export function pageRendererTimes(userDataDir: string): Map<number, number> {
  const parents = new Map<number, number>();
  const cmdlines = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    const cmdline = read(`/proc/${entry}/cmdline`);
    if (!stat || cmdline === undefined) continue;
    // `pid (comm) state ppid …`; comm may hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(Number(entry), ppid);
    cmdlines.set(Number(entry), cmdline.split('\0').join(' '));
  }
  const browser = [...cmdlines].find(([, c]) => c.includes(`--user-data-dir=${userDataDir}`) && !c.includes('--type='))?.[0];
  if (browser === undefined) throw new Error(`no browser process for ${userDataDir}`);
  const descends = (pid: number): boolean => {
    for (let p = parents.get(pid), hops = 0; p !== undefined && p > 1 && hops < 8; p = parents.get(p), hops++) if (p === browser) return true;
    return false;
  };
  const times = new Map<number, number>();
  for (const [pid, c] of cmdlines) {
    if (!c.includes('--type=renderer') || c.includes('--extension-process') || !descends(pid)) continue;
    const schedstat = read(`/proc/${pid}/task/${pid}/schedstat`);
    if (schedstat) times.set(pid, Number(schedstat.split(' ')[0]));
  }
  return times;
}

/** Milliseconds of page-renderer main-thread CPU between two readings (a renderer born in between counts whole). */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ns = 0;
  for (const [pid, t] of after) ns += t - (before.get(pid) ?? 0);
  return ns / 1e6;
}
