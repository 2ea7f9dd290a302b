/**
 * Selectors for an element in Chrome DevTools Recorder order and format: aria, css, xpath, pierce,
 * text. Each selector is a chain of parts, one part per shadow root crossed, exactly as the Recorder
 * writes them and @puppeteer/replay resolves them (parts joined with `>>>>`, i.e. "query inside the
 * shadow root of what the previous part matched"):
 *
 *   [["aria/Save[role=\"button\"]"], ["#save"], ["xpath///*[@id=\"save\"]"], ["text/Save"]]
 *   [["my-app", "button.save"], ["pierce/button.save"]]   (inside shadow roots: no xpath, see below)
 *
 * Replay races all selectors of a step and acts on whichever resolves first, so a selector that
 * matches a different element is worse than none: aria, text and pierce selectors are only written
 * when a (capped) uniqueness check passes; css is always written, and xpath outside shadow roots
 * (both unique within their root unless the DOM is deeper than the caps allow).
 *
 * Inside shadow roots there is no xpath: Chrome's `document.evaluate` rejects a shadow root as context
 * node ("not a valid context node type"), so no XPath can be resolved there during replay.
 *
 * Cost: a handful of `querySelectorAll` calls on the element's root(s), one capped walk to find open
 * shadow roots (aria/text/pierce uniqueness must cover them, as Puppeteer's queries do), and an
 * accessible-name computation for same-role candidates that could share the name.
 */
import { MAX_SELECTOR_CHARS } from '../constants';
import {
  DOCUMENT_NODE,
  SHOW_ELEMENT,
  type Root,
  collapse,
  cssString,
  escapeCss,
  isEditableRoot,
  isElement,
  isFormField,
  isShadowRoot,
  rootOf,
  xpathLiteral,
} from './dom';
import { generationFor } from './generation';
import { accessibleName } from './name';
import { chromeRole, roleOf } from './role';

export interface SelectorOptions {
  /**
   * Name for the aria selector, already vetted by the caller (e.g. redacted and unchanged by
   * redaction). '' means "no aria selector". When absent it is computed (from labels only if masked).
   */
  name?: string;
  /** Masked/sensitive element: no text selector, name only from label-like sources. */
  masked?: boolean;
  /**
   * The privacy module's text redaction. An attribute value (id, data-testid, name, class) or text is
   * used in a selector only if redaction leaves it unchanged, so no selector carries personal data.
   */
  redact?: (s: string) => string;
  /**
   * The privacy module's "is this field sensitive". The value of a sensitive field must not influence
   * anything, not even whether a text selector is written (that would be a one-bit oracle on a secret).
   */
  isSensitive?: (field: Element) => boolean;
}

/** Test-id attributes, most common first (the Recorder's list). */
export const TEST_ID_ATTRIBUTES = [
  'data-testid',
  'data-test',
  'data-qa',
  'data-cy',
  'data-test-id',
  'data-qa-id',
  'data-testing',
] as const;

const HTML_NS = 'http://www.w3.org/1999/xhtml';
/** Ancestors a css path may climb before giving up on finding a unique anchor. */
const MAX_CSS_DEPTH = 16;
/** Longest attribute value worth putting in a selector. */
const MAX_ATTR_VALUE = 80;
/** Longest accessible name for an aria selector (longer names are likely truncated or volatile). */
const MAX_ARIA_NAME = 80;
/** Longest text for a text selector (the Recorder's maximum). */
const MAX_TEXT = 64;
/** Elements visited while looking for open shadow roots. */
const MAX_WALK = 10_000;
/** Same-role elements whose names are computed for the aria uniqueness check. */
const MAX_ARIA_CANDIDATES = 1_500;
/**
 * Elements that could have the role looked at, at most, for the aria uniqueness check (most are ruled
 * out by attributes alone). Beyond that (a grid of thousands of cells) the element gets no aria selector.
 */
const MAX_ARIA_SCAN = 6_000;
/** Largest text of one root scanned for the text uniqueness check. */
const MAX_ROOT_TEXT = 2_000_000;
/** Most parts in one chain (schema limit). */
const MAX_CHAIN = 8;

