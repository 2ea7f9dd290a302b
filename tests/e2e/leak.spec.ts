/**
 * The privacy leak suite (#4), in real Chromium with the development build and the real collector.
 *
 * For every case of tests/fixtures/leak/cases.ts a known canary is typed key by key, pasted through the
 * system clipboard (a trusted Ctrl+V), filled the way autofill does (Playwright's fill: one trusted
 * insertText; for card fields Chrome's own card autofill through the DevTools Autofill domain), set by
 * script with untrusted events, and typed again after a "show password" toggle. Then the canaries, their
 * 5-character windows, their characters in key order and their lengths are searched for:
 *   1. in every runtime message the background receives (a listener added in the service worker),
 *   2. in the background's IndexedDB outbox and storage, before upload,
 *   3. in the gunzipped bytes the background uploads (its fetch, wrapped in the worker),
 *   4. in the collector: /v1/events, /v1/export?format=jsonl and format=recorder.
 * Ordinary fields (expectMasked false) are checked the other way round: their words must arrive (the
 * positive control for every tap above) and emails and card numbers typed into them must not.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Page, Worker } from '@playwright/test';
import {
  BLOCKED_TEXT_CANARY,
  HIDDEN_INPUT_CANARY,
  LEAK_CASES,
  LEAK_PAGES,
  SAMPLE_CARD_NUMBER,
  type LeakCase,
  type LeakPage,
} from '../fixtures/leak/cases';
import type { FixtureServer } from '../fixtures/server';
import type { EventBody } from '../../lib/schema/event';
import { MASK } from '../../lib/constants';
import { COLLECTOR, DEV_BUILD, expect, ExtensionPages, test, waitForCapture } from './fixtures';
import {
  between,
  chromeCardAutofill,
  collectorViews,
  contentNumbers,
  findLeaks,
  gatherViews,
  inKeyOrder,
  installTap,
  keyStreams,
  missingWords,
  OutboxSnapshots,
  projection,
  type Secret,
  secretCanary,
  setClipboard,
  targets,
  timed,
  untrustedFill,
  waitForEvents,
} from './leak-helpers';
import { EXTENSION_ID, policyPreconditions, withManagedPolicy } from './policy-helpers';

/** Typing speed: slow enough that one field's typing spans several content-script flushes (250 ms). */
const KEY_DELAY_MS = 35;
const SHORT = 9;
const LONG = 25;
/** The key that ends every run: a named key outside any field, so it is kept and easy to find. */
const DONE_KEY = 'F9';
/** Longer than a content-script flush (250 ms), so one session's last value is sent before the next. */
const FLUSH_SETTLE_MS = 350;
const NAMED_KEYS = new Set(['Enter', 'Tab', 'Backspace', 'Control', 'Shift', 'Meta', 'Alt', 'End', 'Home', 'Escape', ' ', DONE_KEY]);

// ---- the ledger: what was typed where, and what must (not) be found ------------------------------------

type Check = (events: EventBody[]) => string[];

class Ledger {
  readonly secrets: Secret[] = [];
  readonly words: string[] = [];
  readonly checks: Check[] = [];
  readonly notes: string[] = [];
  readonly outbox = new OutboxSnapshots();
  private n = 0;

  canary(c: LeakCase | string, length: number, what: string): string {
    const tag = `${(this.n++).toString(36)}`;
    const value = secretCanary(tag, length);
    this.secrets.push({ label: `${typeof c === 'string' ? c : c.case} (${what})`, value, windows: true });
    return value;
  }

  secret(label: string, value: string): void {
    this.secrets.push({ label, value });
  }

  word(c: LeakCase | string, what: string): string {
    const w = `Wombat${(this.n++).toString(36)}x${what}`;
    this.words.push(w);
    return w;
  }

  check(fn: Check): void {
    this.checks.push(fn);
  }
}

// ---- where a case lives and how to reach it ------------------------------------------------------------

interface Place {
  page: Page;
  frame: Frame;
  /** Locator of the case's element (Playwright's CSS pierces open shadow roots). */
  field: () => ReturnType<Page['locator']>;
  toggle?: () => ReturnType<Page['locator']>;
}

async function placeOf(page: Page, c: LeakCase): Promise<Place> {
  if (c.frame) {
    const handle = await page.locator(c.frameSelector!).elementHandle();
    const frame = await handle!.contentFrame();
    if (!frame) throw new Error(`no frame for ${c.case}`);
    const scope = page.frameLocator(c.frameSelector!);
    return { page, frame, field: () => scope.locator(c.selector) };
  }
  return {
    page,
    frame: page.mainFrame(),
    field: () => page.locator(c.selector),
    ...(c.toggleSelector ? { toggle: () => page.locator(c.toggleSelector!) } : {}),
  };
}

/** Clicks the field like a person (the closed-root host is focused, as its delegatesFocus intends). */
async function focusField(p: Place, c: LeakCase): Promise<void> {
  if (c.closedShadow) await p.field().focus();
  else await p.field().click();
}

/** Leaves the field: a click on the page heading (top document). */
async function blur(page: Page): Promise<void> {
  await page.locator('h1').first().click();
}

