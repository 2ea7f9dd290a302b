import { parse } from '@puppeteer/replay';
import { describe, expect, it } from 'vitest';
import { buildRecorderFlow, type RecorderStep } from '../../../collector/export-recorder';
import type { CaptureEvent } from '../../../lib/schema/event';
import { click, event, getJson, INSTALL, NO_MODIFIERS, startCollector, storeBatch, T0, target } from './helpers';
import { CELL, LIST, loginSession, PERIOD, REMEMBER, ROW, SEARCH, USERNAME } from './session-fixture';

/** A compact view of a step, for comparing whole flows at a glance. */
function brief(step: RecorderStep): string {
  switch (step.type) {
    case 'navigate':
      return `navigate ${step.url}`;
    case 'click':
    case 'doubleClick':
      return `${step.type} ${step.selectors[0]?.[0]}${step.button ? ` ${step.button}` : ''}`;
    case 'change':
      return `change ${step.selectors[0]?.[0]} = ${step.value}`;
    case 'hover':
      return `hover ${step.selectors[0]?.[0]}`;
    case 'keyDown':
    case 'keyUp':
      return `${step.type} ${step.key}`;
    case 'scroll':
      return `scroll ${step.selectors?.[0]?.[0] ?? 'page'} ${step.x},${step.y}`;
    case 'setViewport':
      return `setViewport ${step.width}x${step.height}@${step.deviceScaleFactor}`;
  }
}

const flowOf = (events: CaptureEvent[]) => buildRecorderFlow(events, { title: 'test' });

