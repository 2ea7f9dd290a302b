/**
 * Accessible name, in the spirit of accname 1.2 / HTML-AAM, computed from the DOM alone (no layout):
 * aria-labelledby, aria-label, native labels (label[for], wrapping label, alt, legend, caption, input
 * button values), name from content for the roles that allow it, title, and placeholder as the last
 * resort for text fields. The value of a text field is never used. Hidden parts are skipped, the work
 * is capped, and the result is whitespace-collapsed and at most MAX_NAME_CHARS long.
 */
import { MAX_NAME_CHARS } from '../constants';
import {
  TEXT_NODE,
  byId,
  clip,
  collapse,
  cssString,
  flatChildren,
  idRefs,
  inputType,
  isEditableRoot,
  isElement,
  hiddenState,
  isHidden,
  rootOf,
} from './dom';
import { isPrivateOwn, isPrivateWithin } from './guard';
import { roleOf } from './role';

export interface NameOptions {
  /**
   * Name from the element's own subtree text (default true). False for masked/sensitive elements,
   * whose text may be the secret: only label-like sources (labelledby outside the element, aria-label,
   * label elements, alt, title, placeholder) are used.
   */
  fromContent?: boolean;
  /**
   * Include CSS `::before`/`::after` content in names from content, as Chrome does (default true).
   * Reads computed styles, so it costs a little more.
   */
  cssContent?: boolean;
}

/**
 * Roles whose name may come from their content (ARIA 1.2 "name from: contents"), except `row`:
 * Chrome gives rows no name from their cells, and an aria selector must match Chrome's name.
 */
const NAME_FROM_CONTENT = new Set([
  'button', 'cell', 'checkbox', 'columnheader', 'gridcell', 'heading', 'link', 'menuitem', 'menuitemcheckbox',
  'menuitemradio', 'option', 'radio', 'rowheader', 'switch', 'tab', 'tooltip', 'treeitem', 'caption',
  'sectionhead', 'legend', 'term', 'definition', 'code', 'deletion', 'emphasis', 'insertion', 'mark',
  'strong', 'subscript', 'superscript', 'time', 'comment', 'suggestion',
]);

/** Popups and composite widgets nested inside an item are not part of the item's name. */
const NESTED_WIDGETS = new Set(['menu', 'menubar', 'listbox', 'tree', 'treegrid', 'tablist', 'grid', 'dialog', 'alertdialog']);
const ITEM_ROLES = new Set(['menuitem', 'menuitemcheckbox', 'menuitemradio', 'treeitem', 'option', 'tab']);

/** Elements rendered as blocks (or line breaks): their text is separated by a space. */
const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main',
  'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
  'option', 'optgroup', 'legend', 'caption', 'label', 'img', 'input', 'button', 'select', 'textarea',
]);

const LABELABLE = new Set(['button', 'input', 'meter', 'output', 'progress', 'select', 'textarea']);
const BUTTON_INPUTS = new Set(['button', 'submit', 'reset', 'image']);
/** Roles whose value (not name) an embedded control would contribute: we contribute nothing. */
const VALUE_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'listbox', 'slider', 'spinbutton']);
const PLACEHOLDER_INPUTS = new Set(['', 'text', 'search', 'email', 'tel', 'url', 'password', 'number']);

/** Most elements visited and most raw characters gathered for one name. */
const MAX_VISITS = 400;
const MAX_RAW_CHARS = MAX_NAME_CHARS * 4;

interface State {
  root: Element;
  rootRole: string | undefined;
  fromContent: boolean;
  cssContent: boolean;
  visits: number;
  visited: Set<Element>;
  /** The element itself is private: its own aria-label and title may repeat what it hides. */
  topPrivate: boolean;
  /** Some content was left out because the privacy rules hide it (the name is not Chrome's). */
  withheld: boolean;
}

interface Mode {
  /** Computing the target itself (not a referenced or descendant node). */
  top: boolean;
  /** Inside an aria-labelledby traversal (no second hop through labelledby). */
  labelledBy: boolean;
  /** Traversing content or a label: every descendant contributes. */
  traversal: boolean;
  /** Referenced directly by aria-labelledby: counts even when hidden. */
  referenced?: boolean;
  /** Already known to be visible (checked by the parent's content traversal). */
  visible?: boolean;
  /** Reached by reference (a label, a legend): its ancestors were not walked, so ask about them too. */
  entry?: boolean;
}

/**
 * Stands in for an element that is rendered but not part of the name (an aria-hidden icon, a
 * decorative image): Chrome keeps the whitespace next to it ("About <span aria-hidden>▾</span>" is
 * named "About "), so the final trim must not remove that space. Removed before returning.
 */