async function typeSlowly(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text, { delay: KEY_DELAY_MS });
}

// ---- per-window checks ---------------------------------------------------------------------------------

const fmt = (e: EventBody) => JSON.stringify(e).slice(0, 400);

/**
 * A masked field, one window: at most one key and one input event per focus session, every key the
 * mask, no value, no input type, no number equal to what was typed, every event about the field masked.
 */
function maskedWindowCheck(c: LeakCase, w: { from: number; to: number }, what: string, sessions: number, typedLengths: number[], ignoreMarker: boolean): Check {
  const id = c.selector.replace(/^#/, '');
  return (all) => {
    const errors: string[] = [];
    const events = between(all, w);
    const field = events.filter((e) => targets(e, id));
    const keys = events.filter((e) => e.type === 'key');
    const inputs = field.filter((e) => e.type === 'input');
    const changes = field.filter((e) => e.type === 'change');
    const where = `${c.case} (${what})`;
    if (ignoreMarker) {
      for (const e of [...keys, ...inputs, ...changes]) errors.push(`${where}: an ignored field produced ${fmt(e)}`);
    } else {
      const maskedKeys = keys.filter((e) => e.type === 'key' && e.masked);
      if (maskedKeys.length > sessions) errors.push(`${where}: ${maskedKeys.length} masked key events in ${sessions} focus session(s)`);
      for (const e of keys) {
        if (e.type !== 'key') continue;
        if (!e.masked && !NAMED_KEYS.has(e.key)) errors.push(`${where}: unmasked key ${fmt(e)}`);
        if (e.masked && (e.key !== MASK || e.code || e.chord || e.repeat)) errors.push(`${where}: masked key says more than the mask: ${fmt(e)}`);
      }
      if (inputs.length > sessions) errors.push(`${where}: ${inputs.length} input events in ${sessions} focus session(s) (their count and times follow the typing)`);
      for (const e of [...inputs, ...changes]) {
        if (!('masked' in e) || e.masked !== true) errors.push(`${where}: unmasked ${e.type}: ${fmt(e)}`);
        if ('value' in e && e.value !== undefined) errors.push(`${where}: ${e.type} carries a value: ${fmt(e)}`);
        if ('inputType' in e && e.inputType !== undefined) errors.push(`${where}: ${e.type} carries an input type: ${fmt(e)}`);
      }
      for (const e of field) {
        if ('target' in e && e.target && !e.target.masked) errors.push(`${where}: event about the field with an unmasked target: ${fmt(e)}`);
      }
    }
    for (const e of events) {
      if (e.type === 'click' || e.type === 'pointer' || e.type === 'scroll') continue;
      const hits = contentNumbers(e).filter((n) => typedLengths.includes(n));
      if (hits.length > 0) errors.push(`${where}: the typed length ${hits[0]} appears as a number in ${fmt(e)}`);
    }
    return errors;
  };
}

function zeroEventsCheck(label: string, w: { from: number; to: number }): Check {
  return (all) => between(all, w).map((e) => `${label}: expected no event at all, got ${fmt(e)}`);
}

function sameProjectionCheck(label: string, a: { from: number; to: number }, b: { from: number; to: number }): Check {
  return (all) => {
    const pa = projection(between(all, a));
    const pb = projection(between(all, b));
    return JSON.stringify(pa) === JSON.stringify(pb)
      ? []
      : [`${label}: the events of a ${SHORT}-character and a ${LONG}-character secret differ:\n  ${pa.join('\n  ')}\nvs\n  ${pb.join('\n  ')}`];
  };
}

// ---- exercising one case -------------------------------------------------------------------------------

async function exerciseMasked(p: Place, c: LeakCase, ledger: Ledger): Promise<void> {
  const { page } = p;
  const ignore = c.case.includes('ignore');
  const check = (w: { from: number; to: number }, what: string, sessions: number, lengths: number[]) =>
    ledger.check(maskedWindowCheck(c, w, what, sessions, lengths, ignore));

  if (p.toggle) {
    // Shown first, before the field was ever focused as a password: still masked.
    const secret = ledger.canary(c, 14, 'typed after toggling to text first');
    const w = await timed(page, async () => {
      await p.toggle!().click();
      await focusField(p, c);
      await typeSlowly(page, secret);
      await blur(page);
      await p.toggle!().click();
      // Leave the toggle: focus moving inside one shadow root never reaches the document (no focusin),
      // which would make the next window's first focus differ for reasons unrelated to the secret.
      await blur(page);
    });
    check(w, 'toggle first', 1, [secret.length]);
  }

  const short = ledger.canary(c, SHORT, 'typed, short');
  const long = ledger.canary(c, LONG, 'typed, long');
  // Enter in a one-line field submits its form (the leak pages never send anything).
  const submit = async () => {
    if (c.kind === 'input' && !c.closedShadow) await page.keyboard.press('Enter');
  };
  const w1 = await timed(page, async () => {
    await focusField(p, c);
    await typeSlowly(page, short);
    await submit();
    await blur(page);
  });
  const w2 = await timed(page, async () => {
    await focusField(p, c);
    await typeSlowly(page, long);
    await submit();
    await blur(page);
  });
  check(w1, 'typed', 1, [SHORT]);
  check(w2, 'typed', 1, [LONG, SHORT + LONG]);
  ledger.check(sameProjectionCheck(c.case, w1, w2));

  if (p.toggle) {
    const before = ledger.canary(c, 12, 'typed before toggling');
    const after = ledger.canary(c, 13, 'typed while shown as text');
    const w = await timed(page, async () => {
      await focusField(p, c);
      await typeSlowly(page, before);
      await p.toggle!().click();
      await focusField(p, c);
      await typeSlowly(page, after);
      await blur(page);
      await p.toggle!().click();
      await blur(page);
    });
    check(w, 'toggled mid-way', 2, [before.length, after.length]);
  }

  const pasted = ledger.canary(c, 15, 'pasted');
  await setClipboard(page, pasted);
  const wp = await timed(page, async () => {
    await focusField(p, c);
    await page.keyboard.press('Control+V');
    await blur(page);
  });
  check(wp, 'pasted', 1, [pasted.length]);

  // One trusted insertText of the whole value, as a password manager's fill looks to the page.
  const filled = ledger.canary(c, 16, 'filled');
  const wf = await timed(page, async () => {
    if (c.closedShadow) {
      await focusField(p, c);
      await page.keyboard.insertText(filled);
    } else {
      await p.field().fill(filled);
    }
    await blur(page);
  });
  check(wf, 'filled', 1, [filled.length]);

  // Script-set value with synthetic events: ignored by design (untrusted), so nothing at all.
  const scripted = ledger.canary(c, 17, 'set by script');
  // Long settle: a scroll or pointer path of the previous step is reported up to 400 ms later.
  const wu = await timed(page, async () => {
    if (c.closedShadow) {
      await p.frame.evaluate(
        ({ sel, v }) => {
          const host = document.querySelector(sel)!;
          host.dispatchEvent(new KeyboardEvent('keydown', { key: v[0], bubbles: true, composed: true }));
          host.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, data: v }));
        },
        { sel: c.selector, v: scripted },
      );
    } else {
      await untrustedFill(p.frame, c.selector, scripted);
    }
  }, 600);
  ledger.check(zeroEventsCheck(`${c.case} (untrusted script fill)`, wu));
}

