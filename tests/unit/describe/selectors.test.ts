// @vitest-environment happy-dom
import { parse } from '@puppeteer/replay';
import { describe, expect, it, vi } from 'vitest';
import { cssString, escapeCss, xpathLiteral } from '../../../lib/describe/dom';
import { isGeneratedToken, isStableClass, selectorsFor, xpathChain } from '../../../lib/describe/selectors';
import { $, ariaParts, html, parseAsPuppeteer, resolveChain, shadow } from './helpers';

const kinds = (sels: string[][]) =>
  sels.map((c) => {
    const p = c[0] ?? '';
    for (const k of ['aria', 'xpath', 'pierce', 'text']) if (p.startsWith(`${k}/`)) return k;
    return 'css';
  });

const pick = (sels: string[][], kind: string) => sels[kinds(sels).indexOf(kind)];

/** Every css/xpath/pierce chain resolves to exactly the element. */
function expectResolves(el: Element, sels: string[][], doc: Document = document) {
  for (const chain of sels) {
    if (chain[0]!.startsWith('aria/') || chain[0]!.startsWith('text/')) continue;
    expect(resolveChain(chain, doc), JSON.stringify(chain)).toEqual([el]);
  }
}

describe('lib/describe/selectors', () => {
  it('writes Recorder order and format for a named button with an id', () => {
    html('<main><button id="save">Save</button><button id="cancel">Cancel</button></main>');
    const sels = selectorsFor($('#save'));
    expect(sels).toEqual([['aria/Save[role="button"]'], ['#save'], ['xpath///*[@id="save"]'], ['text/Save']]);
    expectResolves($('#save'), sels);
  });

  it('produces selectors that @puppeteer/replay parses and Puppeteer reads back', () => {
    html(`<button id="q">Say "hi" (now)</button><div><a href="/x" data-testid="it's">Link</a></div>`);
    for (const el of [$('#q'), $('a')]) {
      const sels = selectorsFor(el);
      const flow = parse({ title: 't', steps: [{ type: 'click', selectors: sels, offsetX: 1, offsetY: 1 }] });
      expect(flow.steps[0]).toMatchObject({ type: 'click', selectors: sels });
      for (const chain of sels) expect(() => parseAsPuppeteer(chain)).not.toThrow();
    }
    const aria = selectorsFor($('#q'))[0]!;
    const parsed = parseAsPuppeteer(aria) as Array<{ name: string; value: string }>;
    expect(parsed[0]!.name).toBe('aria');
    expect(ariaParts(parsed[0]!.value)).toEqual({ name: 'Say "hi" (now)', role: 'button' });
  });

  it('prefers test ids, then stable unique ids, then form control names', () => {
    html(
      '<form><input id="email-field" data-testid="login-email" name="email"><input name="password" type="password">' +
        '<input id="e2" name="nick"><button data-qa="go" id="go-btn">Go</button></form>',
    );
    expect(pick(selectorsFor($('[data-testid]')), 'css')).toEqual(['[data-testid="login-email"]']);
    expect(pick(selectorsFor($('[data-testid]')), 'xpath')).toEqual(['xpath///*[@data-testid="login-email"]']);
    expect(pick(selectorsFor($('[name=password]')), 'css')).toEqual(['input[name="password"]']);
    expect(pick(selectorsFor($('#e2')), 'css')).toEqual(['#e2']);
    expect(pick(selectorsFor($('button')), 'css')).toEqual(['[data-qa="go"]']);
    for (const el of document.querySelectorAll('input,button')) expectResolves(el, selectorsFor(el));
  });

  it('skips ids that are not unique in their root', () => {
    html('<div><span id="dup">a</span></div><div><span id="dup">b</span></div>');
    const el = document.querySelectorAll('span')[1]!;
    const sels = selectorsFor(el);
    expect(sels[1]![0]).not.toContain('#dup');
    expectResolves(el, sels);
  });

  it.each([':r12:', '«r3»', 'radix-:r2:', 'css-1x2y3z', 'sc-bdVaJa', 'ember123', 'mat-input-3', 'headlessui-menu-button-1',
    'Button_root__3xYz1', 'a1b2c3d4e5', '5f3c9a7e', 'f47ac10b-58cc-4372-a567-0e02b2c3d479', 'row-12345', 'jsx-2876'])(
    'rejects generated token %s',
    (token) => expect(isGeneratedToken(token)).toBe(true),
  );

  it.each(['save', 'main-nav', 'user_email', 'btn-primary', 'item-3', 'h1-title', 'checkout', 'login-form', 'v2'])(
    'keeps stable token %s',
    (token) => expect(isGeneratedToken(token)).toBe(false),
  );

  it('rejects state and utility classes, keeps stable ones', () => {
    expect(isStableClass('toolbar-button')).toBe(true);
    for (const c of ['active', 'is-open', 'btn--selected', 'ng-touched', 'md:flex', 'w-[20px]', 'css-1x2y3z', 'hover']) {
      expect(isStableClass(c), c).toBe(false);
    }
  });

  it('falls back to the shortest unique tag/class/nth-of-type path, rejecting generated ids', () => {
    html(
      '<div id="app"><ul class="list"><li class="row active"><button id=":r1:" class="css-9x8y7z">Edit</button></li>' +
        '<li class="row"><button id=":r2:" class="css-9x8y7z">Edit</button></li></ul></div>',
    );
    const el = document.querySelectorAll('button')[1]!;
    const sels = selectorsFor(el);
    expect(kinds(sels)).toEqual(['css', 'xpath']); // duplicate name and text: no aria, no text
    expect(sels[0]).toEqual(['li:nth-of-type(2) > button']);
    expect(sels[1]).toEqual(['xpath///*[@id="app"]/ul/li[2]/button']);
    expect(sels.flat().join(' ')).not.toMatch(/:r2:|css-9x8y7z|active/);
    expectResolves(el, sels);
  });

  it('uses a stable class unique among siblings and an input type unique among inputs', () => {
    html('<div><span class="label">A</span><span class="value">B</span></div><p><input type="text"><input type="checkbox"></p>');
    expect(pick(selectorsFor($('.value')), 'css')).toEqual(['span.value']);
    const cb = $('input[type=checkbox]');
    expect(selectorsFor(cb)[0]).toEqual(['input[type="checkbox"]']);
    expectResolves(cb, selectorsFor(cb));
  });

  it('writes absolute positional xpath from /html when nothing is anchored', () => {
    html('<div><p>x</p><p>y <b>z</b></p></div><div><p>q</p></div>');
    const el = document.querySelectorAll('p')[1]!.querySelector('b')!;
    const sels = selectorsFor(el);
    expect(sels.find((c) => c[0]!.startsWith('xpath/'))).toEqual(['xpath//html/body/div[1]/p[2]/b']);
    expectResolves(el, sels);
  });

  it('checks aria uniqueness: a visible duplicate name+role suppresses it, a hidden one does not', () => {
    html('<button id="a">Save</button><button id="b">Save</button>');
    expect(kinds(selectorsFor($('#a')))).toEqual(['css', 'xpath']);
    html('<button id="a">Save</button><div hidden><button id="b">Save</button></div><button aria-hidden="true">Save</button>');
    expect(selectorsFor($('#a'))[0]).toEqual(['aria/Save[role="button"]']);
    html('<button id="a">Save</button><a href="/">Save</a>');
    expect(selectorsFor($('#a'))[0]).toEqual(['aria/Save[role="button"]']); // other role
  });

  it('aria uniqueness covers open shadow roots', () => {
    html('<button id="a">Save</button><x-panel></x-panel>');
    shadow($('x-panel'), '<button>Save</button>');
    expect(kinds(selectorsFor($('#a')))).toEqual(['css', 'xpath']);
  });

  it('uses Chrome role names in aria selectors (image, DisclosureTriangle)', () => {
    html('<img src="l.png" alt="Company logo"><details><summary>More options</summary></details>');
    expect(selectorsFor($('img'))[0]).toEqual(['aria/Company logo[role="image"]']);
    expect(selectorsFor($('summary'))[0]).toEqual(['aria/More options[role="DisclosureTriangle"]']);
  });

  it('omits aria for names Puppeteer would misparse or that are too long', () => {
    html(`<button id="a">x[role="y"]</button><button id="b">${'long '.repeat(20)}</button><button id="c">a\\b</button>`);
    for (const id of ['#a', '#b', '#c']) expect(kinds(selectorsFor($(id)))[0]).toBe('css');
  });

  it('keeps the exact name in aria selectors, including a space Chrome keeps next to an icon', () => {
    html('<a role="menuitem" href="#about">About <span aria-hidden="true">▾</span></a>');
    const aria = selectorsFor($('a'))[0]!;
    expect(aria).toEqual(['aria/About [role="menuitem"]']);
    const parsed = parseAsPuppeteer(aria) as Array<{ value: string }>;
    expect(ariaParts(parsed[0]!.value)).toEqual({ name: 'About ', role: 'menuitem' });
  });

  it('uses the caller-given name for aria, and none when it is empty', () => {
    html('<button id="a">Save</button>');
    expect(selectorsFor($('#a'), { name: '' })[0]).toEqual(['#a']);
    expect(selectorsFor($('#a'), { name: 'Store' })[0]).toEqual(['aria/Store[role="button"]']);
  });

  it('writes no text selector for text split across blocks or around interactive children', () => {
    html('<a id="a" href="/p"><div>Jane</div><div>Profile</div></a><div id="t"><button>General</button><button>Privacy</button></div><button id="b">Save <b>draft</b></button>');
    const text = (sel: string) => selectorsFor($(sel)).find((c) => c[0]!.startsWith('text/'));
    expect(text('#a')).toBeUndefined();
    expect(text('#t')).toBeUndefined();
    expect(text('#b')).toEqual(['text/Save draft']);
  });

  it('writes text selectors only for short, unique, single-line text of the element itself', () => {
    html(
      '<button id="a">Checkout</button><button id="b"><span>Pay now</span></button><p id="c">Read the terms</p>' +
        '<p>I agree to the terms</p><p id="d">line one\nline two</p><button id="e">Duplicate</button><i>Duplicate</i>' +
        `<p id="f">${'x'.repeat(70)}</p><textarea id="g">Unique text</textarea><input id="h" value="Field value">`,
    );
    const text = (sel: string) => selectorsFor($(sel)).find((c) => c[0]!.startsWith('text/'));
    expect(text('#a')).toEqual(['text/Checkout']);
    expect(text('#b')).toBeUndefined(); // the span holds all of it: Puppeteer would find the span
    expect(text('#c')).toEqual(['text/Read the terms']);
    expect(text('#d')).toBeUndefined();
    expect(text('#e')).toBeUndefined();
    expect(text('#f')).toBeUndefined();
    expect(text('#g')).toBeUndefined();
    expect(text('#h')).toBeUndefined();
  });

  it('counts text in shadow roots and field values for text uniqueness', () => {
    html('<button id="a">Apply</button><x-a></x-a><input id="i">');
    const sr = shadow($('x-a'), '<span>Apply</span>');
    expect(selectorsFor($('#a')).some((c) => c[0]!.startsWith('text/'))).toBe(false);
    sr.innerHTML = '';
    ($('#i') as HTMLInputElement).value = 'Apply coupon';
    expect(selectorsFor($('#a')).some((c) => c[0]!.startsWith('text/'))).toBe(false);
    ($('#i') as HTMLInputElement).value = '';
    expect(selectorsFor($('#a')).some((c) => c[0]!.startsWith('text/'))).toBe(true);
  });

  it('masked: no text selector, aria only from label-like sources', () => {
    html('<label for="pw">Password</label><input id="pw" type="password"><div id="card" role="button" tabindex="0">4111 1111</div>');
    const pw = selectorsFor($('#pw'), { masked: true });
    expect(pw).toEqual([['aria/Password[role="textbox"]'], ['#pw'], ['xpath///*[@id="pw"]']]);
    const card = selectorsFor($('#card'), { masked: true });
    expect(kinds(card)).toEqual(['css', 'xpath']);
    expect(card.flat().join(' ')).not.toContain('4111');
  });

  it('keeps values that redaction would change out of every selector', () => {
    html('<div id="jane.doe@example.com"><button data-testid="user-jane.doe@example.com">jane.doe@example.com</button></div>');
    const redact = (s: string) => s.replace(/[\w.]+@[\w.]+/g, '[email]');
    const sels = selectorsFor($('button'), { redact });
    expect(sels.flat().join(' ')).not.toContain('@');
    expect(kinds(sels)).toEqual(['css', 'xpath']);
    expectResolves($('button'), sels);
  });

  it('escapes ids and attribute values', () => {
    html(`<button id="1st.item">A</button><button id="a b">B</button><a data-testid='say "x"' href="/">C</a>`);
    for (const el of [...document.querySelectorAll('button,a')]) expectResolves(el, selectorsFor(el));
    expect(pick(selectorsFor($('a')), 'css')).toEqual(['[data-testid="say \\22 x\\22 "]']);
    expect(selectorsFor($('a'))[2]).toEqual([`xpath///*[@data-testid='say "x"']`]);
  });

  it('escapeCss matches CSS.escape', () => {
    const samples = ['save', '1st', '-1a', '-', 'a b', 'a.b#c', 'ä-ö', 'x\u0001y', '_u', '--x', 'a:b', '\u0000'];
    for (const s of samples) expect(escapeCss(s), s).toBe(CSS.escape(s));
    expect(cssString('a"b\\c')).toBe('"a\\22 b\\5c c"');
    expect(xpathLiteral(`a"b'c`)).toBe(`concat("a", '"', "b'c")`);
  });

  it('chains through open shadow roots: one css part per root, no xpath (Chrome cannot evaluate it there), pierce when unique', () => {
    html('<div id="app"><my-app></my-app></div>');
    const outer = shadow($('my-app'), '<header></header><x-toolbar class="bar"></x-toolbar>');
    const inner = shadow($('x-toolbar', outer), '<div><button class="save">Save</button><button>Close</button></div>');
    const el = $('button.save', inner);
    const sels = selectorsFor(el);
    expect(sels).toEqual([
      ['aria/Save[role="button"]'],
      ['my-app', 'x-toolbar', 'button.save'],
      ['pierce/button.save'],
      ['text/Save'],
    ]);
    expectResolves(el, sels);
    expect(() => parse({ title: 't', steps: [{ type: 'click', selectors: sels, offsetX: 1, offsetY: 1 }] })).not.toThrow();
  });

  it('uses ids inside a shadow root scoped to that root, and omits pierce when not unique page-wide', () => {
    html('<button class="save">Save page</button><x-card></x-card><x-card></x-card>');
    const [a, b] = [...document.querySelectorAll('x-card')];
    shadow(a!, '<button id="save" class="save">Save A</button>');
    shadow(b!, '<button id="save" class="save">Save B</button>');
    const el = $('#save', b!.shadowRoot!);
    const sels = selectorsFor(el);
    expect(sels[0]).toEqual(['aria/Save B[role="button"]']);
    expect(sels[1]).toEqual(['x-card:nth-of-type(2)', '#save']);
    expect(kinds(sels)).toEqual(['aria', 'css', 'text']); // `#save` is in two roots: no pierce
    // The xpath chain helper still writes root-relative parts (for tools that can evaluate them).
    expect(xpathChain(el)).toEqual(['/html/body/x-card[2]', './/*[@id="save"]']);
    expectResolves(el, sels);
  });

  it('caps every part at 400 characters in very deep DOMs, still matching the element', () => {
    let markup = '';
    for (let i = 0; i < 120; i++) markup += '<div><span></span>';
    markup += '<a href="/deep">Deep</a>';
    for (let i = 0; i < 120; i++) markup += '</div>';
    html(markup);
    const el = $('a');
    const sels = selectorsFor(el);
    expect(kinds(sels).slice(0, 3)).toEqual(['aria', 'css', 'xpath']);
    for (const c of sels) for (const p of c) expect(p.length).toBeLessThanOrEqual(400);
    for (const c of sels.slice(1, 3)) expect(resolveChain(c)).toContain(el);
  });

  it('always gives at least css and xpath outside shadow roots, within the schema limits', () => {
    html('<div><span></span><span></span></div>');
    const el = document.querySelectorAll('span')[1]!;
    const sels = selectorsFor(el);
    expect(sels.length).toBeGreaterThanOrEqual(2);
    expect(sels.length).toBeLessThanOrEqual(8);
    expectResolves(el, sels);
  });

  it('works on elements of another document (a frame) without touching the global document', () => {
    html('<button id="go">Go</button>');
    const doc = document.implementation.createHTMLDocument('frame');
    doc.body.innerHTML = '<nav><a href="/a">Go</a><a href="/b">Back</a></nav>';
    const el = doc.querySelector('a')!;
    const sels = selectorsFor(el);
    expect(sels[0]).toEqual(['aria/Go[role="link"]']);
    expectResolves(el, sels, doc);
  });

  it('handles SVG elements in xpath with local-name()', () => {
    html('<button id="b"><svg><path d="M0"></path></svg></button>');
    const el = $('path');
    const x = selectorsFor(el).find((c) => c[0]!.startsWith('xpath/'));
    expect(x).toEqual([`xpath///*[@id="b"]/*[local-name()="svg"]/*[local-name()="path"]`]);
    expectResolves(el, [x!]);
  });
});

