/**
 * Employee control, end to end: popup, keyboard shortcut, badge, auto-resume, the options page's
 * "your data", deletion and site exclusions. Screenshots of the popup and options page are attached to
 * the test output.
 */
import type { Page, TestInfo } from '@playwright/test';
import { byType, expect, test, waitForCapture } from './fixtures';

const PAGE = `<!doctype html><title>Orders</title><h1>Orders</h1><button id="a">Approve</button><input id="q" aria-label="Search">`;

test.beforeEach(async ({ context }) => {
  await context.route(/^http:\/\/(orders|news)\.test\//, (route) => route.fulfill({ contentType: 'text/html', body: PAGE }));
});

/** A screenshot kept in the test output folder and attached to the report. */
async function snap(page: Page, testInfo: TestInfo, name: string, opts: { fullPage?: boolean } = {}) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, ...opts });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

async function openPopup(page: Page, extensionId: string) {
  await page.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(page.locator('#mode')).not.toHaveText('Loading…');
}

test('the popup shows the state, pauses for a chosen time with a countdown, and resumes', async ({ context, extensionId, installId: _, ext }, testInfo) => {
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 360, height: 420 });
  await openPopup(popup, extensionId);
  await expect(popup.locator('#mode')).toHaveText('Recording');
  await expect(popup.getByRole('button', { name: 'Pause capture for 5 minutes' })).toBeVisible();
  await expect(popup.getByRole('button', { name: 'Pause capture for 15 minutes' })).toBeVisible();
  await expect(popup.getByRole('button', { name: 'Pause capture for 30 minutes' })).toBeVisible();
  await expect(popup.locator('#shortcut')).toContainText('Alt+Shift+Y');
  await snap(popup, testInfo, 'popup-recording');

  // Keyboard-usable: tab to the 15-minute button and press Enter.
  await popup.getByRole('button', { name: 'Pause capture for 15 minutes' }).focus();
  await popup.keyboard.press('Enter');
  await expect(popup.locator('#mode')).toHaveText('Paused');
  await expect(popup.locator('#detail')).toContainText(/resumes in 1[45]:\d\d/);
  const first = await popup.locator('#detail').textContent();
  await expect(popup.locator('#detail')).not.toHaveText(first!, { timeout: 3000 }); // the countdown ticks
  await snap(popup, testInfo, 'popup-paused');

  const status = await ext.send<{ mode: string; pausedUntil: number }>({ kind: 'status' });
  expect(status.mode).toBe('paused');
  expect(status.pausedUntil - Date.now()).toBeGreaterThan(14 * 60_000);
  expect(status.pausedUntil - Date.now()).toBeLessThanOrEqual(15 * 60_000);

  await popup.getByRole('button', { name: 'Resume now' }).click();
  await expect(popup.locator('#mode')).toHaveText('Recording');
});

test('the keyboard shortcut really assigned by Chromium toggles pause', async ({ context, installId: _, ext, serviceWorker }) => {
  const commands = await serviceWorker.evaluate(() => chrome.commands.getAll());
  expect(commands.find((c) => c.name === 'toggle-pause')?.shortcut).toBe('Alt+Shift+Y');

  const page = await context.newPage();
  await page.goto('http://orders.test/');
  await waitForCapture(page);
  const press = async () => {
    // A raw CDP key event goes through Chromium's accelerator handling, as a real key press does.
    const cdp = await context.newCDPSession(page);
    const key = { modifiers: 1 | 8, key: 'Y', code: 'KeyY', windowsVirtualKeyCode: 89, nativeVirtualKeyCode: 89 };
    await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...key });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key });
    await cdp.detach();
  };
  await press();
  await expect.poll(async () => (await ext.send<{ mode: string }>({ kind: 'status' })).mode).toBe('paused');
  const badge = await serviceWorker.evaluate(() => chrome.action.getBadgeText({}));
  expect(badge).toMatch(/^\d+m$/);
  await press();
  await expect.poll(async () => (await ext.send<{ mode: string }>({ kind: 'status' })).mode).toBe('recording');
  expect(await serviceWorker.evaluate(() => chrome.action.getBadgeText({}))).toBe('');
});

