/**
 * Menu navigation context: for an element inside a menu-like widget, which widget it is and the path
 * of labels from the outermost opener to the item (e.g. ["File", "Export", "PDF"]).
 *
 * The path is reconstructed from the hierarchy, never guessed from geometry or text:
 *  - an item's container is its nearest ancestor with the container role (menu/menubar, listbox,
 *    tablist, tree/group);
 *  - a popup container is linked to the element that opened it by, in this order:
 *    1. `aria-controls` / `aria-owns` on the opener naming the container (or a portal wrapper around it,
 *       as MUI does), searched in the container's root and document;
 *    2. the container's `aria-labelledby` naming an opener-like element (Headless UI, Radix);
 *    3. DOM nesting: the container inside the item (`<li role="menuitem">File<ul role="menu">`), or
 *       next to it under a common wrapper (WAI-ARIA APG: `<li role="none"><a role="menuitem">` +
 *       `<ul role="menu">`), or its previous sibling when that declares a popup/expanded state.
 *  - item labels are accessible names (a submenu's own text is excluded from its parent item's name).
 *
 * Path entries are accessible names, trimmed but NOT redacted: the caller must redact them (and drop
 * them for masked targets).
 */
import { byId, closestComposed, collapse, composedParent, cssString, idRefs, rootOf, type Root } from './dom';
import { accessibleName } from './name';
import { explicitRole, roleOf } from './role';

export interface MenuContext {
  /** menubar, menu, listbox, combobox, tablist, tree, select, details, dialog, disclosure, grid. */
  widget: string;
  /** Labels from the outermost opener/menu level to the item. */
  path: string[];
  /** The item (menuitem, option, tab, treeitem, summary, select, opener or dialog) the path ends at. */
  item: Element;
}

export interface MenuOpener {
  opener: Element;
  /** The kind of popup it opens (as in MenuContext.widget). */
  widget: string;
  /** Current state: aria-expanded, or `open` of a details; undefined when unknown (native select). */
  expanded: boolean | undefined;
}

const MAX_PATH = 12;
const MENU_ITEMS = new Set(['menuitem', 'menuitemcheckbox', 'menuitemradio']);
const MENU_CONTAINERS = new Set(['menu', 'menubar']);
const ITEM_ROLES = new Set([...MENU_ITEMS, 'option', 'tab', 'treeitem']);
const CONTAINER_ROLES = new Set(['menu', 'menubar', 'listbox', 'tablist', 'tree', 'treegrid', 'grid']);
const POPUP_WIDGETS = new Set(['menu', 'listbox', 'tree', 'grid', 'dialog']);
const OPENER_LIKE_ROLES = new Set([...MENU_ITEMS, 'button', 'combobox', 'treeitem', 'tab', 'link']);
const NESTED_OPENER_SELECTOR =
  '[role="menuitem"],[role="menuitemcheckbox"],[role="menuitemradio"],[role="treeitem"],[role="combobox"],' +
  '[aria-haspopup]:not([aria-haspopup="false"]),[aria-expanded]';

function label(el: Element): string {
  return collapse(accessibleName(el));
}

function push(path: string[], name: string): void {
  if (name) path.unshift(name);
}

function hasPopup(el: Element): boolean {
  const v = el.getAttribute('aria-haspopup');
  return v !== null && v.trim().toLowerCase() !== 'false';
}

function isDialog(el: Element): boolean {
  const r = explicitRole(el);
  return r === 'dialog' || r === 'alertdialog' || (r === undefined && el.localName === 'dialog');
}

function isNativeOption(el: Element): boolean {
  return el.localName === 'option' && !explicitRole(el) && !!el.closest('select');
}

function isNativeSelect(el: Element): boolean {
  return el.localName === 'select' && !explicitRole(el);
}

function isDropdownSelect(el: Element): boolean {
  const size = Number.parseInt(el.getAttribute('size') ?? '', 10);
  return isNativeSelect(el) && !el.hasAttribute('multiple') && !(Number.isFinite(size) && size > 1);
}

/** The summary that toggles its details (the first summary child). */
function isSummary(el: Element): boolean {
  if (el.localName !== 'summary' || explicitRole(el)) return false;
  const details = el.parentElement;
  if (!details || details.localName !== 'details') return false;
  for (const c of details.children) if (c.localName === 'summary') return c === el;
  return false;
}

