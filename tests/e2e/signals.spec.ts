/**
 * Every capture signal of #3 in real Chromium, through the real pipeline (content script -> background
 * -> outbox -> upload -> reference collector), on the fixture apps (tests/fixtures/README.md).
 */
import type { CDPSession, Page } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CaptureEvent, Target } from '../../lib/schema/event';
import { byType, expect, test, waitForCapture } from './fixtures';

type Of<T extends CaptureEvent['type']> = Extract<CaptureEvent, { type: T }>;

/** The css chain of a target (the selector that is neither aria, xpath, pierce nor text). */
const cssOf = (t: Target | undefined): string[] =>
  t?.selectors.find((chain) => !/^(aria|xpath|pierce|text)\//.test(chain[0] ?? '')) ?? [];
/** Whether the target is the element with this id (its css chain ends with `#id`). */
const isId = (t: Target | undefined, id: string) => cssOf(t).at(-1) === `#${id}`;
const targetOf = (e: CaptureEvent): Target | undefined => ('target' in e ? e.target : undefined);
const on = (events: CaptureEvent[], id: string) => events.filter((e) => isId(targetOf(e), id));
function ofType<T extends CaptureEvent['type']>(events: CaptureEvent[], type: T): Of<T>[] {
  return byType(events, type) as Of<T>[];
}
const menus = (events: CaptureEvent[]) => ofType(events, 'menu');
const menuBrief = (events: CaptureEvent[]) => menus(events).map((m) => `${m.action} ${m.widget} ${m.path.join(' > ')}`);

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitForCapture(page);
}

/** The box of an element in viewport coordinates. */
async function boxOf(page: Page, selector: string) {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`no box for ${selector}`);
  return box;
}

