/**
 * The value-level privacy layer (#11, and the key and URL parts of #10), in real Chromium with the
 * development build and the real collector. The fixture pages (tests/fixtures/leak-values/) give every
 * field a neutral label, so nothing but the value-level layer can protect what is typed there: secrets
 * inside ordinary text (env files, request bodies, a chat message, a connection string, a curl command),
 * personal data in national formats, keys typed into editors in iframes and into a focused canvas, typed
 * text mirrored into the URL, and short tokens in invite links.
 *
 * Everything is typed with the real keyboard. The secrets are then searched for in the background's
 * runtime messages, its IndexedDB outbox, the bytes it uploads, and the collector's events and exports;
 * ordinary words typed into the same fields must arrive everywhere (the positive controls).
 */
import type { Page, Worker } from '@playwright/test';
import type { EventBody } from '../../lib/schema/event';
import type { FixtureServer } from '../fixtures/server';
import { COLLECTOR, expect, ExtensionPages, test, waitForCapture } from './fixtures';
import {
  eventsInMessages,
  findLeaks,
  gatherViews,
  inKeyOrder,
  installTap,
  keyStreams,
  missingWords,
  OutboxSnapshots,
  readTap,
  type Secret,
  waitForEvents,
} from './leak-helpers';
import { policyPreconditions, withManagedPolicy } from './policy-helpers';

const DONE_KEY = 'F9';
/** A content-script flush is 250 ms: a little more, so what was typed has been sent. */
const FLUSH_SETTLE_MS = 300;

/** What was typed where: secrets that must not be found, words that must. */
class Ledger {
  readonly secrets: Secret[] = [];
  readonly words: string[] = [];
  /** Typed text whose characters must not appear in key order in any key event. */
  readonly keyTyped: string[] = [];
  readonly checks: Array<(events: EventBody[]) => string[]> = [];
  readonly outbox = new OutboxSnapshots();
  private n = 0;

  secret(label: string, value: string): string {
    this.secrets.push({ label, value });
    return value;
  }

  word(what: string): string {
    const w = `Wombat${(this.n++).toString(36)}x${what}`;
    this.words.push(w);
    return w;
  }
}

const page = (apps: FixtureServer, p: string) => `${apps.url}/leak-values/${p}`;

async function open(p: Page, url: string): Promise<void> {
  await p.goto(url);
  await waitForCapture(p);
}

async function typeInto(p: Page, selector: string, text: string): Promise<void> {
  await p.locator(selector).click();
  await p.keyboard.type(text);
}

/** Ends the run with a marker key, then searches every tap; returns what the background received. */
async function verify(p: Page, sw: Worker, ext: ExtensionPages, installId: string, ledger: Ledger): Promise<EventBody[]> {
  await p.locator('h1').first().click();
  await p.keyboard.press(DONE_KEY);
  const events = await waitForEvents(sw, (es) => es.some((e) => e.type === 'key' && e.key === DONE_KEY), `the ${DONE_KEY} marker`);
  expect(ledger.checks.flatMap((check) => check(events)), 'events that say more than they may').toEqual([]);

  const { views, stored } = await gatherViews(sw, ext, installId, ledger.outbox, DONE_KEY);
  const missing = missingWords(views, ledger.words);
  expect(missing, 'every tap sees the ordinary words (positive controls)').toEqual([]);
  expect(findLeaks(views, ledger.secrets), 'secrets found outside the page').toEqual([]);
  const { keys, codes } = keyStreams(events);
  const inOrder = ledger.keyTyped.flatMap((t) => [...inKeyOrder(keys, t), ...inKeyOrder(codes, t, 5, true)].map((w) => `"${w}" of ${t} in key order`));
  expect(inOrder, 'typed characters in key events').toEqual([]);
  return events;
}

const urlsOf = (events: EventBody[]) => events.map((e) => e.url);