function isOpenerLike(el: Element): boolean {
  if (hasPopup(el) || el.hasAttribute('aria-expanded')) return true;
  const r = roleOf(el);
  return (r !== undefined && OPENER_LIKE_ROLES.has(r)) || el.localName === 'button';
}

/** Declares that it opens or expands something (for previous-sibling linking). */
function declaresPopup(el: Element): boolean {
  return hasPopup(el) || el.hasAttribute('aria-expanded') || el.hasAttribute('aria-controls') || el.hasAttribute('aria-owns');
}

function roleIn(el: Element, roles: Set<string>, explicitOnly = false): string | undefined {
  const r = explicitOnly ? explicitRole(el) : roleOf(el);
  return r !== undefined && roles.has(r) ? r : undefined;
}

/** Nearest ancestor (not self) with one of the roles. */
function closestContainer(el: Element, roles: Set<string>, explicitOnly = false): Element | undefined {
  const p = composedParent(el);
  return p ? closestComposed(p, (e) => roleIn(e, roles, explicitOnly) !== undefined, 24) : undefined;
}

function scopes(el: Element): Root[] {
  const root = rootOf(el);
  return root === el.ownerDocument ? [root] : [root, el.ownerDocument];
}

/** The element that opened `container`, by explicit relation first, then by DOM structure. */
function openerOf(container: Element): Element | undefined {
  // 1. aria-controls / aria-owns naming the container or a wrapper around it (portals).
  for (let cur: Element | null = container, i = 0; cur && i < 4; cur = cur.parentElement, i++) {
    if (cur !== container && (roleIn(cur, CONTAINER_ROLES) || roleIn(cur, ITEM_ROLES))) break;
    if (cur.localName === 'body' || cur.localName === 'html') break;
    const id = cur.id;
    if (!id) continue;
    const sel = `[aria-controls~=${cssString(id)}],[aria-owns~=${cssString(id)}]`;
    for (const scope of scopes(container)) {
      let found: NodeListOf<Element>;
      try {
        found = scope.querySelectorAll(sel);
      } catch {
        continue;
      }
      for (const c of found) if (!cur.contains(c)) return c;
    }
  }

  // 2. aria-labelledby naming the opener.
  const root = rootOf(container);
  for (const id of idRefs(container, 'aria-labelledby')) {
    const ref = byId(root, id);
    if (ref && !container.contains(ref) && isOpenerLike(ref)) return ref;
  }

  // 3. DOM structure: nested in the item, or next to it under a common wrapper.
  let branch: Element = container;
  for (let p = composedParent(container), i = 0; p && i < 3; branch = p, p = composedParent(p), i++) {
    if (p.localName === 'body' || p.localName === 'html') break;
    if (roleIn(p, ITEM_ROLES) || roleOf(p) === 'combobox') return p;
    if (roleIn(p, CONTAINER_ROLES) || explicitRole(p) === 'group') break;
    for (const child of p.children) {
      if (child === branch || child.contains(container)) continue;
      if (roleIn(child, ITEM_ROLES) || roleOf(child) === 'combobox' || declaresPopup(child)) return child;
      if (roleIn(child, CONTAINER_ROLES)) continue;
      let nested: Element | null = null;
      try {
        nested = child.querySelector(NESTED_OPENER_SELECTOR);
      } catch {
        nested = null;
      }
      if (nested && !nested.contains(container)) return nested;
    }
  }

  // An owner right before the popup that says it opens something.
  const prev = container.previousElementSibling;
  if (prev && declaresPopup(prev) && isOpenerLike(prev)) return prev;
  return undefined;
}

function menuPath(item: Element): MenuContext {
  const path = [label(item)].filter(Boolean);
  const seen = new Set<Element>([item]);
  let container = closestContainer(item, MENU_CONTAINERS);
  let widget = 'menu';
  while (container && path.length < MAX_PATH && !seen.has(container)) {
    seen.add(container);
    if (roleOf(container) === 'menubar') {
      widget = 'menubar';
      break;
    }
    widget = 'menu';
    const opener = openerOf(container);
    if (!opener || seen.has(opener)) break;
    seen.add(opener);
    push(path, label(opener));
    if (!roleIn(opener, MENU_ITEMS)) break; // a menu button outside any menu: the path starts there
    container = closestContainer(opener, MENU_CONTAINERS);
  }
  return { widget, path, item };
}