/** Ordinary field: words arrive; an email and a card typed key by key, pasted or filled do not. */
async function exercisePlain(p: Place, c: LeakCase, ledger: Ledger): Promise<void> {
  const { page } = p;
  const id = c.selector.replace(/^#/, '');
  const word = ledger.word(c, 'typed');
  const tag = word.slice(6, 9);
  const local = `ada.lovelace.${tag}q`;
  ledger.secret(`${c.case} (email typed key by key)`, local);
  // Settle past a flush (250 ms) between sessions: the batcher keeps one input per field per flush.
  const w = await timed(page, async () => {
    await focusField(p, c);
    await page.keyboard.type(`${word} notes `, { delay: 10 });
    await typeSlowly(page, `mail ${local}@example.org `);
    await typeSlowly(page, `card ${SAMPLE_CARD_NUMBER} thanks`);
    await blur(page);
  }, FLUSH_SETTLE_MS);
  ledger.check((all) => {
    const errors: string[] = [];
    const events = between(all, w);
    const valued = events.filter((e) => (e.type === 'input' || e.type === 'change') && targets(e, id));
    if (valued.length === 0) errors.push(`${c.case}: an ordinary field produced no input/change event`);
    for (const e of valued) {
      if (e.type !== 'input' && e.type !== 'change') continue;
      if (e.masked) errors.push(`${c.case}: an ordinary field was masked: ${fmt(e)}`);
      if (/411|111|lovelace/.test(e.value ?? '')) errors.push(`${c.case}: part of the email or card is in a value: ${fmt(e)}`);
    }
    const final = valued.at(-1);
    const value = final && 'value' in final ? (final.value ?? '') : '';
    for (const part of [word, 'notes', '[email]', '[card]', 'thanks']) {
      if (!value.includes(part)) errors.push(`${c.case}: the final value lacks ${JSON.stringify(part)}: ${JSON.stringify(value)}`);
    }
    for (const e of events) {
      if (e.type === 'key' && !NAMED_KEYS.has(e.key) && e.key !== '[text]') errors.push(`${c.case}: a typed character left as a key: ${fmt(e)}`);
    }
    return errors;
  });

  const pastedWord = ledger.word(c, 'pasted');
  const pastedLocal = `grace.hopper.${tag}p`;
  ledger.secret(`${c.case} (email pasted)`, pastedLocal);
  await setClipboard(page, ` ${pastedWord} ${pastedLocal}@example.org `);
  await timed(page, async () => {
    await focusField(p, c);
    await page.keyboard.press('End');
    await page.keyboard.press('Control+V');
    await blur(page);
  }, FLUSH_SETTLE_MS);

  const filledWord = ledger.word(c, 'filled');
  await timed(page, async () => {
    await p.field().fill(`${filledWord} ${SAMPLE_CARD_NUMBER}`);
    await blur(page);
  }, FLUSH_SETTLE_MS);

  const scriptedWord = `Untrusted${tag}zz`;
  ledger.secret(`${c.case} (set by script: untrusted events are ignored)`, scriptedWord);
  const wu = await timed(page, () => untrustedFill(p.frame, c.selector, scriptedWord), 600);
  ledger.check(zeroEventsCheck(`${c.case} (untrusted script fill)`, wu));
}

/** Inside a blocked subtree: clicking and typing produce no event at all. */
async function exerciseBlocked(p: Place, c: LeakCase, ledger: Ledger): Promise<void> {
  const { page } = p;
  await p.field().scrollIntoViewIfNeeded();
  // Let the scroll and any pointer path in progress be reported before the window opens.
  await page.waitForTimeout(600);
  const secret = ledger.canary(c, 15, 'typed in a blocked subtree');
  const w = await timed(
    page,
    async () => {
      if (c.kind === 'button') await p.field().click();
      else if (c.kind === 'checkbox') {
        await p.field().click();
        await page.keyboard.press(' ');
      } else {
        await p.field().click();
        await typeSlowly(page, secret);
        await setClipboard(page, secret);
        await p.field().click();
        await page.keyboard.press('Control+V');
      }
    },
    0,
  );
  ledger.check(zeroEventsCheck(`${c.case} (blocked subtree)`, w));
  await page.waitForTimeout(600);
}

async function exerciseCase(page: Page, c: LeakCase, ledger: Ledger, opts: { policy: boolean }): Promise<void> {
  const p = await placeOf(page, c);
  if (c.kind === 'hidden') {
    ledger.secret(`${c.case} (value of a hidden input)`, c.value ?? HIDDEN_INPUT_CANARY);
    await page.locator('#form-d-submit').click();
    ledger.check((all) => all.filter((e) => targets(e, 'field-d1')).map((e) => `${c.case}: event about a hidden input: ${fmt(e)}`));
    return;
  }
  if (c.blocked) return exerciseBlocked(p, c, ledger);
  if (c.policySelector && !opts.policy) {
    // Without the policy this is an ordinary field: the policy, and nothing else, masks it.
    const word = ledger.word(c, 'nopolicy');
    const w = await timed(page, async () => {
      await focusField(p, c);
      await page.keyboard.type(word);
      await blur(page);
    });
    ledger.check((all) =>
      between(all, w).some((e) => e.type === 'change' && !e.masked && e.value === word) ? [] : [`${c.case}: without policy the field should be ordinary`],
    );
    return;
  }
  if (c.expectMasked) return exerciseMasked(p, c, ledger);
  return exercisePlain(p, c, ledger);
}

/** Reads the outbox once the last case's events have been handed over (a flush is 250 ms). */
async function snapshotOutbox(page: Page, sw: Worker, ledger: Ledger): Promise<void> {
  await page.waitForTimeout(400);
  await ledger.outbox.take(sw);
}

// ---- running a page and searching everywhere -----------------------------------------------------------

async function openLeakPage(page: Page, apps: FixtureServer, leakPage: LeakPage | string): Promise<void> {
  await page.goto(`${apps.url}${leakPage}`);
  await waitForCapture(page);
  if (leakPage === '/leak/frames.html') {
    for (const f of ['#same-frame', '#cross-frame']) await page.frameLocator(f).locator('#frame-password').waitFor();
    // The frames' content scripts read their configuration at document_start too.
    await page.waitForTimeout(500);
  }
}

/** Ends the run with a marker key, then searches every tap. `tabs` is filled from the stored events. */
async function verify(args: {
  page: Page;
  sw: Worker;
  ext: ExtensionPages;
  installId: string;
  ledger: Ledger;
}): Promise<{ events: EventBody[] }> {
  const { page, sw, ext, installId, ledger } = args;
  await blur(page);
  await page.keyboard.press(DONE_KEY);
  const done = (es: EventBody[]) => es.some((e) => e.type === 'key' && e.key === DONE_KEY);
  const events = await waitForEvents(sw, done, `the ${DONE_KEY} marker`);
  // The whole stream, for whoever has to read a failure.
  const dump = path.join(process.env.LEAK_ARTIFACTS_DIR ?? test.info().outputPath(), `events-received-${test.info().testId}.ndjson`);
  mkdirSync(path.dirname(dump), { recursive: true });
  writeFileSync(dump, events.map((e) => JSON.stringify(e)).join('\n'));

  // Behaviour per case, from the events the background received.
  const structural = ledger.checks.flatMap((fn) => fn(events));
  expect(structural, 'events that say more about a secret than they may').toEqual([]);

  // 2. The outbox, before upload (the marker is stored once the background has taken the message);
  // earlier reads, taken after every case, hold what an early upload has taken out since.
  const { views, stored } = await gatherViews(sw, ext, installId, ledger.outbox, DONE_KEY);

  // Positive controls: every tap sees the ordinary words (a blind tap would prove nothing).
  const missing = missingWords(views, ledger.words);
  expect(missing, 'every tap sees what it should (positive controls)').toEqual([]);
  const recorder = Object.entries(views).filter(([name]) => name.includes('recorder'));
  if (ledger.words.length > 0) {
    expect(recorder.some(([, body]) => ledger.words.some((w) => body.includes(w))), 'the Recorder export holds typed ordinary words').toBe(true);
  }

  // The searches.
  const leaks = findLeaks(views, ledger.secrets);
  expect(leaks, 'canaries found outside the page').toEqual([]);
  const { keys, codes } = keyStreams(events);
  const keyOrder = ledger.secrets
    .filter((s) => s.windows)
    .flatMap((s) => [...inKeyOrder(keys, s.value).map((w) => `${s.label}: "${w}" in key order`), ...inKeyOrder(codes, s.value, 5, true).map((w) => `${s.label}: "${w}" in key codes`)]);
  expect(keyOrder, 'canary characters in key order').toEqual([]);
  return { events };
}

const casesOf = (p: LeakPage) => LEAK_CASES.filter((c) => c.page === p);

// ---- the suite -----------------------------------------------------------------------------------------

test('every page and case of the leak fixtures is covered', () => {
  const expected = ['/leak/fields.html', '/leak/markers.html', '/leak/editable.html', '/leak/shadow.html', '/leak/frames.html'];
  expect([...LEAK_PAGES].sort()).toEqual([...expected].sort());
  expect(LEAK_CASES.filter((c) => c.expectMasked).length).toBeGreaterThan(40);
});

for (const leakPage of LEAK_PAGES) {
  test(`${leakPage}: no canary leaves the page (typed, pasted, filled, toggled)`, async ({ context, serviceWorker, ext, installId, apps }) => {
    test.setTimeout(300_000);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: apps.url });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: apps.crossOriginUrl });
    await installTap(serviceWorker);
    const page = await context.newPage();
    await openLeakPage(page, apps, leakPage);
    const ledger = new Ledger();
    if (leakPage === '/leak/markers.html') ledger.secret('text of buttons in blocked subtrees', BLOCKED_TEXT_CANARY);

    for (const c of casesOf(leakPage)) {
      await test.step(c.case, () => exerciseCase(page, c, ledger, { policy: false }));
      await snapshotOutbox(page, serviceWorker, ledger);
    }

    if (leakPage === '/leak/fields.html' || leakPage === '/leak/frames.html') {
      await test.step("Chrome's card autofill", async () => {
        const number = '5555555555554444';
        const name = 'Grace Autofillcanary';
        ledger.secret('card autofill: number', number);
        ledger.secret('card autofill: name', 'Autofillcanary');
        const target = leakPage === '/leak/fields.html' ? { sel: '#field-b1', frame: undefined } : { sel: '#frame-cc', frame: 'frame=same' };
        // Chrome fills empty fields only, from the field the person is in.
        const scope = leakPage === '/leak/fields.html' ? page : page.frameLocator('#same-frame');
        const cardFields = leakPage === '/leak/fields.html' ? ['#field-b1', '#field-b2', '#field-b3', '#field-b4', '#field-b8'] : ['#frame-cc'];
        for (const sel of cardFields) await scope.locator(sel).fill('');
        await scope.locator(target.sel).click();
        const w = await timed(page, async () => {
          const ok = await chromeCardAutofill(context, page, target.sel, { number, name, expiryMonth: '07', expiryYear: '2031', cvc: '937' }, target.frame);
          if (!ok) ledger.notes.push('Chrome card autofill (DevTools Autofill.trigger) was not available');
          await page.waitForTimeout(500);
        });
        const filled = leakPage === '/leak/fields.html' ? await page.inputValue('#field-b1') : await page.frameLocator('#same-frame').locator('#frame-cc').inputValue();
        if (filled === number) {
          ledger.check((all) => {
            const events = between(all, w);
            const errors: string[] = [];
            if (events.length === 0) errors.push('card autofill produced no event at all (expected masked input/change events)');
            for (const e of events) {
              if ((e.type === 'input' || e.type === 'change') && (!e.masked || e.value !== undefined)) errors.push(`card autofill: ${fmt(e)}`);
              if (e.type === 'key' && (!e.masked || e.key !== MASK)) errors.push(`card autofill key: ${fmt(e)}`);
              if ('target' in e && e.target && !e.target.masked) errors.push(`card autofill: unmasked target ${fmt(e)}`);
            }
            return errors;
          });
        } else {
          // Chrome fills a card only in what its heuristics take for a card form; the frames' form has a
          // lone cc-number field (measured: Autofill.trigger succeeds there and fills nothing).
          ledger.notes.push(`Chrome card autofill did not fill ${target.sel} (value ${JSON.stringify(filled)})`);
        }
      });
    }

    await verify({ page, sw: serviceWorker, ext, installId, ledger });
    for (const note of ledger.notes) {
      test.info().annotations.push({ type: 'not exercised', description: note });
      console.log(`[${leakPage}] not exercised: ${note}`);
    }
  });
}

