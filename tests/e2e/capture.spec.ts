/**
 * The whole pipeline in real Chromium: a person's clicks and keys on a page -> content script ->
 * background -> IndexedDB outbox -> gzip upload -> reference collector.
 */
import { byType, expect, test, waitForCapture } from './fixtures';

const PASSWORD = 'Hunter2-Canary!';

const PAGE = `<!doctype html><html><head><title>Sign in — Acme</title></head><body>
<main>
  <h1>Sign in</h1>
  <form id="f" onsubmit="event.preventDefault(); document.getElementById('out').textContent='signed in'">
    <label for="user">User name</label><input id="user" name="user" autocomplete="username">
    <label for="pw">Password</label><input id="pw" name="pw" type="password">
    <button id="go" type="submit">Sign in</button>
  </form>
  <button id="save" data-testid="save-btn">Save draft</button>
  <p id="out"></p>
</main></body></html>`;

test.beforeEach(async ({ context }) => {
  await context.route('http://app.test/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: PAGE }));
});

test('clicks and keys reach the collector in order, with element context and gap-free seq', async ({ context, installId, collected, collector }) => {
  const page = await context.newPage();
  await page.goto('http://app.test/login');
  await waitForCapture(page);
  await page.click('#user');
  await page.keyboard.type('ada');
  await page.keyboard.press('Tab');
  await page.click('#save');

  const events = await collected((es) => byType(es, 'click').length >= 2 && es.some((e) => e.type === 'input'), 'two clicks and an input');
  const clicks = byType(events, 'click');
  const save = clicks.find((c) => c.type === 'click' && c.target.selectors.some((s) => s.join().includes('save')));
  expect(save, 'click on the Save button').toBeTruthy();
  if (save?.type !== 'click') throw new Error('unreachable');
  expect(save.target).toMatchObject({ tag: 'button', role: 'button', name: 'Save draft', masked: false });
  expect(save.target.selectors.length).toBeGreaterThanOrEqual(2);
  expect(save.target.box.w).toBeGreaterThan(0);
  expect(save.url).toBe('http://app.test/login');

  // Typed text arrives as the field's latest value (the key events themselves only say "[text]").
  const inputs = events.filter((e) => e.type === 'input' && e.target.name === 'User name');
  expect(inputs.at(-1)).toMatchObject({ value: 'ada', masked: false });
  expect(events.find((e) => e.type === 'change' && e.target.name === 'User name')).toMatchObject({ value: 'ada' });
  expect(byType(events, 'key').filter((e) => e.type === 'key' && e.key === '[text]')).toHaveLength(3);
  const tab = events.find((e) => e.type === 'key' && e.key === 'Tab');
  expect(tab).toBeTruthy();

  // The page load comes first, with the viewport for replay.
  const nav = events.find((e) => e.type === 'navigation');
  expect(nav).toMatchObject({ kind: 'load' });
  if (nav?.type === 'navigation') expect(nav.viewport?.width).toBe(1280);

  const seqs = events.map((e) => e.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
  const stats = await collector.stats(installId);
  expect(stats.installs[0]).toMatchObject({ seqGaps: 0, events: events.length });
});

test('a password never reaches the collector: not as keys, value, length or name', async ({ context, installId, collected, collector }) => {
  const page = await context.newPage();
  await page.goto('http://app.test/login');
  await waitForCapture(page);
  await page.click('#user');
  await page.keyboard.type('grace');
  await page.click('#pw');
  await page.keyboard.type(PASSWORD, { delay: 20 });
  await page.keyboard.press('Enter');
  await page.click('#save');

  const events = await collected((es) => es.some((e) => e.type === 'click' && e.target.name === 'Save draft'), 'the click after the password');
  const raw = await collector.raw(installId);
  expect(raw).not.toContain(PASSWORD);
  expect(raw).not.toContain('Hunter2');
  // Not even the characters in key order.
  const keys = byType(events, 'key').map((e) => (e.type === 'key' ? e.key : '')).join('');
  expect(keys).not.toContain('Hunter');
  const pwEvents = events.filter((e) => 'target' in e && e.target?.selectors.some((s) => s.join().includes('pw')));
  expect(pwEvents.length).toBeGreaterThan(0);
  for (const e of pwEvents) {
    expect(JSON.stringify(e)).not.toMatch(/Hunter|Canary/);
    if ('masked' in e && (e.type === 'input' || e.type === 'change' || e.type === 'key')) expect(e.masked).toBe(true);
  }
  // At most one masked key event for the whole password: no length, no rhythm.
  const maskedKeys = byType(events, 'key').filter((e) => e.type === 'key' && e.masked);
  expect(maskedKeys.length).toBe(1);
});

test('pause stops capture and resume restarts it, with capture markers for the gap', async ({ context, ext, installId: _, collected }) => {
  const page = await context.newPage();
  await page.goto('http://app.test/login');
  await waitForCapture(page);
  await page.click('#save');
  await ext.send({ kind: 'pause', minutes: 30 });
  await page.waitForTimeout(200);
  await page.click('#user');
  await page.keyboard.type('while-paused');
  await ext.send({ kind: 'resume' });
  await page.waitForTimeout(200);
  await page.click('#go');

  const events = await collected((es) => es.some((e) => e.type === 'click' && e.target.name === 'Sign in'), 'the click after resume');
  expect(JSON.stringify(events)).not.toContain('while-paused');
  const markers = byType(events, 'capture').map((e) => (e.type === 'capture' ? e.state : ''));
  expect(markers).toEqual(['paused', 'resumed']);
  // Nothing was captured between the two markers (events captured just before the pause may be stored
  // after its marker: order in time is by ts).
  const at = (state: string) => events.find((e) => e.type === 'capture' && e.state === state)!.ts;
  expect(events.filter((e) => e.type !== 'capture' && e.ts > at('paused') && e.ts < at('resumed'))).toEqual([]);
});

test('opt-out stops capture, purges the outbox and tells the collector; opt-in restarts', async ({ context, ext, installId, collector, collected }) => {
  const page = await context.newPage();
  await page.goto('http://app.test/login');
  await waitForCapture(page);
  await page.click('#save');
  await collected((es) => byType(es, 'click').length >= 1, 'the first click');

  const out = await ext.send<{ ok: boolean; collector: { ok: boolean } }>({ kind: 'opt-out' });
  expect(out).toMatchObject({ ok: true, collector: { ok: true } });
  // The collector deleted what it had from this install.
  expect(await collector.events(installId)).toEqual([]);
  await page.click('#user');
  await page.keyboard.type('after-opt-out');
  await page.waitForTimeout(500);
  const status = await ext.send<{ mode: string; outbox: { pending: number } }>({ kind: 'status' });
  expect(status.mode).toBe('opted-out');
  expect(status.outbox.pending).toBe(0);

  await ext.send({ kind: 'opt-in' });
  await page.waitForTimeout(200);
  await page.click('#go');
  const events = await collected((es) => es.some((e) => e.type === 'click' && e.target.name === 'Sign in'), 'the click after opting in');
  expect(JSON.stringify(events)).not.toContain('after-opt-out');
});
