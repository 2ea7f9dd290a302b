/**
 * Pages opened the moment the extension arrives (#13): a person opens a page as soon as the browser
 * starts, while the freshly installed extension still waits for its policy and then injects its content
 * script into the open tabs. Every document is captured by exactly one copy of the content script, from
 * the first key: nothing lost at the handover between the manifest's copy and the injected one, nothing
 * twice, the page load reported once.
 */
import type { BrowserContext, Page } from '@playwright/test';
import type { CaptureEvent } from '../../lib/schema/event';
import { expectIntact, uploadNow } from './fault-helpers';
import { CollectorClient, EXTENSION_ID, ExtensionPages, expect, getServiceWorker, launchWithExtension, test } from './fixtures';
import { startHeldPages } from './held-page';

/** Key events of typed characters that `where` accepts. */
const keys = (events: CaptureEvent[], where: (e: CaptureEvent) => boolean) =>
  events.filter((e) => e.type === 'key' && e.key === '[text]' && where(e)).length;

/** Page loads reported per document (tab and URL of the top frame). */
function loadsPerDocument(events: CaptureEvent[]): Map<string, number> {
  const loads = new Map<string, number>();
  for (const e of events) {
    if (e.type !== 'navigation' || e.frame !== 0 || e.kind === 'push' || e.kind === 'replace' || e.kind === 'hash') continue;
    const key = `${e.tab} ${e.url}`;
    loads.set(key, (loads.get(key) ?? 0) + 1);
  }
  return loads;
}

async function typeInto(page: Page, selector: string, text: string) {
  await page.bringToFront();
  await page.click(selector);
  await page.keyboard.press('End');
  await page.keyboard.type(text);
}

/** The background has published its configuration (and, right after, injects into the open tabs). */
async function backgroundReady(context: BrowserContext) {
  await getServiceWorker(context);
  const ext = new ExtensionPages(context, EXTENSION_ID);
  let installId = '';
  await expect.poll(async () => (installId = (await ext.installId()) ?? '')).not.toBe('');
  await expect.poll(async () => (await ext.contentConfig())?.mode, { timeout: 20_000 }).toBe('recording');
  return { ext, installId };
}

test.describe('install: pages opened at once', () => {
  test('typed into before the policy is known, loading while the worker injects, frames, a tab navigating meanwhile: every key once', async ({ apps }) => {
    const held = await startHeldPages();
    const { context, close } = await launchWithExtension();
    try {
      const form = `${apps.url}/form/`;
      // 1. The first tab, at once: typed into before the background has published anything.
      const first = context.pages()[0] ?? (await context.newPage());
      await first.goto(form);
      await typeInto(first, '#name', 'first');
      // 2. A page still loading when the background publishes its configuration and injects.
      const loading = await context.newPage();
      await loading.goto(held.url('/loading'), { waitUntil: 'commit' });
      await typeInto(loading, '#name', 'early');
      // 3. Same- and cross-origin frames.
      const frames = await context.newPage();
      await frames.goto(`${apps.url}/frames/`);
      await typeInto(frames, '#parent-input', 'parent');
      // 4. A tab that will leave its document just as the worker injects.
      const moving = await context.newPage();
      await moving.goto(`${apps.url}/spa/`);
      await moving.click('#nav-about');

      const { ext, installId } = await backgroundReady(context);
      // The worker injects now: the held page finishes loading and the moving tab changes document meanwhile.
      held.finish('/loading');
      await moving.goto(form);
      await typeInto(moving, '#name', 'moved');
      await typeInto(first, '#name', 'second');
      await typeInto(loading, '#name', 'late');
      await expect(loading.locator('#done')).toBeVisible();
      await typeInto(frames, '#parent-input', 'more');
      await frames.bringToFront();
      await frames.frameLocator('#same-frame').locator('#child-input').click();
      await frames.keyboard.type('child');
      await frames.frameLocator('#cross-frame').locator('#child-input').click();
      await frames.keyboard.type('cross');

      const collector = new CollectorClient();
      // The same-origin child by its origin and folder: its ?frame=same is not a safe parameter, so the
      // data has [redacted] there.
      const sameChild = (e: CaptureEvent) => e.frame !== 0 && e.url.startsWith(`${apps.url}/frames/`);
      const crossChild = (e: CaptureEvent) => e.frame !== 0 && e.url.startsWith(apps.crossOriginUrl);
      const expected = {
        first: 'firstsecond'.length,
        loading: 'earlylate'.length,
        moved: 'moved'.length,
        parent: 'parentmore'.length,
        child: 'child'.length,
        cross: 'cross'.length,
      };
      let events: CaptureEvent[] = [];
      await expect
        .poll(
          async () => {
            await uploadNow(ext);
            events = await collector.events(installId);
            // The first tab is the one whose form got keys first (it was typed into before any other).
            const firstTab = events.find((e) => e.url === form && e.type === 'key')?.tab;
            return {
              first: keys(events, (e) => e.url === form && e.tab === firstTab),
              loading: keys(events, (e) => e.url === held.url('/loading')),
              moved: keys(events, (e) => e.url === form && e.tab !== firstTab),
              parent: keys(events, (e) => e.frame === 0 && e.url === `${apps.url}/frames/`),
              child: keys(events, sameChild),
              cross: keys(events, crossChild),
            };
          },
          { message: 'every key typed in every tab, once', timeout: 30_000, intervals: [500, 1000] },
        )
        .toEqual(expected);
      await expectIntact(collector, installId, events);
      // Each document's load is reported once at most, and every document opened after the launch
      // reports its own (the moving tab's first document may have been left before the policy was known).
      const loads = loadsPerDocument(events);
      expect([...loads.values()].every((n) => n === 1), JSON.stringify([...loads])).toBe(true);
      const loaded = [...loads.keys()].map((k) => k.slice(k.indexOf(' ') + 1));
      expect(loaded.filter((u) => u === form)).toHaveLength(2);
      expect(loaded).toContain(held.url('/loading'));
      expect(loaded).toContain(`${apps.url}/frames/`);
    } finally {
      await close();
      await held.close();
    }
  });
});
