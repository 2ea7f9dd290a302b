/**
 * Form signals: input (one event per field per flush, the latest value), change (the final value; for
 * check boxes and radios the checked state; for file inputs only how many files), submit. Values are
 * redacted text, or absent with `masked: true` for sensitive fields.
 *
 * Privacy on top of the redaction itself:
 * - A value still being typed leaves out its unfinished tail (`redactTyping`), so an email or card number
 *   cannot leave half-typed, before the detectors can recognise it; the whole value, redacted, follows
 *   when the field is left (an input event carrying the settled value, then the change).
 * - A masked field yields at most one input event per focus session: their number and timestamps would
 *   otherwise follow the typing and give away a secret's length and rhythm.
 * - Policy `typedText: "masked"`: no free-text value leaves the page at all; text fields' input and
 *   change events carry "[text]" as their value. Selects, check boxes and radios keep their choice.
 * - Cost: an input event reads the field at once but redacts its value only when the batch is sent, so
 *   the value checks run once per field per flush, not once per key.
 * - What is typed into a single-line input is remembered for this document (ctx.noteTyped), so that an
 *   app mirroring it into the URL does not put it into any event's `url`.
 */
import { MAX_VALUE_CHARS } from '../../constants';
import { createFocusSessionGate, redactTyping, TEXT_KEY } from '../../privacy';
import { eventTarget, listen, type CaptureContext, type Inspected, type Observer } from '../context';

function valueOf(el: Element): string | undefined {
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) return el.value;
  if (el instanceof HTMLSelectElement) {
    return Array.from(el.selectedOptions, (o) => o.value).join(',');
  }
  if (el instanceof HTMLElement && el.isContentEditable) return el.innerText;
  return undefined;
}

/** Free text, as opposed to a choice: what policy `typedText: "masked"` keeps on the page. */
function isFreeText(el: Element): boolean {
  if (el instanceof HTMLTextAreaElement) return true;
  if (el instanceof HTMLInputElement) return !['checkbox', 'radio', 'range', 'color', 'file'].includes(el.type);
  return el instanceof HTMLElement && el.isContentEditable;
}

/** The stand-in for a free-text value withheld by policy (the same whatever was typed). */
const WITHHELD = TEXT_KEY;

function safeValue(ctx: CaptureContext, el: Element, masked: boolean): string | undefined {
  if (masked) return undefined;
  const raw = valueOf(el);
  if (raw === undefined) return undefined;
  if (ctx.config.typedText === 'masked' && isFreeText(el)) return WITHHELD;
  return ctx.redactText(raw).slice(0, MAX_VALUE_CHARS);
}

/** Where the person is typing in `el`'s value, when the browser can tell (null: at the end). */
function caretOf(ctx: CaptureContext, el: Element): number | null {
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
    try {
      return el.selectionStart;
    } catch {
      return null; // email, number…: no selection API
    }
  }
  if (el instanceof HTMLElement && el.isContentEditable) {
    // Characters before the caret. innerText (the value) adds line breaks that textContent lacks, so this
    // is at most the caret's true index: cutting there withholds more, never less.
    try {
      const sel = (el.getRootNode() as Document | (ShadowRoot & { getSelection?: () => Selection | null })).getSelection?.() ?? ctx.doc.getSelection();
      if (!sel || sel.rangeCount === 0 || !el.contains(sel.focusNode)) return null;
      const before = ctx.doc.createRange();
      before.selectNodeContents(el);
      before.setEnd(sel.focusNode!, sel.focusOffset);
      return before.toString().length;
    } catch {
      return 0; // cannot tell where the caret is: withhold the whole intermediate value
    }
  }
  return null;
}

/**
 * An intermediate value: redacted, without the unfinished tail at the caret. The field is read now; the
 * redaction runs later, when the event is sent (see EmitOptions.value), so once per flush.
 */
function typingValue(ctx: CaptureContext, el: Element): (() => string) | undefined {
  const raw = valueOf(el);
  if (raw === undefined) return undefined;
  if (ctx.config.typedText === 'masked' && isFreeText(el)) return () => WITHHELD;
  const caret = caretOf(ctx, el);
  if (el instanceof HTMLElement && el.isContentEditable && caret !== null && caret < raw.length) {
    const before = raw.slice(0, caret);
    return () => redactTyping(before).slice(0, MAX_VALUE_CHARS);
  }
  return () => redactTyping(raw, caret).slice(0, MAX_VALUE_CHARS);
}

