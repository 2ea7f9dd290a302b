// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { watchPasswordFields } from '../../../lib/privacy/password-watch';
import { isSensitiveField } from '../../../lib/privacy/sensitive';

afterEach(() => {
  document.body.innerHTML = '';
});

const tick = () => new Promise((r) => setTimeout(r, 0));

/** A neutral password field ("Field A2") with a show toggle: only its type makes it sensitive. */
const FIELD = '<label for="field-a2">Field A2</label><input type="password" id="field-a2" name="field-a2"><button id="show">Show</button>';

describe('lib/privacy/password-watch', () => {
  it('keeps a password masked when "show password" is used before the field is ever looked at', async () => {
    document.body.innerHTML = FIELD;
    const watch = watchPasswordFields(document);
    const pw = document.getElementById('field-a2') as HTMLInputElement;
    pw.type = 'text'; // the toggle, before any focus or event on the field
    expect(isSensitiveField(pw, [])).toBe(true);
    watch.stop();
  });

  it('remembers password fields added later, through the type change itself', async () => {
    const watch = watchPasswordFields(document);
    document.body.innerHTML = FIELD;
    await tick();
    const pw = document.getElementById('field-a2') as HTMLInputElement;
    pw.setAttribute('type', 'text');
    await tick(); // the MutationObserver saw type go from "password" to "text"
    expect(isSensitiveField(pw, [])).toBe(true);
    watch.stop();
  });

  it('does not mask an ordinary text field that never was a password', async () => {
    const watch = watchPasswordFields(document);
    document.body.innerHTML = '<label for="city">Field F4</label><input id="city" type="search">';
    const city = document.getElementById('city') as HTMLInputElement;
    city.type = 'text';
    await tick();
    expect(isSensitiveField(city, [])).toBe(false);
    watch.stop();
  });

  it('watches a shadow root once an event crosses it, before the page handles the click', async () => {
    const watch = watchPasswordFields(document);
    document.body.innerHTML = '<login-card id="card"></login-card>';
    const root = document.getElementById('card')!.attachShadow({ mode: 'open' });
    root.innerHTML = FIELD;
    const pw = root.getElementById('field-a2') as HTMLInputElement;
    const show = root.getElementById('show')!;
    // The content script's capture-phase pointerdown listener sees the path into the root first.
    const seen = new Promise<void>((resolve) =>
      document.addEventListener('pointerdown', (e) => {
        watch.noteEvent(e);
        resolve();
      }, { capture: true, once: true }),
    );
    show.dispatchEvent(new Event('pointerdown', { bubbles: true, composed: true }));
    await seen;
    pw.type = 'text';
    expect(isSensitiveField(pw, [])).toBe(true);
    watch.stop();
  });

  it('stops observing on stop (pause): later type changes are not seen', async () => {
    const watch = watchPasswordFields(document);
    watch.stop();
    document.body.innerHTML = FIELD;
    const pw = document.getElementById('field-a2') as HTMLInputElement;
    pw.type = 'text';
    await tick();
    expect(isSensitiveField(pw, [])).toBe(false);
  });
});
