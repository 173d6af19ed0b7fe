// `npm run bench:ui` (`-- --quick` for a short run): does the panel stay fluid with a million entries (issue #4)?
// The built extension's panel page is opened as a tab in headless Chromium (1280x800, in front) and fed in-page:
// realistic raw frames of one EIO4 WebSocket connection go straight to `sockscopePanel.store.handle`, as the port
// source would deliver them. Four measures, each with its target:
//   1. load a million entries: wall time, and the JS heap afterwards (after a GC)    target: heap < 1 GB
//   2. ingest 20,000 entries/s for 10 s on top: longest task, dropped frames          target: no task over 50 ms
//   3. scroll the timeline (300 steps, small and big jumps): work per frame          target: p95 < 16 ms
//   4. type a filter over the whole log: time until every entry was examined          target: < 300 ms, no task over 50 ms
//   5. open the charts on the whole log, then ingest with them open: longest task     target: no task over 50 ms
// The page-side code is plain JavaScript in strings: tsx would otherwise wrap named functions in `__name` helpers
// that do not exist in the page. Exits 0 whatever the figures.
import type { CDPSession, Page } from 'playwright-core';
import { launchWithExtension } from '../support/extension.ts';
import { profiled as profiledIf, selfTimeBetween } from './cpu-profile.ts';

const quick = process.argv.includes('--quick');
/** `--profile`: a CDP CPU profile of phases 2 to 5 each, and their hottest functions (self time) printed. */
const profile = process.argv.includes('--profile');
const trace = process.argv.includes('--trace');
const LOAD = quick ? 200_000 : 1_000_000;
const BATCH = 10_000;
const INGEST_SECONDS = quick ? 3 : 10;
const INGEST_PER_TICK = 2_000; // every 100 ms: 20,000 / s
const SCROLL_STEPS = quick ? 100 : 300;
const FILTERS = ['event:chat dir:out', 'event:chat dir:out pizza', 'pizza'];

const TARGET = { heapBytes: 1024 ** 3, longTaskMs: 50, scrollP95Ms: 16, filterMs: 300 };

// ---- In-page code ----------------------------------------------------------------------------------------------

