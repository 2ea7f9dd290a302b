/**
 * Looking into shadow roots, closed ones included. Events from inside a closed root reach the document
 * retargeted to its host, so a password typed into a closed-root login widget looks like keys pressed
 * on a plain custom element. Content scripts may look inside anyway (Chrome: `chrome.dom.
 * openOrClosedShadowRoot`; Firefox: `element.openOrClosedShadowRoot()`), and the privacy rules must.
 */

type RootGetter = (el: Element) => ShadowRoot | null | undefined;

function extensionGetter(): RootGetter | undefined {
  const dom = (globalThis as unknown as { chrome?: { dom?: { openOrClosedShadowRoot?: RootGetter } } }).chrome?.dom;
  const fn = dom?.openOrClosedShadowRoot;
  return typeof fn === 'function' ? (el) => fn.call(dom, el) : undefined;
}

/** Whether this context can see closed shadow roots (a content script in Chrome or Firefox can). */
export function canSeeClosedRoots(el?: Element): boolean {
  if (extensionGetter()) return true;
  return typeof (el as { openOrClosedShadowRoot?: unknown } | undefined)?.openOrClosedShadowRoot === 'function';
}

/** The element's shadow root, open or closed, or null. Never throws. */
export function shadowRootOf(el: Element): ShadowRoot | null {
  try {
    if (el.shadowRoot) return el.shadowRoot;
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
