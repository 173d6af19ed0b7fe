// `npm run bench:admin` (`-- --quick` for a short run): does admin mode keep up with big servers (issue #5)?
// The built standalone app (dist/app, mode=admin) in headless Chromium, against:
//   1. a real socket.io 4 server with instrument(), and 10,000 socket.io-client clients (WebSocket) connecting from
//      child processes while the app watches: time until the app shows them all, longest task, renders; then the
//      app opened on the 10,000 already there: load time, longest task.
//   2. a synthetic server speaking the admin protocol for 50,000 sockets: load time      target: < 2 s, no task > 100 ms
//      and search times (room, namespace, free text)
//   3. 10,000 server events a second (event_received / event_sent) for 10 s on top of the 50,000 sockets: messages
//      applied vs sent each second, drain time after the flood, longest task, renders
// Long tasks come from PerformanceObserver('longtask') in the page. Exits 0 whatever the figures.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startChatServer, type ChatServer } from '../../app/demo/chat-server.ts';
import { startInstrumentedServer } from '../support/admin-server.ts';
import { startSyntheticAdminServer } from '../support/admin-synthetic.ts';
import { launchBrowser, startAppServer } from '../support/app-server.ts';
import { stopChild, waitForLine } from '../support/redis-server.ts';

const quick = process.argv.includes('--quick');
/** `--only=real` or `--only=synthetic`: one half. */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const REAL_CLIENTS = quick ? 2_000 : 10_000;
const CLIENT_PROCESSES = 4;
const SYNTHETIC = quick ? 10_000 : 50_000;
const FLOOD_PER_SECOND = 10_000;
const FLOOD_SECONDS = quick ? 3 : 10;
const TARGET = { loadMs: 2_000, longTaskMs: 100 };

const PROBES = String.raw`
(() => {
  const bench = { longTasks: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) bench.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  // When the first admin messages reached the page: what comes before is the app starting, not the load.
  const firstBatch = setInterval(() => {
    if ((globalThis.sockscopeAdmin?.batches ?? 0) > 0) {
      bench.firstBatchAt = performance.now();
      clearInterval(firstBatch);
    }
  }, 5);
  bench.longest = (since) => bench.longTasks.filter((t) => t.start + t.duration >= since).reduce((m, t) => Math.max(m, t.duration), 0);
  bench.tasksOver = (since, ms) => bench.longTasks.filter((t) => t.start + t.duration >= since && t.duration > ms).length;
  // Resolves with performance.now() when the status line shows at least \`count\` sockets, or -1 after timeoutMs.
  bench.waitForCount = (count, timeoutMs) => new Promise((resolve) => {
    const t0 = performance.now();
    const check = () => {
      const match = /([\d,]+) sockets/.exec(document.querySelector('[data-testid="admin-counts"]')?.textContent ?? '');
      if (match && Number(match[1].replace(/,/g, '')) >= count) return resolve(performance.now());
      if (performance.now() - t0 > timeoutMs) return resolve(-1);
      setTimeout(check, 5);
    };
    check();
  });
  // Resolves with performance.now() when an element's text matches, or -1 after timeoutMs (the official UI).
  bench.waitForText = (selector, pattern, timeoutMs) => new Promise((resolve) => {
    const t0 = performance.now();
    const re = new RegExp(pattern);
    const check = () => {
      const el = document.querySelector(selector);
      if (el && re.test(el.textContent)) return resolve(performance.now());
      if (performance.now() - t0 > timeoutMs) return resolve(-1);
      setTimeout(check, 5);
    };
    check();
  });
  // Types a search and resolves with the time until the count under it changed, and the count.
  bench.search = (query) => new Promise((resolve) => {
    const input = document.querySelector('input[aria-label="Search sockets"]');
    const count = document.querySelector('[data-testid="socket-count"]');
    const before = count.textContent;
    const t0 = performance.now();
    const done = new MutationObserver(() => {
      if (count.textContent === before) return;
      done.disconnect();
      resolve({ ms: performance.now() - t0, shown: count.textContent });
    });
    done.observe(count, { characterData: true, childList: true, subtree: true });
    input.value = query;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  // Messages applied, sampled each second by the page itself (the bench's own process is busy sending them).
  bench.startSampling = () => {
    bench.samples = [];
    let last = globalThis.sockscopeAdmin.messagesApplied;
    bench.sampler = setInterval(() => {
      const now = globalThis.sockscopeAdmin.messagesApplied;
      bench.samples.push(now - last);
      last = now;
    }, 1000);
  };
  bench.stopSampling = () => (clearInterval(bench.sampler), bench.samples);
  globalThis.__bench = bench;
})();
`;