/** Installs `window.__bench`: a deterministic frame generator, a feeder, and the probes (long tasks, frames). */
const PAGE_SETUP = String.raw`
(() => {
  const store = globalThis.sockscopePanel.store;
  const URL_ = 'ws://127.0.0.1/socket.io/?EIO=4&transport=websocket';
  const CONN = 'bench:w1';
  const WORDS = ('hello world lorem ipsum dolor sit amet pizza pasta coffee tea meeting tomorrow today yes no maybe ' +
    'great thanks sure later deploy build ship release bug fix review merge branch socket event ack ping latency ' +
    'server client room user message typing online offline weekend lunch dinner').split(' ');
  let seed = 12345;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  let seq = 0;
  let t = Date.now() - 6 * 3600 * 1000;
  let ackId = 0;
  const awaiting = []; // ack ids sent by the client, answered a few frames later
  let started = false;

  const sentence = () => {
    const n = 6 + Math.floor(rand() * 30);
    let s = pick(WORDS);
    for (let i = 1; i < n; i++) s += ' ' + pick(WORDS);
    return s;
  };
  const frame = (dir, data) => ({ seq: ++seq, t: (t += 0.2 + rand() * 2), conn: CONN, url: URL_, transport: 'websocket', dir, kind: 'message', opcode: 'text', data });
  const sid = () => Math.floor(rand() * 2 ** 52).toString(36).padStart(11, 'x').slice(0, 20);
  const chat = () => ({ user: 'u' + Math.floor(rand() * 100), text: sentence(), ts: Math.floor(t), room: pick(['general', 'random', 'dev']) });

  function next(out) {
    if (!started) {
      started = true;
      out.push(frame('in', '0' + JSON.stringify({ sid: sid(), upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1000000 })));
      out.push(frame('out', '40'));
      out.push(frame('in', '40' + JSON.stringify({ sid: sid() })));
      out.push(frame('out', '40/chat,'));
      out.push(frame('in', '40/chat,' + JSON.stringify({ sid: sid() })));
      return;
    }
    const r = rand();
    if (awaiting.length > 0 && (r < 0.12 || awaiting.length > 8)) {
      const id = awaiting.shift();
      out.push(frame('in', '43' + id + JSON.stringify([{ ok: true, id: 'm' + id, stored: Math.floor(t), note: sentence() }])));
    } else if (r < 0.20) {
      const id = ++ackId;
      awaiting.push(id);
      out.push(frame('out', '42' + id + JSON.stringify(['chat message', chat()])));
    } else if (r < 0.50) {
      out.push(frame('out', '42' + JSON.stringify(['chat message', chat()])));
    } else if (r < 0.80) {
      out.push(frame('in', '42' + JSON.stringify(['chat message', chat()])));
    } else if (r < 0.88) {
      out.push(frame(rand() < 0.5 ? 'in' : 'out', '42/chat,' + JSON.stringify(['typing', { user: 'u' + Math.floor(rand() * 100), room: 'dev', typing: rand() < 0.5, text: sentence() }])));
    } else if (r < 0.94) {
      out.push(frame('in', '42' + JSON.stringify(['presence', { users: Array.from({ length: 4 + Math.floor(rand() * 8) }, () => 'u' + Math.floor(rand() * 100)), online: true }])));
    } else if (r < 0.97) {
      out.push(frame('in', '2'));
      out.push(frame('out', '3'));
    } else {
      out.push(frame('in', '42/chat,' + JSON.stringify(['chat message', chat()])));
    }
  }

  function makeFrames(n) {
    const out = [];
    while (out.length < n) next(out);
    return out;
  }

  const stats = { frames: 0, bytes: 0 };
  function feed(n) {
    const frames = makeFrames(n);
    for (const f of frames) stats.bytes += f.data.length;
    stats.frames += frames.length;
    const t0 = performance.now();
    store.handle({ type: 'frames', instance: 'bench', frames });
    return performance.now() - t0;
  }

  const yieldTask = () => new Promise((r) => setTimeout(r, 0));

  /** Feeds until the log holds n entries, batch frames per task. */
  async function load(n, batch) {
    const t0 = performance.now();
    let handleMs = 0;
    while (store.entries.length < n) {
      handleMs += feed(Math.min(batch, n - store.entries.length));
      await yieldTask();
    }
    return { loadedMs: performance.now() - t0, handleMs, entries: store.entries.length, frames: stats.frames, bytes: stats.bytes };
  }

  // Probes: long tasks and animation frames, between start() and stop().
  const probe = { longtasks: [], frames: [], running: false, loaf: [] };
  new PerformanceObserver((list) => { if (probe.running) for (const e of list.getEntries()) probe.longtasks.push(e.duration); }).observe({ type: 'longtask' });
  try {
    new PerformanceObserver((list) => { if (probe.running) for (const e of list.getEntries()) probe.loaf.push(e.duration); }).observe({ type: 'long-animation-frame' });
  } catch {}
  let generation = 0;
  function start() {
    probe.longtasks = [];
    probe.loaf = [];
    probe.frames = [];
    probe.running = true;
    const mine = ++generation;
    const frameLoop = (ts) => {
      if (!probe.running || mine !== generation) return;
      probe.frames.push(ts);
      requestAnimationFrame(frameLoop);
    };
    requestAnimationFrame(frameLoop);
  }
  async function stop() {
    // Long-task entries are delivered asynchronously: give the observer a moment.
    await new Promise((r) => setTimeout(r, 100));
    probe.running = false;
    const intervals = [];
    for (let i = 1; i < probe.frames.length; i++) intervals.push(probe.frames[i] - probe.frames[i - 1]);
    return { longtasks: probe.longtasks.slice(), loaf: probe.loaf.slice(), intervals };
  }

  /** 20,000 entries a second: n per tick, ticks on an absolute schedule so a slow tick does not stretch the run. */
  async function ingest(seconds, perTick) {
    start();
    const t0 = performance.now();
    const before = store.entries.length;
    let handleMs = 0;
    let worstHandle = 0;
    let late = 0;
    for (let i = 0; i < seconds * 10; i++) {
      const due = t0 + i * 100;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else late++;
      const ms = feed(perTick);
      handleMs += ms;
      worstHandle = Math.max(worstHandle, ms);
    }
    await new Promise((r) => setTimeout(r, 100));
    const probeResult = await stop();
    return { ...probeResult, added: store.entries.length - before, wallMs: performance.now() - t0, handleMs, worstHandle, late };
  }

  /**
   * Scrolls the timeline one step per animation frame. For each step: the rAF-to-rAF interval, and the main-thread
   * work of the frame that shows it: from the scroll event (a capturing listener, first to run) through Svelte's
   * update, the rAF callbacks, style, layout and paint, to the first task after the frame (a MessageChannel message
   * posted from the rAF callback).
   */
  async function scroll(steps) {
    const viewport = document.querySelector('.timeline .viewport');
    const max = viewport.scrollHeight - viewport.clientHeight;
    const targets = [];
    let pos = Math.floor(max / 2);
    for (let i = 0; i < steps; i++) {
      const r = rand();
      if (r < 0.6) pos += (rand() < 0.5 ? -1 : 1) * (22 + Math.floor(rand() * 200)); // wheel-sized
      else if (r < 0.85) pos += (rand() < 0.5 ? -1 : 1) * Math.floor(rand() * 5000); // a few screens
      else pos = Math.floor(rand() * max); // a jump (scrollbar drag, Home/End)
      pos = Math.max(0, Math.min(max, pos));
      targets.push(pos);
    }
    const work = [];
    const intervals = [];
    const mismatches = [];
    let scrollAt = undefined;
    const onScroll = () => { if (scrollAt === undefined) scrollAt = performance.now(); };
    document.addEventListener('scroll', onScroll, true);
    const channel = new MessageChannel();
    let pendingEnd = undefined;
    channel.port1.onmessage = () => {
      if (pendingEnd) { work.push(performance.now() - pendingEnd); pendingEnd = undefined; }
    };
    start();
    await new Promise((resolve) => {
      let i = 0;
      let last = undefined;
      const step = (ts) => {
        if (last !== undefined) intervals.push(ts - last);
        last = ts;
        if (scrollAt !== undefined) {
          pendingEnd = scrollAt;
          scrollAt = undefined;
          channel.port2.postMessage(0);
          // The rows in the DOM cover the viewport (only checked here: cheap, and after Svelte's update).
          const rows = viewport.querySelectorAll('.spacer > .row');
          const top = viewport.scrollTop;
          const firstTop = rows.length ? parseFloat(rows[0].style.top) : NaN;
          const lastTop = rows.length ? parseFloat(rows[rows.length - 1].style.top) : NaN;
          if (!(firstTop <= top && lastTop + 22 >= Math.min(top + viewport.clientHeight, viewport.scrollHeight))) mismatches.push({ top, firstTop, lastTop });
        }
        if (i === targets.length) { setTimeout(resolve, 50); return; }
        viewport.scrollTop = targets[i++];
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    });
    document.removeEventListener('scroll', onScroll, true);
    const probeResult = await stop();
    return { work, intervals: intervals.slice(1), mismatches: mismatches.length, firstMismatch: mismatches[0], longtasks: probeResult.longtasks, loaf: probeResult.loaf, max };
  }

  /**
   * Types a filter (one input event, as a paste would) and waits until the status bar drops 'filtering…', i.e. the
   * model has examined every entry. Time from the input event to that DOM change.
   */
  async function filter(text) {
    const input = document.querySelector('input[aria-label="Filter"]');
    const status = document.querySelector('footer.status');
    const filtering = () => status.textContent.includes('filtering');
    // Let a previous filter finish first.
    while (filtering()) await new Promise((r) => requestAnimationFrame(r));
    start();
    const result = await new Promise((resolve) => {
      let t0 = 0;
      let sawFiltering = false;
      const observer = new MutationObserver(() => {
        if (filtering()) sawFiltering = true;
        else if (sawFiltering) {
          observer.disconnect();
          resolve({ ms: performance.now() - t0 });
        }
      });
      observer.observe(status, { childList: true, subtree: true, characterData: true });
      t0 = performance.now();
      input.value = text;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      if (filtering()) sawFiltering = true;
      setTimeout(() => { if (!sawFiltering) { observer.disconnect(); resolve({ ms: performance.now() - t0, instant: true }); } }, 1000);
    });
    const probeResult = await stop();
    const shown = document.querySelector('[data-testid="shown-count"]').textContent;
    return { ...result, ...probeResult, shown, entries: store.entries.length };
  }

  /** Opens the charts (the toolbar's button) and waits until they have read the whole log; then ingests with them open. */
  async function charts(seconds, perTick) {
    start();
    const t0 = performance.now();
    [...document.querySelectorAll('.toolbar button')].find((b) => b.textContent.trim() === 'Charts').click();
    await new Promise((resolve) => {
      const check = () => (document.querySelector('.acks .line') && !document.querySelector('.charts [role="status"]') ? resolve() : setTimeout(check, 10));
      check();
    });
    const openMs = performance.now() - t0;
    const opened = await stop();
    const live = await ingest(seconds, perTick);
    const p50 = document.querySelector('.acks .line .c-p50')?.textContent;
    return { openMs, opened, live, p50 };
  }

  globalThis.__bench = { load, ingest, scroll, filter, feed, charts, entries: () => store.entries.length };
})();
`;

