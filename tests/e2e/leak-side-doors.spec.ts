/**
 * The leak suite, round two (#10): the side doors. Each class of leak from the issue has its own fixture
 * page under tests/fixtures/leak/side-*.html, modelled on a real kind of app, and its own test, so a
 * failure names the class. Pages are driven with the real mouse and keyboard only (trusted events).
 *
 * Every test searches the same places as leak.spec.ts for every canary (whole, and each 5-character
 * window of it): the runtime messages the background receives, its IndexedDB outbox and storage, the
 * gunzipped bytes it uploads, and the collector's /v1/events, jsonl export and Recorder export. Every
 * page also carries positive controls (ordinary words in ordinary places: a button, a typed field, a menu
 * path, a URL path) that must arrive through each of those taps, so a tap that sees nothing cannot pass.
 * A failure lists, per canary, what was found where.
 */
import type { Frame, Page, Worker } from '@playwright/test';
import type { EventBody, Target } from '../../lib/schema/event';
import type { FixtureServer } from '../fixtures/server';
import { expect, ExtensionPages, test, waitForCapture } from './fixtures';
import {
  between,
  findLeaks,
  gatherViews,
  inKeyOrder,
  installTap,
  keyStreams,
  missingWords,
  OutboxSnapshots,
  type Secret,
  secretCanary,
  targets,
  timed,
  waitForEvents,
} from './leak-helpers';

/** A named key outside any field that ends every run (kept by design, easy to find). */
const DONE_KEY = 'F9';
const KEY_DELAY_MS = 20;
/** Keys that may be recorded by name anywhere. */
const NAMED_KEY = /^(Enter|Tab|Escape|Backspace|Shift|Control|Alt|Meta|Arrow(Up|Down|Left|Right)|Home|End|PageUp|PageDown|F\d+|Delete|CapsLock)$/;

type Check = (events: EventBody[]) => string[];
type TimeWindow = { from: number; to: number };

class Ledger {
  readonly secrets: Secret[] = [];
  /** Ordinary words that must reach every tap (positive controls). */
  readonly words: string[] = [];
  readonly checks: Check[] = [];
  readonly outbox = new OutboxSnapshots();

  constructor(private readonly prefix: string) {}

  /** A canary (searched whole and by 5-character windows). */
  canary(label: string, length = 14): string {
    const value = secretCanary(`${this.prefix}${this.secrets.length.toString(36)}`, length);
    this.secrets.push({ label, value, windows: true });
    return value;
  }

  /** A literal secret (digits, tokens, words), searched whole. */
  secret(label: string, value: string): string {
    this.secrets.push({ label, value });
    return value;
  }

  word(w: string): string {
    this.words.push(w);
    return w;
  }

  check(fn: Check): void {
    this.checks.push(fn);
  }
}

/** What a run saw that is worth reading but not asserting: in the report and on the console. */
function note(type: string, description: string): void {
  test.info().annotations.push({ type, description });
  console.log(`[${test.info().title.slice(0, 12)}] ${type}: ${description}`);
}

const fmt = (e: EventBody) => JSON.stringify(e).slice(0, 500);
const targetOf = (e: EventBody): Target | undefined => ('target' in e ? e.target : undefined);
const about = (events: EventBody[], id: string) => events.filter((e) => targets(e, id));
const isPrintable = (key: string) => [...key].length === 1;

/** Events about the field `id`: values masked and absent, keys masked or named, target masked. One line per field. */
function maskedFieldCheck(id: string, label: string): Check {
  return (all) => {
    const events = about(all, id);
    const valued = events.filter((e) => (e.type === 'input' || e.type === 'change') && (!e.masked || e.value !== undefined));
    const keys = events.filter((e) => e.type === 'key' && !e.masked && !NAMED_KEY.test(e.key));
    const unmaskedTargets = events.filter((e) => targetOf(e) && !targetOf(e)!.masked);
    if (valued.length + keys.length + unmaskedTargets.length === 0) return [];
    const parts: string[] = [];
    if (valued.length) parts.push(`${valued.length} unmasked input/change, last value ${JSON.stringify((valued.at(-1) as { value?: string }).value ?? '(none)')}`);
    if (keys.length) parts.push(`${keys.length} unmasked keys (${[...new Set(keys.map((e) => (e.type === 'key' ? e.key : '')))].slice(0, 6).join(' ')})`);
    if (unmaskedTargets.length) parts.push(`${unmaskedTargets.length} events with target.masked false (${[...new Set(unmaskedTargets.map((e) => e.type))].join(', ')})`);
    return [`${label} (#${id}) was treated as an ordinary field: ${parts.join('; ')}`];
  };
}

