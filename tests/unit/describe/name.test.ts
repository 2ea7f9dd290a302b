// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { accessibleName } from '../../../lib/describe/name';
import { $, html, shadow } from './helpers';

describe('lib/describe/name', () => {
  it('uses aria-labelledby first, joining references in order, within the same root', () => {
    html('<span id="a">Delete</span><span id="b">file  report.pdf</span><button id="t" aria-labelledby="a b" aria-label="X">Trash</button>');
    expect(accessibleName($('#t'))).toBe('Delete file report.pdf');
  });

  it('includes a hidden element referenced directly by aria-labelledby', () => {
    html('<span id="h" hidden>Secret label</span><div role="button" id="t" aria-labelledby="h">x</div>');
    expect(accessibleName($('#t'))).toBe('Secret label');
  });

  it('resolves aria-labelledby inside a shadow root, not in the document', () => {
    html('<span id="l">Document label</span><div id="host"></div>');
    const sr = shadow($('#host'), '<span id="l">Shadow label</span><button id="b" aria-labelledby="l">x</button>');
    expect(accessibleName($('#b', sr))).toBe('Shadow label');
  });

  it('uses aria-label over content', () => {
    html('<button id="b" aria-label="Close dialog">×</button>');
    expect(accessibleName($('#b'))).toBe('Close dialog');
  });

  it('uses label[for] and wrapping labels, never the field value', () => {
    html(
      '<label for="e">Email</label><input id="e" value="jane@example.com">' +
        '<label>Remember me <input id="r" type="checkbox"></label>' +
        '<label>Name <input id="n" value="Jane Doe"> (full)</label>',
    );
    expect(accessibleName($('#e'))).toBe('Email');
    expect(accessibleName($('#r'))).toBe('Remember me');
    expect(accessibleName($('#n'))).toBe('Name (full)');
  });

  it('finds label[for] in the same shadow root', () => {
    html('<div id="host"></div>');
    const sr = shadow($('#host'), '<label for="q">Search</label><input id="q">');
    expect(accessibleName($('#q', sr))).toBe('Search');
  });

  it('falls back to title, then placeholder, for text fields; never to the value', () => {
    html('<input id="a" placeholder="Search products" value="shoes"><input id="b" title="Quantity" placeholder="1"><input id="c" value="typed">');
    expect(accessibleName($('#a'))).toBe('Search products');
    expect(accessibleName($('#b'))).toBe('Quantity');
    expect(accessibleName($('#c'))).toBe('');
  });

  it('uses alt for images and image inputs, value for input buttons', () => {
    html(
      '<img id="i" alt="Company logo" src="x"><input id="g" type="image" alt="Go" src="x"><input id="s" type="submit" value="Send">' +
        '<input id="s2" type="submit"><input id="r" type="reset"><a id="l" href="/"><img alt="Home" src="h"></a>',
    );
    expect(accessibleName($('#i'))).toBe('Company logo');
    expect(accessibleName($('#g'))).toBe('Go');
    expect(accessibleName($('#s'))).toBe('Send');
    expect(accessibleName($('#s2'))).toBe('Submit');
    expect(accessibleName($('#r'))).toBe('Reset');
    expect(accessibleName($('#l'))).toBe('Home');
  });

  it('names from content for buttons, links, headings, menu items, options, tabs, cells', () => {
    html(
      '<button id="b"> Save <b>draft</b> </button><a id="a" href="/">Read <em>more</em></a><h2 id="h">Title</h2>' +
        '<div id="m" role="menuitem">Open…</div><div id="o" role="option">Blue</div><div id="t" role="tab">Settings</div>' +
        '<table><tr><td id="c">42 items</td></tr></table><div id="d">Plain div</div>',
    );
    expect(accessibleName($('#b'))).toBe('Save draft');
    expect(accessibleName($('#a'))).toBe('Read more');
    expect(accessibleName($('#h'))).toBe('Title');
    expect(accessibleName($('#m'))).toBe('Open…');
    expect(accessibleName($('#o'))).toBe('Blue');
    expect(accessibleName($('#t'))).toBe('Settings');
    expect(accessibleName($('#c'))).toBe('42 items');
    expect(accessibleName($('#d'))).toBe(''); // generic: no name from content
  });

  it('separates block children with a space and inline children not at all', () => {
    html('<a id="a" href="/"><div>Jane</div><div>Profile</div></a><button id="b">Un<span>do</span></button><a id="c" href="/">Read<span> more</span></a>');
    expect(accessibleName($('#a'))).toBe('Jane Profile');
    expect(accessibleName($('#b'))).toBe('Undo');
    expect(accessibleName($('#c'))).toBe('Read more');
  });

  it('skips hidden parts: hidden, aria-hidden, display:none, script/style', () => {
    html(
      '<button id="b">Save<span hidden>secret</span><span aria-hidden="true">▾</span>' +
        '<span style="display:none">x</span><style>.a{}</style><script>var a</script></button>',
    );
    expect(accessibleName($('#b'))).toBe('Save');
  });

  it('uses name from the shadow content of a host and slotted light content', () => {
    html('<x-btn id="h" role="button"><span>Light</span></x-btn>');
    shadow($('#h'), '<span>Icon</span> <slot></slot>');
    expect(accessibleName($('#h'))).toBe('Icon Light');
  });

  it('uses legend, caption and svg title', () => {
    html(
      '<fieldset id="f"><legend>Shipping</legend></fieldset><table id="t"><caption>Prices</caption></table>' +
        '<button id="b"><svg><title>Close</title></svg></button>',
    );
    expect(accessibleName($('#f'))).toBe('Shipping');
    expect(accessibleName($('#t'))).toBe('Prices');
    expect(accessibleName($('#b'))).toBe('Close');
  });

  it('excludes a nested submenu or group from the item name', () => {
    html(
      '<ul role="menu"><li id="f" role="menuitem">File <ul role="menu"><li role="menuitem">Open</li></ul></li></ul>' +
        '<ul role="tree"><li id="t" role="treeitem"><span>Fruits</span><ul role="group"><li role="treeitem">Apple</li></ul></li></ul>',
    );
    expect(accessibleName($('#f'))).toBe('File');
    expect(accessibleName($('#t'))).toBe('Fruits');
  });

  it('with fromContent:false uses only label-like sources', () => {
    html(
      '<label for="p">Password</label><input id="p" type="password">' +
        '<div id="d" role="button">4111 1111 1111 1111</div>' +
        '<div id="l" role="textbox" aria-label="Card">4111</div>' +
        '<div id="s" role="button" aria-labelledby="s">Self text</div>' +
        '<div id="c" role="button" aria-labelledby="c1"><span id="c1">Child text</span></div>',
    );
    expect(accessibleName($('#p'), { fromContent: false })).toBe('Password');
    expect(accessibleName($('#d'), { fromContent: false })).toBe('');
    expect(accessibleName($('#d'))).toBe('4111 1111 1111 1111');
    expect(accessibleName($('#l'), { fromContent: false })).toBe('Card');
    expect(accessibleName($('#s'), { fromContent: false })).toBe('');
    expect(accessibleName($('#c'), { fromContent: false })).toBe('');
  });

  it('caps the name at 120 characters and collapses whitespace', () => {
    html(`<button id="b">${'word '.repeat(60)}</button><button id="w">a\n\t  b</button>`);
    const n = accessibleName($('#b'));
    expect(n.length).toBeLessThanOrEqual(120);
    expect(n.startsWith('word word')).toBe(true);
    expect(accessibleName($('#w'))).toBe('a b');
  });

  it('survives aria-labelledby cycles', () => {
    html('<div id="a" role="button" aria-labelledby="b">A</div><div id="b" role="button" aria-labelledby="a">B</div>');
    expect(accessibleName($('#a'))).toBe('B');
  });

  it('works for elements in another document (iframe-like)', () => {
    const doc = document.implementation.createHTMLDocument('frame');
    doc.body.innerHTML = '<label for="x">Inside frame</label><input id="x">';
    expect(accessibleName(doc.getElementById('x')!)).toBe('Inside frame');
  });
});