// ---------------------------------------------------------------------------------------------------
// Stability heuristics

const ALWAYS_GENERATED = [
  /[:«»]/, // React useId (":r1:", "«r1»"), Radix "radix-:r2:", Headless UI ids
  /^(?:css|sc|jsx|emotion|svelte|ng-tns|tss|makeStyles|jss)-/i, // CSS-in-JS and framework scoping
  /^(?:ember|ext-gen|ext-comp|yui_|yui-gen|gwt-uid-|ui-id-)\d/i,
  /\d{4,}/, // counters, timestamps, database keys
  /[0-9a-f]{8}-?[0-9a-f]{4}/i, // uuid-ish
];
/** Library prefixes whose ids are counters: generated when they carry a digit. */
const COUNTER_PREFIX = /^(?:headlessui|downshift|react-select|react-aria|rc-[a-z]+|mat-[a-z-]+|cdk-[a-z-]+|mui|radix|chakra-[a-z-]+|bs-[a-z-]+|el-[a-z-]+|ant-[a-z-]+|v-[a-z-]+|p-[a-z-]+|id|uid|guid)[-_]/i;

/**
 * True for ids/classes/test ids that look machine-generated and would not survive a reload:
 * `css-1x2y3z`, `:r12:`, `ember123`, `mat-input-3`, `Button_root__3xYz1`, long hex, uuids.
 */
export function isGeneratedToken(value: string): boolean {
  const v = value.trim();
  if (!v || v.length > 64) return true;
  if (ALWAYS_GENERATED.some((re) => re.test(v))) return true;
  if (COUNTER_PREFIX.test(v) && /\d/.test(v)) return true;
  for (const seg of v.split(/[-_.]+/)) {
    const digits = seg.replace(/\D/g, '').length;
    if (seg.length >= 5 && digits >= 2 && /[a-z]/i.test(seg)) return true; // hash fragment: 3xYz1, a1b2c3
    if (seg.length >= 6 && digits >= 1 && /^[0-9a-f]+$/i.test(seg)) return true; // hex
  }
  return false;
}

const STATE_CLASS =
  /^(?:is-|has-|ng-)|(?:^|[-_])(?:active|selected|open|opened|closed|focus|focused|focus-visible|hover|hovered|disabled|checked|expanded|collapsed|visible|hidden|show|shown|current|pressed|loading|error|invalid|valid|dirty|touched|pristine|highlighted)$/i;

/** A class worth a selector: plain identifier, not generated, not a state that changes on interaction. */
export function isStableClass(cls: string): boolean {
  return /^[a-zA-Z_][\w-]*$/.test(cls) && cls.length <= 40 && !isGeneratedToken(cls) && !STATE_CLASS.test(cls);
}

// ---------------------------------------------------------------------------------------------------
// Shared per-call context

type Safe = (s: string) => boolean;

class Context {
  readonly doc: Document;
  private cache: { roots: Root[]; complete: boolean } | undefined;

  constructor(
    readonly el: Element,
    readonly safe: Safe,
    readonly sensitive: (field: Element) => boolean = () => false,
  ) {
    this.doc = el.ownerDocument;
  }

  /** The document and every open shadow root in it (capped walk), plus the element's own roots. */
  roots(): { roots: Root[]; complete: boolean } {
    if (!this.cache) this.cache = withOwnRoots(documentRoots(this.doc), this.el);
    return this.cache;
  }
}

/**
 * The walk for open shadow roots is the same for every element of one DOM state: it is remembered while
 * the document has not changed (lib/describe/generation), and for at most ROOTS_MAX_AGE_MS, because
 * what happens inside shadow trees (a component attaching its root later) is not watched.
 */
const ROOTS_MAX_AGE_MS = 1_000;
let rootsMemo: { doc: Document; generation: number; at: number; roots: Root[]; complete: boolean } | undefined;

