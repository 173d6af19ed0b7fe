// `npm run bench:db` (`-- --quick` for a short run): recording into IndexedDB in Chromium (issue #6).
// The built extension's panel page is opened as a tab in headless Chromium; everything runs in-page against the
// browser's real IndexedDB. Measures, side by side in one run:
//   1. write throughput through the panel's Recorder (frames handed over 1,000 at a time, as the port delivers
//      them, then flushed): frames/s, and the longest `handle` call                 target: >= 50,000 frames/s
//   2. the same frames written as-is with plain Dexie `bulkAdd` (1,000 a batch): the baseline, and the ratio
//   3. storage per frame: navigator.storage.estimate() before and after each of the two, divided by frames
//   4. time to first screen of the recorded session (a million frames by default): click "Open" in the sessions
//      view until the first timeline row is on screen                               target: about 1 s
//      and until the whole session is loaded; the longest task of each phase (the recorder's and the loader's
//      work is sliced, so the page stays responsive)
// The page-side code is plain JavaScript in strings (tsx would wrap named functions in helpers the page lacks).
import type { CDPSession } from 'playwright-core';
import { launchWithExtension } from '../support/extension.ts';
import { profiled as profiledIf } from './cpu-profile.ts';

const quick = process.argv.includes('--quick');
/** `--profile`: a CDP CPU profile of opening the session, its hottest functions (self time) printed. */
const profile = process.argv.includes('--profile');
const FRAMES = quick ? 200_000 : 1_000_000;
const TARGET = { framesPerSecond: 50_000, firstScreenMs: 1000 };

const PAGE_SETUP = String.raw`
(() => {
  const URL_ = 'ws://127.0.0.1/socket.io/?EIO=4&transport=websocket&sid=benchbenchbench';
  const WORDS = 'hello world lorem ipsum dolor sit amet pizza pasta coffee tea meeting tomorrow deploy build ship review merge socket event ack ping'.split(' ');
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const sentence = () => { let s = pick(WORDS); const n = 4 + Math.floor(rand() * 14); for (let i = 0; i < n; i++) s += ' ' + pick(WORDS); return s; };
  let seq = 0;
  let t = Date.now() - 3600 * 1000;
  let ack = 0;
  const frame = (dir, data) => ({ seq: ++seq, t: (t += 0.1 + rand()), conn: 'bench:w1', url: URL_, transport: 'websocket', dir, kind: 'message', opcode: 'text', data });
  function makeFrames(n) {
    const out = [];
    if (seq === 0) {
      out.push({ seq: ++seq, t, conn: 'bench:w1', url: URL_, transport: 'websocket', dir: 'out', kind: 'open' });
      out.push(frame('in', '0{"sid":"benchbenchbench","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'));
      out.push(frame('out', '40'));
      out.push(frame('in', '40{"sid":"nsp"}'));
    }
    while (out.length < n) {
      const r = rand();
      const msg = JSON.stringify(['chat message', { user: 'u' + Math.floor(rand() * 100), text: sentence(), room: pick(['general', 'dev']) }]);
      if (r < 0.15) out.push(frame('out', '42' + ++ack + msg), frame('in', '43' + ack + '[{"ok":true}]'));
      else if (r < 0.97) out.push(frame(r < 0.5 ? 'out' : 'in', '42' + msg));
      else out.push(frame('in', '2'), frame('out', '3'));
    }
    return out;
  }
  const yieldTask = () => new Promise((r) => setTimeout(r, 0));
  // Long tasks: what the page could not answer in time while the recorder wrote.
  const longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); }).observe({ type: 'longtask' });
  const estimate = async () => (await navigator.storage.estimate()).usage ?? 0;

  async function recordThroughput(total) {
    const { recorder, db } = globalThis.sockscopePanel;
    // Pre-generated, so the figure is the recorder's and the database's, not the generator's.
    const batches = [];
    let bytes = 0;
    let count = 0;
    while (count < total) {
      const b = makeFrames(Math.min(1000, total - count));
      for (const f of b) bytes += f.data ? f.data.length : 0;
      count += b.length;
      batches.push(b);
    }
    total = count;
    const before = await estimate();
    recorder.handle({ type: 'page', page: { instance: 'bench-page', url: 'http://127.0.0.1/bench', top: true, frameId: 0 } });
    let longestHandle = 0;
    longTasks.length = 0;
    const t0 = performance.now();
    for (let i = 0; i < batches.length; i++) {
      const h = performance.now();
      recorder.handle({ type: 'frames', instance: 'bench-page', frames: batches[i] });
      longestHandle = Math.max(longestHandle, performance.now() - h);
      if (i % 25 === 24) await yieldTask();
    }
    await recorder.flush();
    const ms = performance.now() - t0;
    await yieldTask();
    const longestTask = Math.max(0, ...longTasks);
    const status = recorder.status;
    const after = await estimate();
    const session = await db.sessions.get(status.sessionId);
    return { ms, frames: total, payloadBytes: bytes, longestHandle, longestTask, written: status.written, error: status.error ?? null, estimateDelta: after - before, countedBytes: session ? session.bytes : 0, sessionId: status.sessionId };
  }

  async function baselineThroughput(total) {
    const Db = globalThis.sockscopePanel.db.constructor;
    const base = new Db('sockscope-bench-baseline');
    await base.open();
    seq = 0;
    ack = 0;
    const batches = [];
    let n = 0;
    while (n < total) {
      const b = makeFrames(Math.min(1000, total - n)).map((f) => ({ s: 1, n: n++, ...f }));
      batches.push(b);
    }
    const before = await estimate();
    const t0 = performance.now();
    for (const b of batches) await base.frames.bulkAdd(b);
    const ms = performance.now() - t0;
    const after = await estimate();
    base.close();
    await indexedDB.deleteDatabase('sockscope-bench-baseline');
    return { ms, frames: total, estimateDelta: after - before };
  }

  globalThis.__bench = { recordThroughput, baselineThroughput };
})();
`;