function optionPath(item: Element): MenuContext {
  const path = [label(item)].filter(Boolean);
  const listbox = closestContainer(item, new Set(['listbox']));
  if (!listbox) return { widget: 'listbox', path, item };
  const opener = openerOf(listbox);
  if (!opener) return { widget: 'listbox', path, item };
  push(path, label(opener));
  return { widget: roleOf(opener) === 'combobox' ? 'combobox' : 'listbox', path, item };
}

function treePath(item: Element): MenuContext {
  const path = [label(item)].filter(Boolean);
  const seen = new Set<Element>([item]);
  let cur = item;
  while (path.length < MAX_PATH) {
    const group = closestContainer(cur, new Set(['group', 'tree', 'treegrid']), true);
    if (!group || explicitRole(group) !== 'group' || seen.has(group)) break;
    seen.add(group);
    const owner = openerOf(group);
    if (!owner || roleOf(owner) !== 'treeitem' || seen.has(owner)) break;
    seen.add(owner);
    push(path, label(owner));
    cur = owner;
  }
  return { widget: 'tree', path, item };
}

function summaryPath(summary: Element): MenuContext {
  const path: string[] = [];
  const seen = new Set<Element>();
  for (let d: Element | null | undefined = summary.parentElement; d && path.length < MAX_PATH; ) {
    if (seen.has(d)) break;
    seen.add(d);
    const s = [...d.children].find((c) => c.localName === 'summary');
    if (s) push(path, label(s));
    d = d.parentElement?.closest('details');
  }
  return { widget: 'details', path, item: summary };
}

function popupWidget(opener: Element): string {
  for (const id of [...idRefs(opener, 'aria-controls'), ...idRefs(opener, 'aria-owns')]) {
    const popup = byId(rootOf(opener), id) ?? byId(opener.ownerDocument, id);
    const r = popup ? roleOf(popup) : undefined;
    if (r && POPUP_WIDGETS.has(r)) return r;
    if (r === 'alertdialog') return 'dialog';
  }
  const v = (opener.getAttribute('aria-haspopup') ?? '').trim().toLowerCase();
  if (POPUP_WIDGETS.has(v)) return v;
  if (v && v !== 'false') return 'menu';
  return 'disclosure';
}

const INTERACTIVE_TAGS = new Set(['button', 'a', 'input', 'summary', 'select']);
const INTERACTIVE_ROLES = new Set([...OPENER_LIKE_ROLES, 'switch', 'checkbox', 'radio', 'gridcell', 'row', 'option']);

/** Something a person operates (so an aria-expanded on a layout container is not taken as an opener). */
function isInteractive(el: Element): boolean {
  if (INTERACTIVE_TAGS.has(el.localName) || el.hasAttribute('tabindex')) return true;
  const r = roleOf(el);
  return r !== undefined && INTERACTIVE_ROLES.has(r);
}

function isOpenerWidget(el: Element): boolean {
  return (hasPopup(el) || el.hasAttribute('aria-expanded')) && isInteractive(el);
}

function isMenuThing(el: Element): boolean {
  if (isNativeOption(el) || isNativeSelect(el) || isSummary(el)) return true;
  const r = roleOf(el);
  if (r !== undefined && (ITEM_ROLES.has(r) || r === 'combobox')) return true;
  return isOpenerWidget(el);
}

/**
 * The nearest item or opener around `el`. Reaching a menu-like container first (a click on the padding
 * of a submenu) means no item was hit: undefined, rather than the parent item the submenu sits in.
 */
function nearestItem(el: Element): Element | undefined {
  const hit = closestComposed(el, (e) => isMenuThing(e) || (roleIn(e, CONTAINER_ROLES) !== undefined && !isNativeSelect(e)), 32);
  return hit && isMenuThing(hit) ? hit : undefined;
}

/**
 * Menu context of `el` (or of the nearest item/opener around it), or undefined when it is not in a
 * menu-like widget. A dialog element (or role dialog/alertdialog) gives `{ widget: 'dialog' }` with
 * its name, for open/close events; elements inside a dialog do not (see `dialogOf`).
 */
