/**
 * The demo: build the development extension, start the reference collector with its embedded store,
 * drive Chromium with the extension through a scripted session on the bundled demo app, upload, and
 * print what was captured — with proof that the password never reached the collector.
 *
 *   npm run demo                 headless
 *   npm run demo -- --headed     show the browser (needs a display)
 *   npm run demo -- --no-build   reuse .output/chrome-mv3-dev
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCollector } from '../collector/server';
import type { CaptureEvent } from '../lib/schema/event';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/fixtures/chromium';
import { startFixtureServer } from '../tests/fixtures/server';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXT_DIR = path.join(ROOT, '.output/chrome-mv3-dev');
const DB = path.join(ROOT, 'collector/data/demo.sqlite');
const PASSWORD = 'Demo-Pa55word!';
const EMAIL = 'ada.lovelace@acme.example';

const args = new Set(process.argv.slice(2));
const headed = args.has('--headed') && Boolean(process.env.DISPLAY);

function step(text: string) {
  console.log(`  · ${text}`);
}

async function main() {
  if (args.has('--headed') && !headed) console.log('No display found: running headless.');
  if (!args.has('--no-build')) {
    console.log('Building the development extension…');
    execFileSync('npx', ['wxt', 'build', '--mode', 'development'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);

  mkdirSync(path.dirname(DB), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(DB + suffix, { force: true });
  const collector = await createCollector({ port: 8787, host: '127.0.0.1', db: DB });
  const apps = await startFixtureServer();
  console.log(`Collector on ${collector.url} (store ${path.relative(ROOT, DB)}); demo app on ${apps.url}/demo/`);

  const profile = mkdtempSync(path.join(tmpdir(), 'wc-demo-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: !headed,
      viewport: { width: 1280, height: 800 },
      args: [
        ...CHROMIUM_ARGS,
        `--disable-extensions-except=${EXT_DIR}`,
        `--load-extension=${EXT_DIR}`,
      ],
    });
    const extPage = await openExtensionPage(context);
    const send = <T>(message: unknown) => extPage.evaluate((m) => chrome.runtime.sendMessage(m), message) as Promise<T>;
    await waitFor(async () => {
      const config = await extPage.evaluate(async () => (await chrome.storage.local.get('contentConfig')).contentConfig as { mode?: string } | undefined);
      return config?.mode === 'recording';
    }, 'the extension to start recording');
    const installId = await extPage.evaluate(async () => (await chrome.storage.local.get('installId')).installId as string);

    console.log('Scripted session:');
    const page = await context.newPage();
    await session(page, apps.url);

    console.log('Uploading…');
    let status: DemoStatus | undefined;
    await waitFor(async () => {
      const r = await send<{ status: DemoStatus }>({ kind: 'upload-now' });
      status = r.status;
      return r.status.outbox.pending === 0;
    }, 'the outbox to drain');

    const events = await fetchEvents(collector.url, installId);
    const stats = (await (await fetch(`${collector.url}/v1/stats?installId=${installId}`)).json()) as { batches: number; installs: { seqGaps: number }[] };
    const exportText = await (await fetch(`${collector.url}/v1/export?format=recorder&installId=${installId}`)).text();
    report(events, status!, stats, exportText, await (await fetch(`${collector.url}/v1/events?installId=${installId}`)).text());
  } finally {
    await context?.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
    await apps.close();
    await collector.close();
  }
}

async function openExtensionPage(context: BrowserContext): Promise<Page> {
  const worker =
    context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
    (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const page = await context.newPage();
  await page.goto(worker.url().replace('background.js', 'options.html'));
  return page;
}

async function session(page: Page, base: string) {
  await page.goto(`${base}/demo/`);
  step('sign in: email, a password (typed key by key), show/hide the password, submit');
  await page.click('#email');
  await page.keyboard.type(EMAIL, { delay: 15 });
  await page.click('#password');
  await page.keyboard.type(PASSWORD, { delay: 25 });
  await page.click('#toggle-password');
  await page.click('#password');
  await page.keyboard.press('End');
  await page.keyboard.type('9', { delay: 25 });
  await page.click('#toggle-password');
  await Promise.all([page.waitForURL(/app\.html/), page.click('#signin')]);
  await page.waitForSelector('#menubar');

  step('menu by mouse: File › Export › PDF');
  await page.click('#mb-file');
  await page.hover('#mi-export');
  await page.click('#mi-export-pdf');

  step('menu by keyboard: Help › Keyboard shortcuts, then Escape');
  await page.focus('#mb-help');
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(150);
  await page.keyboard.press('Escape');

  step('add an expense: description, amount, category, date, notes (with a card number in the notes)');
  await page.fill('#exp-description', '');
  await page.click('#exp-description');
  await page.keyboard.type('Train to Leeds', { delay: 10 });
  await page.click('#exp-amount');
  await page.keyboard.type('42.50', { delay: 10 });
  await page.selectOption('#exp-category', { index: 1 });
  await page.fill('#exp-date', '2026-11-20');
  await page.click('#exp-notes');
  await page.keyboard.type('Paid with 4111 1111 1111 1111, receipt to ada@acme.example', { delay: 5 });
  await page.click('#exp-submit');

  step('pointer movement and scrolling');
  for (let i = 0; i < 12; i++) await page.mouse.move(200 + i * 40, 300 + (i % 3) * 30, { steps: 4 });
  await page.mouse.wheel(0, 600);
  await page.waitForTimeout(300);
  await page.mouse.wheel(0, -600);

  step('in-app navigation: Settings, then back to Expenses');
  await page.click('#nav-settings');
  await page.click('#set-name');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Ada L.', { delay: 10 });
  await page.click('#set-save');
  await page.click('#nav-expenses');
  await page.waitForTimeout(600); // the last pointer path closes after a still moment
}

interface DemoStatus {
  outbox: { pending: number };
  upload: { totals: { batches: number; events: number; bytesCompressed: number; bytesRaw: number } };
}

async function fetchEvents(base: string, installId: string): Promise<CaptureEvent[]> {
  const text = await (await fetch(`${base}/v1/events?installId=${installId}`)).text();
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as CaptureEvent);
}

function report(events: CaptureEvent[], status: DemoStatus, stats: { batches: number; installs: { seqGaps: number }[] }, exportText: string, raw: string) {
  const byType = new Map<string, number>();
  for (const e of events) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
  console.log('\nCaptured and stored at the collector:');
  for (const [type, n] of [...byType].sort((a, b) => b[1] - a[1])) console.log(`  ${type.padEnd(12)} ${String(n).padStart(5)}`);
  console.log(`  ${'total'.padEnd(12)} ${String(events.length).padStart(5)}`);

  const t = status.upload.totals;
  console.log(`\nUploads: ${t.batches} batches, ${t.bytesCompressed} bytes sent gzip-compressed (${t.bytesRaw} bytes raw NDJSON)`);
  console.log(`Collector: ${stats.batches} batches stored, seq gaps ${stats.installs[0]?.seqGaps ?? 'n/a'}`);

  const menus = events.filter((e): e is Extract<CaptureEvent, { type: 'menu' }> => e.type === 'menu' && e.action === 'select');
  if (menus.length) console.log(`Menu choices: ${menus.map((m) => m.path.join(' › ')).join('; ')}`);
  const navs = events.filter((e) => e.type === 'navigation').map((e) => (e.type === 'navigation' ? `${e.kind} ${new URL(e.url).pathname}${new URL(e.url).hash}` : ''));
  console.log(`Navigation: ${navs.join(' → ')}`);
  const notes = events.filter((e) => e.type === 'change' && e.target.selectors.some((s) => s.join().includes('exp-notes')));
  const notesValue = notes.at(-1)?.type === 'change' ? (notes.at(-1) as { value?: string }).value : undefined;
  if (notesValue) console.log(`Notes field as stored: "${notesValue}"`);

  const everything = raw + exportText;
  const whole = everything.includes(PASSWORD) ? 1 : 0;
  const inKeyOrder = keyOrderLeak(events, PASSWORD);
  const pwEvents = events.filter((e) => 'target' in e && e.target && e.target.selectors.some((s) => s.includes('#password')));
  console.log('\nPassword check:');
  console.log(`  password "${PASSWORD.replace(/./g, '•')}" (${PASSWORD.length + 1} characters typed) found in stored events or export: ${whole} times`);
  console.log(`  its characters in key order in key events: ${inKeyOrder ? 'FOUND' : 'not found'}`);
  const allMasked = pwEvents.every((e) => 'target' in e && e.target?.masked && (!('masked' in e) || e.masked));
  console.log(`  events on the password field: ${pwEvents.length}, all marked masked: ${allMasked ? 'yes' : 'NO'}`);
  const ok = whole === 0 && !inKeyOrder && allMasked;
  console.log(ok ? '\nOK: the password never reached the collector.' : '\nFAIL: password material reached the collector.');
  if (!ok) process.exitCode = 1;
}

function keyOrderLeak(events: CaptureEvent[], secret: string): boolean {
  const keys = events.filter((e) => e.type === 'key').map((e) => (e.type === 'key' ? e.key : '')).filter((k) => k.length === 1).join('');
  return secret.length > 3 && keys.includes(secret.slice(0, 4));
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
