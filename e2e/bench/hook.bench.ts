// `npm run bench:hook`: what the page pays for the hook. A page receives 100,000 Socket.IO events from a local
// server, over WebSocket and then over polling, in Chromium without and with the extension (panel closed, and panel
// open and streaming), rounds interleaved so machine noise hits every variant alike; medians and ratios.
// Two clocks: the wall time until the last event arrived, and the CPU time of the page's main thread (CDP
// Performance metrics in thread ticks). On a 2-core machine that also runs the server and the browser's other
// processes, the wall time mostly measures who got a core; the CPU time is what the page itself paid.
import type { CDPSession, Page } from 'playwright-core';
import { launchWithExtension, type ExtensionBrowser } from '../support/extension.ts';
import { startFixtureServer } from '../support/fixture-server.ts';

const quick = process.argv.includes('--quick');
const EVENTS = quick ? 20_000 : 100_000;
const ROUNDS = quick ? 2 : 3;
const TARGETS: Record<string, number> = { websocket: 1.05, polling: 1.1 };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Waits until an open panel has decoded everything it was sent, so its work does not land on the next run. */
async function settle(panel: Page | undefined): Promise<void> {
  if (!panel) return;
  let last = -1;
  for (;;) {
    const frames = await panel.evaluate(() => (globalThis as unknown as { sockscopePanel: { store: { frameCount: number } } }).sockscopePanel.store.frameCount);
    if (frames === last) return;
    last = frames;
    await new Promise((r) => setTimeout(r, 300));
  }
}

interface Timing {
  wall: number;
  busy: number;
}

async function threadTime(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'ThreadTime')?.value ?? 0) * 1000;
}

async function run(page: Page, cdp: CDPSession, transports: string): Promise<Timing> {
  // The measured page in front, as in the plain browser: Chrome runs a background tab's renderer at a lower priority.
  await page.bringToFront();
  const before = await threadTime(cdp);
  const wall = await page.evaluate(([n, t]) => (window as unknown as { flood(n: number, t: string): Promise<number> }).flood(n, t), [EVENTS, transports] as const);
  return { wall, busy: (await threadTime(cdp)) - before };
}

const server = await startFixtureServer({ generation: 4 });
// One browser per variant, each with only its own page (and the panel): tabs of one browser can share a renderer.
const plain = await launchWithExtension({ extension: false });
const hooked = await launchWithExtension();
const watched = await launchWithExtension();
try {
  const variants: { name: string; browser: ExtensionBrowser; panel: boolean; page?: Page; cdp?: CDPSession; panelPage?: Page }[] = [
    { name: 'no extension', browser: plain, panel: false },
    { name: 'extension, panel closed', browser: hooked, panel: false },
    { name: 'extension, panel open', browser: watched, panel: true },
  ];
  for (const v of variants) {
    v.page = await v.browser.context.newPage();
    await v.page.goto(server.page('flood.html'));
    v.cdp = await v.browser.context.newCDPSession(v.page);
    await v.cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    if (v.panel) v.panelPage = await v.browser.openPanel(v.page);
  }
  console.log(`${EVENTS.toLocaleString('en')} events per run, ${ROUNDS} rounds; medians in ms (targets apply to the page's main-thread CPU time)\n`);
  for (const transports of ['websocket', 'polling']) {
    const times = new Map<string, Timing[]>(variants.map((v) => [v.name, []]));
    for (const v of variants) {
      await run(v.page!, v.cdp!, transports); // warm-up
      await settle(v.panelPage);
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const v of round % 2 ? [...variants].reverse() : variants) {
        times.get(v.name)!.push(await run(v.page!, v.cdp!, transports));
        await settle(v.panelPage);
      }
    }
    const of = (name: string, key: keyof Timing) => median(times.get(name)!.map((t) => t[key]));
    console.log(transports);
    for (const v of variants) {
      const busy = of(v.name, 'busy') / of('no extension', 'busy');
      const wall = of(v.name, 'wall') / of('no extension', 'wall');
      const target = TARGETS[transports];
      const verdict = v.name === 'no extension' ? '' : busy <= target ? `PASS (<= ${target})` : `MISS (target <= ${target})`;
      console.log(
        `  ${v.name.padEnd(26)} cpu ${of(v.name, 'busy').toFixed(0).padStart(6)} ms  ratio ${busy.toFixed(3)}  | wall ${of(v.name, 'wall').toFixed(0).padStart(6)} ms  ratio ${wall.toFixed(3)}  ${verdict}`,
      );
    }
  }
} finally {
  await watched.close();
  await hooked.close();
  await plain.close();
  await server.close();
}