export function menuContext(el: Element): MenuContext | undefined {
  try {
    if (isDialog(el)) return { widget: 'dialog', path: [label(el)].filter(Boolean), item: el };
    const item = nearestItem(el);
    if (!item) return undefined;
    if (isNativeOption(item)) {
      const select = item.closest('select');
      const path = [label(item)].filter(Boolean);
      if (select) push(path, label(select));
      return { widget: 'select', path, item };
    }
    if (isNativeSelect(item)) return { widget: 'select', path: [label(item)].filter(Boolean), item };
    if (isSummary(item)) return summaryPath(item);
    const r = roleOf(item);
    if (r && MENU_ITEMS.has(r)) return menuPath(item);
    if (r === 'option') return optionPath(item);
    if (r === 'tab') return { widget: 'tablist', path: [label(item)].filter(Boolean), item };
    if (r === 'treeitem') return treePath(item);
    if (r === 'combobox') return { widget: 'combobox', path: [label(item)].filter(Boolean), item };
    return { widget: popupWidget(item), path: [label(item)].filter(Boolean), item };
  } catch {
    return undefined;
  }
}

function isOpenerElement(el: Element): boolean {
  if (isSummary(el) || isDropdownSelect(el)) return true;
  if (roleOf(el) === 'combobox') return true;
  return isOpenerWidget(el);
}

/** The nearest element (self included, a few levels up) that opens a popup, with its state. */
export function menuOpenerOf(el: Element): MenuOpener | undefined {
  try {
    const opener = closestComposed(el, isOpenerElement, 8);
    if (!opener) return undefined;
    if (isSummary(opener)) {
      return { opener, widget: 'details', expanded: (opener.parentElement as HTMLDetailsElement).open === true };
    }
    if (isNativeSelect(opener)) return { opener, widget: 'select', expanded: undefined };
    const attr = opener.getAttribute('aria-expanded');
    const expanded = attr === null ? undefined : attr.trim().toLowerCase() === 'true';
    const r = roleOf(opener);
    let widget: string;
    if (r === 'combobox') widget = 'combobox';
    else if (r === 'treeitem') widget = 'tree';
    else if (r && MENU_ITEMS.has(r) && !hasPopup(opener)) widget = closestContainer(opener, MENU_CONTAINERS) ? 'menu' : 'disclosure';
    else widget = popupWidget(opener);
    return { opener, widget, expanded };
  } catch {
    return undefined;
  }
}

/** True when `el` (or an ancestor a few levels up) opens a popup: aria-haspopup, aria-expanded, summary, select. */
export function isMenuOpener(el: Element): boolean {
  return menuOpenerOf(el) !== undefined;
}

/** The dialog (`<dialog>`, role dialog/alertdialog) that contains `el`, if any. */
export function dialogOf(el: Element): Element | undefined {
  return closestComposed(el, isDialog, 64);
}

/**
 * True for a menu item that opens a submenu (aria-haspopup, or aria-expanded on a menuitem): choosing
 * it opens a menu rather than running a command, so it is reported as an `open`, never a `select`.
 */
export function opensSubmenu(item: Element): boolean {
  try {
    if (!roleIn(item, MENU_ITEMS)) return false;
    return hasPopup(item) || item.hasAttribute('aria-expanded');
  } catch {
    return false;
  }
}

const POPUP_CONTAINERS = new Set(['menu', 'listbox']);

/**
 * The openers of the popups `el` sits in, innermost first (for PDF in File ▸ Export ▸ PDF: Export, then
 * File), found by the same relations as menu paths. Stops at a menubar or a popup with no known opener.
 * A keyboard Escape or ArrowLeft inside a submenu closes it: these are the elements whose state changes.
 */
export function openerChain(el: Element): Element[] {
  const out: Element[] = [];
  try {
    const seen = new Set<Element>([el]);
    let cur: Element = el;
    while (out.length < MAX_PATH) {
      const container = closestContainer(cur, POPUP_CONTAINERS);
      if (!container || seen.has(container)) break;
      seen.add(container);
      const opener = openerOf(container);
      if (!opener || seen.has(opener)) break;
      seen.add(opener);
      out.push(opener);
      cur = opener;
    }
  } catch {
    // what was found so far
  }
  return out;
}
