/**
 * Round trip, one fixture app at a time: a scripted session is recorded with the extension, exported by
 * the collector as a Chrome DevTools Recorder flow, replayed with @puppeteer/replay in a fresh Chromium
 * without the extension, and the app must reach the same end state (`window.__state()`).
 */
import type { Page } from '@playwright/test';
import type { CaptureEvent } from '../../lib/schema/event';
import { expect, test, waitForCapture } from './fixtures';
import { briefSteps, fetchActionRecords, fetchRecorderFlow, replay, tabOf } from './replay-helpers';

const stateOf = (page: Page) => page.evaluate(() => (window as unknown as { __state: () => unknown }).__state());

/** Wait until the app's state stops changing (some updates land a frame or a message later). */
async function settledState(page: Page): Promise<unknown> {
  let last = JSON.stringify(await stateOf(page));
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(150);
    const now = JSON.stringify(await stateOf(page));
    if (now === last) return JSON.parse(now) as unknown;
    last = now;
  }
  return JSON.parse(last) as unknown;
}

interface RoundTrip {
  recorded: unknown;
  replayed: unknown;
  steps: string[];
  events: CaptureEvent[];
}

/**
 * Record `script` on `path`, wait until the collector holds the session (up to the event `last`
 * describes), export the tab and replay it.
 */
async function roundTrip(
  fx: { page: Page; url: string; installId: string; collected: (until: (es: CaptureEvent[]) => boolean, what?: string) => Promise<CaptureEvent[]> },
  script: (page: Page) => Promise<void>,
  last: (events: CaptureEvent[]) => boolean,
): Promise<RoundTrip> {
  const { page, url, installId, collected } = fx;
  await page.goto(url);
  await waitForCapture(page);
  await script(page);
  const recorded = await settledState(page);
  // Let the last events leave the page (the content script flushes after a quarter second).
  await page.waitForTimeout(600);
  const events = await collected(last, 'the end of the recorded session');
  const flow = await fetchRecorderFlow(installId, tabOf(events, url));
  const steps = briefSteps(flow);
  const { state: replayed } = await replay(flow, recorded);
  return { recorded, replayed, steps, events };
}

const clickOn = (id: string) => (events: CaptureEvent[]) =>
  events.some((e) => e.type === 'click' && e.target.selectors.some((chain) => chain.at(-1) === `#${id}`));

