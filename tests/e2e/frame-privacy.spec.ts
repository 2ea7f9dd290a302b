/**
 * Markers on a cross-origin `<iframe>` reach the frame inside it (issue 10): the parent frame's content
 * script tells the background the level of the `<iframe>` element, the background tells the child, and
 * the child captures nothing until it knows. Real Chromium, the development build, the real collector;
 * typed with the real keyboard.
 *
 * - rr-block on the iframe: zero events from that frame, anywhere.
 * - data-private on the iframe (or a mask marker on the shadow host around it): the frame is captured masked — a canary typed into an ordinary field
 *   inside it is in no message, no outbox row, no upload and nothing the collector holds or exports.
 * - nested: data-private on the outer iframe masks a frame inside it too (back on the top's origin).
 * - unmarked (positive control): the words typed in the frame arrive with the frame's events.
 */
import type { FrameLocator, Page, Worker } from '@playwright/test';
import { MASK } from '../../lib/constants';
import type { EventBody } from '../../lib/schema/event';
import type { FixtureServer } from '../fixtures/server';
import { expect, test } from './fixtures';
import {
  backgroundStorage,
  collectorViews,
  eventsInMessages,
  findLeaks,
  inKeyOrder,
  installTap,
  keyStreams,
  readTap,
  secretCanary,
  waitForEvents,
} from './leak-helpers';

const PARENT_WORDS = 'Parent visible words';

/** Frame-level messages the background received (request, report), parsed. */
async function frameMessages(sw: Worker): Promise<Array<{ kind: string; level?: string }>> {
  return (await readTap(sw)).messages
    .map((m) => JSON.parse(m) as { kind: string; level?: string })
    .filter((m) => m.kind.startsWith('frame-level'));
}

const pathOf = (e: EventBody) => JSON.stringify(e.framePath ?? []);
const inFrame = (path: number[]) => (e: EventBody) => pathOf(e) === JSON.stringify(path);
const isLoad = (e: EventBody) => e.type === 'navigation' && e.kind === 'load';

async function openCase(page: Page, apps: FixtureServer, name: string): Promise<void> {
  await page.goto(`${apps.url}/leak/frame-privacy-${name}.html`);
  await page.waitForLoadState('load');
}

/** Clicks into the widget's ordinary field and types like a person; then presses its button. */
async function typeInWidget(page: Page, frame: FrameLocator, text: string): Promise<void> {
  await frame.locator('#widget-notes').click();
  await page.keyboard.type(text, { delay: 25 });
  await frame.locator('#widget-send').click();
  await expect(frame.locator('#status')).toHaveText('Message sent (locally).');
}

/** The parent's own field and button: its events prove the tab is captured (and end the run). */
async function typeInParent(page: Page): Promise<void> {
  await page.locator('#parent-notes').click();
  await page.keyboard.type(PARENT_WORDS, { delay: 10 });
  await page.locator('#parent-button').click();
}

const parentClicked = (es: EventBody[]) => es.some((e) => e.type === 'click' && !e.framePath && e.target.selectors.some((c) => c.some((s) => s.includes('#parent-button'))));