describe('collector/export-recorder buildRecorderFlow', () => {
  it('maps a session to a flow that @puppeteer/replay accepts', () => {
    const flow = flowOf(loginSession());
    expect(() => parse(flow)).not.toThrow();
    expect(flow.steps.map(brief)).toEqual([
      'setViewport 1280x800@2',
      'navigate https://app.example.com/login',
      'click aria/Username',
      'change aria/Username = al',
      'keyDown Tab',
      'keyUp Tab',
      'click aria/Sign in',
      'scroll page 0,400',
      'scroll aria/Results 0,50',
      'click aria/Row 1 secondary',
      'keyDown Escape',
      'keyUp Escape',
      'doubleClick aria/Cell',
      'change aria/Period = monthly',
      'click aria/Remember me',
      'keyDown Control',
      'keyDown k',
      'keyUp k',
      'keyUp Control',
      'navigate https://app.example.com/reports',
      'change aria/Search = q3',
      'keyDown Enter',
      'keyUp Enter',
    ]);
  });

  it('writes setViewport from the first load and clicks with selectors, offsets and buttons', () => {
    const [viewport, , usernameClick] = flowOf(loginSession()).steps;
    expect(viewport).toEqual({
      type: 'setViewport',
      width: 1280,
      height: 800,
      deviceScaleFactor: 2,
      isMobile: false,
      hasTouch: false,
      isLandscape: true,
    });
    expect(usernameClick).toEqual({ type: 'click', selectors: USERNAME.selectors, offsetX: 40, offsetY: 15 });
    const steps = flowOf(loginSession()).steps;
    expect(steps.find((s) => s.type === 'click' && s.button === 'secondary')).toMatchObject({ selectors: ROW.selectors });
    expect(steps.find((s) => s.type === 'doubleClick')).toMatchObject({ selectors: CELL.selectors, offsetX: 3, offsetY: 4 });
    expect(steps.find((s) => s.type === 'scroll' && s.selectors)).toMatchObject({ selectors: LIST.selectors });
    expect(steps.filter((s) => s.type === 'change').map((s) => s.type === 'change' && s.selectors)).toEqual([
      USERNAME.selectors,
      PERIOD.selectors,
      SEARCH.selectors,
    ]);
    expect(steps.some((s) => 'selectors' in s && s.selectors === REMEMBER.selectors && s.type === 'change')).toBe(false);
  });

  it('asserts the navigation a click or Enter caused, instead of adding a navigate step', () => {
    const steps = flowOf(loginSession()).steps;
    const signIn = steps.find((s) => s.type === 'click' && s.selectors[0]?.[0] === 'aria/Sign in');
    expect(signIn?.assertedEvents).toEqual([
      { type: 'navigation', url: 'https://app.example.com/dashboard', title: 'Dashboard' },
    ]);
    const enterUp = steps.find((s) => s.type === 'keyUp' && s.key === 'Enter');
    expect(enterUp?.assertedEvents).toEqual([
      { type: 'navigation', url: 'https://app.example.com/reports?q=q3', title: 'Reports: q3' },
    ]);
    expect(steps.filter((s) => s.type === 'navigate').map((s) => s.type === 'navigate' && s.url)).toEqual([
      'https://app.example.com/login',
      'https://app.example.com/reports',
    ]);
  });

  it('records nothing of a masked field, even if a value slipped through', () => {
    const secret = target('Card', { tag: 'input', masked: true, name: 'Card number 4111' });
    const flow = flowOf([
      event('navigation', 1, { kind: 'load', url: 'https://shop.example.com/pay' }),
      click(2, 'Card', { target: secret }),
      event('key', 3, { key: '4', code: 'Digit4', modifiers: NO_MODIFIERS, masked: true, target: secret }),
      event('input', 4, { target: secret, masked: true, value: '4111111111111111' }),
      event('key', 5, { key: 'Enter', modifiers: NO_MODIFIERS, masked: true, target: secret }),
      event('change', 6, { target: secret, masked: true, value: '4111111111111111' }),
    ]);
    expect(() => parse(flow)).not.toThrow();
    const json = JSON.stringify(flow);
    expect(json).not.toContain('4111');
    expect(flow.steps.map(brief)).toEqual([
      'setViewport 1280x720@1',
      'navigate https://shop.example.com/pay',
      'click #card', // the ARIA selector carries the name, which a masked field does not have
    ]);
  });

  it('starts from the page capture began on when events precede the first load', () => {
    const flow = flowOf([
      click(1, 'Next', { url: 'https://app.example.com/step1' }),
      event('navigation', 2, { kind: 'load', url: 'https://app.example.com/step2', ts: T0 + 60_000 }),
    ]);
    expect(flow.steps.map(brief)).toEqual([
      'setViewport 1280x720@1',
      'navigate https://app.example.com/step1',
      'click aria/Next',
      'navigate https://app.example.com/step2',
    ]);
  });

  it('navigates for back/forward to another page, not for in-app navigation, and keeps frames', () => {
    const later = (seq: number) => ({ ts: T0 + seq * 10_000 });
    const flow = flowOf([
      event('navigation', 1, { kind: 'load', url: 'https://app.example.com/a' }),
      event('navigation', 2, { kind: 'push', url: 'https://app.example.com/a#tab2', ...later(2) }),
      event('navigation', 3, { kind: 'traverse', url: 'https://app.example.com/a', ...later(3) }),
      event('navigation', 4, {
        kind: 'traverse',
        url: 'https://app.example.com/b',
        viewport: { width: 800, height: 600, dpr: 1 },
        ...later(4),
      }),
      click(5, 'Inside', { framePath: [1, 0], ...later(5) }),
    ]);
    expect(() => parse(flow)).not.toThrow();
    expect(flow.steps.map(brief)).toEqual([
      'setViewport 800x600@1',
      'navigate https://app.example.com/a',
      'navigate https://app.example.com/b',
      'click aria/Inside',
    ]);
    expect(flow.steps[3]).toMatchObject({ frame: [1, 0] });
  });

  it('keeps the value typed so far when Enter comes in the middle of typing', () => {
    const field = target('Query', { tag: 'input' });
    const typing = (seq: number, k: string) =>
      event('key', seq, { key: k, modifiers: NO_MODIFIERS, masked: false, target: field });
    const flow = flowOf([
      typing(1, 'a'),
      event('input', 2, { target: field, value: 'a', masked: false }),
      typing(3, 'Enter'),
      typing(4, 'b'),
      event('input', 5, { target: field, value: 'ab', masked: false }),
    ]);
    expect(flow.steps.map(brief).slice(2)).toEqual([
      'change aria/Query = a',
      'keyDown Enter',
      'keyUp Enter',
      'change aria/Query = ab',
    ]);
  });
});