interface PageBench {
  longest(since: number): number;
  firstBatchAt: number | undefined;
  tasksOver(since: number, ms: number): number;
  waitForCount(count: number, timeoutMs: number): Promise<number>;
  waitForText(selector: string, pattern: string, timeoutMs: number): Promise<number>;
  search(query: string): Promise<{ ms: number; shown: string }>;
  startSampling(): void;
  stopSampling(): number[];
}
interface PageAdmin {
  version: number;
  messagesApplied: number;
  state: string;
}
declare const __bench: PageBench;
declare const sockscopeAdmin: PageAdmin;

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const lines: string[] = [];
function report(line: string): void {
  lines.push(line);
  console.log(line);
}

async function openAdmin(browser: Browser, app: ChatServer, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(PROBES);
  await page.goto(`${app.url}/?mode=admin&url=${encodeURIComponent(url)}`);
  return page;
}

/** The official Admin UI (its built files ship in @socket.io/admin-ui/ui/dist), on its Sockets page. */
const OFFICIAL_UI = resolve(import.meta.dirname, '..', '..', 'node_modules', '@socket.io', 'admin-ui', 'ui', 'dist');
const OFFICIAL_COUNT = '.v-data-footer__pagination';

async function openOfficial(ui: ChatServer, url: string): Promise<Page> {
  const page = await officialBrowser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(PROBES);
  // What its connection form saves; with a server URL there, it connects on load.
  await page.addInitScript(`localStorage.setItem('server_url', ${JSON.stringify(url)}); localStorage.setItem('ws_only', 'true');`);
  await page.goto(`${ui.url}/#/sockets/`);
  return page;
}

/** -1 when not shown in time; a page whose main thread stays blocked cannot even answer, so Node keeps the time. */
const officialShows = (page: Page, count: number, timeoutMs: number) =>
  Promise.race([
    page.evaluate(([selector, pattern, ms]) => __bench.waitForText(selector, pattern, ms), [OFFICIAL_COUNT, `of ${count}$`, timeoutMs] as const),
    new Promise<number>((r) => setTimeout(() => r(-1), timeoutMs + 5_000)),
  ]);

/** The longest task, unless the page is too busy to say within 5 s. */
const longestOrBlocked = (page: Page, since: number) =>
  Promise.race([page.evaluate((s) => __bench.longest(s), since), new Promise<number>((r) => setTimeout(() => r(Infinity), 5_000))]);

function shown(ms: number, longest: number): string {
  const task = longest === Infinity ? 'its page still blocked' : `longest task ${fmt(longest)} ms`;
  return ms < 0 ? `not shown within the time allowed; ${task}` : `${fmt(ms)} ms; ${task}`;
}

const adminState = (page: Page) => page.evaluate(() => (globalThis as unknown as { sockscopeAdmin?: PageAdmin }).sockscopeAdmin?.state ?? 'none');

async function waitConnected(page: Page): Promise<void> {
  for (let i = 0; i < 300 && (await adminState(page)) !== 'connected'; i++) await page.waitForTimeout(100);
}

