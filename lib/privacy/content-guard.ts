/**
 * The privacy rules as lib/describe asks them (see lib/describe/guard): which elements' text may name
 * another element, build a selector or a menu path. Masked and blocked subtrees, sensitive fields, hidden
 * inputs and secrets the app displays contribute nothing to any description, wherever the name
 * computation reaches them: a label wrapping a checkbox, an aria-labelledby target, content slotted into
 * a shadow-DOM button, the text of a menu opener.
 */
import type { ContentGuard } from '../describe/guard';
import { holdsDisplayedSecret, isDisplayedSecret, VALUE_DISPLAY_SELECTOR } from './displayed';
import { perGeneration } from '../describe/generation';
import { masksOwnSubtree, privacyLevel } from './markers';
import { holdsPrivateText, isHiddenInput, isSensitiveField } from './sensitive';

function isValueDisplay(el: Element): boolean {
  try {
    return el.matches(VALUE_DISPLAY_SELECTOR);
  } catch {
    return true;
  }
}

/**
 * The guard for one capture session. Answers are remembered per element until the DOM changes (see
 * lib/describe/generation): typing in one field or hovering one menu asks the same questions again and again.
 */
export function privacyContentGuard(extraSensitiveSelectors: readonly string[]): ContentGuard {
  const extra = extraSensitiveSelectors;
  return {
    within: perGeneration((el) => {
      const level = privacyLevel(el, extra);
      if (level === 'mask' || level === 'block') return true;
      return isHiddenInput(el) || isSensitiveField(el, extra) || isDisplayedSecret(el);
    }),
    own: perGeneration((el) => masksOwnSubtree(el, extra) || isHiddenInput(el) || (isValueDisplay(el) && isDisplayedSecret(el))),
  };
}

/**
 * True when `el` must be described like a masked element although it is not a sensitive field itself:
 * it is a secret the app displays, or its content holds masked, blocked or displayed-secret text (its name
 * from content and its text selector would carry that text).
 */
export function holdsPrivateContent(el: Element, extraSensitiveSelectors: readonly string[]): boolean {
  let memo = holdsMemo.get(extraSensitiveSelectors);
  if (!memo) {
    memo = perGeneration((e) => holdsPrivateText(e, extraSensitiveSelectors) || isDisplayedSecret(e) || holdsDisplayedSecret(e));
    holdsMemo.set(extraSensitiveSelectors, memo);
  }
  return memo(el);
}

const holdsMemo = new WeakMap<readonly string[], (el: Element) => boolean>();