test.describe('frame privacy: markers on a cross-origin <iframe> reach the frame inside it', () => {
  test('rr-block on the iframe: the cross-origin frame produces no event at all', async ({ context, apps, serviceWorker: sw, installId, collected }) => {
    await installTap(sw);
    const page = await context.newPage();
    await openCase(page, apps, 'blocked');
    // The handshake happened: the parent told the background "block" for the child's nonce.
    await expect.poll(async () => (await frameMessages(sw)).map((m) => m.level ?? m.kind)).toEqual(expect.arrayContaining(['frame-level-request', 'block']));
    const child = page.frameLocator('#child');
    await typeInWidget(page, child, 'blocked widget words');
    await typeInParent(page);
    const events = await collected(parentClicked, "the parent's click");
    // Anything the child sent would have gone before the parent's later click; look everywhere anyway.
    const tap = await readTap(sw);
    const sent = eventsInMessages(tap.messages);
    expect(sent.filter(inFrame([0])), 'events from the blocked frame reaching the background').toEqual([]);
    expect(events.filter(inFrame([0])), 'events from the blocked frame at the collector').toEqual([]);
    expect(events.filter((e) => e.url.startsWith(apps.crossOriginUrl))).toEqual([]);
    expect(JSON.stringify(events)).not.toContain('blocked widget words');
    // Positive control: the parent frame is captured, its words included.
    expect(events.some((e) => e.type === 'input' && !e.framePath && 'value' in e && e.value === PARENT_WORDS)).toBe(true);
    expect(installId).toBeTruthy();
  });

  for (const [name, title] of [
    ['masked', 'data-private on the iframe'],
    ['shadow', 'sentry-mask on the shadow host around the iframe (an iframe inside an open shadow root)'],
  ] as const) {
    test(`${title}: the frame is captured masked; a canary typed in it leaves no trace`, async ({ context, apps, serviceWorker: sw, installId, collected }) => {
      await installTap(sw);
      const page = await context.newPage();
      await openCase(page, apps, name);
      // The child is known by its origin: a frame inside a shadow tree has no index in window.frames.
      const isChild = (e: EventBody) => e.url.startsWith(apps.crossOriginUrl);
      await waitForEvents(sw, (es) => es.some((e) => isChild(e) && isLoad(e)), "the masked frame's page load");
      const canary = secretCanary(`fp${name}`, 24);
      const child = page.frameLocator('#child');
      await typeInWidget(page, child, canary);
      await typeInParent(page);
      const done = (es: EventBody[]) => parentClicked(es) && es.some((e) => isChild(e) && e.type === 'click');
      const sent = await waitForEvents(sw, done, "the frame's and the parent's clicks");
      const storage = await backgroundStorage(sw); // before the upload empties the outbox
      const events = await collected(done, "the frame's click");

      const fromChild = sent.filter(isChild);
      const keys = fromChild.filter((e): e is Extract<EventBody, { type: 'key' }> => e.type === 'key');
      expect(keys.length, 'key events from the masked frame').toBeGreaterThan(0);
      for (const k of keys) expect(k, 'every key of the frame is masked').toMatchObject({ key: MASK, masked: true });
      for (const e of fromChild) if ('target' in e && e.target) expect(e.target.masked, `${e.type} target masked`).toBe(true);
      for (const e of fromChild) if (e.type === 'input' || e.type === 'change') expect(e.masked, `${e.type} masked`).toBe(true);
      // The frame's own text includes its title: a masked frame's page load carries none.
      expect(fromChild.filter(isLoad).map((e) => (e.type === 'navigation' ? (e.title ?? null) : e.type))).toEqual([null]);
      const { keys: keyText, codes } = keyStreams(sent);
      expect([...inKeyOrder(keyText, canary), ...inKeyOrder(codes, canary, 5, true)], 'the canary in key order').toEqual([]);

      const tap = await readTap(sw);
      const tabs = [...new Set(events.map((e) => e.tab).filter((t) => t >= 0))];
      const views = {
        'messages received by the background': tap.messages.join('\n'),
        'IndexedDB outbox and extension storage': storage,
        'uploaded batch bytes': tap.uploads.join('\n'),
        ...(await collectorViews(installId, tabs)),
      };
      expect(findLeaks(views, [{ label: `typed in the ${name} frame`, value: canary, windows: true }])).toEqual([]);
      // Positive control for every tap: the parent's ordinary words are found through each of them.
      for (const [view, body] of Object.entries(views)) {
        if (!view.includes('recorder')) expect(body, `${view} sees the parent's words`).toContain(PARENT_WORDS);
      }
    });
  }

  test('nested: data-private on the outer iframe masks the frame inside it too', async ({ context, apps, serviceWorker: sw, installId, collected }) => {
    await installTap(sw);
    const page = await context.newPage();
    await openCase(page, apps, 'nested');
    await waitForEvents(sw, (es) => es.some((e) => inFrame([0, 0])(e) && isLoad(e)), "the inner frame's page load");
    const canary = secretCanary('fpnest', 24);
    const inner = page.frameLocator('#child').frameLocator('#grandchild');
    await typeInWidget(page, inner, canary);
    await typeInParent(page);
    const sent = await waitForEvents(sw, (es) => parentClicked(es) && es.some((e) => inFrame([0, 0])(e) && e.type === 'click'), "the inner frame's click");
    const storage = await backgroundStorage(sw);
    const events = await collected((es) => parentClicked(es) && es.some((e) => inFrame([0, 0])(e) && e.type === 'click'), "the inner frame's click");

    const fromInner = sent.filter(inFrame([0, 0]));
    expect(fromInner[0]?.url.startsWith(apps.url), 'the inner frame is on the top page\'s origin').toBe(true);
    const keys = fromInner.filter((e): e is Extract<EventBody, { type: 'key' }> => e.type === 'key');
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k).toMatchObject({ key: MASK, masked: true });
    // The top reported "mask" for the middle frame, and the middle frame the level it inherited itself
    // (a hello repeated after a ping is reported again; the background uses the first).
    const reports = (await frameMessages(sw)).filter((m) => m.kind === 'frame-level-report').map((m) => m.level);
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(new Set(reports)).toEqual(new Set(['mask']));

    const tap = await readTap(sw);
    const tabs = [...new Set(events.map((e) => e.tab).filter((t) => t >= 0))];
    const views = {
      'messages received by the background': tap.messages.join('\n'),
      'IndexedDB outbox and extension storage': storage,
      'uploaded batch bytes': tap.uploads.join('\n'),
      ...(await collectorViews(installId, tabs)),
    };
    expect(findLeaks(views, [{ label: 'typed in the nested frame', value: canary, windows: true }])).toEqual([]);
    expect(views['messages received by the background']).toContain(PARENT_WORDS);
  });

  test('unmarked iframe (positive control): the words typed in the cross-origin frame arrive', async ({ context, apps, serviceWorker: sw, collected }) => {
    await installTap(sw);
    const page = await context.newPage();
    await openCase(page, apps, 'plain');
    await waitForEvents(sw, (es) => es.some((e) => inFrame([0])(e) && isLoad(e)), "the frame's page load");
    const child = page.frameLocator('#child');
    await typeInWidget(page, child, 'plain widget words');
    const events = await collected(
      (es) => es.some((e) => inFrame([0])(e) && e.type === 'input' && e.value === 'plain widget words') && es.some((e) => inFrame([0])(e) && e.type === 'click'),
      "the frame's words",
    );
    const fromChild = events.filter(inFrame([0]));
    expect(fromChild.every((e) => e.url.startsWith(apps.crossOriginUrl))).toBe(true);
    expect(fromChild.find(isLoad)).toMatchObject({ title: 'Embedded widget' });
    const clicks = fromChild.filter((e) => e.type === 'click').map((e) => e.target);
    expect(clicks).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Send message', masked: false })]));
    expect(fromChild.filter((e) => e.type === 'key').every((e) => !e.masked)).toBe(true);
    const reports = (await frameMessages(sw)).filter((m) => m.kind === 'frame-level-report').map((m) => m.level);
    expect(new Set(reports)).toEqual(new Set(['none']));
  });
});