async function realClients(browser: Browser, app: ChatServer, ui: ChatServer): Promise<void> {
  report(`\n1. Real instrumented server, ${fmt(REAL_CLIENTS)} socket.io clients from ${CLIENT_PROCESSES} processes`);
  const server = await startInstrumentedServer({ serverId: 'bench' });
  const children: ChildProcess[] = [];
  try {
    const page = await openAdmin(browser, app, server.url);
    const official = await openOfficial(ui, server.url);
    await waitConnected(page);
    await official.waitForSelector(OFFICIAL_COUNT, { timeout: 60_000 });
    const officialT0 = await official.evaluate(() => performance.now());
    const officialShown = official.evaluate(([selector, pattern]) => __bench.waitForText(selector, pattern, 600_000), [OFFICIAL_COUNT, `of ${REAL_CLIENTS}$`] as const);
    // The admin sockets (the app's, the official UI's) are sockets of the server too.
    const countText = `${fmt(REAL_CLIENTS)} sockets`;
    const t0 = await page.evaluate(() => performance.now());
    const v0 = await page.evaluate(() => sockscopeAdmin.version);
    const wallStart = performance.now();
    const script = resolve(import.meta.dirname, 'admin-clients.ts');
    const clientsDone = Promise.all(
      Array.from({ length: CLIENT_PROCESSES }, async () => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, server.url, String(REAL_CLIENTS / CLIENT_PROCESSES)], { stdio: ['ignore', 'pipe', 'pipe'] });
        children.push(child);
        await waitForLine(child, /done \d+/, 'bench clients', 600_000);
        return performance.now() - wallStart;
      }),
    );
    const shownAt = await page.evaluate((n) => __bench.waitForCount(n, 600_000), REAL_CLIENTS + 2);
    if (shownAt < 0) report(`   the app did not show ${countText} (it shows "${await page.getByTestId('admin-counts').textContent()}")`);
    const connectedMs = Math.max(...(await clientsDone));
    const v1 = await page.evaluate(() => sockscopeAdmin.version);
    const longest = await page.evaluate((since) => __bench.longest(since), t0);
    const liveMs = shownAt - t0;
    report(`   live: clients all connected after ${fmt(connectedMs)} ms; the app showed ${countText} after ${fmt(liveMs)} ms`);
    report(`         (${fmt(Math.max(0, liveMs - connectedMs))} ms after the last client); renders: ${v1 - v0} in ${(liveMs / 1000).toFixed(1)} s (${((v1 - v0) / (liveMs / 1000)).toFixed(1)}/s); longest task ${fmt(longest)} ms`);
    // The official UI gets two minutes more than the clients took, then says where it got to. (Here its Sockets
    // page stays at the list it loaded with, "1-2 of 2"; why was not found, so this line is not a comparison yet.)
    const officialAt = await Promise.race([officialShown, new Promise<number>((r) => setTimeout(() => r(-1), 120_000))]);
    const officialLongest = await official.evaluate((since) => __bench.longest(since), officialT0);
    const officialText = await official.locator(OFFICIAL_COUNT).textContent({ timeout: 60_000 }).catch(() => '?');
    report(`   official Admin UI, same run, same clients: ${shown(officialAt < 0 ? -1 : officialAt - officialT0, officialLongest)} (its count: "${officialText?.trim()}")`);
    await page.close();
    await official.close();

    const again = await openAdmin(browser, app, server.url);
    const loaded = await again.evaluate((n) => __bench.waitForCount(n, 120_000), REAL_CLIENTS);
    const loadLongest = await again.evaluate(() => __bench.longest(0));
    report(`   load with ${fmt(REAL_CLIENTS)} connected: ${fmt(loaded)} ms from navigation; longest task ${fmt(loadLongest)} ms`);
    await again.close();
    const officialAgain = await openOfficial(ui, server.url);
    const officialLoaded = await officialShows(officialAgain, REAL_CLIENTS, 120_000);
    const officialLoadLongest = await longestOrBlocked(officialAgain, 0);
    report(`   official Admin UI, same load: ${shown(officialLoaded, officialLoadLongest)}`);
    await officialAgain.close();
  } finally {
    await Promise.all(children.map(stopChild));
    await server.close();
  }
}

