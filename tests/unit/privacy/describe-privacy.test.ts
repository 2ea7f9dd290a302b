// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { describeTarget } from '../../../lib/describe';
import { holdsPrivateText, isSensitiveField, redactText } from '../../../lib/privacy';

afterEach(() => {
  document.body.innerHTML = '';
});

/**
 * What a click on an ordinary button says must not depend on what is typed into a sensitive field: the
 * Recorder text selector's uniqueness check reads field values (Puppeteer's text includes them), and a
 * secret containing the button's text would otherwise remove the selector — a one-bit oracle on the secret.
 */
describe('lib/privacy with lib/describe: no selector depends on a secret', () => {
  const page = `<label for="card">Card number</label><input id="card" autocomplete="cc-number">
    <label for="notes">Notes</label><textarea id="notes"></textarea><button id="pay">Pay now</button>`;

  const describePay = () => {
    const pay = document.getElementById('pay')!;
    return describeTarget(pay, { masked: false, redact: redactText, isSensitive: (f) => isSensitiveField(f, []) }).selectors;
  };

  it('gives the same selectors whatever a sensitive field holds', () => {
    document.body.innerHTML = page;
    const card = document.getElementById('card') as HTMLInputElement;
    card.value = '4111';
    const before = describePay();
    card.value = 'xx Pay now xx';
    expect(describePay()).toEqual(before);
    expect(before.some((s) => s[0] === 'text/Pay now')).toBe(true);
  });

  it('still reads ordinary fields (replay correctness): a duplicate text there drops the text selector', () => {
    document.body.innerHTML = page;
    (document.getElementById('notes') as HTMLTextAreaElement).value = 'Pay now';
    expect(describePay().some((s) => s[0] === 'text/Pay now')).toBe(false);
  });
});

describe('lib/privacy/sensitive (holdsPrivateText: masked text inside an ordinary element)', () => {
  const mount = (html: string) => {
    document.body.innerHTML = html;
    return (id: string) => document.getElementById(id)!;
  };

  it('finds mask and block markers, policy selectors and sensitive contenteditables below the element', () => {
    const $ = mount(`
      <button id="b1">Reveal <span class="rr-mask">1234</span></button>
      <div id="d1">Row <b data-capture="block">hidden</b></div>
      <div id="d2">Salary <span class="employee-salary">9000</span></div>
      <div id="d3"><span id="l">Recovery secret</span><div contenteditable="true" aria-labelledby="l">words</div></div>
      <button id="b2">Save <span data-capture="ignore">draft</span> <span data-private="false">now</span></button>
      <div id="d4"><div contenteditable="true" aria-label="Notes">words</div></div>
      <li id="row">Plain <em>text</em></li>`);
    expect(holdsPrivateText($('b1'), [])).toBe(true);
    expect(holdsPrivateText($('d1'), [])).toBe(true);
    expect(holdsPrivateText($('d2'), [])).toBe(false);
    expect(holdsPrivateText($('d2'), ['.employee-salary'])).toBe(true);
    expect(holdsPrivateText($('d3'), [])).toBe(true);
    expect(holdsPrivateText($('b2'), [])).toBe(false); // ignore is not private text; "false" marks nothing
    expect(holdsPrivateText($('d4'), [])).toBe(false);
    expect(holdsPrivateText($('row'), [])).toBe(false);
  });

  it('keeps masked text out of the name and selectors once the element is described as masked', () => {
    const $ = mount('<button id="b" title="Reveal card">Reveal <span data-capture="mask">Zq!secret</span></button>');
    const b = $('b');
    const masked = holdsPrivateText(b, []);
    const target = describeTarget(b, { masked, redact: redactText });
    expect(JSON.stringify(target)).not.toContain('Zq!secret');
    expect(target.name).toBe('Reveal card');
  });
});