describe('lib/describe/name (CSS generated content)', () => {
  it('reads strings, attr() and alternative text from a computed content value', async () => {
    const { cssContentText } = await import('../../../lib/describe/name');
    html('<button id="b" data-x="New">x</button>');
    const b = $('#b');
    expect(cssContentText('none', b)).toBe('');
    expect(cssContentText('normal', b)).toBe('');
    expect(cssContentText('"★ "', b)).toBe('★ ');
    expect(cssContentText('"a\\"b"', b)).toBe('a"b');
    expect(cssContentText('"\\f101"', b)).toBe('\uf101');
    expect(cssContentText('attr(data-x) " "', b)).toBe('New ');
    expect(cssContentText('url("i.svg") / "Alt text"', b)).toBe(' Alt text ');
    expect(cssContentText('url(data:image/gif;base64,R0l=)', b)).toBe('');
    expect(cssContentText('counter(item) ". "', b)).toBe('. ');
    expect(cssContentText('open-quote "q" close-quote', b)).toBe('q');
  });

  it('adds ::before/::after content to names from content (happy-dom ignores pseudo styles: stubbed)', () => {
    html('<button id="b" class="ico">Starred</button><a id="a" href="/"><span class="ico">Home</span></a>');
    const real = window.getComputedStyle.bind(window);
    const stub = (el: Element, pseudo?: string | null) =>
      (el.classList.contains('ico') && pseudo === '::before' ? { content: '"★ "' } : pseudo ? { content: 'none' } : real(el)) as CSSStyleDeclaration;
    const spy = vi.spyOn(window, 'getComputedStyle').mockImplementation(stub);
    expect(accessibleName($('#b'))).toBe('★ Starred');
    expect(accessibleName($('#a'))).toBe('★ Home');
    expect(accessibleName($('#b'), { cssContent: false })).toBe('Starred');
    spy.mockRestore();
  });
});

