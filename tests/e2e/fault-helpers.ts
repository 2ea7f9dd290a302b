/**
 * Helpers for the fault-injection suite: stopping the extension's service worker through CDP, reading the
 * collector's fault log, typing known text, and the one assertion every fault test ends with — the
 * collector holds what was typed, exactly once, gap-free in seq.
 */
import { chromium, expect, type BrowserContext, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Status } from '../../lib/background/status';
import type { CaptureEvent } from '../../lib/schema/event';
import { CHROMIUM, CHROMIUM_ARGS, COLLECTOR, DEV_BUILD, type CollectorClient, type ExtensionPages } from './fixtures';

/**
 * Chromium with the development build, as `launchWithExtension` but with two of Playwright's defaults
 * undone where a test needs the browser's real behaviour:
 * - `reloadable`: no `--disable-extensions` and developer mode on, so chrome.runtime.reload() brings the
 *   extension back (else Chromium leaves it unloaded, or disables it as "unsupportedDeveloperExtension");
 * - `bfcache`: no `--disable-back-forward-cache`.
 */
export async function launchCustom(opts: { reloadable?: boolean; bfcache?: boolean }): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'wc-e2e-custom-'));
  if (opts.reloadable) {
    mkdirSync(path.join(userDataDir, 'Default'), { recursive: true });
    writeFileSync(path.join(userDataDir, 'Default', 'Preferences'), JSON.stringify({ extensions: { ui: { developer_mode: true } } }));
  }
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    ignoreDefaultArgs: [...(opts.reloadable ? ['--disable-extensions'] : []), ...(opts.bfcache ? ['--disable-back-forward-cache'] : [])],
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${DEV_BUILD}`, `--load-extension=${DEV_BUILD}`],
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface FaultLogEntry {
  time: number;
  method: string;
  path: string;
  status: number;
  batchId?: string;
  /** For a batch whose header the collector read: its install, and `plain` or `compact-1`. */
  installId?: string;
  encoding?: string;
  fault?: string;
}

export interface FaultRule {
  path?: string;
  times?: number;
  status?: number;
  retryAfter?: string;
  body?: string;
  delayMs?: number;
  drop?: boolean;
  acceptThenFail?: boolean;
}

/** Fault rules for the batch endpoint (the only one these tests script). */
export const onBatches = (...rules: FaultRule[]) => rules.map((r) => ({ path: '/v1/batches', ...r }));

/** The collector's log of batch requests since `since` (epoch ms), oldest first. */
export async function batchRequests(since = 0): Promise<FaultLogEntry[]> {
  const { log } = (await (await fetch(`${COLLECTOR}/__faults`)).json()) as { log: FaultLogEntry[] };
  return log.filter((e) => e.path === '/v1/batches' && e.method === 'POST' && e.time >= since);
}

/** Remaining (unused) fault rules. */
export async function remainingRules(): Promise<unknown[]> {
  return ((await (await fetch(`${COLLECTOR}/__faults`)).json()) as { rules: unknown[] }).rules;
}

/**
 * Force-stop the extension's service worker (all workers of the profile) and wait until Chromium reports
 * it stopped. Never call serviceWorker.evaluate() afterwards: it hangs on a stopped worker. The next
 * runtime message (a content script's flush, a page message) starts it again.
 */
export async function stopServiceWorker(page: Page, extensionId: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const prefix = `chrome-extension://${extensionId}/`;
  try {
    const stopped = new Promise<void>((resolve) => {
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        if (versions.some((v) => v.scriptURL.startsWith(prefix) && v.runningStatus === 'stopped')) resolve();
      });
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await Promise.race([stopped, new Promise((_, reject) => setTimeout(() => reject(new Error('worker did not stop')), 10_000))]);
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

export async function status(ext: ExtensionPages): Promise<Status> {
  return ext.send<Status>({ kind: 'status' });
}

export async function uploadNow(ext: ExtensionPages): Promise<{ outcome: string; status: Status }> {
  return ext.send<{ outcome: string; status: Status }>({ kind: 'upload-now' });
}

/** Wait until the background holds at least `n` pending events (the content script flushed). */
export async function waitForPending(ext: ExtensionPages, n = 1): Promise<Status> {
  let last: Status | undefined;
  await expect
    .poll(async () => (last = await status(ext)).outbox.pending, { message: `fewer than ${n} events pending`, timeout: 15_000 })
    .toBeGreaterThanOrEqual(n);
  return last!;
}

/** Opens the fixture form, ready to type into its "Full name" field. */
export async function openForm(context: BrowserContext, appsUrl: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${appsUrl}/form/`);
  await page.waitForLoadState('domcontentloaded');
  // The content script reads its configuration from storage at document_start; give it a moment.
  await page.waitForTimeout(400);
  await page.click('#name');
  return page;
}

/** Key events of typed characters into the field named `name` (each typed character is one). */
export const typedKeys = (events: CaptureEvent[], name = 'Full name') =>
  events.filter((e) => e.type === 'key' && e.key === '[text]' && e.target?.name === name).length;

/** The last value the collector holds for the field named `name`. */
export const lastValue = (events: CaptureEvent[], name = 'Full name'): string | undefined => {
  const last = events.filter((e) => (e.type === 'input' || e.type === 'change') && e.target.name === name).at(-1);
  return last && 'value' in last ? (last.value as string | undefined) : undefined;
};

/**
 * Upload until the collector holds one key event per typed character and the field's final value; then
 * check the whole install: gap-free seqs from 1, each stored once, nothing reported dropped.
 *
 * `value: null` skips the value: the form observer withholds the unfinished word of a field still being
 * typed in (privacy), and sends the settled value only when the field is left — so a test that never
 * leaves the field checks the keys alone.
 */
export async function expectAllTyped(opts: {
  ext: ExtensionPages;
  collector: CollectorClient;
  installId: string;
  text: string;
  value?: string | null;
  field?: string;
  upload?: boolean;
}): Promise<CaptureEvent[]> {
  const { ext, collector, installId, text, field = 'Full name', upload = true } = opts;
  const value = opts.value === undefined ? text : opts.value;
  let events: CaptureEvent[] = [];
  await expect
    .poll(
      async () => {
        if (upload) await uploadNow(ext);
        events = await collector.events(installId);
        return { keys: typedKeys(events, field), value: value === null ? null : lastValue(events, field) };
      },
      { message: `the collector never held all ${text.length} typed keys and the value "${value}"`, timeout: 30_000, intervals: [300, 500, 1000] },
    )
    .toEqual({ keys: text.length, value });
  await expectIntact(collector, installId, events);
  return events;
}

/** Stored events of one install are gap-free in seq (from 1), each seq and id stored exactly once. */
export async function expectIntact(collector: CollectorClient, installId: string, events?: CaptureEvent[], dropped = 0): Promise<void> {
  events ??= await collector.events(installId);
  const stats = await collector.stats(installId);
  const install = stats.installs.find((i) => i.installId === installId);
  expect(install, 'the collector knows the install').toBeTruthy();
  expect(install).toMatchObject({ seqGaps: dropped, missingSeqs: dropped ? expect.any(Array) : [], minSeq: 1, dropped });
  expect(install!.events).toBe(install!.maxSeq - install!.minSeq + 1 - dropped);
  expect(new Set(events.map((e) => e.id)).size, 'event ids stored once').toBe(events.length);
  expect(new Set(events.map((e) => e.seq)).size, 'seqs stored once').toBe(events.length);
  expect(events.length).toBe(install!.events);
}

/**
 * A CDP session on the extension's service worker (Playwright offers none for workers): a browser
 * session attached to the worker target, speaking through Target.sendMessageToTarget.
 */
export async function workerCdp(context: BrowserContext, extensionId: string) {
  const browser = context.browser();
  if (!browser) throw new Error('no browser for a CDP session');
  const bcdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await bcdp.send('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`));
  if (!target) throw new Error('the extension has no running service worker');
  const { sessionId } = await bcdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  let lastId = 0;
  const waiting = new Map<number, (m: { result?: unknown; error?: { message: string } }) => void>();
  bcdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
    if (m.id !== undefined) waiting.get(m.id)?.(m);
  });
  return {
    async send<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
      const id = ++lastId;
      const answer = new Promise<{ result?: unknown; error?: { message: string } }>((resolve) => waiting.set(id, resolve));
      await bcdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
      const m = await answer;
      if (m.error) throw new Error(`${method}: ${m.error.message}`);
      return m.result as T;
    },
    async evaluate<T>(expression: string): Promise<T> {
      const r = await this.send<{ result: { value: T } }>('Runtime.evaluate', { expression, returnByValue: true });
      return r.result.value;
    },
    detach: () => bcdp.detach().catch(() => undefined),
  };
}

/**
 * After chrome.runtime.reload(): wait until the extension's pages load again. (A page handed to
 * ExtensionPages before that would stay on about:blank: its goto failed with ERR_BLOCKED_BY_CLIENT.)
 */
export async function waitForExtensionBack(context: BrowserContext, extensionId: string, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const page = await context.newPage();
    try {
      await page.goto(`chrome-extension://${extensionId}/options.html`);
      return;
    } catch (err) {
      if (Date.now() > deadline) {
        const diag = await context.newPage();
        await diag.goto('chrome://extensions');
        const info = await diag.evaluate(
          () => new Promise((r) => (chrome as unknown as { developerPrivate: { getExtensionsInfo(cb: (i: unknown) => void): void } }).developerPrivate.getExtensionsInfo(r)),
        );
        throw new Error(`${String(err)}\n${JSON.stringify(info, (k, v) => (k === 'iconUrl' ? undefined : v)).slice(0, 3000)}`);
      }
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await page.close();
    }
  }
}