const MARK = '\u0001';
const MARKS = /\u0001/g;
const REPLACED = new Set(['img', 'svg', 'canvas', 'video', 'iframe', 'object', 'embed', 'picture']);

/** Whitespace collapsed; trimmed except where a MARK protects it; marks removed. */
function finish(s: string): string {
  return s
    .replace(/\s+/g, ' ')
    .replace(/^ +| +$/g, '')
    .replace(MARKS, '')
    .replace(/ {2,}/g, ' ');
}

function blank(s: string): boolean {
  return s.replace(MARKS, '').trim() === '';
}

/**
 * The accessible name of `el` as Chrome computes it (so it can be matched by an aria selector):
 * whitespace-collapsed and trimmed, except that a space next to a rendered but excluded element (an
 * aria-hidden icon) is kept as Chrome keeps it; at most MAX_NAME_CHARS; '' when it has none.
 * Not redacted: the caller applies privacy rules. Trim it for display.
 */
export function accessibleName(el: Element, opts: NameOptions = {}): string {
  return accessibleNameInfo(el, opts).name;
}

export interface NameInfo {
  name: string;
  /**
   * Part of what Chrome would read was left out because the privacy rules hide it (see ./guard): the
   * name is safe to record but is not Chrome's, so no aria selector may be built from it.
   */
  withheld: boolean;
}

/** `accessibleName`, saying whether private content was left out. */
export function accessibleNameInfo(el: Element, opts: NameOptions = {}): NameInfo {
  const topPrivate = isPrivateWithin(el);
  const st: State = {
    root: el,
    rootRole: roleOf(el),
    fromContent: opts.fromContent !== false && !topPrivate,
    cssContent: opts.cssContent !== false,
    visits: 0,
    visited: new Set(),
    topPrivate,
    withheld: topPrivate,
  };
  try {
    const name = clip(finish(compute(el, st, { top: true, labelledBy: false, traversal: false })), MAX_NAME_CHARS);
    return { name, withheld: st.withheld };
  } catch {
    return { name: '', withheld: true };
  }
}

/**
 * Whether a private element's own aria-label or title may name it: only when it does not repeat what
 * the element holds (a field's value, an element's text). "Password" on a password field stays; an
 * aria-label that spells out the masked card number, or any word of it, does not.
 */
function ownLabelAllowed(el: Element, label: string): boolean {
  const value =
    el.localName === 'input' || el.localName === 'textarea' || el.localName === 'select'
      ? String((el as HTMLInputElement).value ?? '')
      : isFormLike(el)
        ? ''
        : (el.textContent ?? '');
  const words = (s: string) => s.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2);
  const held = new Set(words(value));
  if (held.size === 0) return el.localName === 'input' || el.localName === 'textarea' || el.localName === 'select' || isFormLike(el);
  const compactValue = words(value).join('');
  const compactLabel = words(label).join('');
  if (compactValue.length >= 2 && (compactLabel.includes(compactValue) || compactValue.includes(compactLabel))) return false;
  return !words(label).some((w) => held.has(w));
}

/** Custom text fields and choosers whose text is their value. */
function isFormLike(el: Element): boolean {
  const role = (el.getAttribute('role') ?? '').trim().toLowerCase();
  return isEditableRoot(el) || role === 'textbox' || role === 'combobox' || role === 'searchbox' || role === 'spinbutton';
}

/** True when `el` is a strict descendant of the target (content the caller may have asked to skip). */
function insideRoot(el: Element, st: State): boolean {
  return el !== st.root && st.root.contains(el);
}

function labelsOf(el: Element): Element[] {
  const out: Element[] = [];
  const id = el.id;
  if (id) {
    try {
      for (const l of rootOf(el).querySelectorAll(`label[for=${cssString(id)}]`)) out.push(l);
    } catch {
      // ignore
    }
  }
  const wrap = el.parentElement?.closest('label');
  if (wrap && !out.includes(wrap)) {
    const f = wrap.getAttribute('for');
    if (!f || f === id) out.push(wrap);
  }
  return out;
}