// ---- Node side -------------------------------------------------------------------------------------------------

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const pct = (xs: number[], p: number) => (xs.length === 0 ? NaN : sorted(xs)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))]);
const max = (xs: number[]) => (xs.length === 0 ? 0 : Math.max(...xs));
const ms = (x: number) => `${x.toFixed(1)} ms`;
const mb = (x: number) => `${(x / 1024 / 1024).toFixed(0)} MB`;
const verdict = (ok: boolean, target: string) => (ok ? `PASS (${target})` : `MISS (target ${target})`);

interface ProbeResult {
  longtasks: number[];
  loaf: number[];
  intervals: number[];
}

function frameSummary(p: ProbeResult): string {
  const dropped = p.intervals.filter((i) => i > 33).length;
  return (
    `frames ${p.intervals.length}, median ${ms(pct(p.intervals, 0.5))}, worst ${ms(max(p.intervals))}, dropped (> 33 ms) ${dropped}; ` +
    `long tasks ${p.longtasks.length}, longest ${ms(max(p.longtasks))}`
  );
}

const profiled = <T>(cdp: CDPSession, run: () => Promise<T>) => profiledIf(cdp, profile, run);

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  tid: number;
  pid: number;
  args?: { name?: string; data?: { functionName?: string; url?: string; lineNumber?: number } };
}