describe('lib/describe/selectors (generated content and Chrome roles)', () => {
  const stubPseudo = (map: Record<string, [string, string]>) => {
    const real = window.getComputedStyle.bind(window);
    return vi.spyOn(window, 'getComputedStyle').mockImplementation(((el: Element, pseudo?: string | null) => {
      if (!pseudo) return real(el);
      const cls = [...el.classList].find((c) => map[c]);
      const pair = cls ? map[cls]! : ['none', 'none'];
      return { content: pseudo === '::before' ? pair[0] : pair[1] } as CSSStyleDeclaration;
    }) as typeof window.getComputedStyle);
  };

  it('finds a duplicate whose name comes partly from ::before/::after content', () => {
    html('<button class="br">Twin</button><button id="t">[Twin]</button>');
    const spy = stubPseudo({ br: ['"["', '"]"'] });
    expect(kinds(selectorsFor($('#t')))[0]).toBe('css');
    spy.mockRestore();
  });

  it('finds icon-font duplicates (private-use glyph + text)', () => {
    html('<div><button class="i" id="a">Edit</button></div><div><button class="i">Edit</button></div><button>Edit row</button>');
    const spy = stubPseudo({ i: ['"\\f101"', 'none'] });
    expect(kinds(selectorsFor($('#a')))).toEqual(['css', 'xpath']);
    spy.mockRestore();
  });

  it('writes no aria selector for an option or treeitem Chrome treats as generic', () => {
    html('<div id="o" role="option">Orphan</div><div role="listbox"><div><div id="n" role="option">Nested</div></div></div><div id="t" role="treeitem">Leaf</div>');
    expect(kinds(selectorsFor($('#o')))[0]).toBe('css');
    expect(selectorsFor($('#n'))[0]).toEqual(['aria/Nested[role="option"]']);
    expect(kinds(selectorsFor($('#t')))[0]).toBe('css');
  });
});

describe('lib/describe/selectors aria uniqueness on large pages', () => {
  it('finds a unique name among thousands of same-role elements named by aria-label', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `<button aria-label="Open order ${i}">Open</button><input type="checkbox" aria-label="Select ${i}">`);
    html(`${rows.join('')}<button id="all">Select visible</button>`);
    expect(selectorsFor($('#all'))[0]).toEqual(['aria/Select visible[role="button"]']);
    expect(selectorsFor($('[aria-label="Open order 1500"]'))[0]).toEqual(['aria/Open order 1500[role="button"]']);
  });

  it('still rules out a duplicate among them, and one named through aria-labelledby', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `<button aria-label="Open order ${i}">Open</button>`);
    html(`${rows.join('')}<button id="dup" aria-label="Open order 7">Open</button>`);
    expect(kinds(selectorsFor($('#dup')))[0]).toBe('css');
    html('<span id="l">Save</span><button aria-labelledby="l" aria-label="Other">x</button><button id="s">Save</button>');
    expect(kinds(selectorsFor($('#s')))[0]).toBe('css');
  });
});