test('policy sensitiveSelectors masks .employee-salary (and only with the policy) @serial', async ({ apps }) => {
  test.setTimeout(180_000);
  const reason = policyPreconditions();
  test.skip(Boolean(reason), reason);
  await withManagedPolicy(
    'workflow-capture-test-leak.json',
    { collectorUrl: COLLECTOR, sensitiveSelectors: ['.employee-salary'] },
    {
      key: 'sensitiveSelectors',
      applied: (s) => s.policy.sensitiveSelectors.includes('.employee-salary'),
      published: (cfg) => ((cfg.sensitiveSelectors as string[] | undefined) ?? []).includes('.employee-salary'),
    },
    async ({ context, sw, ext, installId }) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: apps.url });
      await installTap(sw);
      const page = await context.newPage();
      await openLeakPage(page, apps, '/leak/fields.html');
      const ledger = new Ledger();
      const salary = LEAK_CASES.find((c) => c.policySelector === '.employee-salary')!;
      await test.step(salary.case, () => exerciseCase(page, salary, ledger, { policy: true }));
      await snapshotOutbox(page, sw, ledger);
      const city = LEAK_CASES.find((c) => c.case === 'plain-city')!;
      await test.step(`${city.case} (control)`, () => exerciseCase(page, city, ledger, { policy: true }));
      await verify({ page, sw, ext, installId, ledger });
    },
  );
});