describe('lib/describe/name (stylesheet visibility)', () => {
  it('skips parts hidden by stylesheets (display:none, visibility:hidden) but not display:contents', () => {
    document.head.innerHTML = '<style>.invis{visibility:hidden}.gone{display:none}.contents{display:contents}</style>';
    html('<button id="b">Open<span class="invis">hidden</span><span class="gone">gone</span></button><button id="c"><span class="contents">Contents</span></button>');
    expect(accessibleName($('#b'))).toBe('Open');
    expect(accessibleName($('#c'))).toBe('Contents');
    document.head.innerHTML = '';
  });
});

describe('lib/describe/name (whitespace next to excluded but rendered content, as Chrome computes it)', () => {
  it.each([
    ['About <span aria-hidden="true">▾</span>', 'About '],
    ['<span aria-hidden="true">★</span> Save', ' Save'],
    ['Save <span hidden>x</span>', 'Save'],
    ['Save <i aria-hidden="true"></i>', 'Save'],
    ['Save <span aria-hidden="true">x</span> now', 'Save now'],
    ['Save <img alt="" src="x.png">', 'Save '],
    ['Save <svg aria-hidden="true"></svg>', 'Save '],
    ['Save <span style="visibility:hidden">x</span>', 'Save '],
    ['Save<span aria-hidden="true"> ▾</span>', 'Save'],
    ['<span aria-hidden="true">★</span>', ''],
  ])('%s → %j', (inner, expected) => {
    html(`<button id="b">${inner}</button>`);
    expect(accessibleName($('#b'))).toBe(expected);
  });
});