test.describe('signals: pointer', () => {
  test('click, dblclick, contextmenu, auxclick: button, modifiers, viewport and target-relative coordinates', async ({ context, apps, collected }) => {
    const page = await context.newPage();
    await open(page, `${apps.url}/menubar/`);
    const box = await boxOf(page, '#tb-bold');
    await page.click('#tb-bold', { position: { x: 5, y: 7 }, modifiers: ['Shift'] });
    await page.dblclick('#tb-italic', { position: { x: 9, y: 4 } });
    await page.click('#tb-bold', { button: 'right', position: { x: 11, y: 3 } });
    await page.click('#tb-bold', { button: 'middle', position: { x: 2, y: 2 }, modifiers: ['Control'] });

    const events = await collected((es) => byType(es, 'auxclick').length >= 2 && byType(es, 'dblclick').length >= 1, 'all click kinds');
    const shiftClick = ofType(events, 'click').find((e) => isId(e.target, 'tb-bold'));
    expect(shiftClick).toMatchObject({
      button: 0,
      detail: 1,
      modifiers: { shift: true, ctrl: false, alt: false, meta: false },
      target: { tag: 'button', role: 'button', name: 'Bold', masked: false },
    });
    // Viewport coordinates are where the pointer was; offsets are relative to the target's box.
    // (x and y are whole pixels; the box and offsets keep a decimal.)
    expect(Math.abs(shiftClick!.x - (box.x + 5))).toBeLessThanOrEqual(1);
    expect(Math.abs(shiftClick!.y - (box.y + 7))).toBeLessThanOrEqual(1);
    expect(Math.abs(shiftClick!.offsetX - 5)).toBeLessThanOrEqual(1);
    expect(Math.abs(shiftClick!.offsetY - 7)).toBeLessThanOrEqual(1);
    expect(Math.abs(shiftClick!.target.box.x - box.x)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(shiftClick!.target.box.w - box.width)).toBeLessThanOrEqual(0.1);

    // A double click: click (detail 1), click (detail 2), dblclick.
    const italic = on(events, 'tb-italic').filter((e) => e.type === 'click' || e.type === 'dblclick') as Of<'click'>[];
    expect(italic.map((e) => `${e.type}:${e.detail}`)).toEqual(['click:1', 'click:2', 'dblclick:2']);
    expect(Math.abs(italic.at(-1)!.offsetX - 9)).toBeLessThanOrEqual(1);
    expect(Math.abs(italic.at(-1)!.offsetY - 4)).toBeLessThanOrEqual(1);

    const context_ = ofType(events, 'contextmenu').find((e) => isId(e.target, 'tb-bold'));
    expect(context_).toMatchObject({ button: 2 });
    expect(Math.abs(context_!.offsetX - 11)).toBeLessThanOrEqual(1);
    const aux = ofType(events, 'auxclick');
    expect(aux.map((e) => e.button).sort()).toEqual([1, 2]);
    expect(aux.find((e) => e.button === 1)).toMatchObject({ modifiers: { ctrl: true, shift: false } });
  });

  test('pointer paths: sampled at the policy interval, one event per segment, nothing while still', async ({ context, apps, collected }) => {
    const page = await context.newPage();
    await open(page, `${apps.url}/scroll/`);
    const sampleMs = 75; // POINTER_SAMPLE_MS_DEFAULT, the development policy's pointerSampleMs
    // First segment: 24 moves 20 ms apart (about half a second), then still.
    for (let i = 0; i <= 24; i++) {
      await page.mouse.move(100 + i * 10, 300 + i * 4);
      await page.waitForTimeout(20);
    }
    await page.waitForTimeout(900);
    // Second segment.
    for (let i = 0; i <= 10; i++) {
      await page.mouse.move(400 - i * 10, 500);
      await page.waitForTimeout(20);
    }
    await page.waitForTimeout(900);
    const events = await collected((es) => byType(es, 'pointer').length >= 2, 'two pointer segments');
    const paths = ofType(events, 'pointer');
    expect(paths).toHaveLength(2);
    const [first, second] = paths as [Of<'pointer'>, Of<'pointer'>];
    // About one point per 75 ms over ~0.6 s: far fewer than the 25 moves.
    expect(first.points.length).toBeGreaterThanOrEqual(4);
    expect(first.points.length).toBeLessThan(16);
    for (const p of [first, second]) {
      expect(p.points[0]![2]).toBe(0);
      for (let i = 1; i < p.points.length; i++) {
        // Point times are ms since the segment's start, at least the sampling interval apart.
        expect(p.points[i]![2] - p.points[i - 1]![2]).toBeGreaterThanOrEqual(sampleMs - 1);
      }
    }
    expect(first.points[0]).toEqual([100, 300, 0]);
    expect(second.points[0]![0]).toBeGreaterThan(second.points.at(-1)![0]); // moving left

    // Still: no further pointer event, however long.
    await page.waitForTimeout(1500);
    const later = await collected(() => true, 'anything');
    expect(byType(later, 'pointer')).toHaveLength(2);
  });

  test('drag and drop: start on the source, drop on the target with the source, end', async ({ context, apps, collected }) => {
    const page = await context.newPage();
    await open(page, `${apps.url}/scroll/`);
    const charlie = await boxOf(page, '#dnd-charlie');
    await page.dragAndDrop('#dnd-alpha', '#dnd-charlie', { targetPosition: { x: 10, y: 30 } });
    await expect.poll(() => page.evaluate(() => (window as any).__state().order.join(','))).toBe('bravo,charlie,alpha,delta,echo');
    const events = await collected((es) => ofType(es, 'drag').some((e) => e.action === 'end'), 'drag end');
    const drags = ofType(events, 'drag');
    expect(drags.map((d) => `${d.action} ${cssOf(d.target).at(-1)}`)).toEqual(['start #dnd-alpha', 'drop #dnd-charlie', 'end #dnd-alpha']);
    const drop = drags[1]!;
    expect(isId(drop.source, 'dnd-alpha')).toBe(true);
    expect(drop.target.name ?? drop.target.selectors.join()).toBeTruthy();
    // Where it was dropped, in viewport coordinates.
    expect(Math.abs(drop.x - (charlie.x + 10))).toBeLessThan(2);
    expect(Math.abs(drop.y - (charlie.y + 30))).toBeLessThan(2);
  });

  test('wheel scrolling is coalesced per scroll container: one event per gesture with the final position', async ({ context, apps, collected }) => {
    const page = await context.newPage();
    await open(page, `${apps.url}/scroll/`);
    const inner = await boxOf(page, '#inner-scroll');
    await page.mouse.move(inner.x + 20, inner.y + 20);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, 60);
    await expect.poll(() => page.evaluate(() => document.getElementById('inner-scroll')!.scrollTop)).toBe(240);
    await page.waitForTimeout(400);
    await page.mouse.move(640, 700);
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, 200);
    await expect.poll(() => page.evaluate(() => Math.round(window.scrollY))).toBe(600);

    const events = await collected((es) => byType(es, 'scroll').length >= 2, 'two scroll gestures');
    await page.waitForTimeout(500);
    const scrolls = ofType(await collected(() => true), 'scroll');
    // Four wheel notches in the log and three on the page, each many scroll events: one event each.
    expect(scrolls).toHaveLength(2);
    const [innerScroll, pageScroll] = scrolls as [Of<'scroll'>, Of<'scroll'>];
    expect(pageScroll).toMatchObject({ x: 0, y: 600, dx: 0, dy: 600 });
    expect(pageScroll.target).toBeUndefined(); // the document itself
    expect(innerScroll).toMatchObject({ y: 240, dy: 240, target: { tag: 'div', role: 'log' } });
    expect(isId(innerScroll.target, 'inner-scroll')).toBe(true);
    expect(events.length).toBeGreaterThan(0);
  });
});

