// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { canSeeClosedRoots, focusedWithin, rootsWithin, shadowRootOf } from '../../../lib/privacy/shadow';
import { fieldPrivacy, targetPrivacy } from '../../../lib/privacy/sensitive';

const g = globalThis as unknown as { chrome?: unknown };

afterEach(() => {
  document.body.innerHTML = '';
  delete g.chrome;
});

/** A closed-root login widget like tests/fixtures/leak/shadow.html's <closed-login>. */
function closedLogin(inner = '<label for="pw">Field I4</label><input type="password" id="pw" name="field-i4">') {
  document.body.innerHTML = '<h1>Page</h1><div id="host"></div>';
  const host = document.getElementById('host')!;
  const root = host.attachShadow({ mode: 'closed' });
  root.innerHTML = inner;
  // What a content script has and a page has not: chrome.dom.openOrClosedShadowRoot.
  g.chrome = { dom: { openOrClosedShadowRoot: (el: Element) => (el === host ? root : el.shadowRoot) } };
  return { host, root };
}

describe('lib/privacy/shadow', () => {
  it('sees closed roots only through the extension API', () => {
    const { host, root } = closedLogin();
    expect(host.shadowRoot).toBeNull();
    expect(canSeeClosedRoots()).toBe(true);
    expect(shadowRootOf(host)).toBe(root);
    delete g.chrome;
    expect(canSeeClosedRoots()).toBe(false);
    expect(shadowRootOf(host)).toBeNull();
  });

  it('follows focus into a closed root (keys typed there arrive retargeted to the host)', () => {
    const { host, root } = closedLogin();
    const pw = root.getElementById('pw') as HTMLInputElement;
    expect(focusedWithin(host)).toBeNull();
    pw.focus();
    expect(focusedWithin(host)).toBe(pw);
    expect(rootsWithin(host)).toEqual([root]);
  });

  it('follows nested open roots', () => {
    document.body.innerHTML = '<div id="outer"></div>';
    const outer = document.getElementById('outer')!;
    const r1 = outer.attachShadow({ mode: 'open' });
    r1.innerHTML = '<div id="inner"></div>';
    const r2 = r1.getElementById('inner')!.attachShadow({ mode: 'open' });
    r2.innerHTML = '<input id="otp" autocomplete="one-time-code">';
    const otp = r2.getElementById('otp') as HTMLInputElement;
    otp.focus();
    expect(focusedWithin(outer)).toBe(otp);
  });
});

describe('lib/privacy/sensitive (targetPrivacy through shadow hosts)', () => {
  it('masks a host whose closed root holds a focused password', () => {
    const { host, root } = closedLogin();
    expect(fieldPrivacy(host, []).masked).toBe(false); // on its own the host reads as a plain element
    (root.getElementById('pw') as HTMLInputElement).focus();
    expect(targetPrivacy(host, [])).toMatchObject({ masked: true, neverCaptured: false });
  });

  it('does not mask a host whose focused field is ordinary', () => {
    const { host, root } = closedLogin('<label for="q">Search</label><input id="q" name="q">');
    (root.getElementById('q') as HTMLInputElement).focus();
    expect(targetPrivacy(host, []).masked).toBe(false);
  });

  it('blocks a host whose focused field is in a blocked subtree, and honours ignore', () => {
    const blocked = closedLogin('<div data-capture="block"><input id="x"></div>');
    (blocked.root.getElementById('x') as HTMLInputElement).focus();
    expect(targetPrivacy(blocked.host, []).neverCaptured).toBe(true);
    const ignored = closedLogin('<input id="y" class="rr-ignore">');
    (ignored.root.getElementById('y') as HTMLInputElement).focus();
    expect(targetPrivacy(ignored.host, [])).toMatchObject({ level: 'ignore', keysAndValues: false });
  });

  it('applies policy selectors inside the root', () => {
    const { host, root } = closedLogin('<input id="s" class="employee-salary">');
    (root.getElementById('s') as HTMLInputElement).focus();
    expect(targetPrivacy(host, []).masked).toBe(false);
    expect(targetPrivacy(host, ['.employee-salary']).masked).toBe(true);
  });
});