async function synthetic(browser: Browser, app: ChatServer, ui: ChatServer): Promise<void> {
  report(`\n2. Synthetic admin server, ${fmt(SYNTHETIC)} sockets`);
  const server = await startSyntheticAdminServer({ sockets: SYNTHETIC });
  try {
    const page = await openAdmin(browser, app, server.url);
    const loaded = await page.evaluate((n) => __bench.waitForCount(n, 120_000), SYNTHETIC);
    const longest = await page.evaluate(() => __bench.longest(0));
    const over = await page.evaluate((ms) => __bench.tasksOver(0, ms), TARGET.longTaskMs);
    const firstBatch = (await page.evaluate(() => __bench.firstBatchAt)) ?? 0;
    const longestLoading = await page.evaluate((since) => __bench.longest(since), firstBatch);
    report(`   load: ${fmt(loaded)} ms from navigation (target < ${fmt(TARGET.loadMs)}); longest task ${fmt(longest)} ms, ${over} over ${TARGET.longTaskMs} ms`);
    report(`         first sockets in the page at ${fmt(firstBatch)} ms; longest task from then on ${fmt(longestLoading)} ms (before it: the app starting)`);
    const official = await openOfficial(ui, server.url);
    // Its Sockets page lists the selected namespace, "/": four sockets in five of the synthetic ones.
    const officialLoaded = await officialShows(official, (SYNTHETIC * 4) / 5, 60_000);
    const officialLongest = await longestOrBlocked(official, 0);
    report(`   official Admin UI, same load: ${shown(officialLoaded, officialLongest)}`);
    await official.close({ runBeforeUnload: false });
    for (const query of ['room:room-42', 'ns:/chat', 'AaB', '10.0.1.', '']) {
      const since = await page.evaluate(() => performance.now());
      const { ms, shown } = await page.evaluate((q) => __bench.search(q), query);
      const taskMs = await page.evaluate((s) => __bench.longest(s), since);
      report(`   search ${JSON.stringify(query).padEnd(16)} ${ms.toFixed(1).padStart(6)} ms → ${shown}; longest task ${fmt(taskMs)} ms`);
      await page.waitForTimeout(300);
    }

    report(`\n3. ${fmt(FLOOD_PER_SECOND)} server events/s for ${FLOOD_SECONDS} s, on top of ${fmt(SYNTHETIC)} sockets`);
    const t0 = await page.evaluate(() => performance.now());
    const start = await page.evaluate(() => ({ applied: sockscopeAdmin.messagesApplied, version: sockscopeAdmin.version }));
    await page.evaluate(() => __bench.startSampling());
    const { sent, ms: sendMs } = await server.flood(FLOOD_PER_SECOND, FLOOD_SECONDS);
    const floodEnd = performance.now();
    let applied = await page.evaluate(() => sockscopeAdmin.messagesApplied);
    while (applied - start.applied < sent && performance.now() - floodEnd < 30_000) {
      await new Promise((r) => setTimeout(r, 50));
      applied = await page.evaluate(() => sockscopeAdmin.messagesApplied);
    }
    const drainMs = performance.now() - floodEnd;
    const perSecond = await page.evaluate(() => __bench.stopSampling());
    const end = await page.evaluate(() => ({ applied: sockscopeAdmin.messagesApplied, version: sockscopeAdmin.version }));
    const floodLongest = await page.evaluate((s) => __bench.longest(s), t0);
    const seconds = (sendMs + drainMs) / 1000;
    report(`   sent ${fmt(sent)} in ${fmt(sendMs)} ms (${fmt(sent / (sendMs / 1000))}/s); applied per second, sampled in the page: ${perSecond.map(fmt).join(', ')}`);
    report(`   all applied ${fmt(drainMs)} ms after the flood ended (${fmt(end.applied - start.applied)} of ${fmt(sent)}; other admin messages count too)`);
    report(`   renders: ${end.version - start.version} in ${seconds.toFixed(1)} s (${((end.version - start.version) / seconds).toFixed(1)}/s); longest task ${fmt(floodLongest)} ms`);
    await page.close();
  } finally {
    await server.close();
  }
}

report(`Machine: ${cpus().length} cores, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')} at the start`);
const app = await startAppServer();
const ui = await startChatServer({ generation: 4, staticDir: OFFICIAL_UI });
const browser = await launchBrowser();
// The official UI gets a browser of its own: one page per browser, each in front (a tab behind another is throttled).
const officialBrowser = await launchBrowser();
try {
  if (only !== 'synthetic') await realClients(browser, app, ui);
  if (only !== 'real') await synthetic(browser, app, ui);
} finally {
  await browser.close();
  await officialBrowser.close();
  await app.close();
  await ui.close();
}
report(`Load average at the end: ${loadavg().map((n) => n.toFixed(1)).join(' ')}`);
console.log('\nbench:admin figures\n' + lines.join('\n'));
process.exit(0);
