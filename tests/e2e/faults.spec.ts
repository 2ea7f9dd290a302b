/**
 * Fault injection (#6), in real Chromium against the real collector: whatever the worker, the browser,
 * the network or the collector does, everything typed is stored exactly once, gap-free in seq.
 *
 * The collector's fault rules are global: every test clears them afterwards. Uploads are started with
 * the `upload-now` page message where waiting for an alarm would only cost time; where the wait itself is
 * the point (Retry-After, restart, back online) no upload is forced and the request log shows the timing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { CaptureEvent } from '../../lib/schema/event';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS } from '../../lib/constants';
import { nextDayStart } from '../../lib/upload/budget';
import {
  batchRequests,
  expectAllTyped,
  expectIntact,
  lastValue,
  launchCustom,
  onBatches,
  openForm,
  status,
  stopServiceWorker,
  typedKeys,
  uploadNow,
  waitForExtensionBack,
  waitForPending,
  workerCdp,
} from './fault-helpers';
import { startHeldPages } from './held-page';
import { DEV_BUILD, EXTENSION_ID, ExtensionPages, expect, getServiceWorker, launchWithExtension, test } from './fixtures';
import { openExtensionPage, policyPreconditions, reloadPolicies, removePolicyFile, thirdParty, waitForStatus, writePolicyFile } from './policy-helpers';

test.afterEach(async ({ collector }) => {
  await collector.clearFaults();
});

/** Errors a page saw: uncaught exceptions and console errors, in any world (content scripts included). */
function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

