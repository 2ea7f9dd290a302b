// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { dialogOf, isMenuOpener, menuContext, menuOpenerOf, openerChain, opensSubmenu } from '../../../lib/describe/menu';
import { $, html, shadow } from './helpers';

/** WAI-ARIA APG "Navigation Menubar" structure: nested ul/li, li role=none, a role=menuitem. */
const APG_MENUBAR = `
<nav aria-label="Mythical University">
  <ul id="menubar1" role="menubar" aria-label="Mythical University">
    <li role="none">
      <a role="menuitem" aria-haspopup="true" aria-expanded="true" href="#about">About <span aria-hidden="true">▾</span></a>
      <ul role="menu" aria-label="About">
        <li role="none"><a role="menuitem" href="#overview">Overview</a></li>
        <li role="none">
          <a role="menuitem" aria-haspopup="true" aria-expanded="true" href="#facts">Facts</a>
          <ul role="menu" aria-label="Facts">
            <li role="none"><a id="history" role="menuitem" href="#history"><span>History</span></a></li>
            <li role="none"><a role="menuitem" href="#current">Current Statistics</a></li>
          </ul>
        </li>
      </ul>
    </li>
    <li role="none">
      <a id="admissions" role="menuitem" aria-haspopup="true" aria-expanded="false" href="#admissions">Admissions</a>
      <ul role="menu" aria-label="Admissions" hidden>
        <li role="none"><a id="apply" role="menuitem" href="#apply">Apply</a></li>
      </ul>
    </li>
  </ul>
</nav>`;

/** Application menubar with submenus nested inside the menuitem itself, and checkable items. */
const APP_MENUBAR = `
<div role="menubar" aria-label="Editor">
  <div role="menuitem" aria-haspopup="menu" aria-expanded="true">File
    <div role="menu">
      <div role="menuitem">New</div>
      <div role="menuitem" aria-haspopup="menu" aria-expanded="true">Export
        <div role="menu">
          <div id="pdf" role="menuitem"><svg aria-hidden="true"></svg>PDF</div>
          <div role="menuitem">PNG</div>
        </div>
      </div>
    </div>
  </div>
  <div role="menuitem" aria-haspopup="menu">View
    <div role="menu">
      <div id="ruler" role="menuitemcheckbox" aria-checked="true">Show ruler</div>
      <div role="group" aria-label="Zoom"><div id="z100" role="menuitemradio" aria-checked="false">100%</div></div>
    </div>
  </div>
</div>`;

/** Radix-style dropdown: trigger with aria-controls, content portalled to body end, submenu portalled too. */
const RADIX = `
<div id="root"><header><button type="button" id="radix-:r1:" aria-haspopup="menu" aria-expanded="true"
  aria-controls="radix-:r2:" data-state="open">Options</button></header></div>
<div data-radix-popper-content-wrapper="">
  <div role="menu" id="radix-:r2:" aria-labelledby="radix-:r1:" aria-orientation="vertical" data-state="open">
    <div role="menuitem" tabindex="-1">New Tab <div class="RightSlot">⌘+T</div></div>
    <div role="menuitem" id="radix-:r5:" aria-haspopup="menu" aria-expanded="true" aria-controls="radix-:r6:">More Tools</div>
  </div>
</div>
<div data-radix-popper-content-wrapper="">
  <div role="menu" id="radix-:r6:" aria-labelledby="radix-:r5:">
    <div id="save-as" role="menuitem" tabindex="-1">Save Page As…</div>
    <div role="menuitem" tabindex="-1">Create Shortcut…</div>
  </div>
</div>`;

