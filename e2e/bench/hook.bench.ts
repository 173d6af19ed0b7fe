// `npm run bench:hook`: what the page pays for the hook. A page receives 100,000 Socket.IO events from a local
// server, over WebSocket and then over polling, in Chromium without and with the extension (panel closed, and panel
// open and streaming), rounds interleaved so machine noise hits every variant alike; medians and ratios.
import type { Page } from 'playwright-core';
import { launchWithExtension, type ExtensionBrowser } from '../support/extension.ts';
import { startFixtureServer } from '../support/fixture-server.ts';

const quick = process.argv.includes('--quick');
const EVENTS = quick ? 20_000 : 100_000;
const ROUNDS = quick ? 2 : 5;
const TARGETS: Record<string, number> = { websocket: 1.05, polling: 1.1 };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function run(page: Page, transports: string): Promise<number> {
  return page.evaluate(([n, t]) => (window as unknown as { flood(n: number, t: string): Promise<number> }).flood(n, t), [EVENTS, transports] as const);
}

const server = await startFixtureServer({ generation: 4 });
const plain = await launchWithExtension({ extension: false });
const hooked = await launchWithExtension();
try {
  const variants: { name: string; browser: ExtensionBrowser; panel: boolean; page?: Page }[] = [
    { name: 'no extension', browser: plain, panel: false },
    { name: 'extension, panel closed', browser: hooked, panel: false },
    { name: 'extension, panel open', browser: hooked, panel: true },
  ];
  for (const v of variants) {
    v.page = await v.browser.context.newPage();
    await v.page.goto(server.page('flood.html'));
    if (v.panel) await v.browser.openPanel(v.page);
  }
  console.log(`${EVENTS.toLocaleString('en')} events per run, ${ROUNDS} rounds (median ms)\n`);
  for (const transports of ['websocket', 'polling']) {
    const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
    for (const v of variants) await run(v.page!, transports); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const v of round % 2 ? [...variants].reverse() : variants) times.get(v.name)!.push(await run(v.page!, transports));
    }
    const base = median(times.get('no extension')!);
    console.log(transports);
    for (const v of variants) {
      const m = median(times.get(v.name)!);
      const ratio = m / base;
      const verdict = v.name === 'no extension' ? '' : ratio <= TARGETS[transports] ? `PASS (<= ${TARGETS[transports]})` : `MISS (target <= ${TARGETS[transports]})`;
      console.log(`  ${v.name.padEnd(26)} ${m.toFixed(0).padStart(7)} ms  ratio ${ratio.toFixed(3)}  ${verdict}`);
    }
  }
} finally {
  await hooked.close();
  await plain.close();
  await server.close();
}