test.describe('signals: keyboard', () => {
  test('keys with chords: Ctrl+C, Shift+Tab, Enter, arrows; typed characters stay [text]', async ({ context, apps, collected }) => {
    const page = await context.newPage();
    await open(page, `${apps.url}/scroll/`);
    await page.click('#paste-target');
    await page.keyboard.type('ab');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Escape');
    const events = await collected((es) => ofType(es, 'key').some((k) => k.key === 'Escape'), 'the Escape key');
    const keys = ofType(events, 'key').filter((k) => !['Control', 'Shift'].includes(k.key));
    expect(keys.map((k) => k.chord ?? k.key)).toEqual(['[text]', '[text]', 'Enter', 'ArrowLeft', 'ArrowUp', 'Ctrl+A', 'Ctrl+C', 'Shift+Tab', 'Escape']);
    const ctrlC = keys.find((k) => k.chord === 'Ctrl+C')!;
    expect(ctrlC).toMatchObject({ code: 'KeyC', modifiers: { ctrl: true, shift: false }, masked: false });
    expect(isId(ctrlC.target, 'paste-target')).toBe(true);
    const shiftTab = keys.find((k) => k.chord === 'Shift+Tab')!;
    expect(shiftTab).toMatchObject({ key: 'Tab', code: 'Tab', modifiers: { shift: true } });
    // Typed characters say nothing about what was typed; named keys keep their code.
    for (const k of keys.filter((k) => k.key === '[text]')) expect(k.code).toBeUndefined();
    expect(keys.find((k) => k.key === 'ArrowUp')).toMatchObject({ code: 'ArrowUp' });
    // Shift+Tab moved focus back to the cut field.
    expect(isId(ofType(events, 'focus').at(-1)?.target, 'cut-source')).toBe(true);
  });

  test('IME composition: one composed result, no garbage keys', async ({ context, apps, collected }) => {
    const page = await context.newPage();
    await open(page, `${apps.url}/scroll/`);
    const cdp = await context.newCDPSession(page);
    await page.click('#paste-target');
    // What an IME does: keydowns reported as "Process" (keyCode 229), a growing composition, a commit.
    await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'Process', code: 'KeyN', windowsVirtualKeyCode: 229 });
    await cdp.send('Input.imeSetComposition', { text: 'に', selectionStart: 1, selectionEnd: 1 });
    await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'Process', code: 'KeyH', windowsVirtualKeyCode: 229 });
    await cdp.send('Input.imeSetComposition', { text: 'にほ', selectionStart: 2, selectionEnd: 2 });
    await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'Process', code: 'Space', windowsVirtualKeyCode: 229 });
    await cdp.send('Input.imeSetComposition', { text: '日本', selectionStart: 2, selectionEnd: 2 });
    await cdp.send('Input.insertText', { text: '日本' });
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => (window as any).__state().pasteTarget)).toBe('日本');
    const events = await collected((es) => es.some((e) => e.type === 'change' && isId(e.target, 'paste-target')), 'the composed change');
    const field = on(events, 'paste-target');
    // No key event for the composition: no "Process", no stray characters; only the Tab that left.
    expect(ofType(field, 'key').map((k) => k.key)).toEqual(['Tab']);
    expect(ofType(field, 'change').at(-1)).toMatchObject({ value: '日本', masked: false });
    const inputs = ofType(field, 'input');
    expect(inputs.at(-1)).toMatchObject({ value: '日本' });
    // No intermediate composition text was reported as a value.
    expect(inputs.filter((i) => i.value && i.value !== '日本' && i.value !== '')).toEqual([]);
  });
});

