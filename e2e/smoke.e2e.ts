import { afterAll, beforeAll, expect, it } from 'vitest';
import { startChatServer, type ChatServer } from '../app/demo/chat-server.ts';
import { launchWithExtension, panelEntries, type ExtensionBrowser } from './support/extension.ts';

let server: ChatServer;
let browser: ExtensionBrowser;

beforeAll(async () => {
  server = await startChatServer({ generation: 4, staticDir: 'dist/demo' });
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('shows the demo page traffic in the panel', async () => {
  const page = await browser.context.newPage();
  await page.goto(server.url + '/');
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByText('connected as').first().waitFor();
  const panel = await browser.openPanel(page);
  await page.getByLabel('Message').fill('hello from e2e');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect.poll(async () => (await panelEntries(panel)).filter((e) => e.layer === 'sio' && e.event === 'chat message').length, { timeout: 10_000 }).toBe(2);
  const entries = await panelEntries(panel);
  console.log(entries.map((e) => `${e.dir} ${e.layer} ${'type' in e ? e.type : ''} ${'event' in e ? e.event ?? '' : ''}`).join('\n'));
});
