/**
 * Small DOM helpers shared by the describe modules. Everything works from the element itself
 * (`ownerDocument`, `getRootNode()`), never from the global `document`/`window`, so the same code is
 * correct inside open shadow roots and inside iframes. Node types are checked by `nodeType`, not by
 * `instanceof`, because an element may come from another realm (a same-origin frame).
 */

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const DOCUMENT_NODE = 9;
export const DOCUMENT_FRAGMENT_NODE = 11;
/** `NodeFilter.SHOW_ELEMENT`, spelled out so no global is needed. */
export const SHOW_ELEMENT = 1;

export type Root = Document | ShadowRoot;

export function isElement(node: unknown): node is Element {
  return typeof node === 'object' && node !== null && (node as Node).nodeType === ELEMENT_NODE;
}

export function isShadowRoot(node: Node | null | undefined): node is ShadowRoot {
  return !!node && node.nodeType === DOCUMENT_FRAGMENT_NODE && 'host' in node && !!(node as ShadowRoot).host;
}

/** The document or shadow root the element lives in (the scope of its ids and CSS selectors). */
export function rootOf(el: Element): Root {
  const root = el.getRootNode();
  if (root.nodeType === DOCUMENT_NODE || isShadowRoot(root)) return root as Root;
  // Detached element: its owner document is the best scope there is.
  return el.ownerDocument;
}

/** Parent in the composed tree as far as ids and roles go: the parent element, or the shadow host. */
export function composedParent(el: Element): Element | null {
  if (el.parentElement) return el.parentElement;
  const parent = el.parentNode;
  if (isShadowRoot(parent)) return parent.host;
  return null;
}

/** The nearest element (self included) that matches, walking up through shadow hosts, capped. */
export function closestComposed(el: Element, test: (e: Element) => boolean, maxDepth = 32): Element | undefined {
  let cur: Element | null = el;
  for (let i = 0; cur && i < maxDepth; i++, cur = composedParent(cur)) {
    if (test(cur)) return cur;
  }
  return undefined;
}

export function byId(root: Root, id: string): Element | null {
  if (!id) return null;
  try {
    return root.getElementById(id);
  } catch {
    return null;
  }
}

/** The ids of an IDREFS attribute (aria-labelledby, aria-controls, aria-owns). */
export function idRefs(el: Element, attr: string): string[] {
  const v = el.getAttribute(attr);
  return v ? v.trim().split(/\s+/).filter(Boolean) : [];
}

/** `CSS.escape` (CSSOM spec algorithm), implemented here because not every environment has it. */
export function escapeCss(value: string): string {
  let out = '';
  const len = value.length;
  const first = value.charCodeAt(0);
  for (let i = 0; i < len; i++) {
    const c = value.charCodeAt(i);
    if (c === 0) {
      out += '\uFFFD';
    } else if (
      (c >= 0x01 && c <= 0x1f) ||
      c === 0x7f ||
      (i === 0 && c >= 0x30 && c <= 0x39) ||
      (i === 1 && c >= 0x30 && c <= 0x39 && first === 0x2d)
    ) {
      out += `\\${c.toString(16)} `;
    } else if (i === 0 && len === 1 && c === 0x2d) {
      out += `\\${value.charAt(i)}`;
    } else if (
      c >= 0x80 ||
      c === 0x2d ||
      c === 0x5f ||
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a)
    ) {
      out += value.charAt(i);
    } else {
      out += `\\${value.charAt(i)}`;
    }
  }
  return out;
}

/** A double-quoted CSS string, e.g. for attribute selectors: `"a \22 b\22 "` for `a "b"`. */
export function cssString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    const c = value.charCodeAt(i);
    if (c === 0) out += '\uFFFD';
    // Hex escapes (`\22 `, `\5c `) rather than `\"`: valid CSS, and understood by every selector engine.
    else if (ch === '"' || ch === '\\') out += `\\${c.toString(16)} `;
    else if ((c >= 0x01 && c <= 0x1f) || c === 0x7f) out += `\\${c.toString(16)} `;
    else out += ch;
  }
  return `${out}"`;
}