function documentRoots(doc: Document): { roots: Root[]; complete: boolean } {
  const generation = generationFor(doc);
  const now = Date.now();
  const m = rootsMemo;
  if (generation !== undefined && m && m.doc === doc && m.generation === generation && now - m.at < ROOTS_MAX_AGE_MS) {
    return { roots: m.roots.slice(), complete: m.complete };
  }
  const walked = walkRoots(doc);
  rootsMemo = generation !== undefined ? { doc, generation, at: now, ...walked, roots: walked.roots.slice() } : undefined;
  return walked;
}

/** The element's own roots are always part of the check, even when the walk was cut short. */
function withOwnRoots(found: { roots: Root[]; complete: boolean }, el: Element): { roots: Root[]; complete: boolean } {
  const { roots } = found;
  const seen = new Set<Root>(roots);
  for (let r = rootOf(el); isShadowRoot(r); r = rootOf(r.host)) {
    if (!seen.has(r)) {
      seen.add(r);
      roots.push(r);
    }
  }
  return found;
}

function walkRoots(doc: Document): { roots: Root[]; complete: boolean } {
  const roots: Root[] = [doc];
  const seen = new Set<Root>(roots);
  let budget = MAX_WALK;
  let complete = true;
  outer: for (let i = 0; i < roots.length; i++) {
    const r = roots[i]!;
    const start: Node | null = r.nodeType === DOCUMENT_NODE ? (r as Document).documentElement : r;
    if (!start) continue;
    const walker = doc.createTreeWalker(start, SHOW_ELEMENT);
    for (let n: Node | null = walker.currentNode; n; n = walker.nextNode()) {
      if (!isElement(n)) continue;
      if (--budget < 0) {
        complete = false;
        break outer;
      }
      const sr = n.shadowRoot;
      if (sr && !seen.has(sr)) {
        seen.add(sr);
        roots.push(sr);
      }
    }
  }
  return { roots, complete };
}

function count(root: Root, sel: string): number {
  try {
    return root.querySelectorAll(sel).length;
  } catch {
    return -1;
  }
}

function unique(root: Root, sel: string): boolean {
  return count(root, sel) === 1;
}

function usable(value: string | null, safe: Safe): value is string {
  return !!value && value.length <= MAX_ATTR_VALUE && !/[\n\r\t]/.test(value) && !isGeneratedToken(value) && safe(value);
}

// ---------------------------------------------------------------------------------------------------
// CSS

/** A selector for `el` alone that is unique in its root: test id, stable id, or form control name. */
function cssAnchor(el: Element, root: Root, safe: Safe): string | undefined {
  for (const attr of TEST_ID_ATTRIBUTES) {
    const v = el.getAttribute(attr);
    if (usable(v, safe)) {
      const sel = `[${attr}=${cssString(v)}]`;
      if (unique(root, sel)) return sel;
    }
  }
  const id = el.getAttribute('id');
  if (usable(id, safe)) {
    const sel = `#${escapeCss(id)}`;
    if (unique(root, sel)) return sel;
  }
  const tag = el.localName;
  if (isFormField(el) || tag === 'button') {
    const name = el.getAttribute('name');
    if (usable(name, safe)) {
      const sel = `${tag}[name=${cssString(name)}]`;
      if (unique(root, sel)) return sel;
    }
  }
  return undefined;
}

/** The element among its siblings: tag, input type, a stable class, or :nth-of-type. */
function cssSiblingPart(el: Element, safe: Safe): string {
  const tag = escapeCss(el.localName);
  const parent = el.parentNode as ParentNode | null;
  if (!parent || el.localName === 'html' || el.localName === 'body') return tag;
  const siblings = parent.children;
  let sameTag = 0;
  for (const s of siblings) if (s.localName === el.localName) sameTag++;
  if (sameTag <= 1) return tag;

  if (el.localName === 'input') {
    const type = el.getAttribute('type');
    if (type && /^[a-z-]+$/i.test(type)) {
      let sameType = 0;
      for (const s of siblings) if (s.localName === 'input' && s.getAttribute('type') === type) sameType++;
      if (sameType === 1) return `${tag}[type=${cssString(type)}]`;
    }
  }

  for (const cls of el.classList) {
    if (!isStableClass(cls) || !safe(cls)) continue;
    let shared = false;
    for (const s of siblings) {
      if (s !== el && s.localName === el.localName && s.classList.contains(cls)) {
        shared = true;
        break;
      }
    }
    if (!shared) return `${tag}.${escapeCss(cls)}`;
  }

  let index = 0;
  for (const s of siblings) {
    if (s.localName === el.localName) index++;
    if (s === el) break;
  }
  return `${tag}:nth-of-type(${index})`;
}

