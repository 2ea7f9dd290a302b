/**
 * The element's role: the first valid token of an explicit `role`, else the implicit ARIA role that
 * HTML-AAM gives common elements. `chromeRole` maps it to the role string Chrome's accessibility tree
 * uses, which is what a Recorder `aria/Name[role="..."]` selector is matched against on replay.
 */
import { composedParent, inputType, isEditableRoot } from './dom';

/** WAI-ARIA 1.2 roles (plus the DPUB and graphics roles browsers accept) that count as valid tokens. */
const ARIA_ROLES = new Set([
  'alert', 'alertdialog', 'application', 'article', 'banner', 'blockquote', 'button', 'caption', 'cell',
  'checkbox', 'code', 'columnheader', 'combobox', 'comment', 'complementary', 'contentinfo', 'definition',
  'deletion', 'dialog', 'directory', 'document', 'emphasis', 'feed', 'figure', 'form', 'generic', 'grid',
  'gridcell', 'group', 'heading', 'img', 'image', 'insertion', 'link', 'list', 'listbox', 'listitem', 'log',
  'main', 'mark', 'marquee', 'math', 'menu', 'menubar', 'menuitem', 'menuitemcheckbox', 'menuitemradio',
  'meter', 'navigation', 'none', 'note', 'option', 'paragraph', 'presentation', 'progressbar', 'radio',
  'radiogroup', 'region', 'row', 'rowgroup', 'rowheader', 'scrollbar', 'search', 'searchbox', 'separator',
  'slider', 'spinbutton', 'status', 'strong', 'subscript', 'suggestion', 'superscript', 'switch', 'tab',
  'table', 'tablist', 'tabpanel', 'term', 'textbox', 'time', 'timer', 'toolbar', 'tooltip', 'tree', 'treegrid',
  'treeitem', 'graphics-document', 'graphics-object', 'graphics-symbol',
]);

const SECTIONING = new Set(['article', 'aside', 'main', 'nav', 'section']);
const SECTIONING_ROLES = new Set(['article', 'complementary', 'main', 'navigation', 'region']);

/** The explicit role: first token of `role` that is a known ARIA role (`role="foo button"` → button). */
export function explicitRole(el: Element): string | undefined {
  const attr = el.getAttribute('role');
  if (!attr) return undefined;
  for (const token of attr.trim().toLowerCase().split(/\s+/)) {
    if (ARIA_ROLES.has(token)) return token === 'image' ? 'img' : token;
  }
  return undefined;
}

function hasName(el: Element): boolean {
  return !!(
    el.getAttribute('aria-label')?.trim() ||
    el.getAttribute('aria-labelledby')?.trim() ||
    el.getAttribute('title')?.trim()
  );
}

/** header/footer are banner/contentinfo only when not scoped to a sectioning element. */
function inSectioning(el: Element): boolean {
  for (let p = composedParent(el), i = 0; p && i < 64; p = composedParent(p), i++) {
    if (SECTIONING.has(p.localName)) return true;
    const r = p.getAttribute('role');
    if (r && SECTIONING_ROLES.has(r.trim().toLowerCase())) return true;
  }
  return false;
}

function inGridTable(el: Element): boolean {
  const table = el.closest('table');
  const r = table?.getAttribute('role')?.trim().toLowerCase();
  return r === 'grid' || r === 'treegrid';
}

function selectRole(el: Element): string {
  const size = Number.parseInt(el.getAttribute('size') ?? '', 10);
  return el.hasAttribute('multiple') || (Number.isFinite(size) && size > 1) ? 'listbox' : 'combobox';
}

function inputRole(el: Element): string | undefined {
  const type = inputType(el);
  const list = el.hasAttribute('list');
  switch (type) {
    case 'button':
    case 'image':
    case 'reset':
    case 'submit':
      return 'button';
    case 'checkbox':
      return 'checkbox';
    case 'radio':
      return 'radio';
    case 'range':
      return 'slider';
    case 'number':
      return 'spinbutton';
    case 'search':
      return list ? 'combobox' : 'searchbox';
    case '':
    case 'text':
    case 'email':
    case 'tel':
    case 'url':
      return list ? 'combobox' : 'textbox';
    case 'password':
      // No ARIA role in HTML-AAM; browsers expose it as a (protected) text box.
      return 'textbox';
    default:
      // hidden, file, color, date and time types have no ARIA role; an unknown type is a text field.
      return NO_ROLE_INPUTS.has(type) ? undefined : 'textbox';
  }
}

const NO_ROLE_INPUTS = new Set(['hidden', 'file', 'color', 'date', 'datetime-local', 'month', 'time', 'week']);

