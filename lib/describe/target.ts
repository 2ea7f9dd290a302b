/**
 * The element context every targeted event carries: tag, role, accessible name, Recorder selectors,
 * box, masked flag and a few stable attributes. Redaction is injected (the caller passes the privacy
 * module's redactText) so this module does not depend on lib/privacy.
 *
 * Masked (sensitive) elements: the name comes only from label-like sources (labelledby outside the
 * element, aria-label, label elements, alt, title, placeholder), never from the element's own text;
 * no text selector; no value, checked state or selection state anywhere.
 */
import type { Target } from '../schema/event';
import { boxOf } from './box';
import { clip, collapse, inputType } from './dom';
import { accessibleNameInfo } from './name';
import { roleOf } from './role';
import { TEST_ID_ATTRIBUTES, selectorsFor } from './selectors';

export interface DescribeOptions {
  masked: boolean;
  redact: (s: string) => string;
  /** Sensitive fields (injected like `redact`): their values never influence a selector. */
  isSensitive?: (field: Element) => boolean;
}

const MAX_TAG = 64;
const MAX_ROLE = 64;
const MAX_NAME = 200;
const MAX_ATTR = 200;
const CHECKABLE = new Set(['checkbox', 'radio']);
/** Private-use code points: icon-font glyphs from CSS generated content. */
const PRIVATE_USE = /[\u{E000}-\u{F8FF}\u{F0000}-\u{FFFFD}\u{100000}-\u{10FFFD}]/gu;

function hrefAttr(el: Element, redact: (s: string) => string): string | undefined {
  const raw = el.getAttribute('href');
  if (raw === null) return undefined;
  try {
    const base = el.ownerDocument.baseURI || el.ownerDocument.URL;
    const url = new URL(raw, base);
    if (url.protocol === 'http:' || url.protocol === 'https:') return clip(redact(url.origin + url.pathname), MAX_ATTR);
    // mailto:, tel:, javascript: and the like: the scheme says what it is; the rest may be personal.
    return url.protocol;
  } catch {
    return undefined;
  }
}

function attrsOf(el: Element, masked: boolean, redact: (s: string) => string): Record<string, string> | undefined {
  const attrs: Record<string, string> = {};
  const tag = el.localName;
  if (tag === 'input' || tag === 'button') {
    const type = inputType(el) || (tag === 'input' ? 'text' : 'submit');
    attrs.type = clip(type, 40);
  }
  for (const a of TEST_ID_ATTRIBUTES) {
    const v = el.getAttribute(a);
    if (v) {
      attrs[a] = clip(redact(v), MAX_ATTR);
      break;
    }
  }
  if ((tag === 'a' || tag === 'area') && el.hasAttribute('href')) {
    const href = hrefAttr(el, redact);
    if (href) attrs.href = href;
  }
  const stateAttrs = masked ? ['aria-haspopup', 'aria-expanded'] : ['aria-haspopup', 'aria-expanded', 'aria-checked', 'aria-selected', 'aria-pressed'];
  for (const a of stateAttrs) {
    const v = el.getAttribute(a);
    if (v !== null && v.trim()) attrs[a] = clip(v.trim().toLowerCase(), 40);
  }
  if (!masked && tag === 'input' && CHECKABLE.has(inputType(el))) {
    attrs.checked = String((el as HTMLInputElement).checked === true);
  }
  return Object.keys(attrs).length > 0 ? attrs : undefined;
}

/** Describe `el` for an event. Never throws: worst case a target with tag, css/xpath and box. */
export function describeTarget(el: Element, opts: DescribeOptions): Target {
  const { masked, redact } = opts;
  let role: string | undefined;
  let name = '';
  let ariaName = '';
  let withheld = false;
  try {
    role = roleOf(el);
    const info = accessibleNameInfo(el, { fromContent: !masked });
    const raw = info.name;
    withheld = info.withheld;
    if (raw) {
      const redacted = redact(raw);
      // Only a name redaction left untouched goes into a selector (and it must match the page exactly,
      // icon-font glyphs included); the recorded name drops private-use glyphs, which mean nothing. A
      // name with private text left out is not Chrome's name: no aria selector from it.
      ariaName = redacted === raw && !withheld ? raw : '';
      name = clip(collapse(redacted.replace(PRIVATE_USE, '')), MAX_NAME);
    }
  } catch {
    // no role/name
  }
  const target: Target = {
    tag: clip(el.localName || el.nodeName.toLowerCase(), MAX_TAG),
    selectors: selectorsFor(el, { name: ariaName, masked: masked || withheld, redact, isSensitive: opts.isSensitive }),
    box: boxOf(el),
    masked,
  };
  if (role && role !== 'none' && role !== 'presentation') target.role = clip(role, MAX_ROLE);
  if (name) target.name = name;
  try {
    const attrs = attrsOf(el, masked, redact);
    if (attrs) target.attrs = attrs;
  } catch {
    // no attrs
  }
  return target;
}

/**
 * `previous` (a description of `el` under the same DOM state) brought up to date with what changes
 * without any DOM mutation: the box (when the caller cannot vouch for it) and a check box's or radio's
 * checked state. Everything else — role, name, selectors — depends only on the DOM.
 */
export function redescribe(el: Element, previous: Target, opts: { masked: boolean; box?: Target['box'] }): Target {
  const target: Target = { ...previous, box: opts.box ?? boxOf(el) };
  if (!opts.masked && previous.attrs && el.localName === 'input' && CHECKABLE.has(inputType(el))) {
    target.attrs = { ...previous.attrs, checked: String((el as HTMLInputElement).checked === true) };
  }
  return target;
}