/** Clicks "Open" on the bench session and waits, in-page, for the first timeline row, then for the full load. */
const OPEN_AND_TIME = String.raw`
(async (name) => {
  const longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); }).observe({ type: 'longtask' });
  const row = [...document.querySelectorAll('.session')].find((r) => r.textContent.includes(name));
  const button = [...row.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Open');
  const t0 = performance.now();
  button.click();
  await new Promise((done) => { const check = () => (document.querySelector('.row .c-event') ? done() : requestAnimationFrame(check)); check(); });
  const firstScreenMs = performance.now() - t0;
  const opened = globalThis.sockscopePanel.opened();
  await new Promise((done) => { const check = () => (opened.loaded >= opened.total && opened.player.fed >= opened.total ? done() : setTimeout(check, 20)); check(); });
  const fullyLoadedMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 0));
  return { firstScreenMs, fullyLoadedMs, frames: opened.total, entries: opened.store.entries.length, longestTask: Math.max(0, ...longTasks) };
})
`;

const profiled = <T>(cdp: CDPSession, run: () => Promise<T>) => profiledIf(cdp, profile, run, 15);

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const browser = await launchWithExtension();
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`chrome-extension://${browser.extensionId}/extension/panel/panel.html?tabId=999999`);
  await page.waitForFunction(() => 'sockscopePanel' in globalThis);
  await page.evaluate(PAGE_SETUP);
  console.log(`bench:db — ${fmt(FRAMES)} frames of a realistic chat session, Chromium ${browser.context.browser()?.version() ?? ''} headless, real IndexedDB`);

  // The recorder first: the baseline's database is deleted afterwards, and space freed lazily would blur the
  // recorder's storage figure.
  const rec = (await page.evaluate(`__bench.recordThroughput(${FRAMES})`)) as {
    ms: number; frames: number; payloadBytes: number; longestHandle: number; longestTask: number; written: number; error: string | null; estimateDelta: number; countedBytes: number;
  };
  const base = (await page.evaluate(`__bench.baselineThroughput(${FRAMES})`)) as { ms: number; frames: number; estimateDelta: number };
  if (rec.error) console.log(`recording stopped: ${rec.error}`);
  const recRate = (rec.written * 1000) / rec.ms;
  const baseRate = (base.frames * 1000) / base.ms;
  console.log(`1. Recorder write throughput: ${fmt(recRate)} frames/s (${fmt(rec.written)} frames in ${fmt(rec.ms / 1000, 2)} s; longest handle() ${fmt(rec.longestHandle, 2)} ms, longest task ${fmt(rec.longestTask)} ms)  target >= ${fmt(TARGET.framesPerSecond)}: ${recRate >= TARGET.framesPerSecond ? 'met' : 'MISSED'}`);
  console.log(`2. Plain Dexie bulkAdd of the frames as-is: ${fmt(baseRate)} frames/s; recorder / plain = ${fmt(recRate / baseRate, 2)}`);
  console.log(`3. Storage per frame (navigator.storage.estimate delta): recorder ${fmt(rec.estimateDelta / rec.written, 1)} B, as-is ${fmt(base.estimateDelta / base.frames, 1)} B (ratio ${fmt(rec.estimateDelta / Math.max(1, base.estimateDelta), 2)}); payload ${fmt(rec.payloadBytes / rec.frames, 1)} B/frame; the library counts ${fmt(rec.countedBytes / rec.written, 1)} B/frame`);

  // A fresh panel, as a user would come back to it: the sessions view, then open the big session.
  await page.reload();
  await page.waitForFunction(() => 'sockscopePanel' in globalThis);
  await page.getByRole('button', { name: 'Sessions', exact: true }).click();
  await page.locator('.session', { hasText: '127.0.0.1/bench' }).waitFor();
  const cdp = await page.context().newCDPSession(page);
  const open = (await profiled(cdp, () => page.evaluate(`${OPEN_AND_TIME}('127.0.0.1/bench')`))) as { firstScreenMs: number; fullyLoadedMs: number; frames: number; entries: number; longestTask: number };
  console.log(`4. Open a ${fmt(open.frames)}-frame session: first screen ${fmt(open.firstScreenMs)} ms (target about ${fmt(TARGET.firstScreenMs)}: ${open.firstScreenMs <= TARGET.firstScreenMs * 1.5 ? 'met' : 'MISSED'}), all ${fmt(open.entries)} entries loaded in ${fmt(open.fullyLoadedMs / 1000, 2)} s (longest task ${fmt(open.longestTask)} ms)`);
} finally {
  await browser.close();
}