/** Headless UI menu: the items are linked back to the button only by aria-labelledby. */
const HEADLESS = `
<div class="relative"><button id="headlessui-menu-button-1" type="button" aria-haspopup="menu" aria-expanded="true">Account</button></div>
<div id="headlessui-portal-root"><div id="headlessui-menu-items-2" role="menu" aria-labelledby="headlessui-menu-button-1" tabindex="0">
  <a id="headlessui-menu-item-3" role="menuitem" href="/settings">Settings</a>
  <a id="headlessui-menu-item-4" role="menuitem" href="/logout">Sign out</a>
</div></div>`;

/** MUI Menu: aria-controls names the Popover root; the ul role=menu inside it is labelled by the button. */
const MUI = `
<button id="basic-button" aria-controls="basic-menu" aria-haspopup="true" aria-expanded="true">Dashboard</button>
<div role="presentation" id="basic-menu" class="MuiPopover-root MuiMenu-root"><div class="MuiPaper-root">
  <ul class="MuiList-root" role="menu" tabindex="-1"><li class="MuiMenuItem-root" role="menuitem" tabindex="0">Profile</li>
  <li id="mui-logout" class="MuiMenuItem-root" role="menuitem" tabindex="-1">Logout</li></ul>
</div></div>`;

const TREE = `
<ul role="tree" aria-label="Files">
  <li role="treeitem" aria-expanded="true"><span>Projects</span>
    <ul role="group">
      <li role="treeitem" aria-expanded="true"><span>project-1</span>
        <ul role="group"><li id="readme" role="treeitem">README.md</li></ul>
      </li>
    </ul>
  </li>
</ul>
<div role="tree" aria-label="Flat"><div role="treeitem" aria-expanded="true" aria-owns="g1">Docs</div>
  <div role="group" id="g1"><div id="guide" role="treeitem">Guide</div></div></div>`;

