/**
 * Looking into shadow roots, closed ones included. Events from inside a closed root reach the document
 * retargeted to its host, so a password typed into a closed-root login widget looks like keys pressed
 * on a plain custom element. Content scripts may look inside anyway (Chrome: `chrome.dom.
 * openOrClosedShadowRoot`; Firefox: `element.openOrClosedShadowRoot()`), and the privacy rules must.
 */

type RootGetter = (el: Element) => ShadowRoot | null | undefined;

type ChromeDom = { dom?: { openOrClosedShadowRoot?: RootGetter } };
let lookedUp: { chrome: ChromeDom | undefined; getter: RootGetter | undefined } | undefined;

/** Looked up once per `chrome` object: `chrome.dom` is an extension API binding, each read a native call. */
function extensionGetter(): RootGetter | undefined {
  const chrome = (globalThis as unknown as { chrome?: ChromeDom }).chrome;
  if (!lookedUp || lookedUp.chrome !== chrome) {
    const dom = chrome?.dom;
    const fn = dom?.openOrClosedShadowRoot;
    lookedUp = { chrome, getter: typeof fn === 'function' ? (el) => fn.call(dom, el) : undefined };
  }
  return lookedUp.getter;
}

/** Whether this context can see closed shadow roots (a content script in Chrome or Firefox can). */
export function canSeeClosedRoots(el?: Element): boolean {
  if (extensionGetter()) return true;
  return typeof (el as { openOrClosedShadowRoot?: unknown } | undefined)?.openOrClosedShadowRoot === 'function';
}

/**
 * The elements that may host a shadow root (DOM standard, attachShadow): custom elements, whose names
 * hold a hyphen, and these. Asking the browser about any other element (an input, a button, a link: most
 * of what events happen on) is a call into the extension API for a known answer.
 */
const SHADOW_HOSTS = new Set(['article', 'aside', 'blockquote', 'body', 'div', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'main', 'nav', 'p', 'section', 'span']);

/** The element's shadow root, open or closed, or null. Never throws. */
export function shadowRootOf(el: Element): ShadowRoot | null {
  try {
    if (el.shadowRoot) return el.shadowRoot;
    const name = el.localName;
    if (!name.includes('-') && !SHADOW_HOSTS.has(name)) return null;
    const firefox = (el as Element & { openOrClosedShadowRoot?: () => ShadowRoot | null }).openOrClosedShadowRoot;
    if (typeof firefox === 'function') return firefox.call(el) ?? null;
    return extensionGetter()?.(el) ?? null;
  } catch {
    return null;
  }
}

/** Nested shadow roots followed at most this deep. */
const MAX_DEPTH = 32;

/**
 * The element that really holds focus when `el` is a shadow host with focus inside its root (closed
 * roots included, nested hosts followed), or null when focus is not inside `el`'s shadow tree.
 */
export function focusedWithin(el: Element): Element | null {
  let cur = el;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const inner = shadowRootOf(cur)?.activeElement ?? null;
    if (!inner || inner === cur) break;
    cur = inner;
  }
  return cur === el ? null : cur;
}

/** The shadow roots from `el`'s own down to the one holding focus (for scanning a host's hidden tree). */
export function rootsWithin(el: Element): ShadowRoot[] {
  const roots: ShadowRoot[] = [];
  let cur: Element | null = el;
  for (let depth = 0; cur && depth < MAX_DEPTH; depth++) {
    const root = shadowRootOf(cur);
    if (!root) break;
    roots.push(root);
    cur = root.activeElement;
  }
  return roots;
}