/** An XPath 1.0 string literal (XPath has no escapes: switch quotes, or concat() when both occur). */
export function xpathLiteral(value: string): string {
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  const parts = value.split('"').map((p) => `"${p}"`);
  return `concat(${parts.join(`, '"', `)})`;
}

/** Whitespace collapsed to single spaces, trimmed. */
export function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Cut to at most `max` UTF-16 units without splitting a surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut.trimEnd();
}

const NEVER_RENDERED = new Set(['script', 'style', 'template', 'noscript', 'head', 'title', 'meta', 'link']);

/**
 * How an element is hidden from the accessibility tree, without layout where possible:
 *  - 'gone': not rendered at all (`hidden`, display:none, never-rendered elements, hidden inputs);
 *  - 'invisible': rendered (it may take space) but excluded (aria-hidden="true", visibility:hidden);
 *  - 'visible'.
 * With `deep`, also asks `checkVisibility()` where the browser has it (stylesheet display:none and
 * visibility:hidden, closed `<details>` content; `display:contents` counts as visible).
 */
export function hiddenState(el: Element, deep = false): 'visible' | 'gone' | 'invisible' {
  const tag = el.localName;
  if (NEVER_RENDERED.has(tag)) return 'gone';
  if (el.hasAttribute('hidden')) return 'gone';
  if (tag === 'input' && (el.getAttribute('type') ?? '').toLowerCase() === 'hidden') return 'gone';
  const style = (el as HTMLElement).style as CSSStyleDeclaration | undefined;
  if (style && style.display === 'none') return 'gone';
  if (el.getAttribute('aria-hidden') === 'true') return 'invisible';
  if (style && style.visibility === 'hidden') return 'invisible';
  if (deep) {
    const check = (el as Element & { checkVisibility?: (o?: object) => boolean }).checkVisibility;
    if (typeof check === 'function' && tag !== 'slot') {
      try {
        if (!check.call(el)) {
          // No box also means display:contents, which hides nothing.
          if (el.ownerDocument.defaultView?.getComputedStyle(el).display !== 'contents') return 'gone';
        } else if (!check.call(el, { visibilityProperty: true, checkVisibilityCSS: true })) {
          return 'invisible';
        }
      } catch {
        // ignore: treat as visible
      }
    }
  }
  return 'visible';
}

/** Hidden from the accessibility tree in either way (see hiddenState). */
export function isHidden(el: Element, deep = false): boolean {
  return hiddenState(el, deep) !== 'visible';
}

/** Children in the flat tree: a shadow host's shadow children, a slot's assigned nodes. */
export function flatChildren(el: Element): ArrayLike<Node> {
  const sr = (el as Element & { shadowRoot?: ShadowRoot | null }).shadowRoot;
  if (sr) return sr.childNodes;
  if (el.localName === 'slot') {
    const assigned = (el as HTMLSlotElement).assignedNodes?.({ flatten: true });
    if (assigned && assigned.length > 0) return assigned;
  }
  return el.childNodes;
}

/** Text-like input types: their value is what the user typed and is never used as a name or text. */
export const TEXT_INPUT_TYPES = new Set(['', 'text', 'search', 'email', 'tel', 'url', 'password', 'number']);

export function inputType(el: Element): string {
  return (el.getAttribute('type') ?? '').trim().toLowerCase();
}

/** Form controls whose value the user sets (never named from their value, never a text selector). */
export function isFormField(el: Element): boolean {
  const tag = el.localName;
  return tag === 'input' || tag === 'textarea' || tag === 'select';
}

/** The editable root itself (`contenteditable` set on it), not its descendants. */
export function isEditableRoot(el: Element): boolean {
  const v = el.getAttribute('contenteditable');
  if (v === null) return false;
  const t = v.trim().toLowerCase();
  return t === '' || t === 'true' || t === 'plaintext-only';
}