/** Shortest `a > b > c` ending at `el` that is unique in `root` (within the caps). */
function cssIn(el: Element, root: Root, safe: Safe): string {
  const parts: string[] = [];
  let cur: Element | null = el;
  for (let depth = 0; cur && depth < MAX_CSS_DEPTH; depth++) {
    const anchor = cssAnchor(cur, root, safe);
    if (anchor) {
      parts.unshift(anchor);
      break;
    }
    parts.unshift(cssSiblingPart(cur, safe));
    if (cur.localName === 'html' || unique(root, parts.join(' > '))) break;
    cur = cur.parentElement;
  }
  return fitParts(parts, ' > ', '');
}

/**
 * Join parts; when too long, drop leading ancestors (the rest still matches the element, maybe not
 * only it) and start the remainder with `truncatedLead`.
 */
function fitParts(parts: string[], sep: string, lead: string, truncatedLead = lead, max = MAX_SELECTOR_CHARS): string {
  let s = lead + parts.join(sep);
  while (s.length > max && parts.length > 1) {
    parts.shift();
    s = truncatedLead + parts.join(sep);
  }
  return s;
}

/** The shadow roots from the outermost to the element's own: [host chain elements..., el]. */
function hostChain(el: Element): Element[] {
  const chain: Element[] = [el];
  for (let r = rootOf(el); isShadowRoot(r) && chain.length < MAX_CHAIN; r = rootOf(r.host)) chain.unshift(r.host);
  return chain;
}

/** CSS chain: one selector per shadow root crossed, outermost first. */
export function cssChain(el: Element, safe: Safe = () => true): string[] {
  return hostChain(el).map((e) => cssIn(e, rootOf(e), safe));
}

// ---------------------------------------------------------------------------------------------------
// XPath

function xpathStep(el: Element): string {
  const html = el.namespaceURI === HTML_NS;
  const name = html ? el.localName : `*[local-name()=${xpathLiteral(el.localName)}]`;
  const parent = el.parentNode as ParentNode | null;
  if (!parent) return name;
  let same = 0;
  let index = 0;
  for (const s of parent.children) {
    if (s.localName === el.localName && s.namespaceURI === el.namespaceURI) {
      same++;
      if (s === el) index = same;
    }
  }
  return same > 1 ? `${name}[${index}]` : name;
}

function xpathAnchor(el: Element, root: Root, safe: Safe): string | undefined {
  for (const attr of TEST_ID_ATTRIBUTES) {
    const v = el.getAttribute(attr);
    if (usable(v, safe) && unique(root, `[${attr}=${cssString(v)}]`)) return `//*[@${attr}=${xpathLiteral(v)}]`;
  }
  const id = el.getAttribute('id');
  if (usable(id, safe) && unique(root, `#${escapeCss(id)}`)) return `//*[@id=${xpathLiteral(id)}]`;
  return undefined;
}

/**
 * XPath of `el` within its root, as the Recorder writes it: `//*[@id="x"]/div[2]/a` from the nearest
 * anchored ancestor, else `/html/body/div[2]/a`. Inside a shadow root the path would be relative to
 * that root (`./div/a`), but Chrome refuses a shadow root as XPath context, so selectorsFor does not
 * emit XPath for elements in shadow roots.
 */