test.describe('signals: forms and clipboard', () => {
  test('input/change per field, select, checkbox, radio, range, contenteditable, file (count only), submit', async ({ context, apps, collected, collector, installId }) => {
    const page = await context.newPage();
    await open(page, `${apps.url}/form/`);
    await page.click('#name');
    await page.keyboard.type('Ada Lovelace');
    await page.click('#next');
    await page.click('#contact-post');
    await page.click('#interest-news');
    await page.click('#interest-events');
    await page.click('#interest-news'); // unticked again
    await page.focus('#plan');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.focus('#team-size');
    await page.keyboard.press('ArrowRight');
    // Through the file chooser, as a person does it (an in-memory setInputFiles fires untrusted events).
    const dir = mkdtempSync(path.join(tmpdir(), 'wc-file-'));
    const file = path.join(dir, 'passport-scan-Zq81.png');
    writeFileSync(file, 'png');
    const chooser = page.waitForEvent('filechooser');
    await page.click('#avatar');
    await (await chooser).setFiles(file);
    rmSync(dir, { recursive: true, force: true });
    await page.click('#notes');
    await page.keyboard.type('Prefers mornings');
    await page.click('#next');
    await page.click('#agree');
    await page.click('#submit');
    await expect.poll(() => page.evaluate(() => (window as any).__state().step)).toBe('done');

    const events = await collected((es) => byType(es, 'submit').length >= 1, 'the submit');
    const name = on(events, 'name');
    expect(ofType(name, 'change')).toEqual([expect.objectContaining({ value: 'Ada Lovelace', masked: false })]);
    // One input event per field per flush, not one per keystroke.
    expect(ofType(name, 'input').length).toBeLessThan(6);
    expect(ofType(name, 'input').at(-1)).toMatchObject({ value: 'Ada Lovelace' });
    expect(ofType(on(events, 'contact-post'), 'change')).toEqual([expect.objectContaining({ value: 'post', checked: true })]);
    expect(ofType(on(events, 'interest-news'), 'change').map((c) => c.checked)).toEqual([true, false]);
    expect(ofType(on(events, 'interest-events'), 'change').map((c) => c.checked)).toEqual([true]);
    expect(ofType(on(events, 'plan'), 'change').map((c) => c.value)).toEqual(['pro', 'team']);
    expect(ofType(on(events, 'team-size'), 'change').map((c) => c.value)).toEqual(['6']);
    expect(ofType(on(events, 'notes'), 'input').at(-1)).toMatchObject({ value: 'Prefers mornings', target: { role: 'textbox', name: 'Notes for our team' } });
    // A file input says that a file was chosen and how many: never its name.
    expect(ofType(on(events, 'avatar'), 'change')).toEqual([expect.objectContaining({ files: 1 })]);
    expect(ofType(on(events, 'avatar'), 'change')[0]).not.toHaveProperty('value');
    expect(await collector.raw(installId)).not.toContain('passport-scan');
    // Next is a plain button; only Submit submits the form.
    expect(ofType(events, 'submit')).toHaveLength(1);
    expect(ofType(events, 'submit')[0]!.target).toMatchObject({ tag: 'form' });
    expect(isId(ofType(events, 'submit')[0]!.target, 'signup')).toBe(true);
  });

  test('clipboard: copy, cut and paste as actions with no clipboard content', async ({ context, apps, collected }) => {
    const page = await context.newPage();
    await open(page, `${apps.url}/scroll/`);
    await page.click('#cut-source');
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+x');
    await page.click('#paste-target');
    await page.keyboard.press('Control+v');
    await expect.poll(() => page.evaluate(() => (window as any).__state().pastes)).toBe(1);
    const events = await collected((es) => byType(es, 'clipboard').length >= 3, 'three clipboard actions');
    const clip = ofType(events, 'clipboard');
    expect(clip.map((c) => `${c.action} ${cssOf(c.target).at(-1)}`)).toEqual(['copy #cut-source', 'cut #cut-source', 'paste #paste-target']);
    for (const c of clip) expect(JSON.stringify(c)).not.toContain('temporary');
  });
});