/** One line for a group of offending events: how many, of which types, and the first one. */
function summarise(label: string, events: EventBody[], what: string): string[] {
  if (events.length === 0) return [];
  const types = [...new Set(events.map((e) => e.type))].join(', ');
  return [`${label}: ${events.length} ${what} (${types}); first: ${fmt(events[0]!)}`];
}

/** No event in the window (pointer paths and scrolls, reported late, excepted). */
function noEventsCheck(label: string, w: TimeWindow, accept: (e: EventBody) => boolean = () => true): Check {
  return (all) =>
    summarise(
      label,
      between(all, w).filter((e) => e.type !== 'pointer' && e.type !== 'scroll' && e.type !== 'visibility' && accept(e)),
      'events where none may be',
    );
}

/** A positive control on the events themselves (the capture is really looking). */
function mustHave(label: string, pred: (e: EventBody) => boolean): Check {
  return (all) => (all.some(pred) ? [] : [`positive control missing: ${label}`]);
}

// ---- pages ---------------------------------------------------------------------------------------------

async function fill(frame: Frame, canaries: Record<string, string>): Promise<void> {
  await frame.waitForFunction(() => typeof (window as unknown as { __fillCanaries?: unknown }).__fillCanaries === 'function');
  await frame.evaluate((c) => (window as unknown as { __fillCanaries: (c: Record<string, string>) => void }).__fillCanaries(c), canaries);
}

async function openSide(page: Page, apps: FixtureServer, path: string, canaries: Record<string, string> = {}): Promise<void> {
  await page.goto(`${apps.url}${path}`);
  await waitForCapture(page);
  await fill(page.mainFrame(), canaries);
}

async function typeSlowly(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text, { delay: KEY_DELAY_MS });
}

/** Leaves whatever has focus: a click on the page heading. */
async function blur(page: Page): Promise<void> {
  await page.locator('h1').first().click();
}

/** Types an ordinary word into an ordinary field: it must arrive (positive control). */
async function typeWord(page: Page, selector: string, ledger: Ledger, word: string): Promise<void> {
  ledger.word(word);
  await page.click(selector);
  await typeSlowly(page, word);
  await blur(page);
}

// ---- the searches --------------------------------------------------------------------------------------

