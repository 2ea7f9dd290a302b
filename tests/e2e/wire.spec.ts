/**
 * The compact wire form end to end (docs/wire.md): the built extension in real Chromium, driven with
 * trusted mouse and keyboard input, uploads compact batches to the reference collector over HTTP, and the
 * collector serves back, byte for byte, the events the extension had stored. A plain batch from an older
 * extension is still accepted.
 */
import type { Worker } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import type { Status } from '../../lib/background/status';
import { COMPACT_1, WIRE_CAPABILITY_HEADER } from '../../lib/schema/wire';
import { batchRequests, status, uploadNow } from './fault-helpers';
import { COLLECTOR, expect, test, waitForCapture, type ExtensionPages } from './fixtures';

/** The outbox's pending events, each as the uploader serializes it (JSON.stringify, in the worker). */
async function storedEvents(sw: Worker): Promise<string[]> {
  return sw.evaluate(async () => {
    const req = indexedDB.open('workflow-capture');
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const rows = await new Promise<Array<{ event: unknown }>>((resolve, reject) => {
      const all = db.transaction('events', 'readonly').objectStore('events').getAll();
      all.onsuccess = () => resolve(all.result as Array<{ event: unknown }>);
      all.onerror = () => reject(all.error);
    });
    db.close();
    return rows.map((row) => JSON.stringify(row.event));
  });
}

/** The pending count once it has stopped changing (the pages are closed: their last flushes arrive). */
async function settledPending(ext: ExtensionPages): Promise<number> {
  let previous = -1;
  let pending = -2;
  await expect
    .poll(
      async () => {
        previous = pending;
        pending = (await status(ext)).outbox.pending;
        return pending > 0 && pending === previous;
      },
      { message: 'pending events never settled', timeout: 20_000, intervals: [500] },
    )
    .toBe(true);
  return pending;
}

test('uploads compact batches, and the collector serves back exactly the events the extension stored', async ({ context, apps, ext, serviceWorker, installId, collector }) => {
  // A form typed into, a menu bar used by mouse, and frames: several documents, so several id prefixes,
  // URLs, frames and frame paths in one batch.
  const form = await context.newPage();
  await form.goto(`${apps.url}/form/`);
  await waitForCapture(form);
  await form.mouse.move(40, 40);
  await form.mouse.move(120, 160, { steps: 8 });
  await form.click('#name');
  await form.keyboard.type('Ada Lovelace');
  await form.keyboard.press('Tab');
  await form.keyboard.type('ada@example.com');

  const menubar = await context.newPage();
  await menubar.goto(`${apps.url}/menubar/`);
  await waitForCapture(menubar);
  await menubar.click('#mb-file');
  await menubar.hover('#mi-export');
  await menubar.click('#mi-pdf');
  await expect.poll(() => menubar.evaluate(() => (window as unknown as { __state(): { commands: string[] } }).__state().commands)).toEqual(['File/Export/PDF']);

  const frames = await context.newPage();
  await frames.goto(`${apps.url}/frames/`);
  await waitForCapture(frames);
  await frames.frameLocator('#same-frame').locator('#child-button').click();
  await frames.frameLocator('#cross-frame').locator('#child-input').click();
  await frames.keyboard.type('hello');
  await frames.click('#parent-button');

  for (const page of [form, menubar, frames]) await page.close();
  const pending = await settledPending(ext);
  const stored = await storedEvents(serviceWorker);
  expect(stored).toHaveLength(pending);
  const types = new Set(stored.map((line) => (JSON.parse(line) as { type: string }).type));
  for (const type of ['navigation', 'pointer', 'click', 'focus', 'key', 'input', 'menu']) expect(types, type).toContain(type);
  expect(stored.some((line) => line.includes('"framePath":[1]'))).toBe(true);

  const since = Date.now();
  let last: Status | undefined;
  await expect.poll(async () => (last = (await uploadNow(ext)).status).outbox.pending, { timeout: 20_000 }).toBe(0);

  // Compact on the wire: the extension says so, and so does the collector's request log.
  expect(last!.upload.wire).toBe(COMPACT_1);
  expect(last!.upload.totals.compactBatches).toBe(last!.upload.totals.batches);
  expect(last!.upload.totals.events).toBe(stored.length);
  const requests = (await batchRequests(since)).filter((r) => r.installId === installId);
  expect(requests.length).toBeGreaterThanOrEqual(1);
  expect(requests.map((r) => [r.status, r.encoding])).toEqual(requests.map(() => [200, COMPACT_1]));

  // What a consumer reads is what the extension stored, byte for byte, in order.
  const served = (await collector.raw(installId)).trim().split('\n');
  expect(served).toEqual(stored);
  const install = (await collector.stats(installId)).installs[0]!;
  expect(install).toMatchObject({ events: stored.length, seqGaps: 0, dropped: 0 });

  // The diagnostics say which form the uploads take.
  const options = await ext.page();
  await options.reload();
  await expect(options.locator('#diagnostics')).toContainText('compact (compact-1');
});

test('a plain batch from an older extension is still accepted and served back as sent', async ({ collector }) => {
  const installId = `older-extension-${crypto.randomUUID()}`;
  const batchId = crypto.randomUUID();
  const random = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  const url = 'https://app.example.com/home';
  const events = [
    { v: 1, id: random(), ts: 1_700_000_000_000, url, type: 'navigation', kind: 'load', title: 'Home', seq: 1, tab: 12, frame: 0 },
    { v: 1, id: random(), ts: 1_700_000_000_250, url, type: 'key', key: 'Enter', modifiers: { alt: false, ctrl: false, meta: false, shift: false }, masked: false, seq: 2, tab: 12, frame: 0 },
  ];
  const header = { batchId, installId, extVersion: '0.0.9', schema: 1, firstSeq: 1, lastSeq: 2, dropped: 0 };
  const body = [header, ...events].map((line) => JSON.stringify(line)).join('\n') + '\n';
  const res = await fetch(`${COLLECTOR}/v1/batches`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-ndjson', 'Content-Encoding': 'gzip', 'Idempotency-Key': batchId },
    body: new Uint8Array(gzipSync(body)),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ ok: true, stored: 2, duplicates: 0 });
  // It may ignore this; a newer extension reads it.
  expect(res.headers.get(WIRE_CAPABILITY_HEADER)).toBe(COMPACT_1);
  expect(await collector.raw(installId)).toBe(events.map((e) => JSON.stringify(e) + '\n').join(''));
});