test.describe('signals: focus, visibility, navigation', () => {
  test('focus changes carry the element that got focus', async ({ context, apps, collected }) => {
    const page = await context.newPage();
    await open(page, `${apps.url}/form/`);
    await page.click('#name');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const events = await collected((es) => on(es, 'phone').some((e) => e.type === 'focus'), 'focus on phone');
    const focus = ofType(events, 'focus').map((f) => cssOf(f.target).at(-1));
    expect(focus).toEqual(['#name', '#email', '#phone']);
    expect(ofType(events, 'focus')[0]!.target).toMatchObject({ tag: 'input', name: 'Full name' });
  });

  test('visibility: the page goes hidden when it is left, with the page it belongs to', async ({ context, apps, collected }) => {
    // Headless Chromium keeps every tab visible (no minimised window, no background tab), so the
    // trusted visibilitychange it does fire is the one of a document being left: hidden, just before
    // pagehide. (Visible again would need a real window or a back/forward-cache restore.)
    const page = await context.newPage();
    await open(page, `${apps.url}/form/`);
    await page.click('#name');
    await page.goto(`${apps.url}/scroll/`);
    await waitForCapture(page);
    await page.goBack();
    await waitForCapture(page);
    const events = await collected((es) => byType(es, 'visibility').length >= 2, 'two visibility events');
    const vis = ofType(events, 'visibility');
    expect(vis.map((v) => [v.state, v.url.replace(apps.url, '')])).toEqual([
      ['hidden', '/form/'],
      ['hidden', '/scroll/'],
    ]);
    expect(vis.every((v) => v.frame === 0 && v.framePath === undefined)).toBe(true);
    // It is captured before the page goes: the upload of what was buffered is handed over in time.
    const formClick = ofType(events, 'click').find((c) => isId(c.target, 'name'));
    expect(formClick && formClick.seq < vis[0]!.seq).toBe(true);
  });

  test('navigation: load with viewport and dpr, push, replace, traverse, hash, back/forward across documents', async ({ context, apps, collected }) => {
    const page = await context.newPage();
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1000, height: 700, deviceScaleFactor: 2, mobile: false });
    await open(page, `${apps.url}/spa/`);
    await page.click('#nav-items'); // pushState
    await page.click('#sort'); // replaceState
    await page.click('#item-link-3'); // pushState
    await page.goBack(); // same-document traverse
    await page.goForward();
    await page.click('#nav-about');
    await page.click('#about-team-link'); // fragment navigation
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#team');
    await page.goto(`${apps.url}/scroll/`); // another document
    await waitForCapture(page);
    await page.goBack(); // back to the SPA document
    await waitForCapture(page);
    await page.click('#nav-home');

    const events = await collected(
      (es) => ofType(es, 'navigation').filter((n) => n.url === `${apps.url}/spa/`).length >= 2,
      'the navigation back home',
    );
    const navs = ofType(events, 'navigation').filter((n) => n.frame === 0);
    expect(navs.map((n) => `${n.kind} ${n.url.replace(apps.url, '')}`)).toEqual([
      'load /spa/',
      'push /spa/items',
      'replace /spa/items?sort=desc',
      'push /spa/items/3',
      'traverse /spa/items?sort=desc',
      'traverse /spa/items/3',
      'push /spa/about',
      'hash /spa/about#team',
      'load /scroll/',
      'traverse /spa/about#team',
      'push /spa/',
    ]);
    // Full loads (and a back/forward to another document) carry the viewport and device pixel ratio.
    expect(navs[0]!.viewport).toEqual({ width: 1000, height: 700, dpr: 2 });
    expect(navs[9]!.viewport).toEqual({ width: 1000, height: 700, dpr: 2 });
    expect(navs.filter((n) => ['push', 'replace', 'hash'].includes(n.kind)).every((n) => n.viewport === undefined)).toBe(true);
    expect(navs[0]!.title).toContain('SPA fixture');
  });
});

test.describe('signals: leaving a document', () => {
  test('navigation: a new document right after an in-page navigation or typing, many times in a row: nothing buffered is lost', async ({ context, apps, collected }) => {
    const page = await context.newPage();
    const rounds = 8;
    await open(page, `${apps.url}/spa/`);
    let typed = 0;
    for (let i = 0; i < rounds; i++) {
      await page.click('#nav-about');
      await page.click('#about-team-link');
      // No pause: the fragment navigation is still buffered in the page being left.
      await page.goto(`${apps.url}/form/`);
      await page.click('#name');
      await page.keyboard.type(`r${i}`);
      typed += `r${i}`.length;
      await page.goto(`${apps.url}/spa/`);
    }
    await page.click('#nav-items');
    const events = await collected(
      (es) => ofType(es, 'navigation').some((n) => n.url === `${apps.url}/spa/items`),
      'the last in-page navigation',
    );
    const navs = ofType(events, 'navigation').filter((n) => n.frame === 0).map((n) => `${n.kind} ${n.url.replace(apps.url, '')}`);
    const round = ['push /spa/about', 'hash /spa/about#team', 'load /form/', 'load /spa/'];
    expect(navs).toEqual(['load /spa/', ...Array.from({ length: rounds }, () => round).flat(), 'push /spa/items']);
    expect(events.filter((e) => e.type === 'key' && e.key === '[text]' && e.url === `${apps.url}/form/`)).toHaveLength(typed);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });
});