/** Tasks at least this long (µs) are broken down by `--trace`. */
const LONG_TASK_US = 30_000;

/**
 * `--trace`: where the main thread's time went during phases 3 and 5, by trace event (wall time of each kind, nested
 * kinds counted in their parents too), and what the longest tasks were made of (GC, which calls).
 */
async function traced<T>(cdp: CDPSession, run: () => Promise<T>): Promise<T> {
  if (!trace) return run();
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as typeof events)));
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['toplevel', 'devtools.timeline', 'blink', 'cc', 'v8'] }, transferMode: 'ReportEvents' });
  const result = await run();
  await cdp.send('Tracing.end');
  await done;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const byName = new Map<string, { total: number; count: number }>();
  for (const e of events) {
    if (!main || e.tid !== main.tid || e.pid !== main.pid || e.ph !== 'X' || !e.dur) continue;
    const s = byName.get(e.name) ?? { total: 0, count: 0 };
    s.total += e.dur / 1000;
    s.count++;
    byName.set(e.name, s);
  }
  // CPU time (thread time, so a busy machine's waiting is left out) of the main thread's tasks, per frame: a
  // frame's tasks are those that start after the previous frame's BeginMainFrame ended, up to the end of its own.
  const onMain = events.filter((e) => main && e.tid === main.tid && e.pid === main.pid && e.ph === 'X');
  const frameEnds = onMain.filter((e) => e.name === 'ProxyMain::BeginMainFrame').map((e) => e.ts + (e.dur ?? 0)).sort((a, b) => a - b);
  const tasks = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask').sort((a, b) => a.ts - b.ts);
  const cpu: number[] = [];
  let k = 0;
  for (const end of frameEnds) {
    let sum = 0;
    while (k < tasks.length && tasks[k].ts < end) sum += (tasks[k++].tdur ?? 0) / 1000;
    if (sum > 0) cpu.push(sum);
  }
  console.log(`   main-thread CPU per frame (thread time of its tasks, from the trace): median ${ms(pct(cpu, 0.5))}, p95 ${ms(pct(cpu, 0.95))}, worst ${ms(max(cpu))} (${cpu.length} frames)`);
  // The longest tasks, and what ran inside them (and, with --profile, which functions the samples in them hit).
  for (const task of [...tasks].sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0)).slice(0, 3)) {
    if ((task.dur ?? 0) < LONG_TASK_US) break;
    const end = task.ts + (task.dur ?? 0);
    const inside = new Map<string, number>();
    for (const e of onMain) {
      if (e === task || !e.dur || e.ts < task.ts || e.ts + e.dur > end) continue;
      const call = e.name === 'FunctionCall' ? e.args?.data : undefined;
      const key = call ? `${e.name} ${call.functionName || '(anonymous)'} ${call.url?.split('/').pop()}:${(call.lineNumber ?? 0) + 1}` : e.name;
      inside.set(key, (inside.get(key) ?? 0) + e.dur / 1000);
    }
    console.log(`   a task of ${ms((task.dur ?? 0) / 1000)} (thread time ${ms((task.tdur ?? 0) / 1000)}), by nested event (wall, nested kinds included in parents):`);
    for (const [k, v] of [...inside].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`     ${ms(v).padStart(10)}  ${k}`);
    const hot = selfTimeBetween(task.ts, end);
    if (hot.length) console.log(`     profile samples in it (self time, ms): ${hot.map(([k, v]) => `${k} ${v.toFixed(1)}`).join('; ')}`);
  }
  console.log('   trace (main thread, wall time per event kind, nested kinds included in parents):');
  for (const [k, v] of [...byName].sort((a, b) => b[1].total - a[1].total).slice(0, 20)) console.log(`     ${ms(v.total).padStart(10)}  ${String(v.count).padStart(6)}x  ${k}`);
  return result;
}