test('URLs, page titles, link targets and accessible names are redacted before they leave the page', async ({ context, serviceWorker, ext, installId, apps }) => {
  const ledger = new Ledger();
  const token = ledger.canary('url query token', 14, 'token parameter');
  const hash = ledger.canary('url fragment access_token', 14, 'fragment');
  const session = ledger.canary('pushState session', 14, 'session parameter');
  const plainQuery = ledger.word('url', 'query');
  ledger.secret('email in the query', 'ada.urlcanary');
  ledger.secret('email in the title', 'ada.titlecanary');
  ledger.secret('card in the title', SAMPLE_CARD_NUMBER);
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlY2FuYXJ5';
  ledger.secret('jwt in the title', jwt);
  ledger.secret('email in a button name', 'ada.namecanary');
  const linkToken = ledger.canary('link href token', 14, 'href parameter');
  const html = `<!doctype html><html><head><title>Inbox ada.titlecanary@example.org card ${SAMPLE_CARD_NUMBER} ${jwt}</title></head>
<body><h1>Title test</h1><button id="go" onclick="history.pushState({}, '', '?session=${encodeURIComponent(session)}&view=list#id_token=${jwt}')">Open list</button>
<button id="send" type="button">Send to ada.namecanary@example.org</button>
<a id="reset" href="/leak/reset?token=${encodeURIComponent(linkToken)}" onclick="event.preventDefault()">Reset link</a></body></html>`;
  await context.route(`${apps.url}/leak/titled.html*`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await installTap(serviceWorker);
  const page = await context.newPage();
  const query = `?token=${encodeURIComponent(token)}&email=ada.urlcanary%40example.org&tab=${plainQuery}#access_token=${encodeURIComponent(hash)}&state=xyz`;
  await page.goto(`${apps.url}/leak/titled.html${query}`);
  await waitForCapture(page);
  await page.click('#go');
  await page.click('#send');
  await page.click('#reset');
  await page.click('h1');
  const { events } = await verify({ page, sw: serviceWorker, ext, installId, ledger });
  const send = events.find((e) => e.type === 'click' && targets(e, 'send'));
  expect(send && 'target' in send ? send.target?.name : undefined).toBe('Send to [email]');
  const reset = events.find((e) => e.type === 'click' && targets(e, 'reset'));
  expect(reset && 'target' in reset ? reset.target?.attrs?.href : undefined).toMatch(/\/leak\/reset$/);
  const urls = events.map((e) => e.url).filter((u) => u.includes('titled.html'));
  expect(urls.length).toBeGreaterThan(0);
  expect(urls.some((u) => u.includes('token=[redacted]') && u.includes('access_token=[redacted]')), `urls: ${urls.join(' ')}`).toBe(true);
  expect(urls.some((u) => u.includes('session=[redacted]')), `urls: ${urls.join(' ')}`).toBe(true);
  const titles = events.flatMap((e) => (e.type === 'navigation' && e.title ? [e.title] : []));
  expect(titles.length, 'a navigation event carries the title').toBeGreaterThan(0);
  for (const t of titles) expect(t).toMatch(/\[email\].*\[card\].*\[jwt\]/);
});

/**
 * Markers the fixture pages do not carry yet: the class form of ours (its name is not settled in the
 * fixtures README; lib/privacy/markers.ts reads capture-mask / capture-block / capture-ignore) and other
 * tools' (FullStory, Datadog, Hotjar, LogRocket, Sentry's ignore). Same exercise as the fixture cases.
 */
const MORE_MARKERS = '/leak/more-markers.html';
const moreMarkerHtml = (inButton: string, inRow: string) => `<!doctype html><html lang="en"><head><title>Leak suite — more markers</title></head><body>
<h1>More markers</h1>
<label for="k0">Field K0</label><input id="k0">
<label for="k1">Field K1</label><input id="k1" class="capture-mask">
<div class="capture-block"><label for="k2">Field K2</label><input id="k2"><button id="k3" type="button">Approve ${BLOCKED_TEXT_CANARY}</button></div>
<label for="k4">Field K4</label><input id="k4" class="capture-ignore">
<label for="k5">Field K5</label><input id="k5" class="fs-mask">
<div data-dd-privacy="hidden"><label for="k6">Field K6</label><input id="k6"></div>
<label for="k7">Field K7</label><input id="k7" data-hj-suppress>
<label for="k8">Field K8</label><input id="k8" data-private>
<label for="k9">Field K9</label><input id="k9" class="sentry-ignore">
<div class="fs-exclude"><button id="k10" type="button">Approve ${BLOCKED_TEXT_CANARY}</button></div>
<button id="k11" type="button">Reveal <span class="rr-mask">${inButton}</span></button>
<table><tr id="k12" role="row"><td id="k13">Account <span data-capture="block">${inRow}</span></td></tr></table>
<p id="status"></p></body></html>`;
const moreMarker = (id: string, kase: string, extra: Partial<LeakCase> = {}): LeakCase => ({
  page: MORE_MARKERS as LeakPage,
  selector: `#${id}`,
  case: kase,
  expectMasked: true,
  kind: 'input',
  ...extra,
});
const MORE_MARKER_CASES: LeakCase[] = [
  moreMarker('k0', 'plain-more-markers-control', { expectMasked: false, redactsPatterns: true }),
  moreMarker('k1', 'marker-class-capture-mask'),
  moreMarker('k2', 'marker-class-capture-block-input', { blocked: true }),
  moreMarker('k3', 'marker-class-capture-block-button', { blocked: true, kind: 'button' }),
  moreMarker('k4', 'marker-class-capture-ignore'),
  moreMarker('k5', 'marker-fs-mask'),
  moreMarker('k6', 'marker-data-dd-privacy-hidden-input', { blocked: true }),
  moreMarker('k7', 'marker-data-hj-suppress'),
  moreMarker('k8', 'marker-data-private'),
  moreMarker('k9', 'marker-sentry-ignore'),
  moreMarker('k10', 'marker-fs-exclude-button', { blocked: true, kind: 'button' }),
];

test('class-form and other tools\' markers: masked, blocked and ignored like the fixture markers', async ({ context, serviceWorker, ext, installId, apps }) => {
  test.setTimeout(180_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: apps.url });
  const ledger = new Ledger();
  ledger.secret('text of buttons in blocked subtrees', BLOCKED_TEXT_CANARY);
  const inButton = ledger.canary('rr-mask text inside a button', 14, 'shown text');
  const inRow = ledger.canary('blocked text inside a table cell', 14, 'shown text');
  const html = moreMarkerHtml(inButton, inRow);
  await context.route(`${apps.url}${MORE_MARKERS}`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await installTap(serviceWorker);
  const page = await context.newPage();
  await openLeakPage(page, apps, MORE_MARKERS);
  for (const c of MORE_MARKER_CASES) {
    await test.step(c.case, () => exerciseCase(page, c, ledger, { policy: false }));
    await snapshotOutbox(page, serviceWorker, ledger);
  }
  // Clicking an ordinary element whose content holds masked or blocked text: the click is kept, the
  // text is not (no name from content, no text selector).
  await test.step('masked and blocked text inside clicked elements', async () => {
    await page.locator('#k11').click({ position: { x: 5, y: 5 } });
    await page.locator('#k13').click({ position: { x: 5, y: 5 } });
    ledger.check((all) => {
      const clicks = all.filter((e) => e.type === 'click' && (targets(e, 'k11') || targets(e, 'k13')));
      return clicks.length >= 2 ? [] : [`expected the clicks on #k11 and #k13, got ${clicks.length}`];
    });
  });
  await verify({ page, sw: serviceWorker, ext, installId, ledger });
});

test('an option chosen in a sensitive select or combobox is not reported as a menu choice or a name', async ({ context, serviceWorker, ext, installId, apps }) => {
  const ledger = new Ledger();
  const year = ledger.canary('bday-year select option', 14, 'chosen option');
  const pet = ledger.canary('security question listbox option', 14, 'clicked option');
  const speed = ledger.word('ordinary select', 'express');
  const html = `<!doctype html><html><head><title>Checkout</title></head><body><h1>Checkout</h1>
<label for="birth-year">Field Y</label><select id="birth-year" autocomplete="bday-year"><option>1990</option><option>${year}</option></select>
<label for="speed">Shipping speed</label><select id="speed"><option>Standard</option><option>${speed}</option></select>
<input id="question" role="combobox" aria-label="Security question" aria-controls="questions" aria-expanded="true">
<ul id="questions" role="listbox"><li id="q1" role="option" tabindex="-1">${pet}</li></ul>
</body></html>`;
  await context.route(`${apps.url}/leak/checkout.html`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await installTap(serviceWorker);
  const page = await context.newPage();
  await openLeakPage(page, apps, '/leak/checkout.html');
  for (const id of ['#birth-year', '#speed']) {
    await page.locator(id).focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(100);
  }
  expect(await page.locator('#birth-year').inputValue()).toBe(year);
  expect(await page.locator('#speed').inputValue()).toBe(speed);
  await page.locator('#q1').click();
  const { events } = await verify({ page, sw: serviceWorker, ext, installId, ledger });
  const menus = events.filter((e) => e.type === 'menu' && e.action === 'select');
  expect(menus.some((e) => e.type === 'menu' && e.path.includes(speed)), 'the ordinary select is reported with its choice').toBe(true);
  for (const e of events.filter((e) => targets(e, 'birth-year') || targets(e, 'q1'))) {
    if ('target' in e && e.target) expect(e.target.masked, fmt(e)).toBe(true);
  }
});

test('an excluded site produces zero events, only the capture marker', async ({ context, serviceWorker, ext, installId, apps }) => {
  const pattern = '*://excluded.test/*';
  const page0 = `<!doctype html><html><head><title>Excluded</title></head><body><h1>Excluded app</h1>
<label for="pw">Password</label><input id="pw" type="password"><label for="n">Notes</label><textarea id="n"></textarea>
<button id="b">Approve</button></body></html>`;
  await context.route('http://excluded.test/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: page0 }));
  expect(await ext.send({ kind: 'exclude-site', pattern })).toMatchObject({ ok: true });
  await expect.poll(async () => ((await ext.contentConfig()) as { excludeSites?: string[] } | undefined)?.excludeSites?.includes(pattern)).toBe(true);
  await installTap(serviceWorker);
  const ledger = new Ledger();
  const secret = ledger.canary('excluded site password', 14, 'typed');
  const note = ledger.canary('excluded site notes', 14, 'typed');
  const page = await context.newPage();
  await page.goto('http://excluded.test/app?user=excludedcanary');
  await waitForCapture(page);
  await page.click('#pw');
  await page.keyboard.type(secret);
  await page.click('#n');
  await page.keyboard.type(note);
  await page.click('#b');
  await page.mouse.wheel(0, 200);
  ledger.secret('query of the excluded page', 'excludedcanary');
  ledger.check((all) => all.filter((e) => JSON.stringify(e).includes('excluded.test')).map((e) => `event from the excluded site: ${fmt(e)}`));
  // A captured page in the same browser ends the run, so the taps are known to be working.
  const control = await context.newPage();
  await openLeakPage(control, apps, '/leak/fields.html');
  const word = ledger.word('control', 'city');
  await control.click('#field-f4');
  await control.keyboard.type(word);
  const { events } = await verify({ page: control, sw: serviceWorker, ext, installId, ledger });
  const markers = events.filter((e) => e.type === 'capture' && e.state === 'excluded-site');
  expect(markers, 'one marker says capture was off').toHaveLength(1);
  expect(markers[0]?.url).toBe('');
  const views = await collectorViews(installId, []);
  for (const [name, body] of Object.entries(views)) expect(body, name).not.toContain('excluded.test');
  await page.close();
});

test('incognito is never captured', async ({ context, serviceWorker, ext, installId, apps }) => {
  const manifest = JSON.parse(readFileSync(path.join(DEV_BUILD, 'manifest.json'), 'utf8')) as { incognito?: string };
  expect(manifest.incognito).toBe('not_allowed');
  const release = path.join(DEV_BUILD, '..', 'chrome-mv3', 'manifest.json');
  try {
    expect((JSON.parse(readFileSync(release, 'utf8')) as { incognito?: string }).incognito).toBe('not_allowed');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }

  await installTap(serviceWorker);
  const ledger = new Ledger();
  const secret = ledger.canary('incognito password', 14, 'typed');
  const note = ledger.canary('incognito notes', 14, 'typed');
  // Playwright's browser.newContext() is a CDP Target.createBrowserContext: an off-the-record profile,
  // which is what an incognito window is. The extension is installed in the same browser.
  const browser = context.browser();
  test.skip(!browser, 'this Playwright cannot open an off-the-record context next to a persistent one');
  const otr = await browser!.newContext();
  try {
    // Chromium itself keeps the extension out of this profile: its own pages are blocked there.
    const probe = await otr.newPage();
    const blocked = await probe.goto(`chrome-extension://${EXTENSION_ID}/options.html`).then(
      () => '',
      (err: Error) => err.message,
    );
    expect(blocked, 'the extension is not enabled in the off-the-record profile').toContain('ERR_BLOCKED_BY_CLIENT');
    await probe.close();
    const page = await otr.newPage();
    await openLeakPage(page, apps, '/leak/fields.html');
    await page.click('#field-a1');
    await page.keyboard.type(secret);
    await page.click('#field-f1');
    await page.keyboard.type(note);
    await page.click('h1');
    await page.waitForTimeout(800);
  } finally {
    await otr.close();
  }
  const control = await context.newPage();
  await openLeakPage(control, apps, '/leak/fields.html');
  const word = ledger.word('control', 'city');
  await control.click('#field-f4');
  await control.keyboard.type(word);
  await verify({ page: control, sw: serviceWorker, ext, installId, ledger });
});