test.describe('signals: menu navigation (menubar fixture)', () => {
  test('menubar by mouse: a parent opens (not selects), a hover opens a submenu, the item carries its path', async ({ context, apps, collected }) => {
    const page = await context.newPage();
    await open(page, `${apps.url}/menubar/`);
    await page.click('#mb-file');
    await page.hover('#mi-export');
    await page.click('#mi-pdf');
    await page.click('#mb-view');
    await page.click('#mi-zoom-150');
    await expect.poll(() => page.evaluate(() => (window as any).__state().commands)).toEqual(['File/Export/PDF', 'View/Zoom 150%']);
    const events = await collected((es) => menus(es).filter((m) => m.action === 'select').length >= 2, 'two selects');
    expect(menuBrief(events)).toEqual([
      'open menubar File',
      'open menubar File > Export',
      'select menubar File > Export > PDF',
      'open menubar View',
      'select menubar View > Zoom 150%',
    ]);
    const m = menus(events);
    expect(m.map((e) => e.trigger)).toEqual(['click', 'hover', 'click', 'click', 'click']);
    expect(m[2]!.target).toMatchObject({ tag: 'span', role: 'menuitem', name: 'PDF' });
    expect(m[4]!.target).toMatchObject({ role: 'menuitemradio', attrs: { 'aria-checked': 'false' } });
  });

  test('menubar by keyboard: arrows open and move, Enter chooses, Escape closes', async ({ context, apps, collected }) => {
    const page = await context.newPage();
    await open(page, `${apps.url}/menubar/`);
    await page.focus('#mb-file');
    await page.keyboard.press('ArrowDown'); // File opens on New
    await page.keyboard.press('ArrowDown'); // Recent
    await page.keyboard.press('ArrowDown'); // Export
    await page.keyboard.press('ArrowRight'); // Export opens on PDF
    await page.keyboard.press('Enter'); // File > Export > PDF
    await page.keyboard.press('ArrowRight'); // focus Edit (menus closed)
    await page.keyboard.press('ArrowRight'); // focus View
    await page.keyboard.press('Enter'); // View opens on Show ruler
    await page.keyboard.press(' '); // toggles the ruler, stays open
    await page.keyboard.press('Escape'); // View closes
    await expect.poll(() => page.evaluate(() => (window as any).__state().commands)).toEqual(['File/Export/PDF', 'View/Show ruler']);
    const events = await collected((es) => menus(es).some((m) => m.action === 'close'), 'the close');
    expect(menuBrief(events)).toEqual([
      'open menubar File',
      'open menubar File > Export',
      'select menubar File > Export > PDF',
      'open menubar View',
      'select menubar View > Show ruler',
      'close menubar View',
    ]);
    expect(menus(events).every((m) => m.trigger === 'key')).toBe(true);
  });

  test('menu path labels are redacted like any other text', async ({ context, apps, collected, collector, installId }) => {
    const page = await context.newPage();
    await open(page, `${apps.url}/menubar/`);
    await page.evaluate(() => {
      document.getElementById('mi-doc2')!.textContent = 'Notes for ada.lovelace@example.com';
    });
    await page.click('#mb-file');
    await page.hover('#mi-recent');
    await page.click('#mi-doc2');
    const events = await collected((es) => menus(es).some((m) => m.action === 'select'), 'the select');
    const select = menus(events).find((m) => m.action === 'select')!;
    expect(select.path.slice(0, 2)).toEqual(['File', 'Recent']);
    expect(select.path[2]).toContain('[email]');
    expect(await collector.raw(installId)).not.toContain('ada.lovelace@example.com');
  });

  test('portal menu (aria-controls), tabs, tree path, combobox + listbox, native select, details, dialog', async ({ context, apps, collected }) => {
    const page = await context.newPage();
    await open(page, `${apps.url}/menubar/`);
    // Portal: the menu is mounted at the end of <body>, linked to its button only by aria-controls.
    await page.click('#tb-more');
    await page.hover('#pm-move');
    await page.click('#pm-move-archive');
    // Tabs: by click, then by arrow keys (automatic activation).
    await page.click('#tab-3');
    await page.keyboard.press('ArrowLeft');
    // Tree: the path of ancestor treeitems.
    await page.click('#ti-src');
    await page.click('#ti-src-lib');
    await page.click('#ti-src-lib-a');
    await page.click('#tab-3');
    // Combobox: type to filter, arrow to an option, Enter; then pick with the mouse from the toggle.
    await page.click('#fruit');
    await page.keyboard.type('ba');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.click('#fruit-toggle');
    await page.click('#opt-cherry');
    // Native select by keyboard.
    await page.focus('#size-select');
    await page.keyboard.press('ArrowDown');
    // details/summary and a modal dialog.
    await page.click('#advanced-summary');
    await page.click('#advanced-summary');
    await page.click('#open-dialog');
    await page.click('#dialog-cancel');
    await expect.poll(() => page.evaluate(() => (window as any).__state().dialog)).toBe('cancelled');

    const events = await collected((es) => menus(es).some((m) => m.widget === 'dialog' && m.action === 'close'), 'the dialog closing');
    const brief = menuBrief(events);
    expect(brief).toEqual(
      expect.arrayContaining([
        'open menu More actions',
        'open menu More actions > Move to',
        'select menu More actions > Move to > Archive',
        'select tablist Settings',
        'select tablist Files',
        'select tree src',
        'select tree src > lib',
        'select tree src > lib > a.ts',
        'select combobox Favourite fruit > Banana',
        'select combobox Favourite fruit > Cherry',
        'select select Page size > Letter',
        'open details Advanced options',
        'close details Advanced options',
        'open dialog Delete document?',
        'close dialog Delete document?',
      ]),
    );
    // In the order they happened.
    const order = ['select menu More actions > Move to > Archive', 'select tablist Files', 'select tree src > lib > a.ts', 'select combobox Favourite fruit > Banana', 'select select Page size > Letter', 'close dialog Delete document?'];
    expect(order.map((b) => brief.indexOf(b))).toEqual([...order.map((b) => brief.indexOf(b))].sort((a, b) => a - b));
    const tabKey = menus(events).find((m) => m.widget === 'tablist' && m.path[0] === 'Files');
    expect(tabKey?.trigger).toBe('key');
    // The combobox opened as the person typed, and its listbox when the toggle was clicked.
    expect(brief).toContain('open combobox Favourite fruit');
  });
});