function compute(el: Element, st: State, mode: Mode): string {
  if (++st.visits > MAX_VISITS) return '';
  if (!mode.top) {
    if (st.visited.has(el)) return '';
    if (!st.fromContent && insideRoot(el, st)) return '';
  }
  st.visited.add(el);
  // Private text (a marker, a sensitive field) names nothing, wherever the name computation reaches it.
  if (!mode.top && (mode.referenced || mode.entry ? isPrivateWithin(el) : isPrivateOwn(el))) {
    st.withheld = true;
    return MARK;
  }
  const tag = el.localName;
  const role = mode.top ? st.rootRole : roleOf(el);

  // 2A: hidden nodes contribute nothing, unless referenced directly by aria-labelledby.
  if (!mode.top && !mode.referenced && !mode.visible && mode.traversal && isHidden(el, true)) return '';

  // 2B: aria-labelledby (one hop only).
  if (!mode.labelledBy) {
    const ids = idRefs(el, 'aria-labelledby');
    if (ids.length > 0) {
      const root = rootOf(el);
      const parts: string[] = [];
      for (const id of ids) {
        const ref = byId(root, id);
        if (!ref) continue;
        if (!st.fromContent && (ref === st.root || insideRoot(ref, st))) continue;
        // A node referenced by id counts even when hidden; allow it to be visited again.
        st.visited.delete(ref);
        parts.push(compute(ref, st, { top: false, labelledBy: true, traversal: true, referenced: true }));
      }
      const joined = collapse(parts.join(' '));
      if (!blank(joined)) return joined;
    }
  }

  // 2C: a form control embedded in a label or content contributes nothing: its value is user data.
  if (!mode.top && mode.traversal) {
    if (tag === 'input') {
      const type = inputType(el);
      if (!BUTTON_INPUTS.has(type)) return '';
    } else if (tag === 'select' || tag === 'textarea' || isEditableRoot(el) || (role && VALUE_ROLES.has(role))) {
      return '';
    }
  }

  // 2D: aria-label.
  const ariaLabel = el.getAttribute('aria-label');
  if (ariaLabel && ariaLabel.trim()) {
    if (!(mode.top && st.topPrivate) || ownLabelAllowed(el, ariaLabel)) return ariaLabel.trim();
    st.withheld = true;
  }

  const presentational = role === 'none' || role === 'presentation';

  // 2E: host language labels.
  if (!presentational) {
    const native = nativeName(el, tag, st, mode);
    if (native) return native;
  }

  // 2F: name from content.
  const contentAllowed = mode.traversal || (role !== undefined && NAME_FROM_CONTENT.has(role)) || tag === 'summary';
  if (contentAllowed && !(mode.top && !st.fromContent) && !(tag === 'input')) {
    // Untrimmed below the top, so "Read<span> more</span>" keeps its space; collapsed at the end.
    const text = content(el, st, mode.labelledBy);
    if (!blank(text)) return text;
  }

  // 2I: tooltip.
  const title = el.getAttribute('title');
  if (title && title.trim()) {
    if (!(mode.top && st.topPrivate) || ownLabelAllowed(el, title)) return title.trim();
    st.withheld = true;
  }

  // Last resort for text fields: the placeholder (never the value).
  if (mode.top) {
    if ((tag === 'input' && PLACEHOLDER_INPUTS.has(inputType(el))) || tag === 'textarea') {
      const ph = el.getAttribute('placeholder');
      if (ph && ph.trim()) return ph.trim();
    }
    const aph = el.getAttribute('aria-placeholder');
    if (aph && aph.trim()) return aph.trim();
  }
  return '';
}

function nativeName(el: Element, tag: string, st: State, mode: Mode): string {
  if (tag === 'input') {
    const type = inputType(el);
    if (type === 'image') {
      const alt = el.getAttribute('alt')?.trim();
      if (alt) return alt;
    }
  }
  if (LABELABLE.has(tag) && !(tag === 'input' && inputType(el) === 'hidden')) {
    const labels = labelsOf(el);
    if (labels.length > 0) {
      const parts = labels.map((l) => compute(l, st, { top: false, labelledBy: mode.labelledBy, traversal: true, entry: true }));
      const joined = collapse(parts.join(' '));
      if (!blank(joined)) return joined;
    }
  }
  switch (tag) {
    case 'input': {
      const type = inputType(el);
      if (type === 'button' || type === 'submit' || type === 'reset') {
        const value = el.getAttribute('value');
        if (value !== null && value.trim()) return value.trim();
        if (type === 'submit') return 'Submit';
        if (type === 'reset') return 'Reset';
      }
      if (type === 'image') {
        const value = el.getAttribute('value')?.trim();
        if (value) return value;
        const title = el.getAttribute('title')?.trim();
        return title || 'Submit';
      }
      return '';
    }
    case 'img':
    case 'area': {
      const alt = el.getAttribute('alt');
      return alt ? alt.trim() : '';
    }
    case 'option':
    case 'optgroup': {
      const l = el.getAttribute('label');
      return l ? l.trim() : '';
    }
    case 'fieldset':
      return childText(el, 'legend', st);
    case 'table':
      return childText(el, 'caption', st);
    case 'figure':
      return childText(el, 'figcaption', st);
    case 'svg': {
      // <title> is never rendered, so it is read directly rather than traversed.
      for (const c of el.children) if (c.localName === 'title') return collapse(c.textContent ?? '');
      return '';
    }
    default:
      return '';
  }
}