describe('collector/export-recorder replay fidelity', () => {
  const FIELD = target('Full name', { tag: 'input', role: 'textbox', attrs: { type: 'text' } });
  const SUBMIT = target('Submit', { box: { x: 100, y: 200, w: 80, h: 30 } });
  const key = (seq: number, k: string, t = FIELD, extra: Record<string, unknown> = {}) =>
    event('key', seq, { key: k, modifiers: NO_MODIFIERS, masked: false, target: t, ...extra });
  const ctrl = (seq: number, k: string, t = FIELD) =>
    key(seq, k, t, { modifiers: { ...NO_MODIFIERS, ctrl: true }, chord: `Ctrl+${k.toUpperCase()}` });
  const keyboardClick = (seq: number, t = SUBMIT) =>
    event('click', seq, { target: t, button: 0, modifiers: NO_MODIFIERS, x: 0, y: 0, offsetX: -100, offsetY: -200, detail: 0 });

  it('hovers a submenu parent that was opened by hovering it, so its items can be reached', () => {
    const file = target('File', { role: 'menuitem', attrs: { 'aria-haspopup': 'menu' } });
    const exportItem = target('Export', { role: 'menuitem' });
    const flow = flowOf([
      event('navigation', 1, { kind: 'load' }),
      click(2, 'File', { target: file }),
      event('menu', 3, { action: 'open', widget: 'menubar', path: ['File'], target: file, trigger: 'click' }),
      event('menu', 4, { action: 'open', widget: 'menubar', path: ['File', 'Export'], target: exportItem, trigger: 'hover' }),
      click(5, 'PDF'),
      event('menu', 6, { action: 'select', widget: 'menubar', path: ['File', 'Export', 'PDF'], target: target('PDF'), trigger: 'click' }),
    ]);
    expect(() => parse(flow)).not.toThrow();
    expect(flow.steps.map(brief).slice(2)).toEqual(['click aria/File', 'hover aria/Export', 'click aria/PDF']);
  });

  it('takes the viewport and first page from the top frame; frame loads are no navigate steps', () => {
    const flow = flowOf([
      event('navigation', 1, { kind: 'load', frame: 7, framePath: [0], url: 'https://x.example.com/child', viewport: { width: 300, height: 150, dpr: 1 } }),
      event('navigation', 2, { kind: 'load', url: 'https://app.example.com/frames', viewport: { width: 1280, height: 800, dpr: 1 } }),
      event('navigation', 3, { kind: 'load', frame: 9, framePath: [1], url: 'https://y.example.com/child', viewport: { width: 300, height: 150, dpr: 1 } }),
      click(4, 'Inside', { frame: 7, framePath: [0], url: 'https://x.example.com/child' }),
    ]);
    expect(flow.steps.map(brief)).toEqual(['setViewport 1280x800@1', 'navigate https://app.example.com/frames', 'click aria/Inside']);
    expect(flow.steps[2]).toMatchObject({ frame: [0] });
  });

  it('interleaves the frames of a tab by time: each frame sends its own batches', () => {
    const at = (ms: number) => ({ ts: T0 + ms });
    const flow = flowOf([
      event('navigation', 1, { kind: 'load', ...at(0) }),
      click(2, 'Parent first', at(100)),
      click(3, 'Parent third', at(300)), // stored before the frame's batch arrived
      click(4, 'Frame second', { frame: 5, framePath: [0], ...at(200) }),
      click(5, 'Frame fourth', { frame: 5, framePath: [0], ...at(400) }),
    ]);
    expect(flow.steps.map(brief).slice(2)).toEqual(['click aria/Parent first', 'click aria/Frame second', 'click aria/Parent third', 'click aria/Frame fourth']);
  });

  it('sets a value reported after the Enter that followed its typing before that Enter; the click Enter made is the key\'s', () => {
    // What the content script sends: typed keys, Enter, then the settled value (change on Enter), then the
    // implicit submission's click on the form's default button (no position), then the submit.
    const flow = flowOf([
      event('navigation', 1, { kind: 'load' }),
      click(2, 'Full name', { target: FIELD }),
      key(3, '[text]'),
      event('input', 4, { target: FIELD, value: 'Ad', masked: false, inputType: 'insertText' }),
      key(5, '[text]'),
      key(6, '[text]'),
      key(7, 'Enter'),
      event('input', 8, { target: FIELD, value: 'Ada', masked: false }),
      event('change', 9, { target: FIELD, value: 'Ada', masked: false }),
      keyboardClick(10),
      event('submit', 11, { target: target('Form', { tag: 'form' }) }),
    ]);
    expect(flow.steps.map(brief).slice(2)).toEqual(['click aria/Full name', 'change aria/Full name = Ada', 'keyDown Enter', 'keyUp Enter']);
  });

  it('drops a half-typed value sent before the Enter that ended the typing, for the settled value after it', () => {
    // The page flushed while the person paused before Enter: the intermediate value (its unfinished tail
    // withheld) left in one batch, the Enter and the settled value in the next.
    const flow = flowOf([
      event('navigation', 1, { kind: 'load' }),
      click(2, 'Full name', { target: FIELD }),
      key(3, '[text]'),
      key(4, '[text]'),
      event('input', 5, { target: FIELD, value: 'Walk the ', masked: false, inputType: 'insertText' }),
      key(6, 'Enter'),
      event('input', 7, { target: FIELD, value: 'Walk the dog', masked: false }),
      event('change', 8, { target: FIELD, value: 'Walk the dog', masked: false }),
    ]);
    expect(flow.steps.map(brief).slice(2)).toEqual(['click aria/Full name', 'change aria/Full name = Walk the dog', 'keyDown Enter', 'keyUp Enter']);
  });

  it('keeps a value sent before Enter when what follows the Enter is new input, not the settled value', () => {
    // An autofill chosen after Enter is a new value (it carries its inputType), not the typing's settlement.
    const flow = flowOf([
      event('navigation', 1, { kind: 'load' }),
      click(2, 'Full name', { target: FIELD }),
      key(3, '[text]'),
      event('input', 4, { target: FIELD, value: 'a', masked: false, inputType: 'insertText' }),
      key(5, 'Enter'),
      event('input', 6, { target: FIELD, value: 'apple', masked: false, inputType: 'insertReplacementText' }),
    ]);
    expect(flow.steps.map(brief).slice(2)).toEqual(['click aria/Full name', 'change aria/Full name = a', 'keyDown Enter', 'keyUp Enter', 'change aria/Full name = apple']);
  });

  it('replays a click made by the keyboard without its key in the middle of the element', () => {
    const flow = flowOf([event('navigation', 1, { kind: 'load' }), keyboardClick(2)]);
    expect(flow.steps[2]).toEqual({ type: 'click', selectors: SUBMIT.selectors, offsetX: 40, offsetY: 15 });
  });

  it('keeps clipboard shortcuts as keys and does not set the value a paste or cut made', () => {
    const TARGET = target('Paste here', { tag: 'textarea', role: 'textbox' });
    const flow = flowOf([
      event('navigation', 1, { kind: 'load' }),
      click(2, 'Full name', { target: FIELD }),
      ctrl(3, 'a'),
      ctrl(4, 'x'),
      event('clipboard', 5, { action: 'cut', target: FIELD }),
      event('input', 6, { target: FIELD, value: '', masked: false, inputType: 'deleteByCut' }),
      click(7, 'Paste here', { target: TARGET }),
      ctrl(8, 'v', TARGET),
      event('clipboard', 9, { action: 'paste', target: TARGET }),
      // The unfinished tail is withheld while the field has focus: the value is not the whole paste.
      event('input', 10, { target: TARGET, value: 'temporary ', masked: false, inputType: 'insertFromPaste' }),
    ]);
    expect(flow.steps.map(brief).slice(2)).toEqual([
      'click aria/Full name',
      'keyDown Control', 'keyDown a', 'keyUp a', 'keyUp Control',
      'keyDown Control', 'keyDown x', 'keyUp x', 'keyUp Control',
      'click aria/Paste here',
      'keyDown Control', 'keyDown v', 'keyUp v', 'keyUp Control',
    ]);
  });
});

