// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { chromeRole, roleOf } from '../../../lib/describe/role';
import { $, html } from './helpers';

describe('lib/describe/role', () => {
  it('takes the first valid token of an explicit role', () => {
    html('<div id="a" role="foo button link"></div><div id="b" role="bogus"></div><span id="c" role="IMAGE"></span>');
    expect(roleOf($('#a'))).toBe('button');
    expect(roleOf($('#b'))).toBeUndefined();
    expect(roleOf($('#c'))).toBe('img');
  });

  it.each([
    ['<a href="/x">x</a>', 'a', 'link'],
    ['<a>x</a>', 'a', undefined],
    ['<button>x</button>', 'button', 'button'],
    ['<input>', 'input', 'textbox'],
    ['<input type="text">', 'input', 'textbox'],
    ['<input type="email">', 'input', 'textbox'],
    ['<input type="password">', 'input', 'textbox'],
    ['<input type="checkbox">', 'input', 'checkbox'],
    ['<input type="radio">', 'input', 'radio'],
    ['<input type="submit">', 'input', 'button'],
    ['<input type="image" alt="Go">', 'input', 'button'],
    ['<input type="search">', 'input', 'searchbox'],
    ['<input type="number">', 'input', 'spinbutton'],
    ['<input type="range">', 'input', 'slider'],
    ['<input type="text" list="l">', 'input', 'combobox'],
    ['<input type="search" list="l">', 'input', 'combobox'],
    ['<input type="hidden">', 'input', undefined],
    ['<input type="date">', 'input', undefined],
    ['<input type="file">', 'input', undefined],
    ['<select><option>a</option></select>', 'select', 'combobox'],
    ['<select multiple><option>a</option></select>', 'select', 'listbox'],
    ['<select size="4"><option>a</option></select>', 'select', 'listbox'],
    ['<select><option>a</option></select>', 'option', 'option'],
    ['<textarea></textarea>', 'textarea', 'textbox'],
    ['<img src="x.png" alt="Logo">', 'img', 'img'],
    ['<img src="x.png">', 'img', 'img'],
    ['<img src="x.png" alt="">', 'img', 'none'],
    ['<h3>T</h3>', 'h3', 'heading'],
    ['<nav></nav>', 'nav', 'navigation'],
    ['<main></main>', 'main', 'main'],
    ['<header></header>', 'header', 'banner'],
    ['<article><header></header></article>', 'header', undefined],
    ['<footer></footer>', 'footer', 'contentinfo'],
    ['<section><footer></footer></section>', 'footer', undefined],
    ['<form></form>', 'form', undefined],
    ['<form aria-label="Login"></form>', 'form', 'form'],
    ['<ul><li>a</li></ul>', 'ul', 'list'],
    ['<ol><li>a</li></ol>', 'li', 'listitem'],
    ['<table><tr><td>a</td></tr></table>', 'table', 'table'],
    ['<table><tr><td>a</td></tr></table>', 'tr', 'row'],
    ['<table><tr><td>a</td></tr></table>', 'td', 'cell'],
    ['<table role="grid"><tr><td>a</td></tr></table>', 'td', 'gridcell'],
    ['<table><tr><th>a</th></tr></table>', 'th', 'columnheader'],
    ['<table><tr><th scope="row">a</th></tr></table>', 'th', 'rowheader'],
    ['<dialog></dialog>', 'dialog', 'dialog'],
    ['<details><summary>s</summary></details>', 'details', 'group'],
    ['<details><summary>s</summary></details>', 'summary', 'button'],
    ['<progress></progress>', 'progress', 'progressbar'],
    ['<div contenteditable="true"></div>', 'div', 'textbox'],
    ['<div contenteditable></div>', 'div', 'textbox'],
    ['<div contenteditable="false"></div>', 'div', undefined],
    ['<div></div>', 'div', undefined],
    ['<section></section>', 'section', undefined],
    ['<section aria-label="News"></section>', 'section', 'region'],
  ])('%s → %s is %s', (markup, sel, role) => {
    html(markup);
    expect(roleOf($(sel))).toBe(role);
  });

  it('maps roles to the names Chrome resolves aria selectors against', () => {
    html(
      '<img id="i" alt="Logo" src="x"><details><summary id="s">More</summary></details><button id="b">B</button>' +
        '<select id="sel"><option id="o">a</option></select><select multiple><option id="lo">b</option></select>' +
        '<input list="dl"><datalist id="dl"><option id="dlo">c</option></datalist>' +
        '<div id="ce" contenteditable></div><li id="n" role="none"></li><div id="d"></div><span id="ri" role="image"></span>',
    );
    expect(chromeRole($('#i'))).toBe('image');
    expect(chromeRole($('#ri'))).toBe('image');
    expect(chromeRole($('#s'))).toBe('DisclosureTriangle');
    expect(chromeRole($('#b'))).toBe('button');
    expect(chromeRole($('#sel'))).toBe('combobox');
    expect(chromeRole($('#o'))).toBe('option'); // verified in Chromium 156: drop-down options resolve as "option"
    expect(chromeRole($('#lo'))).toBe('option');
    expect(chromeRole($('#dlo'))).toBeUndefined(); // not in Chrome's accessibility tree
    expect(chromeRole($('#ce'))).toBeUndefined(); // Chrome: generic
    expect(chromeRole($('#n'))).toBeUndefined();
    expect(chromeRole($('#d'))).toBeUndefined();
  });
});