function xpathIn(el: Element, root: Root, safe: Safe): string {
  const lead = isShadowRoot(root) ? '.' : '';
  const steps: string[] = [];
  for (let cur: Element | null = el; cur; cur = cur.parentElement) {
    const anchor = xpathAnchor(cur, root, safe);
    if (anchor) {
      steps.unshift(anchor.slice(1)); // "/*[@id=...]": joined below with "/" into "//*[@id=...]/..."
      return fitParts(steps, '/', `${lead}/`, `${lead}//`, XPATH_MAX);
    }
    steps.unshift(xpathStep(cur));
  }
  return fitParts(steps, '/', `${lead}/`, `${lead}//`, XPATH_MAX);
}

/** Room for an XPath once the `xpath/` prefix is added. */
const XPATH_MAX = MAX_SELECTOR_CHARS - 'xpath/'.length;

/** XPath chain: one expression per shadow root crossed, outermost first (see xpathIn on shadow roots). */
export function xpathChain(el: Element, safe: Safe = () => true): string[] {
  return hostChain(el).map((e) => xpathIn(e, rootOf(e), safe));
}

// ---------------------------------------------------------------------------------------------------
// ARIA

const IMPLICIT_CANDIDATES: Record<string, string> = {
  link: 'a[href],area[href]',
  button: 'button,input,summary',
  checkbox: 'input',
  radio: 'input',
  textbox: 'input,textarea,[contenteditable]',
  searchbox: 'input',
  spinbutton: 'input',
  slider: 'input',
  combobox: 'input,select',
  listbox: 'select,datalist',
  option: 'option',
  img: 'img',
  heading: 'h1,h2,h3,h4,h5,h6',
  listitem: 'li',
  list: 'ul,ol,menu',
  navigation: 'nav',
  main: 'main',
  banner: 'header',
  contentinfo: 'footer',
  form: 'form',
  region: 'section',
  table: 'table',
  row: 'tr',
  cell: 'td',
  gridcell: 'td',
  columnheader: 'th',
  rowheader: 'th',
  dialog: 'dialog',
  group: 'details,fieldset,optgroup',
  progressbar: 'progress',
  article: 'article',
  complementary: 'aside',
  paragraph: 'p',
  status: 'output',
};

function isSubsequence(needle: string, hay: string): boolean {
  let j = 0;
  for (let i = 0; i < hay.length && j < needle.length; i++) if (hay.charCodeAt(i) === needle.charCodeAt(j)) j++;
  return j === needle.length;
}

/**
 * Cheap test that `c` cannot have accessible name `name` (so its full name need not be computed).
 * A name from content is the subtree's text minus hidden parts plus CSS generated content, with
 * spaces. So when `c` could be named `name`, either the target's DOM-only text (`domName`) is a
 * subsequence of c's text (c adds hidden text), or c's text is a subsequence of `name` (c adds
 * generated content). Only a candidate doing both at once slips through.
 */
function cannotHaveName(c: Element, name: string, domName: string): boolean {
  if (
    c.hasAttribute('aria-labelledby') ||
    c.hasAttribute('aria-label') ||
    c.hasAttribute('title') ||
    c.hasAttribute('alt') ||
    c.hasAttribute('placeholder') ||
    c.hasAttribute('value') ||
    c.shadowRoot ||
    isFormField(c)
  ) {
    return false;
  }
  const text = (c.textContent ?? '').replace(/\s+/g, '');
  if (isSubsequence(domName.replace(/\s+/g, ''), text)) return false;
  if (isSubsequence(text, name.replace(/\s+/g, ''))) return false;
  try {
    if (c.querySelector('[aria-label],[aria-labelledby],img,svg,input,[title],slot')) return false;
  } catch {
    return false;
  }
  return true;
}

