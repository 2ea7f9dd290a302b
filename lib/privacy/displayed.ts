/**
 * Secrets the app itself shows: a temporary password after a reset, recovery codes, a seed phrase, an
 * API key revealed once. No field holds them, so the field rules never see them; a click, double-click
 * or copy on one would otherwise name the element by its text.
 *
 * A displayed secret is an element that shows a short value (not prose, not a control) where the page
 * says that value is secret: its context — the heading, term, label or text just before it, the
 * labels of the section it sits in, its aria-labelledby/aria-describedby, a neighbouring field whose
 * autocomplete is `new-password` or `one-time-code` — reads like a secret (`isSensitiveLabel`). Text
 * that is itself the label ("Temporary password") is context, not the secret, and stays readable.
 *
 * It is asked only for elements a description reaches by reference (the element acted on, its labels),
 * and for `code`/`kbd`/`samp`/`output` descendants when deciding whether an element holds private text:
 * never per node of a whole page.
 */
import { perGeneration } from '../describe/generation';
import { isSensitiveLabel } from './sensitive';

/** Longest text we treat as a shown value; longer text is prose. */
const MAX_VALUE_TEXT = 200;
/** Longest piece of context text we read (a heading, a term, the sentence before a value). */
const MAX_CONTEXT_TEXT = 160;
/** Ancestors whose headings and previous siblings count as context. */
const CONTEXT_DEPTH = 4;
/** Previous siblings read for the element and its parent (further up they belong to other content). */
const CONTEXT_SIBLINGS = 3;
const SIBLING_DEPTH = 2;

const INTERACTIVE = 'a[href],button,input,select,textarea,[role="button"],[role="link"],[contenteditable]:not([contenteditable="false"])';
const HEADINGS = 'h1,h2,h3,h4,h5,h6,legend,caption,dt,label,[role="heading"]';
const CONTAINERS = new Set(['section', 'article', 'dialog', 'form', 'fieldset', 'aside', 'main', 'li', 'dl', 'table', 'figure']);
const SECRET_AUTOCOMPLETE = /\b(new-password|current-password|one-time-code)\b/i;
/** Elements that show values rather than hold controls or long prose. */
export const VALUE_DISPLAY_SELECTOR = 'code,kbd,samp,output,var';

function shortText(el: Element, max = MAX_CONTEXT_TEXT): string {
  const t = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
  return t.length > max ? '' : t;
}

function isControl(el: Element): boolean {
  try {
    return el.matches(INTERACTIVE);
  } catch {
    return true;
  }
}

function referencedText(el: Element, attr: string): string[] {
  const ids = (el.getAttribute(attr) ?? '').split(/\s+/).filter(Boolean).slice(0, 8);
  if (ids.length === 0) return [];
  const root = el.getRootNode() as Partial<Pick<Document, 'getElementById'>>;
  const out: string[] = [];
  for (const id of ids) {
    const ref = typeof root.getElementById === 'function' ? root.getElementById(id) : null;
    if (ref) out.push(shortText(ref));
  }
  return out;
}

/** Context that says whether `el`'s value is secret, nearest first. */
function contextOf(el: Element): { texts: string[]; secretField: boolean } {
  const texts = [...referencedText(el, 'aria-labelledby'), ...referencedText(el, 'aria-describedby')];
  for (const a of ['aria-label', 'title', 'data-label']) {
    const v = el.getAttribute(a);
    if (v) texts.push(v);
  }
  let secretField = false;
  let node: Element | null = el;
  for (let depth = 0; node && depth < CONTEXT_DEPTH; depth++, node = node.parentElement) {
    let sib = depth < SIBLING_DEPTH ? node.previousElementSibling : null;
    for (let i = 0; sib && i < CONTEXT_SIBLINGS; i++, sib = sib.previousElementSibling) {
      texts.push(shortText(sib));
      if (sib.localName === 'input' && SECRET_AUTOCOMPLETE.test(sib.getAttribute('autocomplete') ?? '')) secretField = true;
    }
    const parent: Element | null = node.parentElement;
    if (!parent) break;
    for (const a of ['aria-label', 'title']) {
      const v = parent.getAttribute(a);
      if (v) texts.push(v);
    }
    texts.push(...referencedText(parent, 'aria-labelledby'));
    if (CONTAINERS.has(parent.localName) || parent.hasAttribute('role')) {
      try {
        const heading = parent.querySelector(`:scope > ${HEADINGS.split(',').join(', :scope > ')}`);
        if (heading && !heading.contains(el)) texts.push(shortText(heading));
        for (const f of Array.from(parent.querySelectorAll('input[autocomplete]')).slice(0, 8)) {
          if (SECRET_AUTOCOMPLETE.test(f.getAttribute('autocomplete') ?? '')) secretField = true;
        }
      } catch {
        secretField = true;
      }
    }
  }
  return { texts: texts.filter(Boolean), secretField };
}

/**
 * True when `el` shows a value the page says is secret. Never throws: an element we cannot read is
 * treated as secret.
 */
export const isDisplayedSecret: (el: Element) => boolean = perGeneration(displayedSecretNow);

function displayedSecretNow(el: Element): boolean {
  try {
    if (isControl(el)) return false;
    const text = shortText(el, MAX_VALUE_TEXT);
    if (!text) return false;
    if (isSensitiveLabel(text) && text.split(' ').length > 1) return false; // it is the label itself
    try {
      if (el.querySelector(INTERACTIVE)) return false;
    } catch {
      return true;
    }
    const { texts, secretField } = contextOf(el);
    if (secretField) return true;
    return texts.some((t) => t !== text && isSensitiveLabel(t));
  } catch {
    return true;
  }
}

/** True when a value display (`code`, `kbd`, …) under `el` shows a secret. */
export function holdsDisplayedSecret(el: Element): boolean {
  try {
    const shown = Array.from(el.querySelectorAll(VALUE_DISPLAY_SELECTOR)).slice(0, 16);
    return shown.some(isDisplayedSecret);
  } catch {
    return true;
  }
}