describe('lib/describe/menu', () => {
  it('APG menubar: path through nested ul/li submenus, names without the submenu text', () => {
    html(APG_MENUBAR);
    expect(menuContext($('#history span'))).toMatchObject({ widget: 'menubar', path: ['About', 'Facts', 'History'], item: $('#history') });
    expect(menuContext($('#apply'))).toMatchObject({ widget: 'menubar', path: ['Admissions', 'Apply'] });
    expect(menuContext($('#admissions'))).toMatchObject({ widget: 'menubar', path: ['Admissions'] });
  });

  it('application menubar: submenus nested inside the menuitem, checkbox/radio items, groups', () => {
    html(APP_MENUBAR);
    expect(menuContext($('#pdf'))).toMatchObject({ widget: 'menubar', path: ['File', 'Export', 'PDF'] });
    expect(menuContext($('#ruler'))).toMatchObject({ widget: 'menubar', path: ['View', 'Show ruler'] });
    expect(menuContext($('#z100'))).toMatchObject({ widget: 'menubar', path: ['View', '100%'] });
  });

  it('portal menu linked by aria-controls (Radix), including a portalled submenu', () => {
    html(RADIX);
    expect(menuContext($('#save-as'))).toMatchObject({ widget: 'menu', path: ['Options', 'More Tools', 'Save Page As…'] });
    expect(menuContext($('[role=menuitem]'))).toMatchObject({ widget: 'menu', path: ['Options', 'New Tab ⌘+T'] });
  });

  it('menu linked only by aria-labelledby (Headless UI)', () => {
    html(HEADLESS);
    expect(menuContext($('#headlessui-menu-item-4'))).toMatchObject({ widget: 'menu', path: ['Account', 'Sign out'] });
  });

  it('menu whose aria-controls names a wrapper around it (MUI Popover)', () => {
    html(MUI);
    expect(menuContext($('#mui-logout'))).toMatchObject({ widget: 'menu', path: ['Dashboard', 'Logout'] });
  });

  it('sibling submenu after its menuitem inside the same menu', () => {
    html(`<div role="menu" aria-label="Context"><div role="menuitem">Copy</div>
      <div role="menuitem" aria-haspopup="menu" aria-expanded="true">Share</div>
      <div role="menu"><div id="mail" role="menuitem">Email</div></div></div>`);
    expect(menuContext($('#mail'))).toMatchObject({ widget: 'menu', path: ['Share', 'Email'] });
  });

  it('context menu with no opener starts at its first level', () => {
    html('<div role="menu" aria-label="Context"><div id="c" role="menuitem">Copy</div></div><button aria-expanded="false">Other</button>');
    expect(menuContext($('#c'))).toMatchObject({ widget: 'menu', path: ['Copy'] });
  });

  it('does not take a menu opener from elsewhere for a top-level menubar', () => {
    html(`<button aria-expanded="true" aria-controls="x">Accordion</button><div id="x">...</div>${APG_MENUBAR}`);
    expect(menuContext($('#admissions'))!.path).toEqual(['Admissions']);
  });

  it('tree: path of ancestor treeitems, nested groups and aria-owns groups', () => {
    html(TREE);
    expect(menuContext($('#readme'))).toMatchObject({ widget: 'tree', path: ['Projects', 'project-1', 'README.md'] });
    expect(menuContext($('#guide'))).toMatchObject({ widget: 'tree', path: ['Docs', 'Guide'] });
  });

  it('tabs', () => {
    html('<div role="tablist" aria-label="Settings"><button role="tab" aria-selected="true">General</button><button id="t2" role="tab" aria-selected="false"><span>Privacy</span></button></div>');
    expect(menuContext($('#t2 span'))).toMatchObject({ widget: 'tablist', path: ['Privacy'], item: $('#t2') });
  });

  it('combobox with a listbox popup (ARIA 1.2 aria-controls, 1.0 aria-owns, 1.1 wrapper)', () => {
    html(`<label for="cb">Country</label><input id="cb" role="combobox" aria-expanded="true" aria-controls="lb" value="Fr">
      <ul id="lb" role="listbox"><li id="fr" role="option">France</li><li role="option">Finland</li></ul>
      <label id="l2">Fruit</label><input id="cb2" role="combobox" aria-labelledby="l2" aria-owns="lb2">
      <div id="lb2" role="listbox"><div id="apple" role="option">Apple</div></div>
      <div role="combobox" aria-label="Color" aria-expanded="true"><input><ul role="listbox"><li id="red" role="option">Red</li></ul></div>`);
    expect(menuContext($('#fr'))).toMatchObject({ widget: 'combobox', path: ['Country', 'France'] });
    expect(menuContext($('#apple'))).toMatchObject({ widget: 'combobox', path: ['Fruit', 'Apple'] });
    expect(menuContext($('#red'))).toMatchObject({ widget: 'combobox', path: ['Color', 'Red'] });
    expect(menuContext($('#cb'))).toMatchObject({ widget: 'combobox', path: ['Country'], item: $('#cb') });
    expect(menuContext($('#cb'))!.path.join()).not.toContain('Fr,');
  });

  it('standalone listbox and a listbox opened by a button', () => {
    html(`<ul role="listbox" aria-label="Sizes"><li id="m" role="option">Medium</li></ul>
      <button aria-haspopup="listbox" aria-expanded="true" aria-controls="lb">Sort by</button>
      <ul id="lb" role="listbox"><li id="p" role="option">Price</li></ul>`);
    expect(menuContext($('#m'))).toMatchObject({ widget: 'listbox', path: ['Medium'] });
    expect(menuContext($('#p'))).toMatchObject({ widget: 'listbox', path: ['Sort by', 'Price'] });
  });

  it('native select and its options', () => {
    html(`<label for="s">Size</label><select id="s"><optgroup label="Common"><option>Small</option><option id="l" label="Large (L)">L</option></optgroup></select>
      <select id="multi" multiple aria-label="Tags"><option id="t">News</option></select>`);
    expect(menuContext($('#l'))).toMatchObject({ widget: 'select', path: ['Size', 'Large (L)'], item: $('#l') });
    expect(menuContext($('#s'))).toMatchObject({ widget: 'select', path: ['Size'], item: $('#s') });
    expect(menuContext($('#t'))).toMatchObject({ widget: 'select', path: ['Tags', 'News'] });
  });

  it('details/summary, nested', () => {
    html('<details open><summary>Advanced</summary><details><summary id="s"><b>Proxy</b> settings</summary><p>x</p></details></details>');
    expect(menuContext($('#s b'))).toMatchObject({ widget: 'details', path: ['Advanced', 'Proxy settings'], item: $('#s') });
  });

  it('dialogs: the dialog itself, not what is inside it', () => {
    html(`<dialog id="d" open aria-labelledby="dt"><h2 id="dt">Delete file?</h2><button id="ok">OK</button></dialog>
      <div id="rd" role="alertdialog" aria-label="Session expired"></div>`);
    expect(menuContext($('#d'))).toMatchObject({ widget: 'dialog', path: ['Delete file?'], item: $('#d') });
    expect(menuContext($('#rd'))).toMatchObject({ widget: 'dialog', path: ['Session expired'] });
    expect(menuContext($('#ok'))).toBeUndefined();
    expect(dialogOf($('#ok'))).toBe($('#d'));
  });

  it('plain elements have no menu context', () => {
    html('<main><p id="p">Text <a id="a" href="/">link</a></p><button id="b">Save</button></main>');
    for (const id of ['#p', '#a', '#b']) expect(menuContext($(id))).toBeUndefined();
  });

  it('menu buttons and disclosures give an opener context', () => {
    html(`<button id="mb" aria-haspopup="menu" aria-expanded="false"><span>Actions</span></button>
      <button id="acc" aria-expanded="false" aria-controls="panel">Shipping details</button><div id="panel"></div>
      <button id="dlg" aria-haspopup="dialog">Share</button>`);
    expect(menuContext($('#mb span'))).toMatchObject({ widget: 'menu', path: ['Actions'], item: $('#mb') });
    expect(menuContext($('#acc'))).toMatchObject({ widget: 'disclosure', path: ['Shipping details'] });
    expect(menuContext($('#dlg'))).toMatchObject({ widget: 'dialog', path: ['Share'] });
  });

  it('isMenuOpener / menuOpenerOf: aria-haspopup, aria-expanded, summary, select, combobox', () => {
    html(`<button id="mb" aria-haspopup="true" aria-expanded="false"><i id="icon">≡</i></button>
      <button id="x" aria-haspopup="false">No</button><details><summary id="s">More</summary></details>
      <select id="sel"><option>a</option></select><select id="ms" multiple><option>a</option></select>
      <input id="cb" role="combobox" aria-expanded="true"><button id="plain">Plain</button>
      <div role="tree"><div id="ti" role="treeitem" aria-expanded="false">Folder</div></div>`);
    expect(isMenuOpener($('#icon'))).toBe(true);
    expect(menuOpenerOf($('#icon'))).toEqual({ opener: $('#mb'), widget: 'menu', expanded: false });
    expect(isMenuOpener($('#x'))).toBe(false);
    expect(menuOpenerOf($('#s'))).toEqual({ opener: $('#s'), widget: 'details', expanded: false });
    expect(menuOpenerOf($('#sel'))).toEqual({ opener: $('#sel'), widget: 'select', expanded: undefined });
    expect(isMenuOpener($('#ms'))).toBe(false);
    expect(menuOpenerOf($('#cb'))).toEqual({ opener: $('#cb'), widget: 'combobox', expanded: true });
    expect(menuOpenerOf($('#ti'))).toMatchObject({ widget: 'tree', expanded: false });
    expect(isMenuOpener($('#plain'))).toBe(false);
  });

  it('works inside an open shadow root', () => {
    html('<x-menu></x-menu>');
    const sr = shadow(
      $('x-menu'),
      `<button id="b" aria-haspopup="menu" aria-controls="m" aria-expanded="true">Edit</button>
       <div role="menu" id="m"><div role="menuitem" aria-haspopup="menu" aria-controls="sub">Transform</div></div>
       <div role="menu" id="sub"><div id="rot" role="menuitem">Rotate</div></div>`,
    );
    expect(menuContext($('#rot', sr))).toMatchObject({ widget: 'menu', path: ['Edit', 'Transform', 'Rotate'] });
  });

  it('terminates on cyclic links', () => {
    html(`<div role="menu" id="a" aria-labelledby="ib"><div id="ia" role="menuitem" aria-haspopup="menu" aria-controls="b">A</div></div>
      <div role="menu" id="b" aria-labelledby="ia"><div id="ib" role="menuitem" aria-haspopup="menu" aria-controls="a">B</div></div>`);
    const ctx = menuContext($('#ib'));
    expect(ctx).toBeDefined();
    expect(ctx!.path.length).toBeLessThanOrEqual(12);
  });
});