test.describe('signals: shadow DOM and frames', () => {
  test('open shadow roots: the target is the inner element, selectors chain through the roots', async ({ context, apps, collected }) => {
    const page = await context.newPage();
    await open(page, `${apps.url}/shadow/`);
    await page.click('#todo-1 #done');
    await page.click('#new-todo');
    await page.keyboard.type('Walk the dog');
    await page.keyboard.press('Enter');
    await page.click('#todo-2 #delete');
    await page.click('#closed-counter', { position: { x: 10, y: 10 } });
    await expect.poll(() => page.evaluate(() => (window as any).__state().closedClicks)).toBe(1);
    const events = await collected((es) => es.some((e) => e.type === 'click' && isId(e.target, 'closed-counter')), 'the closed-root click');

    const check = ofType(events, 'click').find((e) => cssOf(e.target).join(' ').includes('#todo-1'))!;
    expect(check.target).toMatchObject({ tag: 'input', role: 'checkbox', name: 'Buy milk' });
    expect(cssOf(check.target)).toEqual(['#todo-app', '#todo-1', '#done']);
    expect(check.target.selectors[0]).toEqual(['aria/Buy milk[role="checkbox"]']);
    // change and submit do not leave a shadow root: they are captured inside it.
    expect(ofType(events, 'change').find((c) => cssOf(c.target).join(' ') === '#todo-app #todo-1 #done')).toMatchObject({ checked: true });
    const typed = ofType(events, 'input').filter((e) => isId(e.target, 'new-todo'));
    expect(cssOf(typed.at(-1)!.target)).toEqual(['#todo-app', '#new-todo']);
    expect(typed.at(-1)).toMatchObject({ value: 'Walk the dog', target: { name: 'New todo' } });
    expect(ofType(events, 'submit').map((s) => cssOf(s.target))).toEqual([['#todo-app', '#add-form']]);
    const del = ofType(events, 'click').find((e) => cssOf(e.target).join(' ') === '#todo-app #todo-2 #delete');
    expect(del?.target).toMatchObject({ tag: 'button', name: 'Delete “Write report”' });
    // A closed root is opaque: the click is reported against its host.
    expect(ofType(events, 'click').find((e) => isId(e.target, 'closed-counter'))?.target.tag).toBe('secret-counter');
  });

  test('same-origin and cross-origin iframes: frame path, frame ids and the frame URL', async ({ context, apps, collected }) => {
    const page = await context.newPage();
    await open(page, `${apps.url}/frames/`);
    await expect.poll(() => page.evaluate(() => (window as any).__state().ready)).toBe(true);
    await page.click('#parent-button');
    await page.frameLocator('#same-frame').locator('#child-button').click();
    await page.frameLocator('#cross-frame').locator('#child-button').click();
    await page.frameLocator('#cross-frame').locator('#child-input').fill('hello');
    const events = await collected((es) => byType(es, 'click').length >= 3, 'three clicks');
    const clicks = ofType(events, 'click');
    const parent = clicks.find((c) => isId(c.target, 'parent-button'))!;
    const same = clicks.find((c) => isId(c.target, 'child-button') && c.url.startsWith(apps.url))!;
    const cross = clicks.find((c) => isId(c.target, 'child-button') && c.url.startsWith(apps.crossOriginUrl))!;
    expect(parent.framePath).toBeUndefined();
    expect(parent.frame).toBe(0);
    // Query values fail closed: "frame" is not on the safe list, so its value is redacted.
    expect(same).toMatchObject({ framePath: [0], url: `${apps.url}/frames/child.html?frame=[redacted]` });
    expect(cross).toMatchObject({ framePath: [1] });
    expect(cross.url).toContain(`${apps.crossOriginUrl}/frames/child.html?frame=[redacted]`);
    expect(same.frame).toBeGreaterThan(0);
    expect(cross.frame).toBeGreaterThan(0);
    expect(same.frame).not.toBe(cross.frame);
    expect(same.tab).toBe(parent.tab);
    expect(cross.tab).toBe(parent.tab);
    // Each frame reports its own load, with its frame path.
    const loads = ofType(events, 'navigation').filter((n) => n.kind === 'load');
    expect(loads.map((n) => JSON.stringify(n.framePath ?? []))).toEqual(expect.arrayContaining(['[]', '[0]', '[1]']));
  });
});