async function heap(cdp: CDPSession): Promise<{ used: number; total: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize, totalSize } = await cdp.send('Runtime.getHeapUsage');
  return { used: usedSize, total: totalSize };
}

type Bench = {
  load(n: number, batch: number): Promise<{ loadedMs: number; handleMs: number; entries: number; frames: number; bytes: number }>;
  ingest(seconds: number, perTick: number): Promise<ProbeResult & { added: number; wallMs: number; handleMs: number; worstHandle: number; late: number }>;
  scroll(steps: number): Promise<
    ProbeResult & { work: number[]; mismatches: number; firstMismatch?: unknown; max: number }
  >;
  filter(text: string): Promise<ProbeResult & { ms: number; instant?: boolean; shown: string; entries: number }>;
  charts(seconds: number, perTick: number): Promise<{ openMs: number; opened: ProbeResult; live: ProbeResult & { added: number }; p50?: string }>;
};
const call = <K extends keyof Bench>(page: Page, name: K, ...args: Parameters<Bench[K]>) =>
  page.evaluate(([n, a]) => (globalThis as unknown as Record<string, Record<string, (...x: unknown[]) => unknown>>).__bench[n as string](...(a as unknown[])), [
    name,
    args,
  ] as const) as ReturnType<Bench[K]>;