/** The implicit ARIA role of an element per HTML-AAM (common elements only). */
export function implicitRole(el: Element): string | undefined {
  const tag = el.localName;
  switch (tag) {
    case 'a':
    case 'area':
      return el.hasAttribute('href') ? 'link' : undefined;
    case 'article':
      return 'article';
    case 'aside':
      return 'complementary';
    case 'blockquote':
      return 'blockquote';
    case 'button':
      return 'button';
    case 'code':
      return 'code';
    case 'datalist':
      return 'listbox';
    case 'dd':
      return 'definition';
    case 'del':
    case 's':
      return 'deletion';
    case 'details':
      return 'group';
    case 'dfn':
    case 'dt':
      return 'term';
    case 'dialog':
      return 'dialog';
    case 'em':
      return 'emphasis';
    case 'fieldset':
    case 'optgroup':
      return 'group';
    case 'figure':
      return 'figure';
    case 'footer':
      return inSectioning(el) ? undefined : 'contentinfo';
    case 'header':
      return inSectioning(el) ? undefined : 'banner';
    case 'form':
      return hasName(el) ? 'form' : undefined;
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
      return 'heading';
    case 'hr':
      return 'separator';
    case 'img': {
      const alt = el.getAttribute('alt');
      // alt="" marks a decorative image (role none) unless something else names it.
      if (alt !== null && alt.trim() === '' && !hasName(el)) return 'none';
      return 'img';
    }
    case 'input':
      return inputRole(el);
    case 'ins':
      return 'insertion';
    case 'li':
      return 'listitem';
    case 'main':
      return 'main';
    case 'mark':
      return 'mark';
    case 'menu':
    case 'ol':
    case 'ul':
      return 'list';
    case 'meter':
      return 'meter';
    case 'nav':
      return 'navigation';
    case 'option':
      return 'option';
    case 'output':
      return 'status';
    case 'p':
      return 'paragraph';
    case 'progress':
      return 'progressbar';
    case 'search':
      return 'search';
    case 'section':
      return hasName(el) ? 'region' : undefined;
    case 'select':
      return selectRole(el);
    case 'strong':
      return 'strong';
    case 'sub':
      return 'subscript';
    case 'sup':
      return 'superscript';
    case 'summary':
      // HTML-AAM leaves it to the browser (Chrome: DisclosureTriangle, Firefox: button). For training
      // data "button" says what it is; chromeRole() gives Chrome's name for aria selectors.
      return 'button';
    case 'table':
      return 'table';
    case 'tbody':
    case 'thead':
    case 'tfoot':
      return 'rowgroup';
    case 'td':
      return inGridTable(el) ? 'gridcell' : 'cell';
    case 'th': {
      const scope = (el.getAttribute('scope') ?? '').toLowerCase();
      if (scope === 'row' || scope === 'rowgroup') return 'rowheader';
      return 'columnheader';
    }
    case 'textarea':
      return 'textbox';
    case 'time':
      return 'time';
    case 'tr':
      return 'row';
    case 'math':
      return 'math';
    default:
      if (isEditableRoot(el)) return 'textbox';
      return undefined;
  }
}

/**
 * The element's role: the first valid token of its `role` attribute, else its implicit role.
 * `none`/`presentation` are returned as written (callers treat them as "no role").
 */
export function roleOf(el: Element): string | undefined {
  return explicitRole(el) ?? implicitRole(el);
}

const OPTION_CONTEXT = new Set(['listbox', 'combobox']);
const TREEITEM_CONTEXT = new Set(['tree', 'treegrid']);

function hasContext(el: Element, roles: Set<string>): boolean {
  for (let p = composedParent(el), i = 0; p && i < 16; p = composedParent(p), i++) {
    const r = roleOf(p);
    if (r && roles.has(r)) return true;
    if (p.localName === 'select' || p.localName === 'datalist') return true;
  }
  return false;
}

/**
 * The role string Chrome's accessibility tree reports for the element, for `aria/...[role="..."]`
 * selectors (Puppeteer resolves them with `Accessibility.queryAXTree`). Undefined where Chrome's role
 * is not predictable from the DOM alone, so no aria selector is written rather than a wrong one.
 */
export function chromeRole(el: Element, role: string | undefined = roleOf(el)): string | undefined {
  if (!role || role === 'none' || role === 'presentation' || role === 'generic') return undefined;
  const explicit = explicitRole(el) !== undefined;
  // Chrome exposes an option outside a listbox, or a treeitem outside a tree, as a generic element.
  if (role === 'option' && !hasContext(el, OPTION_CONTEXT)) return undefined;
  if (role === 'treeitem' && !hasContext(el, TREEITEM_CONTEXT)) return undefined;
  if (explicit) return role === 'img' ? 'image' : role;
  const tag = el.localName;
  if (tag === 'summary') return 'DisclosureTriangle';
  if (tag === 'img' || tag === 'area') return role === 'img' ? 'image' : role;
  // Datalist options are not in Chrome's accessibility tree.
  if (tag === 'option' && el.parentElement?.closest('datalist')) return undefined;
  // contenteditable roots, header/footer landmarks and th scope depend on Chrome's own heuristics.
  if (isEditableRoot(el) && !['input', 'textarea'].includes(tag)) return undefined;
  return role;
}