/** Ends the run with a marker key, uploads, then searches every tap; all problems are reported together. */
async function verify(args: { page: Page; sw: Worker; ext: ExtensionPages; installId: string; ledger: Ledger }): Promise<EventBody[]> {
  const { page, sw, ext, installId, ledger } = args;
  await blur(page);
  await page.keyboard.press(DONE_KEY);
  const events = await waitForEvents(sw, (es) => es.some((e) => e.type === 'key' && e.key === DONE_KEY), `the ${DONE_KEY} marker`);
  await test.info().attach('events-received.ndjson', { body: events.map((e) => JSON.stringify(e)).join('\n'), contentType: 'application/x-ndjson' });

  const { views, stored } = await gatherViews(sw, ext, installId, ledger.outbox, DONE_KEY);

  // Positive controls first: a blind tap proves nothing.
  const missing = missingWords(views, ledger.words);
  const recorder = Object.entries(views).filter(([name]) => name.includes('recorder'));
  if (!recorder.some(([, body]) => ledger.words.some((w) => body.includes(w)))) missing.push('no Recorder export holds any ordinary word');
  expect.soft(missing, 'positive controls: every tap sees ordinary data').toEqual([]);

  const structural = ledger.checks.flatMap((fn) => fn(events));
  expect.soft(structural, 'events that say more than they may (or controls that did not happen)').toEqual([]);

  // One line per canary: what it is, the piece found, and every place it was found.
  const leaks = ledger.secrets.flatMap((secret) => {
    const hits = findLeaks(views, [secret]);
    if (hits.length === 0) return [];
    const places = hits.map((h) => h.slice(h.lastIndexOf(' found in ') + 10).replace(/ \(a fragment.*$/, ''));
    const piece = /: (".*?") found in /.exec(hits[0]!)?.[1] ?? '';
    return [`LEAK ${secret.label} — ${piece} found in: ${places.join('; ')}`];
  });
  const { keys, codes } = keyStreams(events);
  const keyOrder = ledger.secrets
    .filter((s) => s.windows)
    // "Zq!" and the ledger's letter open every canary of a test: search from the canary's own tag on.
    .flatMap((s) => {
      const own = s.value.slice(3);
      const inKeys = inKeyOrder(keys, own);
      const inCodes = inKeyOrder(codes, own, 5, true);
      return inKeys.length + inCodes.length === 0 ? [] : [`LEAK ${s.label} — its characters in key order: ${[...inKeys, ...inCodes.map((w) => `${w} (codes)`)].join(' ')}`];
    });
  expect.soft([...leaks, ...keyOrder], 'canaries found outside the page (canary: what, where)').toEqual([]);
  return events;
}

// ---- 1. masked text in other elements' names ----------------------------------------------------------

test('side door 1: masked text never names another element (label, aria-labelledby, slot, menu opener)', async ({ context, serviceWorker, ext, installId, apps }) => {
  const ledger = new Ledger('n');
  const c = {
    'radio-masked': ledger.canary('rr-mask text in the <label> of a radio'),
    'checkbox-masked': ledger.canary('data-private text in the <label> of a checkbox'),
    'labelledby-masked': ledger.canary('ph-sensitive text referenced by aria-labelledby of a button'),
    'slotted-masked': ledger.canary('data-private text slotted into a shadow-DOM button'),
    'menu-opener-masked': ledger.canary('rr-mask text shown by a menu opener (menu path)'),
  };
  await installTap(serviceWorker);
  const page = await context.newPage();
  await openSide(page, apps, '/leak/side-names.html', c);

  await page.click('#from-a');
  await page.click('#remember-payee');
  await page.click('#pay-payee');
  await page.click('#reveal-iban');
  await page.locator('#reveal-iban button').click({ position: { x: 3, y: 3 } });
  await page.click('#account-switcher');
  await page.click('#acct-switch');
  // Positive controls: ordinary names, an ordinary menu path, an ordinary typed word.
  await page.click('#from-b');
  await page.click('#notify');
  await page.click('#actions-menu-button');
  await page.click('#act-export');
  await page.click('#save');
  await typeWord(page, '#memo', ledger, 'WombatMemoRent');
  for (const w of ['WombatRadioSavings', 'WombatCheckNotify', 'WombatActions', 'WombatExport', 'WombatSaveTransfer']) ledger.word(w);
  ledger.check(mustHave('a click on #from-a', (e) => e.type === 'click' && targets(e, 'from-a')));
  ledger.check(mustHave('a click on the slotted button', (e) => e.type === 'click' && (targets(e, 'reveal-iban') || JSON.stringify(targetOf(e)?.selectors ?? []).includes('reveal-iban'))));
  ledger.check(mustHave('a menu choice with the path WombatActions › WombatExport', (e) => e.type === 'menu' && e.action === 'select' && e.path.join('/').includes('WombatExport')));
  ledger.check(mustHave('a click on #from-b named WombatRadioSavings', (e) => e.type === 'click' && targets(e, 'from-b') && (targetOf(e)?.name ?? '').includes('WombatRadioSavings')));

  const events = await verify({ page, sw: serviceWorker, ext, installId, ledger });
  const menuPaths = events.filter((e) => e.type === 'menu').map((e) => (e.type === 'menu' ? `${e.action}: ${e.path.join(' › ')}` : ''));
  note('menu paths', menuPaths.join(' | '));
});

// ---- 2. secrets entered without typing into a text field ----------------------------------------------

test('side door 2: keypad digits, canvas keys, one select per character and sensitive listboxes leave nothing', async ({ context, serviceWorker, ext, installId, apps }) => {
  const ledger = new Ledger('e');
  // Digits that appear nowhere else on the page or in ids; clicked on the scrambled keypad.
  const pin = ledger.secret('passcode clicked on the on-screen keypad', '73059286');
  const typedInCanvas = ledger.canary('keys typed into a focused <canvas> (remote console)', 14);
  const sq1 = ledger.canary('option of the "Security question answer" listbox', 14);
  const sq2 = ledger.canary('chosen option of the "Security question answer" listbox', 14);
  ledger.secret('chosen option of the "Card expiry month" listbox', 'July');
  await installTap(serviceWorker);
  const page = await context.newPage();
  await openSide(page, apps, '/leak/side-entry.html', { 'sq-answer-1': sq1, 'sq-answer-2': sq2 });

  await test.step('keypad', async () => {
    for (const digit of pin) await page.locator('#keypad button', { hasText: new RegExp(`^${digit}$`) }).click();
    await page.click('#pad-ok');
    expect((await page.evaluate(() => (window as unknown as { __entryState: () => { pin: string } }).__entryState())).pin).toBe(pin);
    ledger.check((all) => {
      const clicks = all.filter((e) => e.type === 'click' && /#pad-[a-j](?![\w-])/.test(JSON.stringify(targetOf(e)?.selectors ?? [])));
      const errors = clicks.length >= pin.length ? [] : [`positive control missing: expected ${pin.length} keypad clicks, got ${clicks.length}`];
      const names = clicks.map((e) => targetOf(e)!.name ?? '').filter((n) => /\d/.test(n));
      if (names.length) errors.push(`keypad: ${names.length} clicks name their digit (names in order: ${names.join(' ')})`);
      const sels = clicks.flatMap((e) => targetOf(e)!.selectors.filter((chain) => /^(aria|text)\//.test(chain[0] ?? '') && /\d/.test(chain.join(' '))).map((c) => c.join(' ')));
      if (sels.length) errors.push(`keypad: ${sels.length} aria/text selectors name the digit (${sels.slice(0, 3).join(', ')}…)`);
      return errors;
    });
  });

  await test.step('canvas', async () => {
    await page.click('#console');
    await typeSlowly(page, typedInCanvas);
    await page.keyboard.press('Enter');
    ledger.check((all) => {
      const chars = about(all, 'console').flatMap((e) => (e.type === 'key' && isPrintable(e.key) && !e.masked ? [e.key] : []));
      return chars.length ? [`canvas: ${chars.length} typed characters left as keys: ${JSON.stringify(chars.join(''))}`] : [];
    });
    ledger.check(mustHave('a key event on the canvas (Enter, named)', (e) => e.type === 'key' && targets(e, 'console')));
  });

  await test.step('memorable information: one select per character, chosen with the keyboard', async () => {
    const chosen = ['Q', '7', 'K'];
    const ids = ['mi-c2', 'mi-c5', 'mi-c7'];
    await page.click('label[for="mi-c2"]'); // focuses the select without opening its popup
    for (const ch of chosen) {
      await page.keyboard.press(ch.toLowerCase());
      await page.keyboard.press('Tab');
    }
    expect((await page.evaluate(() => (window as unknown as { __entryState: () => { mi: string[] } }).__entryState())).mi).toEqual(chosen);
    ids.forEach((id, i) => {
      ledger.check(maskedFieldCheck(id, `memorable information character select ${i + 1}`));
      ledger.check((all) => {
        const menus = about(all, id).filter((e) => e.type === 'menu' && e.path.some((p) => p.trim() === chosen[i]));
        return menus.length ? [`memorable information select ${i + 1}: the chosen character is in ${menus.length} menu path(s): ${fmt(menus[0]!)}`] : [];
      });
    });
    ledger.check(mustHave('an event about a memorable-information select', (e) => ids.some((id) => targets(e, id))));
  });

  await test.step('custom listboxes', async () => {
    await page.click('#sq-button');
    await page.click('#sq-o2');
    await page.click('#sq-button'); // its name is now the answer; open and close again
    await page.click('#sq-button');
    await page.click('#exp-button');
    await page.click('#exp-o7');
    await page.click('#exp-button');
    await page.click('#exp-button');
    expect(await page.textContent('#sq-button')).toBe(sq2);
    // Positive control: an ordinary listbox choice is recorded with its label.
    await page.click('#team-button');
    await page.click('#team-o2');
    ledger.word('WombatTeamPlatform');
    ledger.check(mustHave('a click on the security-question button', (e) => e.type === 'click' && targets(e, 'sq-button')));
    ledger.check(mustHave('a click on the chosen expiry option', (e) => e.type === 'click' && targets(e, 'exp-o7')));
  });

  await page.click('#save');
  ledger.word('WombatSaveEntry');
  await typeWord(page, '#nickname', ledger, 'WombatNickFern');
  await verify({ page, sw: serviceWorker, ext, installId, ledger });
});

// ---- 3. sensitive fields the word lists missed --------------------------------------------------------

const UNRECOGNISED_FIELDS: Array<[id: string, what: string]> = [
  ['f-recovery', 'label "Recovery phrase"'],
  ['f-seed', 'label "Seed phrase" (textarea)'],
  ['f-authenticator', 'label "Authenticator code"'],
  ['f-login-code', 'label "Login code"'],
  ['f-memorable', 'label "Memorable information"'],
  ['f-security-answer', 'label "Security answer"'],
  ['f-legend-pin', 'only a <fieldset> <legend> "Your PIN"'],
  ['f-described', 'only aria-describedby ("Enter the password you use…")'],
  ['f-cell', 'only the neighbouring table cell "Security answer"'],
  ['f-text-security', 'CSS -webkit-text-security: disc, neutral label'],
  ['f-de-geheimzahl', 'German "Geheimzahl"'],
  ['f-de-kennwort', 'German "Kennwort"'],
  ['f-fr-code', 'French "Code de sécurité"'],
  ['f-es-clave', 'Spanish "Clave de acceso"'],
  ['f-ja-pin', 'Japanese "暗証番号"'],
  ['f-ko-password', 'Korean "비밀번호"'],
  ['f-zh-code', 'Chinese "验证码"'],
];

test('side door 3: recovery phrases, login codes, legends, descriptions, table cells, CSS text security and other languages are masked', async ({ context, serviceWorker, ext, installId, apps }) => {
  const ledger = new Ledger('l');
  await installTap(serviceWorker);
  const page = await context.newPage();
  await openSide(page, apps, '/leak/side-labels.html');
  for (const [id, what] of UNRECOGNISED_FIELDS) {
    const value = ledger.canary(`typed into #${id}, ${what}`, 13);
    await page.click(`#${id}`);
    await typeSlowly(page, value);
    ledger.check(maskedFieldCheck(id, what));
  }
  // An early upload (500 pending events) empties the outbox: read it now as well as at the end.
  await ledger.outbox.take(serviceWorker);
  // The second box of the legend-only PIN: digits.
  const pinDigits = ledger.secret('digits typed into the second box of the legend-only "Your PIN"', '60381729');
  await page.click('#f-legend-pin-confirm');
  await typeSlowly(page, pinDigits);
  ledger.check(maskedFieldCheck('f-legend-pin-confirm', 'second box under the <legend> "Your PIN"'));
  await blur(page);
  // Positive controls: ordinary fields next to them, one labelled by its table cell too.
  await typeWord(page, '#f-cell-city', ledger, 'WombatCityBrno');
  await typeWord(page, '#f-display-name', ledger, 'WombatDisplayMoss');
  await page.click('#save');
  ledger.word('WombatSaveSecurity');
  ledger.check(mustHave('an unmasked change with the typed city', (e) => e.type === 'change' && !e.masked && (e.value ?? '').includes('WombatCityBrno')));
  await verify({ page, sw: serviceWorker, ext, installId, ledger });
});

// ---- 4. show password with a twin input -------------------------------------------------------------

test('side door 4: a show-password that swaps in a twin text input keeps the secret masked', async ({ context, serviceWorker, ext, installId, apps }) => {
  const ledger = new Ledger('t');
  const before = ledger.canary('typed into the password field before "Show"', 11);
  const after = ledger.canary('typed into the twin text input after "Show"', 11);
  const again = ledger.canary('typed into the password field after "Hide"', 11);
  await installTap(serviceWorker);
  const page = await context.newPage();
  await openSide(page, apps, '/leak/side-twin.html');
  await typeWord(page, '#login-note', ledger, 'WombatDeviceLaptop');
  await page.click('#login-pass');
  await typeSlowly(page, before);
  await page.click('#login-pass-show');
  // The app moved focus to the twin; the person carries on typing (and clicks into it, as people do).
  await typeSlowly(page, after.slice(0, 5));
  await page.click('#login-pass-visible');
  await page.keyboard.press('End');
  await typeSlowly(page, after.slice(5));
  await page.click('#login-pass-show');
  await typeSlowly(page, again);
  await blur(page);
  const state = await page.evaluate(() => (window as unknown as { __twinState: () => { hidden: string } }).__twinState());
  expect(state.hidden, 'the page holds what was typed in both inputs').toBe(before + after + again);
  ledger.check(maskedFieldCheck('login-pass', 'password input'));
  ledger.check(maskedFieldCheck('login-pass-visible', 'twin text input'));
  ledger.check(mustHave('an event about the twin input', (e) => targets(e, 'login-pass-visible')));
  await page.click('#login-submit');
  ledger.word('WombatSignIn');
  await verify({ page, sw: serviceWorker, ext, installId, ledger });
});

// ---- 5. markers on an <iframe> element ----------------------------------------------------------------

test('side door 5: rr-block and data-private on an <iframe> element reach its cross-origin child', async ({ context, serviceWorker, ext, installId, apps }) => {
  const ledger = new Ledger('f');
  const blockedNote = ledger.canary('typed in the cross-origin child of <iframe class="rr-block">');
  const blockedButton = ledger.canary('button text in the child of <iframe class="rr-block">');
  const privateNote = ledger.canary('typed in the cross-origin child of <iframe data-private>');
  const privateButton = ledger.canary('button text in the child of <iframe data-private>');
  await installTap(serviceWorker);
  const page = await context.newPage();
  await openSide(page, apps, '/leak/side-frames.html');
  const frames: Record<string, Frame> = {};
  for (const [sel, kind] of [['#frame-blocked', 'blocked'], ['#frame-private', 'private'], ['#frame-plain', 'plain']] as const) {
    await page.frameLocator(sel).locator('#child-notes').waitFor();
    const frame = await (await page.locator(sel).elementHandle())!.contentFrame();
    if (!frame) throw new Error(`no frame ${sel}`);
    expect(new URL(frame.url()).origin, `${sel} is cross-origin`).toBe(new URL(apps.crossOriginUrl).origin);
    frames[kind] = frame;
  }
  await fill(frames.blocked!, { 'child-button': blockedButton });
  await fill(frames.private!, { 'child-button': privateButton });
  await fill(frames.plain!, { 'child-button': 'WombatSendPlain' });
  // The children's content scripts start at document_start and learn the parent's markers from the
  // background: let that settle as a person would take a moment to look.
  await page.waitForTimeout(500);
  const childUrl = (e: EventBody) => e.url.includes('side-frame-child');
  const inFrame = (i: number) => (e: EventBody) => e.framePath?.length === 1 && e.framePath[0] === i;

  const wBlocked = await timed(page, async () => {
    await page.frameLocator('#frame-blocked').locator('#child-notes').click();
    await typeSlowly(page, blockedNote);
    await page.frameLocator('#frame-blocked').locator('#child-send').click();
  }, 300);
  // Any time, not only in the window: the frame's load and pointer paths count too.
  ledger.check((all) =>
    summarise('child of <iframe class="rr-block">', all.filter((e) => inFrame(0)(e) || (!e.framePath && childUrl(e) && between([e], wBlocked).length > 0)), 'events where none may be'),
  );

  const wPrivate = await timed(page, async () => {
    await page.frameLocator('#frame-private').locator('#child-notes').click();
    await typeSlowly(page, privateNote);
    await page.frameLocator('#frame-private').locator('#child-send').click();
  }, 300);
  ledger.check((all) => {
    const fromChild = all.filter((e) => inFrame(1)(e) || (childUrl(e) && between([e], wPrivate).length > 0));
    return [
      ...summarise('child of <iframe data-private>', fromChild.filter((e) => e.type === 'key' && !e.masked && !NAMED_KEY.test(e.key)), 'unmasked keys'),
      ...summarise('child of <iframe data-private>', fromChild.filter((e) => (e.type === 'input' || e.type === 'change') && (!e.masked || e.value !== undefined)), 'unmasked input/change events'),
      ...summarise('child of <iframe data-private>', fromChild.filter((e) => targetOf(e) !== undefined && !targetOf(e)!.masked && e.type !== 'pointer'), 'events with an unmasked target'),
    ];
  });

  // Positive control: the unmarked cross-origin child captures normally.
  const wPlain = await timed(page, async () => {
    await page.frameLocator('#frame-plain').locator('#child-notes').click();
    await typeSlowly(page, 'WombatPlainNote');
    await page.frameLocator('#frame-plain').locator('#child-send').click();
  }, 300);
  ledger.word('WombatPlainNote');
  ledger.word('WombatSendPlain');
  ledger.check(mustHave('events from the unmarked cross-origin child', (e) => childUrl(e) && between([e], wPlain).length > 0));

  // Fail closed while unknown: an <iframe class="rr-block"> inserted late and typed into at once.
  const lateNote = ledger.canary('typed at once into a late-inserted <iframe class="rr-block">');
  await page.click('#add-widget');
  const late = page.frameLocator('#frame-late');
  await late.locator('#child-notes').click();
  await typeSlowly(page, lateNote);
  await late.locator('#child-send').click();
  ledger.check((all) => summarise('late-inserted child of <iframe class="rr-block"> (framePath [3])', all.filter(inFrame(3)), 'events where none may be'));
  await page.click('#save');
  ledger.word('WombatSaveTicket');
  const events = await verify({ page, sw: serviceWorker, ext, installId, ledger });
  const paths = [...new Set(events.filter(childUrl).map((e) => JSON.stringify(e.framePath ?? null)))];
  note('child frame paths seen', paths.join(' '));
});

// ---- 6. secrets the app displays ----------------------------------------------------------------------

test('side door 6: a displayed temporary password, recovery codes and a suggested password are not named when double-clicked or copied', async ({ context, serviceWorker, ext, installId, apps }) => {
  const ledger = new Ledger('d');
  const c = {
    'temp-password': ledger.canary('temporary password shown in <code> after a reset', 14),
    'recovery-1': ledger.canary('recovery code 1 in a list', 12),
    'recovery-2': ledger.canary('recovery code 2 in a list', 12),
    'recovery-3': ledger.canary('recovery code 3 in a list', 12),
    'suggested-password': ledger.canary('suggested password shown next to an autocomplete=new-password field', 14),
  };
  await installTap(serviceWorker);
  const page = await context.newPage();
  await openSide(page, apps, '/leak/side-display.html', c);
  await page.dblclick('#temp-password');
  await page.keyboard.press('Control+C');
  await page.click('#copy-temp');
  await page.dblclick('#rc-2');
  await page.keyboard.press('Control+C');
  await page.click('#rc-1', { clickCount: 3 });
  await page.keyboard.press('Control+C');
  await page.click('#rc-3');
  await page.click('#download-codes');
  await page.dblclick('#suggested-password');
  await page.keyboard.press('Control+C');
  await page.click('#use-suggested');
  const copies = (await page.evaluate(() => (window as unknown as { __displayState: () => { copies: number } }).__displayState())).copies;
  expect(copies, 'the copies happened on the page').toBeGreaterThanOrEqual(4);
  ledger.check(mustHave('a dblclick on the temporary password', (e) => e.type === 'dblclick' && targets(e, 'temp-password')));
  ledger.check(mustHave('a copy recorded', (e) => e.type === 'clipboard' && e.action === 'copy'));
  // Control: an ordinary <code> double-clicked the same way is named by its text, so a secret's name would show.
  await page.dblclick('#install-command');
  await page.keyboard.press('Control+C');
  ledger.check(mustHave('a dblclick on the ordinary <code> named WombatInstallAgent', (e) => e.type === 'dblclick' && targets(e, 'install-command') && (targetOf(e)?.name ?? '').includes('WombatInstallAgent')));
  await page.click('#save');
  ledger.word('WombatSaveAdmin');
  await typeWord(page, '#ticket', ledger, 'WombatTicketOak');
  const events = await verify({ page, sw: serviceWorker, ext, installId, ledger });
  const plain = events.find((e) => e.type === 'dblclick' && targets(e, 'install-command'));
  note('name of an ordinary double-clicked <code>', JSON.stringify(plain ? targetOf(plain)?.name : 'no dblclick event'));
});

// ---- 7. tokens in URLs ---------------------------------------------------------------------------------

test('side door 7: short tokens in hash routes and path segments, and psw/pw parameters, are redacted', async ({ context, serviceWorker, ext, installId, apps }) => {
  const ledger = new Ledger('u');
  // About 20 characters of mixed case and digits, as invite and reset tokens are.
  const invite = ledger.secret('invite token in a hash route (link)', 'Hx7pQ2mWz9KtR4vLc8Nd');
  ledger.secret('invite token (its first 12 characters)', invite.slice(0, 12));
  const invite2 = ledger.secret('invite token in a hash route (pushState)', 'bT4nV8qK2xR7wM5zJ9pL');
  ledger.secret('invite token 2 (its first 12 characters)', invite2.slice(0, 12));
  const reset = ledger.secret('reset token as a path segment (pushState)', 'r9TkW2xQ7mZp4LbV6sHy');
  ledger.secret('reset token (its first 12 characters)', reset.slice(0, 12));
  const pw = ledger.canary('password in ?pw= (pushState)', 12);
  const psw = ledger.canary('password in ?psw= (link, full page load)', 12);
  const base = '/leak/side-url.html';
  const control = `${base}/teams/wombat-platform-team/2024-05-01/issues/4821`;
  const canaries = {
    'invite-href': `#/invite/${invite}`,
    'invite-path': `${base}#/invite/${invite2}`,
    'reset-path': `${base}/reset/${reset}`,
    'pw-path': `${base}?pw=${encodeURIComponent(pw)}&lang=en`,
    'control-path': control,
    'psw-href': `${base}?psw=${encodeURIComponent(psw)}&view=list`,
  };
  await installTap(serviceWorker);
  const page = await context.newPage();
  await openSide(page, apps, base, canaries);
  await page.click('#invite-link');
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('/invite/');
  await page.click('#push-reset');
  await page.click('#push-control');
  await page.click('#push-hash-invite');
  await page.click('#push-pw');
  await page.click('#save');
  await Promise.all([page.waitForURL(/psw=/), page.click('#psw-link')]);
  await waitForCapture(page);
  await fill(page.mainFrame(), canaries);
  await page.click('#save');
  ledger.word('WombatSaveWorkspace');
  // Positive control: an ordinary path with a slug, a date and a number survives.
  ledger.word('/teams/wombat-platform-team/2024-05-01/issues/4821');
  ledger.check(mustHave('an event whose url holds the ordinary path', (e) => e.url.includes('/teams/wombat-platform-team/2024-05-01/issues/4821')));
  ledger.check(mustHave('a hash navigation', (e) => e.type === 'navigation' && e.kind === 'hash'));
  ledger.check(mustHave('a push navigation', (e) => e.type === 'navigation' && e.kind === 'push'));
  ledger.check(mustHave('a second page load (the psw link)', (e) => e.type === 'navigation' && e.kind === 'load' && e.url.includes('side-url.html?')));
  const events = await verify({ page, sw: serviceWorker, ext, installId, ledger });
  const urls = [...new Set(events.filter((e) => e.type === 'navigation').map((e) => `${e.type === 'navigation' ? e.kind : ''} ${e.url}`))];
  note('navigation urls', urls.join(' | '));
});

// ---- 8. more vendors' markers -------------------------------------------------------------------------

test("side door 8: Amplitude, Mixpanel, Heap, Smartlook, Contentsquare, Mouseflow markers, and masked elements whose title or aria-label repeats them", async ({ context, serviceWorker, ext, installId, apps }) => {
  const ledger = new Ledger('v');
  const c = {
    'amp-block-button': ledger.canary('button text inside .amp-block'),
    'mp-block-button': ledger.canary('button text inside .mp-block'),
    'sl-disable-button': ledger.canary('button text inside [data-recording-disable] (Smartlook)'),
    'sl-exclude-button': ledger.canary('button text inside [data-sl="exclude"] (Smartlook)'),
    'heap-redact': ledger.canary('[data-heap-redact-text] text inside a clicked button (Heap)'),
    'mf-replace': ledger.canary('[data-mf-replace] text inside a clicked button (Mouseflow)'),
    'amp-mask-text': ledger.canary('.amp-mask text inside a clicked button'),
    'title-repeat': ledger.canary('rr-mask element whose title repeats its text'),
    'aria-repeat': ledger.canary('data-private element whose aria-label repeats its text'),
    'amp-aria-repeat': ledger.canary('.amp-mask button whose aria-label repeats its text'),
  };
  await installTap(serviceWorker);
  const page = await context.newPage();
  await openSide(page, apps, '/leak/side-vendors.html', c);

  const maskedFields: Array<[string, string]> = [
    ['v1', 'class amp-mask (Amplitude)'],
    ['v3', 'class mp-mask (Mixpanel)'],
    ['v5', 'data-recording-sensitive (Smartlook)'],
    ['v7', 'data-sl="mask" (Smartlook)'],
    ['v9', 'data-cs-mask (Contentsquare)'],
    ['v10', 'inside data-recording-ignore="mask" (Smartsupp)'],
  ];
  for (const [id, what] of maskedFields) {
    const value = ledger.canary(`typed into #${id}, ${what}`, 13);
    await page.click(`#${id}`);
    await typeSlowly(page, value);
    ledger.check(maskedFieldCheck(id, what));
  }
  await blur(page);
  await ledger.outbox.take(serviceWorker);

  const blockedNote = ledger.canary('typed into an input inside .amp-block', 13);
  const blocked: Array<[string, string]> = [
    ['#v2', 'input inside .amp-block'],
    ['#v2-button', 'button inside .amp-block'],
    ['#v4-button', 'button inside .mp-block'],
    ['#v6-button', 'button inside [data-recording-disable]'],
    ['#v8-button', 'button inside [data-sl="exclude"]'],
  ];
  await page.waitForTimeout(400); // let the last pointer path and focus settle before the windows
  for (const [sel, what] of blocked) {
    const w = await timed(page, async () => {
      await page.click(sel);
      if (sel === '#v2') await typeSlowly(page, blockedNote);
    }, 150);
    ledger.check(noEventsCheck(`${what} (blocked)`, w));
  }

  for (const id of ['v11', 'v12', 'v13', 'v14', 'v15', 'v16']) await page.click(`#${id}`);
  ledger.check(mustHave('a click on the button holding Heap-redacted text', (e) => e.type === 'click' && targets(e, 'v11')));
  ledger.check(mustHave('a click on the masked element with a title', (e) => e.type === 'click' && targets(e, 'v14')));

  await typeWord(page, '#v0', ledger, 'WombatFieldPlain');
  await page.click('#save');
  ledger.word('WombatSaveProfile');
  await verify({ page, sw: serviceWorker, ext, installId, ledger });
});
