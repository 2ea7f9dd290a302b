/**
 * Which content may describe an element. Names, selectors and menu paths are built from the text of
 * other elements (labels, aria-labelledby targets, slotted content, an opener's text); text the privacy
 * rules hide must not reach them through that side door. lib/describe does not know the privacy rules:
 * the capture session installs them here once (`setContentGuard`), and every name computed in the
 * content script asks them. Without a guard (unit tests of pure description) nothing is private.
 */

export interface ContentGuard {
  /**
   * True when the element's text is private because of the element itself or anything above it
   * (markers up the composed tree, sensitive fields, frame-wide levels). Asked for elements reached by
   * reference (labels, aria-labelledby, the described element itself), whose ancestors were not walked.
   */
  within(el: Element): boolean;
  /**
   * True when the element alone makes its subtree private (a marker on it, a sensitive field). Asked
   * for each child while walking content downwards: its ancestors were already asked.
   */
  own(el: Element): boolean;
}

const OPEN: ContentGuard = { within: () => false, own: () => false };
let current: ContentGuard = OPEN;

/** Installs the privacy rules for this content script; returns the removal. */
export function setContentGuard(guard: ContentGuard): () => void {
  current = guard;
  return () => {
    if (current === guard) current = OPEN;
  };
}

/** A guard that cannot answer counts the content as private (when unsure, mask). */
export function isPrivateWithin(el: Element): boolean {
  try {
    return current.within(el);
  } catch {
    return true;
  }
}

export function isPrivateOwn(el: Element): boolean {
  try {
    return current.own(el);
  } catch {
    return true;
  }
}