describe('collector/routes GET /v1/export?format=recorder', () => {
  it('exports the busiest tab by default, valid for @puppeteer/replay', async () => {
    const c = await startCollector();
    const other = [
      { ...click(100, 'Elsewhere'), tab: 2 },
      { ...click(101, 'Elsewhere'), tab: 2 },
    ];
    const session = loginSession();
    await storeBatch(c, session.slice(0, 20));
    await storeBatch(c, session.slice(20));
    await storeBatch(c, other);
    const flow = await getJson<{ title: string; steps: RecorderStep[] }>(c, `/v1/export?format=recorder&installId=${INSTALL}`);
    expect(() => parse(flow)).not.toThrow();
    expect(flow.title).toContain('tab 1');
    expect(flow.steps.map(brief)).toContain('click aria/Sign in');
    expect(JSON.stringify(flow)).not.toContain('Elsewhere');

    const tab2 = await getJson<{ title: string; steps: RecorderStep[] }>(c, '/v1/export?format=recorder&tab=2');
    expect(tab2.steps.map(brief)).toEqual([
      'setViewport 1280x720@1',
      'navigate https://app.example.com/home',
      'click aria/Elsewhere',
      'click aria/Elsewhere',
    ]);
    expect((await fetch(`${c.url}/v1/export?format=recorder&installId=nobody-at-all`)).status).toBe(404);
    expect((await fetch(`${c.url}/v1/export?format=pdf`)).status).toBe(400);
  });
});