test('secrets recognised by their shape never leave the page; ordinary text does', async ({ context, serviceWorker, ext, installId, apps }) => {
  test.setTimeout(120_000);
  const ledger = new Ledger();
  await installTap(serviceWorker);
  const p = await context.newPage();
  // Uploads take events out of the outbox: it is read after every step, not only at the end.
  const step = async (name: string, body: () => Promise<void>) => {
    await test.step(name, body);
    await ledger.outbox.take(serviceWorker);
  };

  await step('environment variables and a connection string', async () => {
    await open(p, page(apps, 'env.html'));
    const dbPass = ledger.secret('NAME_PASSWORD= in an env textarea', 'Hq7vRpLw2Kd');
    const apiKey = ledger.secret('apiKey: in an env textarea', 'Xk4mTz8Qwe1');
    const yamlPass = ledger.secret('YAML DB_PASS with spaces', 'correct horse Vf6battery');
    const word = ledger.word('env');
    await typeInto(p, '#env', `APP_NAME=${word}\nNAME_PASSWORD=${dbPass}\napiKey: ${apiKey}\nDB_PASS: ${yamlPass}\n`);
    const connPass = ledger.secret('password in a postgres connection string', 'Pg7vQ2xLm9Rt');
    const connWord = ledger.word('dbhost');
    await typeInto(p, '#conn', `postgres://app:${connPass}@${connWord}.internal:5432/prod`);
    await p.keyboard.press('Tab');
    await p.waitForTimeout(FLUSH_SETTLE_MS);
  });

  await step('API client body and command line', async () => {
    await open(p, page(apps, 'api-client.html'));
    const jsonPass = ledger.secret('"password" in a JSON body', 'Jb3nWq8Lz5y');
    const clientSecret = ledger.secret('client_secret in a JSON body', 'Cs9pXv2Mk7t');
    const word = ledger.word('body');
    await typeInto(p, '#body', `{"user": "${word}", "password": "${jsonPass}", "client_secret": "${clientSecret}"}`);
    const basic = ledger.secret('Authorization: Basic header', 'YWRtaW46aHVudGVy');
    await typeInto(p, '#headers', `Authorization: Basic ${basic}`);
    const curlPass = ledger.secret('curl -u user:pass', 'Cu5rLq8Vn3x');
    const cmdWord = ledger.word('cmd');
    await typeInto(p, '#cmd', `curl -u admin:${curlPass} https://api.example.com/${cmdWord}`);
    await p.keyboard.press('Tab');
    await p.waitForTimeout(FLUSH_SETTLE_MS);
  });

  await step('chat composer', async () => {
    await open(p, page(apps, 'chat.html'));
    const chatPass = ledger.secret('"the password is" in a chat message', 'Summer7Rq2x');
    const pin = ledger.secret('"my pin is" in a chat message', '830571');
    const word = ledger.word('chat');
    await typeInto(p, '#composer', `hi ${word}, the password is ${chatPass} and my pin is ${pin} thanks`);
    await p.locator('#post').click();
    await p.waitForTimeout(FLUSH_SETTLE_MS);
  });

  await step('phone numbers, NI number, sort code and account number', async () => {
    await open(p, page(apps, 'pii.html'));
    const word = ledger.word('supplier');
    ledger.secret('phone with a slash', '61837294');
    ledger.secret('phone with dots', '47.82.19.36');
    await typeInto(p, '#n1', `${word} call 030/61837294 or 01.47.82.19.36 today`);
    ledger.secret('email with an apostrophe', 'o\'brien.canary');
    await typeInto(p, '#n2', `mail o'brien.canary@example.com please`);
    ledger.secret('national insurance number', '73 91 46');
    await typeInto(p, '#n3', `NI number AB 73 91 46 C on file`);
    ledger.secret('sort code', '40-47-84');
    ledger.secret('account number', '71936048');
    await typeInto(p, '#n4', `Pay to sort code 40-47-84 account 71936048 by Friday`);
    await p.keyboard.press('Tab');
    await p.waitForTimeout(FLUSH_SETTLE_MS);
  });

  await step('editors in iframes: contenteditable body and designMode', async () => {
    await open(p, page(apps, 'editors.html'));
    for (const [frame, what] of [['#ce-frame', 'cebody'], ['#dm-frame', 'designmode']] as const) {
      await p.frameLocator(frame).locator('body').waitFor();
      await p.waitForTimeout(300); // the frame's content script reads its configuration
      const word = ledger.word(what);
      ledger.keyTyped.push(word);
      const pass = ledger.secret(`"password:" in the ${what} editor`, `Ed${what.length}Kq7Wz3`);
      await p.frameLocator(frame).locator('body').click();
      await p.keyboard.type(`${word} password: ${pass} done`);
    }
    await p.locator('h1').click();
    await p.waitForTimeout(FLUSH_SETTLE_MS);
  });

  await step('a focused canvas and a tabindex div receiving keys', async () => {
    await open(p, page(apps, 'canvas.html'));
    await p.locator('#screen').click();
    const typed = 'Root4Vnc9pass';
    ledger.secret('typed into a canvas', typed);
    ledger.keyTyped.push(typed);
    await p.keyboard.type(typed);
    await p.keyboard.press('Enter');
    await p.locator('#shortcut-pad').click();
    await p.keyboard.type('2468');
    ledger.keyTyped.push('2468');
    await p.keyboard.press('ArrowDown');
    await p.waitForTimeout(FLUSH_SETTLE_MS);
    ledger.checks.push((all) => {
      const keys = all.filter((e) => e.type === 'key' && e.url.includes('canvas.html'));
      const errors: string[] = [];
      if (!keys.some((e) => e.type === 'key' && e.key === 'Enter')) errors.push('the Enter pressed in the canvas is missing (command keys keep their names)');
      if (!keys.some((e) => e.type === 'key' && e.key === 'ArrowDown')) errors.push('the ArrowDown pressed on the div is missing');
      for (const e of keys) {
        if (e.type !== 'key') continue;
        if ([...e.key].length === 1 || /^(?:Key|Digit|Numpad)/.test(e.code ?? '')) errors.push(`a key outside a text field says which character: ${JSON.stringify(e)}`);
      }
      return errors;
    });
  });

  await step('search text mirrored into the URL on every keystroke', async () => {
    await open(p, page(apps, 'search.html'));
    const typed = ledger.word('search');
    await typeInto(p, '#q', typed);
    await p.keyboard.press('Enter');
    await p.waitForTimeout(FLUSH_SETTLE_MS);
    expect(p.url()).toContain(`q=${typed}`);
    ledger.checks.push((all) => {
      const urls = urlsOf(all).filter((u) => u.includes('search.html'));
      const errors: string[] = [];
      if (!urls.some((u) => u.includes('page=1'))) errors.push(`no URL kept the safe page=1 (positive control): ${urls.slice(-3).join(' ')}`);
      for (const u of urls) {
        // Every prefix of three characters or more would give the search away.
        for (let n = 3; n <= typed.length; n++) {
          if (u.toLowerCase().includes(typed.slice(0, n).toLowerCase())) {
            errors.push(`a URL repeats the typed "${typed.slice(0, n)}": ${u}`);
            break;
          }
        }
      }
      return errors;
    });
  });

  await step('short tokens in invite paths and hash routes, ?psw=', async () => {
    const invite = ledger.secret('16-character invite token in the path', 'k3J9xQ2mPz7LwR4t');
    const reset = ledger.secret('20-character reset token in a hash route', 'Rt5vB8nQ2wXz4Lk7Mp9s');
    const psw = ledger.secret('psw query parameter', 'Ps7wTq2Lx9');
    const pw = ledger.secret('pw fragment parameter', 'Pw4kRz8Nm3');
    await open(p, `${apps.url}/leak-values/invite/${invite}?psw=${psw}&page=1#/reset/${reset}?tab=profile`);
    await p.locator('#accept').evaluate((b, to) => ((b as HTMLElement).dataset.to = to), `/leak-values/welcome/quarterly-report-2024?page=2#/reset/${reset}?tab=profile&pw=${pw}`);
    await p.locator('#accept').click();
    await p.waitForTimeout(FLUSH_SETTLE_MS);
    ledger.checks.push((all) => {
      const urls = urlsOf(all).filter((u) => u.includes('/leak-values/invite') || u.includes('/leak-values/welcome'));
      const errors: string[] = [];
      if (!urls.some((u) => u.includes('/leak-values/invite/[token]') && u.includes('page=1') && u.includes('tab=profile'))) {
        errors.push(`the invite URL did not keep its ordinary parts (positive control): ${urls.join(' ')}`);
      }
      if (!urls.some((u) => u.includes('/welcome/quarterly-report-2024?page=2'))) errors.push(`the ordinary slug did not survive: ${urls.join(' ')}`);
      return errors;
    });
  });

  const events = await verify(p, serviceWorker, ext, installId, ledger);
  // The redaction left its placeholders where the secrets were (the values did arrive, readable).
  const values = events.flatMap((e) => ((e.type === 'input' || e.type === 'change') && e.value ? [e.value] : [])).join('\n');
  for (const shown of ['NAME_PASSWORD=[redacted]', 'postgres://[redacted]@', '"password": "[redacted]"', 'the password is [redacted]', 'curl -u [redacted]', '[phone]', '[ni-number]', '[sort-code]', '[account]', '[email]']) {
    expect(values, `a value shows ${shown}`).toContain(shown);
  }
});

