// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { describeTarget } from '../../../lib/describe/target';
import * as api from '../../../lib/describe';
import { Target } from '../../../lib/schema/event';
import { $, html, shadow } from './helpers';

const none = (s: string) => s;
const redactEmail = (s: string) => s.replace(/[\w.+-]+@[\w-]+\.[\w.]+/g, '[email]');

describe('lib/describe/target', () => {
  it('describes a button: tag, role, name, Recorder selectors, box, attrs', () => {
    html('<form><button id="save" data-testid="save-btn" aria-expanded="false" aria-haspopup="menu">Save</button></form>');
    const t = describeTarget($('#save'), { masked: false, redact: none });
    expect(t).toEqual({
      tag: 'button',
      role: 'button',
      name: 'Save',
      selectors: [['aria/Save[role="button"]'], ['[data-testid="save-btn"]'], ['xpath///*[@data-testid="save-btn"]'], ['text/Save']],
      box: { x: 0, y: 0, w: 0, h: 0 },
      masked: false,
      attrs: { type: 'submit', 'data-testid': 'save-btn', 'aria-haspopup': 'menu', 'aria-expanded': 'false' },
    });
    expect(Target.safeParse(t).success).toBe(true);
  });

  it('reduces link hrefs to origin + path, redacted; other schemes to the scheme', () => {
    html('<a id="a" href="https://shop.example.com/u/jane@example.com/orders?token=abc#x">Orders</a><a id="m" href="mailto:jane@example.com">Mail</a><a id="r" href="/help?q=1">Help</a>');
    expect(describeTarget($('#a'), { masked: false, redact: redactEmail }).attrs).toEqual({ href: 'https://shop.example.com/u/[email]/orders' });
    expect(describeTarget($('#m'), { masked: false, redact: redactEmail }).attrs).toEqual({ href: 'mailto:' });
    expect(describeTarget($('#r'), { masked: false, redact: none }).attrs!.href).toMatch(/^https?:\/\/[^?]+\/help$/);
  });

  it('records checkbox state and aria states when not masked', () => {
    html('<label><input id="c" type="checkbox" checked> Subscribe</label><div id="o" role="option" aria-selected="true">Blue</div>');
    expect(describeTarget($('#c'), { masked: false, redact: none })).toMatchObject({ role: 'checkbox', name: 'Subscribe', attrs: { type: 'checkbox', checked: 'true' } });
    expect(describeTarget($('#o'), { masked: false, redact: none }).attrs).toEqual({ 'aria-selected': 'true' });
  });

  it('masked password field: label name only, no text selector, no value anywhere', () => {
    html('<label for="pw">Password</label><input id="pw" type="password" name="pw" value="hunter2-secret">');
    ($('#pw') as HTMLInputElement).value = 'hunter2-typed';
    const t = describeTarget($('#pw'), { masked: true, redact: none });
    expect(t.masked).toBe(true);
    expect(t.name).toBe('Password');
    expect(t.selectors.some((c) => c[0]!.startsWith('text/'))).toBe(false);
    expect(JSON.stringify(t)).not.toMatch(/hunter2/);
    expect(Target.safeParse(t).success).toBe(true);
  });

  it('masked element: never named from its own content, no state attrs', () => {
    html('<div id="card" role="checkbox" aria-checked="true" tabindex="0">4111 1111 1111 1111</div><label><input id="c" type="checkbox" checked>Diagnosis: flu</label>');
    const t = describeTarget($('#card'), { masked: true, redact: none });
    expect(t.name).toBeUndefined();
    expect(JSON.stringify(t)).not.toContain('4111');
    expect(t.attrs).toBeUndefined();
    const c = describeTarget($('#c'), { masked: true, redact: none });
    expect(c.attrs).toEqual({ type: 'checkbox' });
  });

  it('redacts the name and keeps a redacted name out of the aria selector', () => {
    html('<button id="b">Email jane@example.com</button>');
    const t = describeTarget($('#b'), { masked: false, redact: redactEmail });
    expect(t.name).toBe('Email [email]');
    expect(JSON.stringify(t.selectors)).not.toContain('jane');
    expect(t.selectors[0]).toEqual(['#b']);
  });

  it('omits role none/presentation and empty names', () => {
    html('<ul><li id="l" role="none"><span id="s">x</span></li></ul>');
    const t = describeTarget($('#l'), { masked: false, redact: none });
    expect(t.role).toBeUndefined();
    expect(t.name).toBeUndefined();
    expect(describeTarget($('#s'), { masked: false, redact: none }).role).toBeUndefined();
  });

  it('describes elements in shadow roots and in other documents, valid against the schema', () => {
    html('<my-app></my-app>');
    const sr = shadow($('my-app'), '<button class="go">Go</button>');
    const t = describeTarget($('.go', sr), { masked: false, redact: none });
    expect(t.selectors[1]).toEqual(['my-app', 'button']);
    expect(Target.safeParse(t).success).toBe(true);
    const doc = document.implementation.createHTMLDocument('f');
    doc.body.innerHTML = '<input id="q" placeholder="Search">';
    const f = describeTarget(doc.getElementById('q')!, { masked: false, redact: none });
    expect(f).toMatchObject({ tag: 'input', role: 'textbox', name: 'Search', attrs: { type: 'text' } });
  });

  it('does not throw on detached elements', () => {
    const el = document.createElement('button');
    el.textContent = 'Detached';
    const t = describeTarget(el, { masked: false, redact: none });
    expect(t.tag).toBe('button');
    expect(t.selectors.length).toBeGreaterThanOrEqual(2);
    expect(Target.safeParse(t).success).toBe(true);
  });

  it('index re-exports the public API', () => {
    for (const name of ['roleOf', 'accessibleName', 'selectorsFor', 'boxOf', 'framePath', 'viewportOf', 'menuContext', 'isMenuOpener', 'describeTarget']) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});

describe('lib/describe/target (icon glyphs)', () => {
  it('drops private-use glyphs from the recorded name but keeps them in the aria selector', () => {
    html('<button id="s">\uf101 Settings</button>');
    const t = describeTarget($('#s'), { masked: false, redact: none });
    expect(t.name).toBe('Settings');
    expect(t.selectors[0]).toEqual(['aria/\uf101 Settings[role="button"]']);
  });
});

describe('lib/describe/target (names for display vs. for selectors)', () => {
  it('records a trimmed name while the aria selector keeps the exact name Chrome computes', () => {
    html('<button id="b">Docs <span aria-hidden="true">→</span></button>');
    const t = describeTarget($('#b'), { masked: false, redact: none });
    expect(t.name).toBe('Docs');
    expect(t.selectors[0]).toEqual(['aria/Docs [role="button"]']);
  });
});