const browser = await launchWithExtension({ args: ['--enable-precise-memory-info'] });
const results: { name: string; ok: boolean; line: string }[] = [];
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`chrome-extension://${browser.extensionId}/extension/panel/panel.html?tabId=999999`);
  await page.bringToFront();
  await page.waitForFunction(() => 'sockscopePanel' in globalThis);
  await page.waitForSelector('.timeline .viewport');
  await page.evaluate(PAGE_SETUP);
  const cdp = await browser.context.newCDPSession(page);
  const baseline = await heap(cdp);

  console.log(`Sockscope panel UI bench${quick ? ' (quick)' : ''}: Chromium headless, 1280x800, panel page in front\n`);

  // 1. Load.
  const loaded = await call(page, 'load', LOAD, BATCH);
  const t0 = Date.now();
  await page.waitForFunction(() => !document.querySelector('footer.status')?.textContent?.includes('filtering'), undefined, { polling: 50 });
  const settleMs = Date.now() - t0;
  const afterLoad = await heap(cdp);
  const perfMemory = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
  console.log(`1. Load ${loaded.entries.toLocaleString('en')} entries (${loaded.frames.toLocaleString('en')} frames, ${mb(loaded.bytes)} of payload text, ${BATCH.toLocaleString('en')} frames per task)`);
  console.log(`   wall ${ms(loaded.loadedMs)} (store.handle ${ms(loaded.handleMs)}, the rest generating frames and the panel's frames), timeline caught up ${settleMs} ms later`);
  console.log(`   JS heap after GC: ${mb(afterLoad.used)} used (baseline ${mb(baseline.used)}; performance.memory ${mb(perfMemory)}), ${mb(afterLoad.total)} allocated`);
  console.log(`   ${(afterLoad.used - baseline.used) / loaded.entries > 0 ? `${((afterLoad.used - baseline.used) / loaded.entries).toFixed(0)} B per entry` : ''}`);
  const heapOk = afterLoad.used < TARGET.heapBytes * (LOAD / 1_000_000);
  results.push({ name: 'heap for the million', ok: heapOk, line: `${mb(afterLoad.used)} ${verdict(heapOk, `< ${mb(TARGET.heapBytes * (LOAD / 1_000_000))}`)}` });

  // 2. Ingest.
  const ingest = await profiled(cdp, () => call(page, 'ingest', INGEST_SECONDS, INGEST_PER_TICK));
  console.log(`\n2. Ingest ${(INGEST_PER_TICK * 10).toLocaleString('en')} entries/s for ${INGEST_SECONDS} s on top (${INGEST_PER_TICK.toLocaleString('en')} per 100 ms): +${ingest.added.toLocaleString('en')} in ${ms(ingest.wallMs)}`);
  console.log(`   store.handle ${ms(ingest.handleMs)} total, worst batch ${ms(ingest.worstHandle)}; ticks late ${ingest.late}`);
  console.log(`   ${frameSummary(ingest)}; long animation frames ${ingest.loaf.length}`);
  const ingestOk = max(ingest.longtasks) <= TARGET.longTaskMs;
  results.push({ name: 'ingest: longest task', ok: ingestOk, line: `${ms(max(ingest.longtasks))} ${verdict(ingestOk, `<= ${TARGET.longTaskMs} ms`)}` });

  // 3. Scroll.
  const scroll = await traced(cdp, () => profiled(cdp, () => call(page, 'scroll', SCROLL_STEPS)));
  const quantised = scroll.intervals.filter((i) => Math.abs(i - 16.67) < 1.5 || Math.abs(i - 33.33) < 1.5).length / Math.max(1, scroll.intervals.length);
  console.log(`\n3. Scroll ${SCROLL_STEPS} steps over ${(scroll.max / 22).toLocaleString('en', { maximumFractionDigits: 0 })} rows (wheel-sized steps, a few screens, random jumps), one per frame`);
  console.log(
    `   rAF intervals: median ${ms(pct(scroll.intervals, 0.5))}, p95 ${ms(pct(scroll.intervals, 0.95))}, worst ${ms(max(scroll.intervals))}, ` +
      `over 33 ms ${scroll.intervals.filter((i) => i > 33).length}; ${(quantised * 100).toFixed(0)}% quantised to vsync`,
  );
  console.log(
    `   main-thread work per frame (scroll event → Svelte update → rAF → style/layout/paint → next task): ` +
      `median ${ms(pct(scroll.work, 0.5))}, p95 ${ms(pct(scroll.work, 0.95))}, worst ${ms(max(scroll.work))} (${scroll.work.length} frames)`,
  );
  console.log(`   long tasks ${scroll.longtasks.length}, longest ${ms(max(scroll.longtasks))}; rows not covering the viewport: ${scroll.mismatches}${scroll.firstMismatch ? ` e.g. ${JSON.stringify(scroll.firstMismatch)}` : ''}`);
  const scrollP95 = quantised > 0.5 ? pct(scroll.work, 0.95) : pct(scroll.intervals, 0.95);
  const scrollOk = scrollP95 < TARGET.scrollP95Ms && scroll.mismatches === 0;
  results.push({
    name: `scroll: p95 ${quantised > 0.5 ? 'work per frame' : 'frame interval'}`,
    ok: scrollOk,
    line: `${ms(scrollP95)} ${verdict(scrollOk, `< ${TARGET.scrollP95Ms} ms`)}`,
  });

  // 4. Filter.
  console.log(`\n4. Filter (one input event, then until the status bar drops 'filtering…': every entry examined)`);
  let worstFilter = 0;
  let worstFilterTask = 0;
  for (const text of FILTERS) {
    const f = await profiled(cdp, () => call(page, 'filter', text));
    worstFilter = Math.max(worstFilter, f.ms);
    worstFilterTask = Math.max(worstFilterTask, max(f.longtasks));
    const perMillion = (f.ms * 1_000_000) / f.entries;
    console.log(`   ${JSON.stringify(text).padEnd(28)} ${ms(f.ms).padStart(10)} over ${f.entries.toLocaleString('en')} entries (${ms(perMillion)} per million), ${f.shown}`);
    console.log(`   ${''.padEnd(28)} ${frameSummary(f)}`);
  }
  await call(page, 'filter', '');
  const filterOk = worstFilter < TARGET.filterMs;
  const filterTaskOk = worstFilterTask <= TARGET.longTaskMs;
  results.push({ name: 'filter: time to scan all', ok: filterOk, line: `${ms(worstFilter)} ${verdict(filterOk, `< ${TARGET.filterMs} ms`)}` });
  results.push({ name: 'filter: longest task', ok: filterTaskOk, line: `${ms(worstFilterTask)} ${verdict(filterTaskOk, `<= ${TARGET.longTaskMs} ms`)}` });

  // 5. Charts.
  const charts = await traced(cdp, () => profiled(cdp, () => call(page, 'charts', INGEST_SECONDS, INGEST_PER_TICK)));
  console.log(`\n5. Charts: open on ${(await page.evaluate(() => (globalThis as unknown as { __bench: { entries(): number } }).__bench.entries())).toLocaleString('en')} entries, then ingest as in 2 with them open`);
  console.log(`   read the whole log in ${ms(charts.openMs)} (slices of 20 ms); ${frameSummary(charts.opened)}`);
  console.log(`   ingest with the charts open: +${charts.live.added.toLocaleString('en')}; ${frameSummary(charts.live)}; 'chat message' p50 ${charts.p50}`);
  const chartsTask = Math.max(max(charts.opened.longtasks), max(charts.live.longtasks));
  const chartsOk = chartsTask <= TARGET.longTaskMs;
  results.push({ name: 'charts: longest task', ok: chartsOk, line: `${ms(chartsTask)} ${verdict(chartsOk, `<= ${TARGET.longTaskMs} ms`)}` });

  console.log(`\nTargets (issue #4)${quick ? ' — quick run: fewer entries, targets scaled or not comparable' : ''}`);
  for (const r of results) console.log(`  ${r.name.padEnd(34)} ${r.line}`);
} finally {
  await browser.close();
}