function childText(el: Element, childTag: string, st: State): string {
  for (const c of el.children) {
    if (c.localName === childTag) return collapse(compute(c, st, { top: false, labelledBy: false, traversal: true }));
  }
  return '';
}

function content(el: Element, st: State, labelledBy: boolean): string {
  let out = pseudoText(el, '::before', st);
  const kids = flatChildren(el);
  const itemRoot = st.rootRole !== undefined && ITEM_ROLES.has(st.rootRole);
  for (let i = 0; i < kids.length; i++) {
    if (out.length > MAX_RAW_CHARS || st.visits > MAX_VISITS) break;
    const child = kids[i];
    if (!child) continue;
    if (child.nodeType === TEXT_NODE) {
      out += (child as Text).data;
      continue;
    }
    if (!isElement(child)) continue;
    const childRole = roleOf(child);
    if (childRole && (NESTED_WIDGETS.has(childRole) || (itemRoot && childRole === 'group'))) continue;
    const hidden = hiddenState(child, true);
    if (hidden === 'gone') continue;
    if (hidden === 'invisible') {
      if (rendersSomething(child, st)) out += MARK;
      continue;
    }
    let text = compute(child, st, { top: false, labelledBy, traversal: true, visible: true });
    if (blank(text) && REPLACED.has(child.localName)) text = MARK;
    if (BLOCKS.has(child.localName)) out += ` ${text} `;
    else out += text;
  }
  return out + pseudoText(el, '::after', st);
}

/** An excluded element that still takes space on screen: text, an image, or generated content. */
function rendersSomething(el: Element, st: State): boolean {
  if (REPLACED.has(el.localName) || (el.textContent ?? '').trim() !== '') return true;
  try {
    if (el.querySelector('img,svg,canvas,video')) return true;
  } catch {
    return false;
  }
  return pseudoText(el, '::before', st) !== '' || pseudoText(el, '::after', st) !== '';
}

function pseudoText(el: Element, which: '::before' | '::after', st: State): string {
  if (!st.cssContent) return '';
  try {
    const view = el.ownerDocument.defaultView;
    return view ? cssContentText(view.getComputedStyle(el, which).content, el) : '';
  } catch {
    return '';
  }
}

/**
 * The text a computed CSS `content` value adds to a name: its strings and `attr()` values, or only
 * its alternative text when it has one (`content: url(icon.svg) / "Edit"`). Counters, quotes and
 * images without alternative text add nothing.
 */
export function cssContentText(value: string | null | undefined, el: Element): string {
  if (!value || value === 'none' || value === 'normal') return '';
  let main = '';
  let alt: string | undefined;
  let i = 0;
  const n = value.length;
  const add = (t: string) => {
    if (alt === undefined) main += t;
    else alt += t;
  };
  while (i < n) {
    const ch = value.charAt(i);
    if (ch === '"' || ch === "'") {
      let str = '';
      i++;
      while (i < n && value.charAt(i) !== ch) {
        if (value.charAt(i) === '\\') {
          const hex = /^[0-9a-fA-F]{1,6}\s?/.exec(value.slice(i + 1, i + 8));
          if (hex) {
            const cp = Number.parseInt(hex[0].trim(), 16);
            str += cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
            i += 1 + hex[0].length;
          } else {
            str += value.charAt(i + 1);
            i += 2;
          }
          continue;
        }
        str += value.charAt(i++);
      }
      i++;
      add(str);
    } else if (ch === '/') {
      alt = '';
      i++;
    } else if (/[a-zA-Z-]/.test(ch)) {
      const m = /^[a-zA-Z-]+/.exec(value.slice(i));
      const ident = m ? m[0] : ch;
      i += ident.length;
      if (value.charAt(i) === '(') {
        let depth = 0;
        const start = i;
        for (; i < n; i++) {
          if (value.charAt(i) === '(') depth++;
          else if (value.charAt(i) === ')' && --depth === 0) break;
        }
        const args = value.slice(start + 1, i).trim();
        i++;
        if (ident.toLowerCase() === 'attr') add(el.getAttribute(args.split(/\s+/)[0] ?? '') ?? '');
      }
    } else {
      i++;
    }
  }
  return alt !== undefined ? ` ${alt} ` : main;
}