test('capture resumes by itself at the deadline, even when the worker was stopped meanwhile', async ({ context, extensionId, installId: _, ext, collected }) => {
  test.setTimeout(150_000);
  const page = await context.newPage();
  await page.goto('http://orders.test/');
  await waitForCapture(page);
  await ext.send({ kind: 'pause', minutes: 1 });
  await expect.poll(async () => (await ext.send<{ mode: string }>({ kind: 'status' })).mode).toBe('paused');

  // Stop the worker: only the alarm can bring capture back.
  const cdp = await context.newCDPSession(page);
  const stopped = new Promise<void>((resolve) => {
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      if (versions.some((v) => v.scriptURL.startsWith(`chrome-extension://${extensionId}/`) && v.runningStatus === 'stopped')) resolve();
    });
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await stopped;
  await cdp.detach();

  // Watch the published configuration from the page's side: no message to the worker, so it stays asleep.
  await expect
    .poll(async () => (await (await ext.page()).evaluate(async () => ((await chrome.storage.local.get('contentConfig')).contentConfig as { mode: string }).mode)), {
      timeout: 100_000,
      intervals: [2000],
    })
    .toBe('recording');
  await page.click('#a');
  const events = await collected((es) => es.some((e) => e.type === 'click'), 'a click after the automatic resume');
  const markers = byType(events, 'capture');
  const resumed = markers.find((e) => e.type === 'capture' && e.state === 'resumed');
  expect(resumed, `capture markers: ${JSON.stringify(markers)}`).toMatchObject({ reason: 'pause ended' });
  // The marker comes ahead of what was captured after it.
  const at = (id: string) => events.findIndex((e) => e.id === id);
  expect(at(resumed!.id)).toBeLessThan(at(events.find((e) => e.type === 'click')!.id));
});

test('the options page shows your data in plain language, deletes it, and excludes a site', async ({ context, extensionId, installId, ext, collector, collected }, testInfo) => {
  const page = await context.newPage();
  await page.goto('http://orders.test/list');
  await waitForCapture(page);
  await page.click('#a');
  await collected((es) => es.some((e) => e.type === 'click'), 'the first click');

  // Something uploaded, something pending.
  await page.click('#q');
  await page.keyboard.type('pending text');
  await page.click('#a');
  await expect.poll(async () => (await ext.send<{ outbox: { pending: number } }>({ kind: 'status' })).outbox.pending).toBeGreaterThan(2);

  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await expect(options.locator('#pending-list li').first()).toBeVisible();
  await expect(options.locator('#pending-list')).toContainText("Clicked 'Approve' on orders.test");
  await expect(options.locator('#per-site')).toContainText('orders.test');
  await expect(options.locator('#diagnostics')).toContainText('development');
  await expect(options.getByRole('heading', { name: 'Privacy notice' })).toBeVisible();
  await snap(options, testInfo, 'options', { fullPage: true });

  // Delete the last 15 minutes: local pending data, and what the collector already has.
  await options.getByRole('button', { name: 'Delete the last 15 minutes' }).click();
  await expect(options.locator('#action-result')).toContainText('asked the collector to delete');
  expect((await ext.send<{ outbox: { pending: number } }>({ kind: 'status' })).outbox.pending).toBe(0);
  await expect.poll(async () => (await collector.events(installId)).filter((e) => e.type !== 'capture').length).toBe(0);

  // Never capture this site: zero events from it afterwards, only a marker.
  await options.locator('#exclude-input').fill('orders.test');
  await options.getByRole('button', { name: 'Never capture this site' }).click();
  await expect(options.locator('#excluded-list')).toContainText('orders.test');
  await page.reload();
  await waitForCapture(page);
  await page.click('#a');
  const other = await context.newPage();
  await other.goto('http://news.test/');
  await waitForCapture(other);
  await other.click('#a');
  const events = await collected((es) => es.some((e) => e.url.startsWith('http://news.test/') && e.type === 'click'), 'the click on the other site');
  expect(events.filter((e) => e.url.includes('orders.test') && e.ts > Date.now() - 60_000 && e.type !== 'capture')).toEqual([]);
  expect(events.some((e) => e.type === 'capture' && e.state === 'excluded-site' && e.url === '')).toBe(true);
});

test('the popup of a release build without policy says capture is not configured', async ({}) => {
  const { launchWithExtension, RELEASE_BUILD, getServiceWorker } = await import('./fixtures');
  const launched = await launchWithExtension(RELEASE_BUILD);
  try {
    const worker = await getServiceWorker(launched.context);
    const id = new URL(worker.url()).host;
    const popup = await launched.context.newPage();
    await openPopup(popup, id);
    await expect(popup.locator('#mode')).toHaveText('Off — not configured by your organisation');
    await expect(popup.locator('#detail')).toContainText('No collector is configured');
    await expect(popup.getByRole('button', { name: /Pause/ })).toHaveCount(0);
  } finally {
    await launched.close();
  }
});