test.describe('round trip: record, export as a Recorder flow, replay, same end state', () => {
  test('menubar: mouse and keyboard menus, hover-opened submenus, portal menu, tabs, tree, combobox, select, details, dialog', async ({ context, apps, installId, collected }) => {
    const page = await context.newPage();
    const rt = await roundTrip(
      { page, url: `${apps.url}/menubar/`, installId, collected },
      async (p) => {
        // File > Export > PDF by mouse: the submenu opens on hover.
        await p.click('#mb-file');
        await p.hover('#mi-export');
        await p.click('#mi-pdf');
        // File > Export > PNG by keyboard (focus is back on File).
        await p.keyboard.press('ArrowDown');
        await p.keyboard.press('ArrowDown');
        await p.keyboard.press('ArrowDown');
        await p.keyboard.press('ArrowRight');
        await p.keyboard.press('ArrowDown');
        await p.keyboard.press('Enter');
        // View > Show ruler and View > Zoom 150%.
        await p.click('#mb-view');
        await p.click('#mi-ruler');
        await p.click('#mb-view');
        await p.click('#mi-zoom-150');
        // Portal menu: More actions > Move to > Archive.
        await p.click('#tb-more');
        await p.hover('#pm-move');
        await p.click('#pm-move-archive');
        await p.click('#tb-bold');
        // The document text.
        await p.click('#doc');
        await p.keyboard.press('End');
        await p.keyboard.type(', final');
        // Tabs and the tree.
        await p.click('#tab-2');
        await p.click('#ti-src');
        await p.click('#ti-src-lib');
        await p.click('#ti-src-lib-a');
        // Combobox by typing, arrow and Enter; then the native select by keyboard.
        await p.click('#tab-3');
        await p.click('#fruit');
        await p.keyboard.type('ba');
        await p.keyboard.press('ArrowDown');
        await p.keyboard.press('Enter');
        await p.keyboard.press('Tab');
        await p.keyboard.press('ArrowDown');
        // details, a check box inside it, a modal dialog.
        await p.click('#advanced-summary');
        await p.click('#autosave');
        await p.click('#open-dialog');
        await p.click('#dialog-confirm');
      },
      clickOn('dialog-confirm'),
    );
    expect(rt.recorded).toMatchObject({
      commands: ['File/Export/PDF', 'File/Export/PNG', 'View/Show ruler', 'View/Zoom 150%', 'More actions/Move to/Archive'],
      ruler: true,
      zoom: 150,
      bold: true,
      tab: 'tab-3',
      treeSelected: 'src/lib/a.ts',
      combo: 'Banana',
      select: 'b',
      detailsOpen: true,
      autosave: true,
      dialog: 'confirmed',
      doc: 'Quarterly report draft, final',
    });
    // The hover-opened submenus are hovered in the flow (else their items cannot be reached).
    expect(rt.steps).toEqual(expect.arrayContaining(['hover ["aria/Export[role=\\"menuitem\\"]"]', 'hover ["aria/Move to[role=\\"menuitem\\"]"]']));
    expect(rt.replayed, `steps:\n${rt.steps.join('\n')}`).toEqual(rt.recorded);
  });

  test('form: a multi-step form with text, radio, check boxes, select, range, contenteditable, Enter and submit', async ({ context, apps, installId, collected }) => {
    const page = await context.newPage();
    const rt = await roundTrip(
      { page, url: `${apps.url}/form/`, installId, collected },
      async (p) => {
        // Email and phone stay empty: the capture redacts them, so a replay could not type them.
        await p.click('#name');
        await p.keyboard.type('Ada Lovelace');
        await p.keyboard.press('Enter'); // Enter in a field acts as Next
        await p.waitForSelector('#step-2:not([hidden])');
        await p.click('#contact-post');
        await p.click('#interest-news');
        await p.click('#interest-events');
        await p.keyboard.press('Tab'); // to the plan select
        await p.keyboard.press('ArrowDown');
        await p.keyboard.press('ArrowDown');
        await p.keyboard.press('Tab'); // to the range
        for (let i = 0; i < 7; i++) await p.keyboard.press('ArrowRight');
        await p.click('#notes');
        await p.keyboard.type('Prefers mornings');
        await p.click('#next');
        await p.click('#agree');
        await p.click('#submit');
        await p.waitForSelector('#done:not([hidden])');
      },
      clickOn('submit'),
    );
    expect(rt.recorded).toMatchObject({
      step: 'done',
      submitted: true,
      submission: { name: 'Ada Lovelace', contact: 'post', interests: ['news', 'events'], plan: 'team', teamSize: 12, notes: 'Prefers mornings', agree: true },
    });
    expect(rt.replayed, `steps:\n${rt.steps.join('\n')}`).toEqual(rt.recorded);
  });

  test('spa: client-side routes (push, replace, in-app back, fragment)', async ({ context, apps, installId, collected }) => {
    const page = await context.newPage();
    const rt = await roundTrip(
      { page, url: `${apps.url}/spa/`, installId, collected },
      async (p) => {
        await p.click('#nav-items');
        await p.click('#sort');
        await p.click('#item-link-3');
        await p.click('#next-item');
        await p.click('#item-back');
        await expect.poll(() => p.evaluate(() => location.pathname)).toBe('/spa/items/3');
        await p.click('#nav-about');
        await p.click('#about-team-link');
        await expect.poll(() => p.evaluate(() => location.hash)).toBe('#team');
        await p.click('#nav-home');
        await p.click('#open-item-3');
      },
      clickOn('open-item-3'),
    );
    expect(rt.recorded).toMatchObject({ route: '/spa/items/3', view: 'item', itemId: 3 });
    expect((rt.recorded as { visited: string[] }).visited).toContain('/spa/about#team');
    // In-app navigation needs no navigate step: only the first page is navigated to.
    expect(rt.steps.filter((s) => s.startsWith('navigate'))).toEqual([`navigate ${apps.url}/spa/`]);
    expect(rt.replayed, `steps:\n${rt.steps.join('\n')}`).toEqual(rt.recorded);
  });

  test('shadow: web components with nested open shadow roots and a closed one', async ({ context, apps, installId, collected }) => {
    const page = await context.newPage();
    const rt = await roundTrip(
      { page, url: `${apps.url}/shadow/`, installId, collected },
      async (p) => {
        await p.click('#todo-1 #done');
        await p.click('#new-todo');
        await p.keyboard.type('Walk the dog');
        // A person pauses before Enter: the half-typed value leaves in one batch, Enter and the settled
        // value in the next, and the replay must still set the whole value before the Enter.
        await p.waitForTimeout(700);
        await p.keyboard.press('Enter');
        await p.click('#todo-2 #delete');
        await p.click('#new-todo');
        await p.keyboard.type('Call the bank');
        await p.click('#add');
        await p.click('#closed-counter', { position: { x: 12, y: 10 } });
      },
      clickOn('closed-counter'),
    );
    expect(rt.recorded).toEqual({
      todos: [
        { id: 'todo-1', text: 'Buy milk', done: true },
        { id: 'todo-3', text: 'Walk the dog', done: false },
        { id: 'todo-4', text: 'Call the bank', done: false },
      ],
      closedClicks: 1,
    });
    expect(rt.replayed, `steps:\n${rt.steps.join('\n')}`).toEqual(rt.recorded);
  });

  test('frames: same-origin and cross-origin iframes, replayed through the Recorder frame index path', async ({ context, apps, installId, collected }) => {
    const page = await context.newPage();
    const rt = await roundTrip(
      { page, url: `${apps.url}/frames/`, installId, collected },
      async (p) => {
        await expect.poll(() => p.evaluate(() => (window as any).__state().ready)).toBe(true);
        await p.click('#parent-input');
        await p.keyboard.type('parent note');
        await p.click('#parent-button');
        for (const frame of ['#same-frame', '#cross-frame']) {
          const f = p.frameLocator(frame);
          await f.locator('#child-input').click();
          await p.keyboard.type(frame === '#same-frame' ? 'hello' : 'world');
          await f.locator('#child-check').click();
          await f.locator('#child-button').click();
          await f.locator('#child-button').click();
        }
      },
      (events) => events.filter((e) => e.type === 'click' && e.target.selectors.some((c) => c.at(-1) === '#child-button')).length >= 4,
    );
    expect(rt.recorded).toMatchObject({
      parent: { clicks: 1, text: 'parent note' },
      frames: { same: { clicks: 2, text: 'hello', urgent: true }, cross: { clicks: 2, text: 'world', urgent: true } },
      ready: true,
    });
    // Steps inside frames carry the frame index path; the frames' own loads are no navigate steps.
    expect(rt.steps.filter((s) => s.includes('frame=[0]')).length).toBeGreaterThan(0);
    expect(rt.steps.filter((s) => s.includes('frame=[1]')).length).toBeGreaterThan(0);
    expect(rt.steps.filter((s) => s.startsWith('navigate'))).toEqual([`navigate ${apps.url}/frames/`]);
    expect(rt.replayed, `steps:\n${rt.steps.join('\n')}`).toEqual(rt.recorded);
  });

  test('scroll: page and container scrolling, keyboard reordering, copy/cut/paste', async ({ context, apps, installId, collected }) => {
    const page = await context.newPage();
    const rt = await roundTrip(
      { page, url: `${apps.url}/scroll/`, installId, collected },
      async (p) => {
        // Reorder with the keyboard alternative (a Recorder flow has no drag-and-drop step).
        await p.click('#dnd-alpha');
        await p.keyboard.press('Alt+ArrowDown');
        await p.keyboard.press('Alt+ArrowDown');
        // Clipboard.
        await p.click('#cut-source');
        await p.keyboard.press('Control+a');
        await p.keyboard.press('Control+c');
        await p.keyboard.press('Control+x');
        await p.click('#paste-target');
        await p.keyboard.press('Control+v');
        // The log, then the page.
        const box = (await p.locator('#inner-scroll').boundingBox())!;
        await p.mouse.move(box.x + 30, box.y + 30);
        for (let i = 0; i < 4; i++) await p.mouse.wheel(0, 60);
        await expect.poll(() => p.evaluate(() => document.getElementById('inner-scroll')!.scrollTop)).toBe(240);
        await p.mouse.move(640, 700);
        for (let i = 0; i < 3; i++) await p.mouse.wheel(0, 200);
        await expect.poll(() => p.evaluate(() => Math.round(window.scrollY))).toBe(600);
        await p.waitForTimeout(400); // the scroll gesture ends
      },
      (events) => events.some((e) => e.type === 'scroll' && !e.target && e.y === 600),
    );
    expect(rt.recorded).toEqual({
      scrollY: 600,
      innerScrollTop: 240,
      order: ['bravo', 'charlie', 'alpha', 'delta', 'echo'],
      copies: 1,
      cuts: 1,
      pastes: 1,
      cutSource: '',
      pasteTarget: 'temporary text',
    });
    expect(rt.replayed, `steps:\n${rt.steps.join('\n')}`).toEqual(rt.recorded);
  });

  test('jsonl export: one action record per line, with target context, menu paths and outcomes', async ({ context, apps, installId, collected }) => {
    const page = await context.newPage();
    await page.goto(`${apps.url}/menubar/`);
    await waitForCapture(page);
    await page.click('#mb-file');
    await page.hover('#mi-export');
    await page.click('#mi-pdf');
    await page.click('#doc');
    await page.keyboard.press('End');
    await page.keyboard.type(' v2');
    await page.keyboard.press('Tab');
    await page.click('#tab-2');
    await page.waitForTimeout(600);
    const events = await collected(clickOn('tab-2'), 'the tab click');
    const { lines, records } = await fetchActionRecords(installId, tabOf(events, `${apps.url}/menubar/`));
    expect(lines.length).toBe(records.length);
    for (const r of records) {
      expect(r).toMatchObject({ action: expect.any(String), installId, seq: expect.any(Number), ts: expect.any(Number), url: expect.stringContaining('/menubar/'), tab: expect.any(Number), frame: 0 });
      if (r.target) expect(r.target).toMatchObject({ tag: expect.any(String), selectors: expect.any(Array), box: { x: expect.any(Number), y: expect.any(Number), w: expect.any(Number), h: expect.any(Number) } });
    }
    const actions = records.map((r) => r.action);
    expect(actions[0]).toBe('navigation');
    expect(records[0]).toMatchObject({ kind: 'load', viewport: { width: 1280, height: 800, dpr: 1 } });
    expect(records.filter((r) => String(r.action).startsWith('menu_')).map((r) => `${r.action} ${(r.menuPath as string[]).join('/')}`)).toEqual([
      'menu_open File',
      'menu_open File/Export',
      'menu_select File/Export/PDF',
      'menu_select Files',
    ]);
    expect(records.find((r) => r.action === 'menu_open' && (r.menuPath as string[]).length === 2)).toMatchObject({ widget: 'menubar', target: { role: 'menuitem', name: 'Export' } });
    // The typing is one value, not keystrokes; the Tab that followed it is an action.
    const doc = records.filter((r) => (r.target as { selectors?: string[][] } | undefined)?.selectors?.some((c) => c.at(-1) === '#doc'));
    expect(doc.filter((r) => r.action === 'key').map((r) => r.key)).toEqual(['End', 'Tab']);
    expect(doc.filter((r) => r.action === 'change').map((r) => r.value)).toEqual(['Quarterly report draft v2']);
    expect(records.some((r) => r.key === '[text]')).toBe(false);
    expect(records.find((r) => r.action === 'click' && (r.target as { name?: string }).name === 'Files')).toMatchObject({ button: 0, modifiers: { ctrl: false }, target: { role: 'tab' } });
    expect(records.filter((r) => r.action === 'pointer_path').length).toBeGreaterThan(0);
  });
});
