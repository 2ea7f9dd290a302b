/**
 * Playwright fixtures: a fresh Chromium profile with the built development extension, the fixture web
 * apps, and a client for the reference collector started by global-setup.
 */
import { test as base, chromium, expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaptureEvent } from '../../lib/schema/event';
import { CHROMIUM, CHROMIUM_ARGS } from '../fixtures/chromium';
import { startFixtureServer, type FixtureServer } from '../fixtures/server';

export { CHROMIUM, CHROMIUM_ARGS };

export const DEV_BUILD = fileURLToPath(new URL('../../.output/chrome-mv3-dev', import.meta.url));
export const RELEASE_BUILD = fileURLToPath(new URL('../../.output/chrome-mv3', import.meta.url));
export const COLLECTOR = 'http://127.0.0.1:8787';


export async function launchWithExtension(extPath = DEV_BUILD, opts: { userDataDir?: string } = {}) {
  const userDataDir = opts.userDataDir ?? mkdtempSync(path.join(tmpdir(), 'wc-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${extPath}`, `--load-extension=${extPath}`],
  });
  return {
    context,
    userDataDir,
    close: async (keepProfile = false) => {
      await context.close().catch(() => undefined);
      if (!keepProfile) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export const EXTENSION_ID = readFileSync(new URL('../../keys/id.txt', import.meta.url), 'utf8').trim();

/**
 * The extension's service worker. Now and then Chromium starts it before Playwright is attached and no
 * event follows; opening one of the extension's pages wakes it where Playwright sees it.
 */
export async function getServiceWorker(context: BrowserContext, extensionId = EXTENSION_ID): Promise<Worker> {
  const find = () => context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
  const wait = (timeout: number) =>
    context
      .waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith(`chrome-extension://${extensionId}/`), timeout })
      .catch(() => undefined);
  const found = find() ?? (await wait(5_000));
  if (found) return found;
  const page = await context.newPage();
  const woken = wait(15_000);
  await page.goto(`chrome-extension://${extensionId}/options.html`).catch(() => undefined);
  const worker = find() ?? (await woken);
  await page.close();
  if (!worker) throw new Error(`the extension ${extensionId} has no service worker`);
  return worker;
}

/** The collector's view of one install. */
export class CollectorClient {
  constructor(readonly base = COLLECTOR) {}

  async events(installId: string, query: Record<string, string> = {}): Promise<CaptureEvent[]> {
    const qs = new URLSearchParams({ installId, ...query });
    const res = await fetch(`${this.base}/v1/events?${qs}`);
    const text = await res.text();
    return text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as CaptureEvent);
  }

  async raw(installId: string): Promise<string> {
    return (await fetch(`${this.base}/v1/events?installId=${installId}`)).text();
  }

  async stats(installId?: string): Promise<StatsResponse> {
    return (await (await fetch(`${this.base}/v1/stats${installId ? `?installId=${installId}` : ''}`)).json()) as StatsResponse;
  }

  async faults(rules: unknown[]): Promise<void> {
    const res = await fetch(`${this.base}/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
    expect(res.ok).toBe(true);
  }

  async clearFaults(): Promise<void> {
    await fetch(`${this.base}/__faults`, { method: 'DELETE' });
  }
}

export interface InstallStats {
  installId: string;
  events: number;
  minSeq: number;
  maxSeq: number;
  seqGaps: number;
  missingSeqs: number[];
  dropped: number;
}
export interface StatsResponse {
  batches: number;
  events: number;
  duplicateBatches: number;
  duplicateEvents: number;
  installs: InstallStats[];
}

/** Drives the extension's own pages (a real extension page, so messages go through the page trust tier). */
export class ExtensionPages {
  constructor(
    readonly context: BrowserContext,
    readonly extensionId: string,
  ) {}

  private pageCache: Page | undefined;

  /** An extension page to send page messages from (the options page, opened once). */
  async page(): Promise<Page> {
    if (!this.pageCache || this.pageCache.isClosed()) {
      this.pageCache = await this.context.newPage();
      await this.pageCache.goto(`chrome-extension://${this.extensionId}/options.html`);
    }
    return this.pageCache;
  }

  async send<T = unknown>(message: unknown): Promise<T> {
    const page = await this.page();
    return page.evaluate((m) => chrome.runtime.sendMessage(m), message) as Promise<T>;
  }

  async installId(): Promise<string> {
    const page = await this.page();
    return page.evaluate(async () => (await chrome.storage.local.get('installId')).installId as string);
  }

  /** The capture configuration the background publishes to content scripts (absent until it is ready). */
  async contentConfig(): Promise<{ mode: string } | undefined> {
    const page = await this.page();
    return page.evaluate(async () => (await chrome.storage.local.get('contentConfig')).contentConfig as { mode: string } | undefined);
  }

  async uploadNow(): Promise<{ outcome: string }> {
    return this.send({ kind: 'upload-now' });
  }
}

type Fixtures = {
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
  ext: ExtensionPages;
  installId: string;
  collector: CollectorClient;
  /** Upload what is pending and wait until the collector holds events matching `until`. */
  collected: (until: (events: CaptureEvent[]) => boolean, what?: string) => Promise<CaptureEvent[]>;
};
type WorkerFixtures = { apps: FixtureServer };

export const test = base.extend<Fixtures, WorkerFixtures>({
  apps: [
    async ({}, use) => {
      const server = await startFixtureServer();
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  context: async ({}, use) => {
    const launched = await launchWithExtension();
    await use(launched.context);
    await launched.close();
  },
  serviceWorker: async ({ context }, use) => {
    await use(await getServiceWorker(context));
  },
  extensionId: async ({ serviceWorker }, use) => {
    await use(new URL(serviceWorker.url()).host);
  },
  ext: async ({ context, extensionId }, use) => {
    await use(new ExtensionPages(context, extensionId));
  },
  installId: async ({ ext }, use) => {
    let id = '';
    await expect.poll(async () => (id = (await ext.installId()) ?? '')).not.toBe('');
    // The background has published its configuration: pages opened from now on are captured.
    await expect.poll(async () => (await ext.contentConfig())?.mode, { timeout: 20_000 }).toBe('recording');
    await use(id);
  },
  collector: async ({}, use) => {
    await use(new CollectorClient());
  },
  collected: async ({ ext, collector, installId }, use) => {
    await use(async (until, what = 'expected events') => {
      let events: CaptureEvent[] = [];
      await expect
        .poll(
          async () => {
            await ext.uploadNow();
            events = await collector.events(installId);
            return until(events);
          },
          { message: `collector never held ${what}`, timeout: 20_000, intervals: [300, 500, 1000] },
        )
        .toBe(true);
      return events;
    });
  },
});

export { expect };

/** Wait until the content script of `page` is capturing (the background published a recording config). */
export async function waitForCapture(page: Page): Promise<void> {
  await page.waitForLoadState('domcontentloaded');
  // The content script starts at document_start; give its storage read a moment to resolve.
  await page.waitForTimeout(300);
}

export const byType = (events: CaptureEvent[], type: CaptureEvent['type']) => events.filter((e) => e.type === type);