test.describe('worker and browser faults', () => {
  test('worker force-stopped several times mid-stream, even mid-upload: nothing lost, nothing twice', async ({ context, apps, ext, collector, installId, extensionId }) => {
    const page = await openForm(context, apps.url);
    let text = '';
    for (const chunk of ['alpha', 'bravo', 'charlie']) {
      // Stopped while keys are still buffered in the page and messages are in flight.
      await page.keyboard.type(chunk, { delay: 10 });
      text += chunk;
      await stopServiceWorker(page, extensionId);
    }
    // Stopped while an upload waits for the collector's answer: the reply is lost, the batch stays.
    await waitForPending(ext);
    await collector.faults(onBatches({ delayMs: 1500 }));
    const upload = uploadNow(ext).catch(() => 'the worker stopped mid-upload');
    await page.waitForTimeout(500);
    await stopServiceWorker(page, extensionId);
    await upload;
    for (const chunk of ['delta', 'echo']) {
      await page.keyboard.type(chunk, { delay: 10 });
      text += chunk;
      await stopServiceWorker(page, extensionId);
    }
    await page.keyboard.press('Tab');
    await expectAllTyped({ ext, collector, installId, text });
  });

  test('tab closed right after typing: the last keys still arrive', async ({ context, apps, ext, collector, installId }) => {
    const page = await openForm(context, apps.url);
    await page.keyboard.type('closing-now');
    await page.close();
    // The field was never left, so its settled value is not sent (see expectAllTyped): the keys are.
    await expectAllTyped({ ext, collector, installId, text: 'closing-now', value: null });
    // Nothing pending, nothing captured: no alarm is left (an idle browser does no work).
    const s = await status(ext);
    expect(s.outbox.pending).toBe(0);
    expect(s.upload.nextAttemptAt).toBeNull();
    expect(await (await ext.page()).evaluate(() => chrome.alarms.getAll())).toEqual([]);
  });

  test('page left while the worker has not answered yet: the last keys do not wait behind the unanswered send', async ({ context, apps, ext, collector, installId, extensionId }) => {
    // A busy worker (a loaded laptop) answers a send late. A flush queued behind that send would start
    // only after the page is gone, so whatever was typed last before leaving would be lost. The worker is
    // held still in the debugger to make "late" certain: it takes the messages when it resumes.
    const page = await openForm(context, apps.url);
    const worker = await workerCdp(context, extensionId);
    let text = '';
    try {
      await worker.send('Debugger.enable');
      for (let i = 0; i < 3; i++) {
        await worker.send('Debugger.pause');
        await page.click('#name');
        await page.keyboard.press('End');
        // At a person's pace: the first flush goes out mid-word and gets no answer.
        await page.keyboard.type(`w${i}xyz`, { delay: 100 });
        text += `w${i}xyz`;
        await page.goto(`${apps.url}/form/`);
        await worker.send('Debugger.resume');
      }
    } finally {
      await worker.send('Debugger.disable').catch(() => undefined);
      await worker.detach();
    }
    await expectAllTyped({ ext, collector, installId, text, value: null });
  });

  test('back/forward cache: a page restored from it keeps capturing', async ({ collector }) => {
    // Playwright turns the cache off by default, and the fixture server's Cache-Control: no-store would
    // keep its pages out: a browser with the cache on, and pages served here.
    const { context, close } = await launchCustom({ bfcache: true });
    try {
      await getServiceWorker(context);
      const ext = new ExtensionPages(context, EXTENSION_ID);
      let installId = '';
      await expect.poll(async () => (installId = (await ext.installId()) ?? '')).not.toBe('');
      await expect.poll(async () => (await ext.contentConfig())?.mode, { timeout: 20_000 }).toBe('recording');
      const form = `<!doctype html><html lang="en"><head><title>Cached form</title></head><body>
        <label for="name">Full name</label><input id="name"><a id="next" href="/other">Other page</a></body></html>`;
      await context.route('http://bfcache.test/**', (route) =>
        route.fulfill({
          status: 200,
          contentType: 'text/html; charset=utf-8',
          body: route.request().url().endsWith('/other') ? '<!doctype html><title>Other</title><p>Other page</p>' : form,
        }),
      );
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto('http://bfcache.test/form');
      await page.waitForTimeout(400);
      await page.click('#name');
      await page.keyboard.type('first');
      await page.evaluate(() => ((window as unknown as { beforeLeaving: boolean }).beforeLeaving = true));
      await page.click('#next');
      await page.waitForURL('**/other');
      await page.waitForTimeout(300);
      // Not page.goBack(): it waits for a load event, and a page restored from the cache fires none.
      await page.evaluate(() => setTimeout(() => history.back(), 0));
      await expect.poll(() => page.url()).toMatch(/\/form$/);
      await page.waitForTimeout(500);
      const reasons = await page.evaluate(() => JSON.stringify((performance.getEntriesByType('navigation')[0] as unknown as { notRestoredReasons: unknown }).notRestoredReasons));
      // The page's own state survived: it came back from the cache, not from a new load.
      expect(await page.evaluate(() => (window as unknown as { beforeLeaving?: boolean }).beforeLeaving), `not restored: ${reasons}`).toBe(true);
      await page.click('#name');
      await page.keyboard.press('End');
      await page.keyboard.type('second');
      await page.keyboard.press('Tab');
      const events = await expectAllTyped({ ext, collector, installId, text: 'firstsecond' });
      expect(events.some((e) => e.type === 'navigation' && e.kind === 'traverse')).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  test('browser closed and reopened with pending data: the upload alarm survives and delivers', async ({ apps, collector }) => {
    const userDataDir = mkdtempSync(path.join(tmpdir(), 'wc-e2e-restart-'));
    try {
      let installId = '';
      {
        const { context } = await launchWithExtension(DEV_BUILD, { userDataDir });
        try {
          await getServiceWorker(context);
          const ext = new ExtensionPages(context, EXTENSION_ID);
          await expect.poll(async () => (installId = (await ext.installId()) ?? '')).not.toBe('');
          await expect.poll(async () => (await ext.contentConfig())?.mode, { timeout: 20_000 }).toBe('recording');
          const page = await openForm(context, apps.url);
          await page.keyboard.type('before-restart');
          await page.keyboard.press('Tab');
          // Everything is in the outbox, the field's settled value included (what a browser quit
          // catches still buffered in a page, within the content script's flush delay, is not tested here).
          await expect
            .poll(async () => lastValue((await ext.send<{ events: CaptureEvent[] }>({ kind: 'pending-events', limit: 1000 })).events.slice().reverse()))
            .toBe('before-restart');
          // The collector is busy: the batch stays in the outbox with an alarm set a few seconds out.
          await collector.faults(onBatches({ status: 503, retryAfter: '4' }));
          expect((await uploadNow(ext)).outcome).toBe('retry-later');
          expect((await status(ext)).outbox.pending).toBeGreaterThan(0);
        } finally {
          await context.close();
        }
      }
      expect(await collector.events(installId)).toEqual([]);
      const since = Date.now();
      const { context } = await launchWithExtension(DEV_BUILD, { userDataDir });
      try {
        const probe = new ExtensionPages(context, EXTENSION_ID);
        const alarms = await (await probe.page()).evaluate(() => chrome.alarms.getAll());
        test.info().annotations.push({ type: 'alarms after restart', description: JSON.stringify(alarms) });
        // No upload is forced: the alarm (or the startup check) delivers what was pending.
        await expect
          .poll(async () => lastValue(await collector.events(installId)), { message: 'pending events uploaded after the restart', timeout: 45_000, intervals: [1000] })
          .toBe('before-restart');
        expect((await batchRequests(since)).length).toBeGreaterThan(0);
        const ext = new ExtensionPages(context, EXTENSION_ID);
        const page = await openForm(context, apps.url);
        await page.keyboard.type('after');
        await page.keyboard.press('Tab');
        await expect
          .poll(async () => {
            await uploadNow(ext);
            return typedKeys(await collector.events(installId));
          })
          .toBe('before-restart'.length + 'after'.length);
        await expectIntact(collector, installId);
      } finally {
        await context.close();
      }
    } finally {
      rmSync(userDataDir, { recursive: true, force: true });
    }
  });

  test('extension reloaded with tabs open: the old script goes quiet, the new version captures the same tab', async ({ apps, collector }) => {
    const { context, close } = await launchCustom({ reloadable: true });
    try {
      await getServiceWorker(context);
      const ext = new ExtensionPages(context, EXTENSION_ID);
      let installId = '';
      await expect.poll(async () => (installId = (await ext.installId()) ?? '')).not.toBe('');
      await expect.poll(async () => (await ext.contentConfig())?.mode, { timeout: 20_000 }).toBe('recording');
      const page = await openForm(context, apps.url);
      const errors = collectPageErrors(page);
      await page.keyboard.type('before');
      await expectAllTyped({ ext, collector, installId, text: 'before', value: null });

      // Reloading closes the extension's own pages; the new worker then answers a fresh one.
      const extPage = await ext.page();
      const closed = extPage.waitForEvent('close', { timeout: 20_000 });
      await extPage.evaluate(() => setTimeout(() => chrome.runtime.reload(), 50));
      await closed;
      await waitForExtensionBack(context, EXTENSION_ID);
      const ext2 = new ExtensionPages(context, EXTENSION_ID);
      await expect.poll(async () => (await status(ext2).catch(() => undefined))?.mode, { timeout: 20_000 }).toBe('recording');
      // Give the new worker a moment to inject its content script into the open tab.
      await page.waitForTimeout(1000);
      await page.click('#name');
      await page.keyboard.press('End');
      await page.keyboard.type('after');
      await page.keyboard.press('Tab');

      let events = await collector.events(installId);
      await expect
        .poll(
          async () => {
            await uploadNow(ext2);
            events = await collector.events(installId);
            return { keys: typedKeys(events), value: lastValue(events) };
          },
          { message: 'the new version captured the open tab', timeout: 30_000 },
        )
        .toEqual({ keys: 'beforeafter'.length, value: 'beforeafter' });
      await expectIntact(collector, installId, events);
      // The injected script does not pretend the page just loaded (a replay would reload it there).
      expect(events.filter((e) => e.type === 'navigation' && e.url.includes('/form/'))).toHaveLength(1);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  test('extension updated while a page loads and a tab changes document: every tab captured once by the new version', async ({ apps, collector }) => {
    const { context, close } = await launchCustom({ reloadable: true });
    const held = await startHeldPages();
    try {
      await getServiceWorker(context);
      const ext = new ExtensionPages(context, EXTENSION_ID);
      let installId = '';
      await expect.poll(async () => (installId = (await ext.installId()) ?? '')).not.toBe('');
      await expect.poll(async () => (await ext.contentConfig())?.mode, { timeout: 20_000 }).toBe('recording');
      const open = await openForm(context, apps.url);
      await open.keyboard.type('before');
      // A page that is still loading when the update lands, typed into while it loads.
      const loading = await context.newPage();
      await loading.goto(held.url('/during-update'), { waitUntil: 'commit' });
      await loading.click('#name');
      await loading.keyboard.type('old');
      const moving = await context.newPage();
      await moving.goto(`${apps.url}/spa/`);

      // An update is a reload to the new version: the same path in Chromium (onInstalled "update").
      const extPage = await ext.page();
      const closed = extPage.waitForEvent('close', { timeout: 20_000 });
      await extPage.evaluate(() => setTimeout(() => chrome.runtime.reload(), 0));
      // This tab starts loading another document at that very moment.
      const moved = moving.goto(`${apps.url}/form/`);
      await closed;
      await moved;
      await waitForExtensionBack(context, EXTENSION_ID);
      held.finish('/during-update');
      const ext2 = new ExtensionPages(context, EXTENSION_ID);
      await expect.poll(async () => (await status(ext2).catch(() => undefined))?.mode, { timeout: 20_000 }).toBe('recording');

      // The person goes on at once, in every tab.
      for (const [page, text] of [[moving, 'moved'], [loading, 'new'], [open, 'after']] as const) {
        await page.bringToFront();
        await page.click('#name');
        await page.keyboard.press('End');
        await page.keyboard.type(text);
        await page.keyboard.press('Tab');
      }
      const form = `${apps.url}/form/`;
      let events: CaptureEvent[] = [];
      await expect
        .poll(
          async () => {
            await uploadNow(ext2);
            events = await collector.events(installId);
            const openTab = events.find((e) => e.type === 'key' && e.url === form)?.tab;
            return {
              open: lastValue(events.filter((e) => e.tab === openTab)),
              moving: lastValue(events.filter((e) => e.url === form && e.tab !== openTab)),
              loading: lastValue(events.filter((e) => e.url === held.url('/during-update'))),
            };
          },
          { message: 'the new version captured every tab', timeout: 30_000 },
        )
        .toEqual({ open: 'beforeafter', moving: 'moved', loading: 'oldnew' });
      await expectIntact(collector, installId, events);
      // Keys after the update, each once; the loading page's keys typed under the old version as well.
      expect(typedKeys(events.filter((e) => e.url === held.url('/during-update')))).toBe('oldnew'.length);
      expect(typedKeys(events.filter((e) => e.url === form))).toBe('beforeafter'.length + 'moved'.length);
      // No document reports its load twice.
      const loads = events.filter((e) => e.type === 'navigation' && e.kind === 'load').map((e) => `${e.tab} ${e.url}`);
      expect(new Set(loads).size, loads.join('\n')).toBe(loads.length);
    } finally {
      await close();
      await held.close();
    }
  });

  test('extension reloaded: an orphaned content script goes quiet without errors in the page', async ({ apps }) => {
    const { context, close } = await launchCustom({ reloadable: true });
    try {
      await getServiceWorker(context);
      const ext = new ExtensionPages(context, EXTENSION_ID);
      await expect.poll(async () => (await ext.contentConfig())?.mode, { timeout: 20_000 }).toBe('recording');
      const page = await openForm(context, apps.url);
      const errors = collectPageErrors(page);
      await page.keyboard.type('orphan');
      // Keys are buffered in the page when the extension goes away underneath it.
      const extPage = await ext.page();
      const closed = extPage.waitForEvent('close', { timeout: 20_000 });
      await extPage.evaluate(() => setTimeout(() => chrome.runtime.reload(), 0));
      await closed;
      for (const key of ['x', 'y', 'z']) {
        await page.keyboard.type(key);
        await page.waitForTimeout(300);
      }
      await page.keyboard.press('Tab');
      await page.waitForTimeout(1000);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

test.describe('collector and network faults', () => {
  test('collector down for a while (connections dropped), then back', async ({ context, apps, ext, collector, installId }) => {
    await collector.faults(onBatches({ drop: true, times: 4 }));
    const since = Date.now();
    const page = await openForm(context, apps.url);
    let text = '';
    for (const chunk of ['down', 'still', 'down', 'again']) {
      await page.keyboard.type(chunk);
      text += chunk;
      await waitForPending(ext);
      expect((await uploadNow(ext)).outcome).toBe('retry-later');
      const s = await status(ext);
      expect(s.upload.lastResult).toMatchObject({ ok: false });
      expect(s.upload.nextAttemptAt).toBeGreaterThan(Date.now());
    }
    const dropped = await batchRequests(since);
    expect(dropped.map((r) => r.status)).toEqual([0, 0, 0, 0]);
    // The first batch is resent with the same id until it is acknowledged.
    expect(new Set(dropped.map((r) => r.batchId)).size).toBe(1);
    await page.keyboard.press('Tab');
    await expectAllTyped({ ext, collector, installId, text });
  });

  test('429 with Retry-After in seconds: the next attempt waits for it (no forced upload)', async ({ context, apps, ext, collector, installId }) => {
    const page = await openForm(context, apps.url);
    await page.keyboard.type('throttled');
    await page.keyboard.press('Tab');
    await waitForPending(ext, 5);
    await collector.faults(onBatches({ status: 429, retryAfter: '3' }));
    const since = Date.now();
    expect((await uploadNow(ext)).outcome).toBe('retry-later');
    const s = await status(ext);
    expect(s.upload.lastResult).toMatchObject({ ok: false, status: 429 });
    const planned = s.upload.nextAttemptAt! - s.upload.lastResult!.at;
    expect(planned).toBeGreaterThan(2_500);
    expect(planned).toBeLessThanOrEqual(3_000);
    // The alarm, not the test, makes the next attempt.
    await expect.poll(async () => lastValue(await collector.events(installId)), { timeout: 20_000, intervals: [500] }).toBe('throttled');
    const [refused, accepted] = await batchRequests(since);
    expect(refused).toMatchObject({ status: 429 });
    expect(accepted).toMatchObject({ status: 200, batchId: refused!.batchId });
    expect(accepted!.time - refused!.time).toBeGreaterThanOrEqual(2_900);
    await expectAllTyped({ ext, collector, installId, text: 'throttled' });
  });

  test('503 with Retry-After as an HTTP date: the next attempt waits until then', async ({ context, apps, ext, collector, installId }) => {
    const page = await openForm(context, apps.url);
    await page.keyboard.type('dated');
    await page.keyboard.press('Tab');
    await waitForPending(ext, 5);
    const until = Math.ceil((Date.now() + 4_000) / 1000) * 1000;
    await collector.faults(onBatches({ status: 503, retryAfter: new Date(until).toUTCString() }));
    const since = Date.now();
    expect((await uploadNow(ext)).outcome).toBe('retry-later');
    const s = await status(ext);
    expect(s.upload.lastResult).toMatchObject({ ok: false, status: 503 });
    expect(Math.abs(s.upload.nextAttemptAt! - until)).toBeLessThan(1_000);
    await expect.poll(async () => lastValue(await collector.events(installId)), { timeout: 20_000, intervals: [500] }).toBe('dated');
    const [refused, accepted] = await batchRequests(since);
    expect(refused).toMatchObject({ status: 503 });
    expect(accepted).toMatchObject({ status: 200, batchId: refused!.batchId });
    expect(accepted!.time).toBeGreaterThanOrEqual(until - 50);
    await expectAllTyped({ ext, collector, installId, text: 'dated' });
  });

  test('500 and 503 storms: exponential backoff with jitter, capped; the batch is kept and delivered once', async ({ context, apps, ext, collector, installId }) => {
    const page = await openForm(context, apps.url);
    await page.keyboard.type('stormy');
    await waitForPending(ext);
    await collector.faults(onBatches({ status: 500, times: 4 }, { status: 503, times: 4 }));
    const since = Date.now();
    for (let attempt = 1; attempt <= 8; attempt++) {
      expect((await uploadNow(ext)).outcome).toBe('retry-later');
      const s = await status(ext);
      expect(s.upload.lastResult).toMatchObject({ ok: false, status: attempt <= 4 ? 500 : 503 });
      const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
      const planned = s.upload.nextAttemptAt! - s.upload.lastResult!.at;
      expect(planned, `backoff after failure ${attempt}`).toBeGreaterThanOrEqual(ceiling / 2 - 1_000);
      expect(planned, `backoff after failure ${attempt}`).toBeLessThanOrEqual(ceiling);
    }
    const storm = await batchRequests(since);
    expect(storm).toHaveLength(8);
    expect(new Set(storm.map((r) => r.batchId)).size).toBe(1);
    await page.keyboard.press('Tab');
    await expectAllTyped({ ext, collector, installId, text: 'stormy' });
  });

  test('garbage 2xx answers are not an acknowledgement; the resent batch is stored once', async ({ context, apps, ext, collector, installId }) => {
    const page = await openForm(context, apps.url);
    await page.keyboard.type('garbage');
    await page.keyboard.press('Tab');
    await waitForPending(ext, 5);
    await collector.faults(
      onBatches(
        // Stored for real, then answered by something that is not the collector (a captive portal).
        { acceptThenFail: true, status: 200, body: '<html><body>Sign in to the Wi-Fi</body></html>' },
        { status: 200, body: '\u0000\u0001 not json' },
      ),
    );
    const since = Date.now();
    expect((await uploadNow(ext)).outcome).toBe('retry-later');
    expect((await uploadNow(ext)).outcome).toBe('retry-later');
    expect((await status(ext)).upload.lastResult?.message).toMatch(/unreadable/);
    expect((await uploadNow(ext)).outcome).toBe('done');
    const requests = await batchRequests(since);
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.batchId)).size).toBe(1);
    expect((await collector.stats(installId)).duplicateBatches).toBeGreaterThanOrEqual(1);
    await expectAllTyped({ ext, collector, installId, text: 'garbage' });
  });

  test('slow answers past the request timeout, and answers lost after storing: idempotent', async ({ context, apps, ext, collector, installId }) => {
    test.setTimeout(120_000);
    const page = await openForm(context, apps.url);
    await page.keyboard.type('slowly');
    await page.keyboard.press('Tab');
    await waitForPending(ext, 5);
    await collector.faults(
      onBatches(
        // Answered (stored) only after the uploader gave up waiting (its timeout is under 30 s).
        { delayMs: 25_000 },
        // Stored, then the answer is lost: a 500, then a dropped connection.
        { acceptThenFail: true, status: 500 },
        { acceptThenFail: true, drop: true },
      ),
    );
    const since = Date.now();
    const first = await uploadNow(ext);
    expect(first.outcome).toBe('retry-later');
    expect(first.status.upload.lastResult?.message).toMatch(/timed out/);
    expect(Date.now() - since).toBeLessThan(30_000);
    expect((await uploadNow(ext)).outcome).toBe('retry-later');
    // Chromium itself retries a request whose reused connection was dropped, so the dropped answer may
    // already have been followed by a successful resend.
    await expect.poll(async () => (await uploadNow(ext)).outcome, { timeout: 10_000 }).toBe('done');
    // Let the stalled first request finish on the collector's side (it stores or fails after 25 s).
    await page.waitForTimeout(Math.max(0, since + 26_000 - Date.now()));
    const requests = await batchRequests(since);
    expect(requests.length).toBeGreaterThanOrEqual(4);
    expect(new Set(requests.map((r) => r.batchId)).size).toBe(1);
    expect((await collector.stats(installId)).duplicateBatches).toBeGreaterThanOrEqual(2);
    await expectAllTyped({ ext, collector, installId, text: 'slowly' });
  });

  test('offline: nothing is sent; back online, the upload resumes by itself', async ({ context, apps, ext, collector, installId }) => {
    const page = await openForm(context, apps.url);
    await context.setOffline(true);
    const since = Date.now();
    await page.keyboard.type('offline');
    await page.keyboard.press('Tab');
    await waitForPending(ext, 5);
    const r = await uploadNow(ext);
    expect(r.outcome).toBe('offline');
    expect(r.status.upload.lastResult?.message).toMatch(/offline/);
    expect(await batchRequests(since)).toEqual([]);
    // The worker's `online` event resumes the deferred upload: no forced upload here.
    await context.setOffline(false);
    await expect.poll(async () => lastValue(await collector.events(installId)), { timeout: 15_000, intervals: [500] }).toBe('offline');
    await expectAllTyped({ ext, collector, installId, text: 'offline' });
  });

  test('metered / data-saver connection: uploads deferred unless policy allows', async ({ context, apps, ext, collector, installId, extensionId }) => {
    const page = await openForm(context, apps.url);
    await page.keyboard.type('metered');
    await page.keyboard.press('Tab');
    await waitForPending(ext, 5);
    const worker = await workerCdp(context, extensionId);
    try {
      await worker.send('Emulation.setDataSaverOverride', { dataSaverEnabled: true });
      expect(await worker.evaluate<boolean>('navigator.connection.saveData')).toBe(true);
      const since = Date.now();
      const r = await uploadNow(ext);
      expect(r.outcome).toBe('metered');
      expect(r.status.upload.lastResult?.message).toMatch(/metered or data-saver/);
      expect(r.status.upload.nextAttemptAt).toBeGreaterThan(Date.now());
      expect(await batchRequests(since)).toEqual([]);
      await worker.send('Emulation.setDataSaverOverride', { dataSaverEnabled: false });
    } finally {
      await worker.detach();
    }
    await expectAllTyped({ ext, collector, installId, text: 'metered' });
  });

  test('a compact batch refused as unreadable goes again at once, plain: nothing lost, nothing twice', async ({ context, apps, ext, collector, installId }) => {
    const page = await openForm(context, apps.url);
    await page.keyboard.type('fallback');
    await page.keyboard.press('Tab');
    await waitForPending(ext, 8);
    // A collector that advertised the compact form but cannot read it after all.
    await collector.faults(onBatches({ status: 415, body: '{"error":"unsupported batch encoding"}' }));
    const since = Date.now();
    const r = await uploadNow(ext);
    expect(r.outcome).toBe('done');
    const requests = await batchRequests(since);
    expect(requests.map((q) => q.status)).toEqual([415, 200]);
    expect(requests[1]).toMatchObject({ batchId: requests[0]!.batchId, encoding: 'plain' });
    // Plain for this collector from now on (for a day), and nothing quarantined.
    expect(r.status.upload.wire).toBe('plain');
    expect(r.status.upload.totals).toMatchObject({ batches: 1, compactBatches: 0, rejected: 0 });
    expect(r.status.outbox.quarantined).toBe(0);
    await expectAllTyped({ ext, collector, installId, text: 'fallback' });
  });

  test('422 refusals: the batch is split, a single refused event quarantined and counted as dropped, never a loop', async ({ context, apps, ext, collector, installId }) => {
    const page = await openForm(context, apps.url);
    await page.keyboard.type('refused');
    await page.keyboard.press('Tab');
    await waitForPending(ext, 8);
    // The first refusal is of the compact batch, which goes again plain (docs/wire.md); then the halves.
    await collector.faults(onBatches({ status: 422, times: 7, body: '{"error":"schema"}' }));
    const since = Date.now();
    expect((await uploadNow(ext)).outcome).toBe('done');
    const s = await status(ext);
    expect(s.outbox.pending).toBe(0);
    const quarantined = s.outbox.quarantined;
    expect(quarantined).toBeGreaterThanOrEqual(1);
    const requests = await batchRequests(since);
    expect(requests.filter((r) => r.status === 422)).toHaveLength(7);
    // The plain copy of the refused compact batch, under the same id.
    expect(requests[1]!.batchId).toBe(requests[0]!.batchId);
    // The holes the quarantine left are exactly what the headers reported as dropped.
    const install = (await collector.stats(installId)).installs[0]!;
    expect(install.seqGaps + (install.minSeq - 1)).toBe(quarantined);
    expect(install.dropped).toBe(quarantined);
  });
});

test.describe('policy: daily budget and credentials', () => {
  const POLICY_FILE = 'workflow-capture-test-faults.json';
  test.skip(() => policyPreconditions() !== undefined, policyPreconditions() ?? '');

  test.afterEach(() => removePolicyFile(POLICY_FILE));

  test('daily budget used: uploads wait for tomorrow and the popup says so', async ({ context, apps, ext, collector, installId }) => {
    writePolicyFile(POLICY_FILE, thirdParty({ collectorUrl: 'http://127.0.0.1:8787', maxUploadKBPerDay: 1 }));
    try {
      await reloadPolicies(context);
      await waitForStatus(ext, (s) => s.policy.maxUploadKBPerDay === 1, 'the 1 KB budget');
      const page = await openForm(context, apps.url);
      // The first batch of a day always goes (one oversize batch must not block forever).
      await page.keyboard.type('the first batch of the day goes out whatever its size');
      await page.keyboard.press('Tab');
      await waitForPending(ext, 20);
      expect((await uploadNow(ext)).outcome).toBe('done');
      const since = Date.now();
      await page.click('#name');
      await page.keyboard.type('over budget');
      await waitForPending(ext);
      const r = await uploadNow(ext);
      expect(r.outcome).toBe('budget');
      expect(r.status.upload.usedTodayBytes).toBeGreaterThan(0);
      expect(r.status.upload.nextAttemptAt).toBe(nextDayStart(r.status.upload.lastResult!.at));
      expect(await batchRequests(since)).toEqual([]);
      const popup = await openExtensionPage(context, 'popup.html');
      await expect(popup.locator('#detail')).toContainText('daily upload budget of 1 KB used');
      await expect(popup.locator('#detail')).toContainText('tomorrow');
      await expectIntact(collector, installId);
    } finally {
      removePolicyFile(POLICY_FILE);
    }
  });

  test('401 stops uploads until the policy changes the credentials', async ({ context, apps, ext, collector, installId }) => {
    writePolicyFile(POLICY_FILE, thirdParty({ collectorUrl: 'http://127.0.0.1:8787', authToken: 'old-token' }));
    try {
      await reloadPolicies(context);
      await waitForStatus(ext, (s) => s.policy.authToken === 'set', 'the token');
      const page = await openForm(context, apps.url);
      await page.keyboard.type('unauthorised');
      await page.keyboard.press('Tab');
      await waitForPending(ext, 5);
      await collector.faults(onBatches({ status: 401 }));
      const since = Date.now();
      expect((await uploadNow(ext)).outcome).toBe('blocked');
      expect((await uploadNow(ext)).outcome).toBe('blocked');
      expect(await batchRequests(since)).toHaveLength(1);
      const s = await status(ext);
      expect(s.upload.blocked).toMatchObject({ status: 401 });
      const popup = await openExtensionPage(context, 'popup.html');
      await expect(popup.locator('#detail')).toContainText('Uploads stopped');
      // New credentials: the block lifts and the pending events go out without being asked.
      writePolicyFile(POLICY_FILE, thirdParty({ collectorUrl: 'http://127.0.0.1:8787', authToken: 'new-token' }));
      await reloadPolicies(context);
      await expect.poll(async () => lastValue(await collector.events(installId)), { timeout: 20_000 }).toBe('unauthorised');
      expect((await status(ext)).upload.blocked).toBeNull();
      await expectIntact(collector, installId);
    } finally {
      removePolicyFile(POLICY_FILE);
    }
  });
});
