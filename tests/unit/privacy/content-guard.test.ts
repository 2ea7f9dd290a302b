// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessibleName, describeTarget, menuContext } from '../../../lib/describe';
import { setContentGuard } from '../../../lib/describe/guard';
import { redactText } from '../../../lib/privacy';
import { holdsPrivateContent, privacyContentGuard } from '../../../lib/privacy/content-guard';
import { isDisplayedSecret } from '../../../lib/privacy/displayed';

const SECRET = 'Qx7zorbZ9';
let off: () => void = () => undefined;

beforeEach(() => {
  off = setContentGuard(privacyContentGuard([]));
});
afterEach(() => {
  off();
  document.body.innerHTML = '';
});

const $ = (id: string) => document.getElementById(id)!;
const describeAs = (el: Element) =>
  describeTarget(el, { masked: holdsPrivateContent(el, []), redact: redactText });

describe('lib/privacy/content-guard: private text names no other element', () => {
  it('leaves marked text in a <label> out of its radio and checkbox names', () => {
    document.body.innerHTML = `
      <label><input type="radio" id="r" name="a"> Pay to <span class="rr-mask">${SECRET}</span></label>
      <input type="checkbox" id="c"><label for="c">Share with <b data-private>${SECRET}</b></label>`;
    for (const id of ['r', 'c']) {
      const t = describeAs($(id));
      expect(JSON.stringify(t)).not.toContain(SECRET);
      expect(t.selectors.some((s) => s[0]!.startsWith('aria/'))).toBe(false);
    }
    expect(describeAs($('r')).name).toBe('Pay to');
  });

  it('leaves a marked aria-labelledby target out of a button name', () => {
    document.body.innerHTML = `<span id="who" class="fs-mask">${SECRET}</span><span id="verb">Call</span>
      <button id="b" aria-labelledby="verb who">x</button>`;
    const t = describeAs($('b'));
    expect(JSON.stringify(t)).not.toContain(SECRET);
    expect(t.name).toBe('Call');
  });

  it('leaves marked content slotted into a shadow-DOM button out of its name', () => {
    document.body.innerHTML = `<x-btn id="host"><span data-private>${SECRET}</span> Open</x-btn>`;
    const host = $('host');
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = '<button id="inner"><slot></slot></button>';
    const inner = root.getElementById('inner')!;
    const t = describeAs(inner);
    expect(JSON.stringify(t)).not.toContain(SECRET);
  });

  it('keeps a menu opener that shows marked text out of the menu path', () => {
    document.body.innerHTML = `
      <button id="opener" aria-haspopup="menu" aria-expanded="true" aria-controls="m">Account <span class="amp-mask">${SECRET}</span></button>
      <ul role="menu" id="m"><li role="menuitem" id="settings">Settings</li></ul>`;
    const path = menuContext($('settings'))!.path;
    expect(path.join(' ')).not.toContain(SECRET);
    expect(path).toEqual(['Account', 'Settings']);
  });

  it('drops a masked element\'s own aria-label or title when it repeats the value', () => {
    document.body.innerHTML = `
      <span id="s" class="rr-mask" title="${SECRET}">${SECRET}</span>
      <input id="i" type="password" aria-label="Password">
      <input id="j" class="rr-mask" aria-label="${SECRET}">`;
    ($('i') as HTMLInputElement).value = 'hunter2';
    ($('j') as HTMLInputElement).value = SECRET;
    expect(JSON.stringify(describeAs($('s')))).not.toContain(SECRET);
    expect(describeAs($('i')).name).toBe('Password');
    expect(JSON.stringify(describeAs($('j')))).not.toContain(SECRET);
  });

  it('is open without a guard (pure description) and private once the session installs it', () => {
    document.body.innerHTML = `<button id="b">Hi <span class="rr-mask">${SECRET}</span></button>`;
    expect(accessibleName($('b'))).not.toContain(SECRET);
    off();
    expect(accessibleName($('b'))).toContain(SECRET);
  });
});

describe('lib/privacy/displayed: secrets the app shows', () => {
  it('recognises a temporary password and recovery codes by their context, not the label itself', () => {
    document.body.innerHTML = `
      <section><h2 id="h">Your temporary password</h2><p>Use it once: <code id="tmp">${SECRET}</code></p></section>
      <div><h3>Recovery codes</h3><ul><li id="rc1">abcd-7788</li><li>efgh-9911</li></ul></div>
      <section><h2>Release notes</h2><p>Run <code id="cmd">npm ci</code></p></section>`;
    expect(isDisplayedSecret($('tmp'))).toBe(true);
    expect(isDisplayedSecret($('rc1'))).toBe(true);
    expect(isDisplayedSecret($('h'))).toBe(false);
    expect(isDisplayedSecret($('cmd'))).toBe(false);
    const t = describeAs($('tmp'));
    expect(t.masked).toBe(true);
    expect(JSON.stringify(t)).not.toContain(SECRET);
    expect(JSON.stringify(describeAs($('tmp').parentElement!))).not.toContain(SECRET);
  });

  it('recognises a value shown next to a new-password field', () => {
    document.body.innerHTML = `<form><input autocomplete="new-password" id="np"><span id="gen">${SECRET}</span></form>`;
    expect(isDisplayedSecret($('gen'))).toBe(true);
  });
});