test('policy typedText "masked": no free-text value leaves the page, choices still do @serial', async ({ apps }) => {
  test.setTimeout(90_000);
  const reason = policyPreconditions();
  test.skip(Boolean(reason), reason);
  await withManagedPolicy(
    'workflow-capture-test-leak-values.json',
    { collectorUrl: COLLECTOR, typedText: 'masked' },
    { key: 'typedText', applied: (s) => s.policy.typedText === 'masked', published: (cfg) => cfg.typedText === 'masked' },
    async ({ context, sw, ext, installId }) => {
      await installTap(sw);
      const ledger = new Ledger();
      const p = await context.newPage();
      await open(p, page(apps, 'env.html'));
      const note = ledger.secret('ordinary text typed with typedText masked', 'Wombatmaskedplain');
      await typeInto(p, '#env', `APP_NAME=${note}`);
      await typeInto(p, '#conn', note);
      await p.keyboard.press('Tab');
      await p.locator('#plan').focus();
      await p.keyboard.press('ArrowDown');
      await p.waitForTimeout(FLUSH_SETTLE_MS);
      expect(await p.locator('#plan').inputValue()).toBe('Business');
      const events = await verify(p, sw, ext, installId, ledger);
      const fieldValues = events.flatMap((e) => ((e.type === 'input' || e.type === 'change') && e.value !== undefined ? [e.value] : []));
      expect(fieldValues.length, 'the text fields still report that something was typed').toBeGreaterThan(0);
      const free = fieldValues.filter((v) => v !== '[text]' && v !== 'Business');
      expect(free, 'values other than the [text] stand-in and the chosen option').toEqual([]);
      expect(fieldValues, 'the choice in the select is kept').toContain('Business');
      expect(eventsInMessages((await readTap(sw)).messages).length).toBeGreaterThan(0);
    },
  );
});