function editableRoot(el: Element): Element {
  // Typing in a contenteditable fires on its root; the nested node is not the field.
  let cur: Element = el;
  while (cur.parentElement && (cur.parentElement as HTMLElement).isContentEditable) cur = cur.parentElement;
  return cur;
}

const fieldKey = (seen: Inspected) => JSON.stringify(seen.target.selectors[0] ?? []);

export const initFormObserver: Observer = (ctx) => {
  // A text field's change reports only what was typed while capturing: text typed during a pause must
  // not surface when the field is left after resuming.
  const typedHere = new WeakSet<Element>();
  const maskedInput = createFocusSessionGate();
  const fieldOf = (raw: Element | undefined) => (raw instanceof HTMLElement && raw.isContentEditable ? editableRoot(raw) : raw);

  /** The settled value of a field that was typed into, as its last input event (replacing a buffered one). */
  const settle = (el: Element, seen: Inspected) => {
    const value = safeValue(ctx, el, seen.masked);
    if (value === undefined) return;
    const key = fieldKey(seen);
    ctx.emit(
      { type: 'input', target: seen.target, masked: false, value },
      { replaces: (b) => b.type === 'input' && JSON.stringify(b.target.selectors[0] ?? []) === key },
    );
  };

  const offInput = listen(ctx.doc, ['input'], (e) => {
    const el = fieldOf(eventTarget(e));
    if (!el) return;
    // Before any privacy decision: a blocked or masked field's text must not reach a URL either.
    if (el instanceof HTMLInputElement && isFreeText(el)) ctx.noteTyped(el, el.value);
    const seen = ctx.inspect(el);
    if (!seen || seen.ignored) return;
    // Check boxes, radios, selects and files are covered by their change event.
    if (el instanceof HTMLSelectElement) return;
    if (el instanceof HTMLInputElement && ['checkbox', 'radio', 'file'].includes(el.type)) return;
    typedHere.add(el);
    if (seen.masked) {
      if (maskedInput.allow(el)) ctx.emit({ type: 'input', target: seen.target, masked: true });
      return;
    }
    const value = typingValue(ctx, el);
    const inputType = (e as InputEvent).inputType;
    const key = fieldKey(seen);
    ctx.emit(
      {
        type: 'input',
        target: seen.target,
        masked: false,
        // Whether text was typed, pasted or autofilled matters to an agent; the text itself is in value.
        ...(inputType ? { inputType } : {}),
      },
      // Keystrokes into the same field within one flush: only the latest value is kept, and only its
      // value is ever redacted (when the batch is sent).
      { replaces: (b) => b.type === 'input' && JSON.stringify(b.target.selectors[0] ?? []) === key, ...(value ? { value } : {}) },
    );
  });
  const offChange = listen(ctx.doc, ['change'], (e) => {
    const el = eventTarget(e);
    if (!el) return;
    const seen = ctx.inspect(el);
    if (!seen || seen.ignored) return;
    if (el instanceof HTMLInputElement && el.type === 'file') {
      ctx.emit({ type: 'change', target: seen.target, masked: seen.masked, files: el.files?.length ?? 0 });
      return;
    }
    const checkable = el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio');
    const textual = (el instanceof HTMLInputElement && !checkable && el.type !== 'range' && el.type !== 'color') || el instanceof HTMLTextAreaElement;
    if (textual && !typedHere.has(el)) return;
    if (textual && !seen.masked) settle(el, seen);
    const value = safeValue(ctx, el, seen.masked);
    ctx.emit({
      type: 'change',
      target: seen.target,
      masked: seen.masked,
      ...(value !== undefined ? { value } : {}),
      ...(checkable ? { checked: (el as HTMLInputElement).checked } : {}),
    });
  });
  // A contenteditable has no change event: its settled value is reported when it loses focus.
  const offBlur = listen(ctx.doc, ['focusout'], (e) => {
    const el = fieldOf(eventTarget(e));
    if (!(el instanceof HTMLElement) || !el.isContentEditable || !typedHere.has(el)) return;
    const seen = ctx.inspect(el);
    if (seen && !seen.ignored && !seen.masked) settle(el, seen);
  });
  const offSubmit = listen(ctx.doc, ['submit'], (e) => {
    const seen = ctx.inspect(eventTarget(e));
    if (seen) ctx.emit({ type: 'submit', target: seen.target });
  });
  return () => {
    maskedInput.stop();
    offInput();
    offChange();
    offBlur();
    offSubmit();
  };
};