/** Not in Chrome's accessibility tree as far as we can tell cheaply (Puppeteer drops ignored nodes). */
function ignoredByAX(c: Element): boolean {
  if (c.closest('[aria-hidden="true"],[hidden]')) return true;
  const check = (c as Element & { checkVisibility?: () => boolean }).checkVisibility;
  if (typeof check === 'function') {
    try {
      return !check.call(c);
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * No other element Chrome would find by this role and name. `domName` is the element's name without
 * CSS generated content: the cheap prefilter compares DOM text only, so a candidate whose name comes
 * partly from `::before` (icon fonts) is still fully checked.
 */
function ariaUnique(el: Element, role: string, name: string, domName: string, ctx: Context): boolean {
  const implicit = IMPLICIT_CANDIDATES[role];
  const sel = `[role~=${cssString(role)}]${implicit ? `,${implicit}` : ''}`;
  let scanned = 0;
  let computed = 0;
  for (const root of ctx.roots().roots) {
    let list: NodeListOf<Element>;
    try {
      list = root.querySelectorAll(sel);
    } catch {
      return false;
    }
    scanned += list.length;
    if (scanned > MAX_ARIA_SCAN) return false;
    for (const c of list) {
      if (c === el) continue;
      // Cheapest first: a different aria-label settles it (it wins over everything but labelledby).
      if (labelledOtherwise(c, name)) continue;
      if (roleOf(c) !== role) continue;
      if (cannotHaveName(c, name, domName)) continue;
      if (++computed > MAX_ARIA_CANDIDATES) return false;
      if (accessibleName(c) !== name) continue;
      if (ignoredByAX(c)) continue;
      return false;
    }
  }
  return true;
}

/** `c` is named by an aria-label (and no aria-labelledby) other than `name`. */
function labelledOtherwise(c: Element, name: string): boolean {
  const label = c.getAttribute('aria-label');
  if (label === null || c.hasAttribute('aria-labelledby')) return false;
  const collapsed = collapse(label);
  return collapsed !== '' && collapsed !== name;
}

/** `aria/Name[role="button"]` when the element has a short name and Chrome role and is unique by them. */
function ariaSelector(el: Element, rawName: string, fromContent: boolean, ctx: Context): string | undefined {
  const role = roleOf(el);
  const cr = chromeRole(el, role);
  if (!role || !cr) return undefined;
  // Exactly as computed (Chrome keeps a space next to an aria-hidden icon; so does Puppeteer's match).
  const name = rawName;
  if (!name.trim() || name.length > MAX_ARIA_NAME || /[\n\r\t]/.test(name)) return undefined;
  // Puppeteer parses `[attr="value"]` out of the name, and unescapes backslashes.
  if (/\[\s*\w+\s*=\s*["']/.test(name) || name.includes('\\') || name.includes('>>>')) return undefined;
  const domName = collapse(accessibleName(el, { fromContent, cssContent: false }));
  if (!ariaUnique(el, role, name, domName, ctx)) return undefined;
  return `aria/${name}[role="${cr}"]`;
}

// ---------------------------------------------------------------------------------------------------
// Text and pierce

/** Block-level descendants: text joined across them is not what a person reads. */
const BLOCK_SELECTOR =
  'address,article,aside,blockquote,br,dd,details,dialog,div,dl,dt,fieldset,figcaption,figure,footer,form,' +
  'h1,h2,h3,h4,h5,h6,header,hr,li,main,nav,ol,p,pre,section,summary,table,tr,td,th,ul,button,a,option';

function occurrences(haystack: string, needle: string, max: number): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i !== -1 && n < max; i = haystack.indexOf(needle, i + 1)) n++;
  return n;
}

/**
 * `text/Save`: the element's whole text when it is short, on one line, and occurs exactly once in the
 * page (all open shadow roots included), with no child holding all of it (Puppeteer's text query
 * returns the deepest match, and replay offsets are relative to the element found).
 */
function textSelector(el: Element, ctx: Context): string | undefined {
  if (isFormField(el) || isEditableRoot(el) || (el as HTMLElement).isContentEditable === true) return undefined;
  if (el.closest('[contenteditable]:not([contenteditable="false"])')) return undefined;
  const shadow = el.shadowRoot;
  const raw = ((el.textContent ?? '') + (shadow?.textContent ?? '')).trim();
  if (!raw || raw.length > MAX_TEXT || /[\n\r\t\f\v]| {2}/.test(raw)) return undefined;
  if (!ctx.safe(raw)) return undefined;
  try {
    // Puppeteer's text of an element includes the values of fields inside it.
    if (el.querySelector('input,textarea,select')) return undefined;
  } catch {
    return undefined;
  }
  const kids = [...el.children, ...(shadow ? [...shadow.children] : [])];
  for (const k of kids) if ((k.textContent ?? '').includes(raw)) return undefined;
  // Text split across blocks ("Jane" + "Profile" reads "JaneProfile" to Puppeteer) is not visible text.
  try {
    if (el.querySelector(BLOCK_SELECTOR) || shadow?.querySelector(BLOCK_SELECTOR)) return undefined;
  } catch {
    return undefined;
  }

  const { roots, complete } = ctx.roots();
  if (!complete) return undefined;
  let total = 0;
  for (const root of roots) {
    const text = root.nodeType === DOCUMENT_NODE ? ((root as Document).body?.textContent ?? '') : (root.textContent ?? '');
    if (text.length > MAX_ROOT_TEXT) return undefined;
    total += occurrences(text, raw, 2 - total);
    if (total > 1) return undefined;
    // Field values count as text for Puppeteer (passwords are never read).
    try {
      for (const f of root.querySelectorAll('input:not([type="password" i]),textarea,select')) {
        const value = (f as HTMLInputElement).value;
        if (typeof value === 'string' && value.includes(raw) && !ctx.sensitive(f)) return undefined;
      }
    } catch {
      return undefined;
    }
  }
  return total === 1 ? `text/${raw}` : undefined;
}

/** `pierce/sel` for an element in a shadow root when its innermost css part is unique page-wide. */
function pierceSelector(el: Element, inner: string, ctx: Context): string | undefined {
  if (!isShadowRoot(rootOf(el))) return undefined;
  const { roots, complete } = ctx.roots();
  if (!complete) return undefined;
  let total = 0;
  for (const root of roots) {
    const n = count(root, inner);
    if (n < 0) return undefined;
    total += n;
    if (total > 1) return undefined;
  }
  return total === 1 ? `pierce/${inner}` : undefined;
}

// ---------------------------------------------------------------------------------------------------

/**
 * Selectors for `el` in Recorder order: aria (when named, short and unique), css chain, xpath (not in
 * shadow roots), pierce (elements in shadow roots, when unique), text (short unique visible text,
 * never for masked elements or form fields). Always css, and xpath outside shadow roots. Each part is
 * at most MAX_SELECTOR_CHARS.
 */
export function selectorsFor(el: Element, opts: SelectorOptions = {}): string[][] {
  const redact = opts.redact;
  const safe: Safe = redact ? (s) => redact(s) === s : () => true;
  const ctx = new Context(el, safe, opts.isSensitive);
  const masked = opts.masked === true;
  const out: string[][] = [];

  try {
    const name = opts.name ?? accessibleName(el, { fromContent: !masked });
    const aria = name && safe(name) ? ariaSelector(el, name, !masked, ctx) : undefined;
    if (aria && aria.length <= MAX_SELECTOR_CHARS) out.push([aria]);
  } catch {
    // no aria selector
  }

  let css: string[];
  try {
    css = cssChain(el, safe);
  } catch {
    css = [escapeCss(el.localName)];
  }
  out.push(css);

  // No XPath inside shadow roots: Chrome's document.evaluate rejects a shadow root (a document
  // fragment) as context node, so no XPath can be resolved there by replay.
  if (!isShadowRoot(rootOf(el))) {
    try {
      out.push(xpathChain(el, safe).map((p) => `xpath/${p}`));
    } catch {
      // css alone
    }
  }

  try {
    const inner = css[css.length - 1];
    const pierce = inner ? pierceSelector(el, inner, ctx) : undefined;
    if (pierce) out.push([pierce]);
  } catch {
    // no pierce selector
  }

  if (!masked) {
    try {
      const text = textSelector(el, ctx);
      if (text && text.length <= MAX_SELECTOR_CHARS) out.push([text]);
    } catch {
      // no text selector
    }
  }
  return out.filter((chain) => chain.length > 0 && chain.length <= MAX_CHAIN && chain.every((p) => p.length <= MAX_SELECTOR_CHARS));
}