describe('lib/describe/menu (edge cases)', () => {
  it('a click on submenu padding is not the parent item', () => {
    html(APP_MENUBAR);
    const submenu = $('#pdf').parentElement!;
    expect(menuContext(submenu)).toBeUndefined();
  });

  it('ignores aria-expanded on layout containers', () => {
    html('<div class="sidebar" aria-expanded="true"><p id="p">Text</p></div><div role="button" tabindex="0" aria-expanded="false" id="t">Toggle</div>');
    expect(menuContext($('#p'))).toBeUndefined();
    expect(isMenuOpener($('#p'))).toBe(false);
    expect(menuContext($('#t'))).toMatchObject({ widget: 'disclosure', path: ['Toggle'] });
  });
});

describe('lib/describe/menu opensSubmenu / openerChain', () => {
  it('a menu item with a popup opens a submenu; a plain item, a button or a tab does not', () => {
    html(`${APP_MENUBAR}<button id="b" aria-haspopup="menu">Menu</button>
      <div role="tablist"><div id="tab" role="tab" aria-expanded="false">T</div></div>
      <div role="menu"><div id="disc" role="menuitem" aria-expanded="false">More</div><div id="off" role="menuitem" aria-haspopup="false">Off</div></div>`);
    const file = $('[role=menubar] > [role=menuitem]');
    expect(opensSubmenu(file)).toBe(true);
    expect(opensSubmenu($('#pdf'))).toBe(false);
    expect(opensSubmenu($('#ruler'))).toBe(false);
    expect(opensSubmenu($('#disc'))).toBe(true); // aria-expanded alone says it expands
    expect(opensSubmenu($('#off'))).toBe(false);
    expect(opensSubmenu($('#b'))).toBe(false); // a menu button is an opener, not a menu item
    expect(opensSubmenu($('#tab'))).toBe(false);
  });

  it('openers of the popups around an item, innermost first, by nesting, aria-controls and labelledby', () => {
    html(APG_MENUBAR);
    const facts = $('#history').closest('[role=menu]')!.previousElementSibling!;
    const about = facts.closest('[role=menu]')!.previousElementSibling!;
    expect(openerChain($('#history'))).toEqual([facts, about]);
    expect(openerChain(about)).toEqual([]); // the menubar is no popup

    html(RADIX);
    expect(openerChain($('#save-as')).map((e) => e.id)).toEqual(['radix-:r5:', 'radix-:r1:']);

    html(HEADLESS);
    expect(openerChain($('#headlessui-menu-item-4')).map((e) => e.id)).toEqual(['headlessui-menu-button-1']);

    html('<input id="cb" role="combobox" aria-controls="lb" aria-expanded="true"><ul id="lb" role="listbox"><li id="o" role="option">A</li></ul><p id="p">x</p>');
    expect(openerChain($('#o'))).toEqual([$('#cb')]);
    expect(openerChain($('#p'))).toEqual([]);
  });
});