test.describe('signals: idle costs nothing', () => {
  test('no polling timers in the content script: none while idle, none left after the pointer and scrolling stop', async ({ context, apps, collected, extensionId }) => {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    // Pause on every timer and animation-frame request and on every timer callback, in every world of
    // the page, and count the ones whose JavaScript frame is the extension's content script.
    const contentScript = `chrome-extension://${extensionId}/`;
    const scripts = new Map<string, string>();
    const calls: { name: string; at: number }[] = [];
    cdp.on('Debugger.scriptParsed', (p) => scripts.set(p.scriptId, p.url));
    cdp.on('Debugger.paused', (p) => {
      const frame = p.callFrames[0];
      const url = frame ? frame.url || scripts.get(frame.location.scriptId) || '' : '';
      const name = String((p.data as { eventName?: string } | undefined)?.eventName ?? p.reason).replace('instrumentation:', '');
      if (url.startsWith(contentScript)) calls.push({ name, at: Date.now() });
      void cdp.send('Debugger.resume').catch(() => undefined);
    });
    await cdp.send('Debugger.enable');
    const names = ['setTimeout', 'setInterval', 'requestAnimationFrame', 'requestIdleCallback', 'setTimeout.callback', 'setInterval.callback'];
    for (const eventName of names) await cdp.send('EventBreakpoints.setInstrumentationBreakpoint', { eventName });
    try {
      await open(page, `${apps.url}/scroll/`);
      await page.waitForTimeout(1500); // the page load event is flushed
      // Idle: nothing at all.
      const idleFrom = Date.now();
      await page.waitForTimeout(2000);
      expect(calls.filter((c) => c.at >= idleFrom), 'timers while idle').toEqual([]);

      // Activity: the pointer segment timer and the flush timer do run (the instrumentation works)...
      const activeFrom = Date.now();
      for (let i = 0; i < 10; i++) {
        await page.mouse.move(200 + i * 20, 400);
        await page.waitForTimeout(30);
      }
      await page.mouse.wheel(0, 300);
      await page.waitForTimeout(1200);
      const active = calls.filter((c) => c.at >= activeFrom);
      expect(active.some((c) => c.name === 'setTimeout'), 'the content script did schedule work while active').toBe(true);
      // ...and once the pointer and the page are still, none is left and none is scheduled.
      const stillFrom = Date.now();
      await page.waitForTimeout(2500);
      expect(calls.filter((c) => c.at >= stillFrom), 'timers after the pointer and scrolling stopped').toEqual([]);
      // Never an interval or an animation-frame loop, at any time.
      expect(calls.filter((c) => c.name.startsWith('setInterval') || c.name === 'requestAnimationFrame' || c.name === 'requestIdleCallback')).toEqual([]);
    } finally {
      await cdp.send('Debugger.disable').catch(() => undefined);
    }
    const events = await collected((es) => byType(es, 'pointer').length >= 1 && byType(es, 'scroll').length >= 1, 'the pointer path and scroll');
    expect(events.length).toBeGreaterThan(2);
  });
});
