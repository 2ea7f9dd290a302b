/**
 * Form signals: input (one event per field per flush, the latest value), change (the final value; for
 * check boxes and radios the checked state; for file inputs only how many files), submit. Values are
 * redacted text, or absent with `masked: true` for sensitive fields.
 */
import { MAX_VALUE_CHARS } from '../../constants';
import { eventTarget, listen, type CaptureContext, type Observer } from '../context';

function valueOf(el: Element): string | undefined {
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) return el.value;
  if (el instanceof HTMLSelectElement) {
    return Array.from(el.selectedOptions, (o) => o.value).join(',');
  }
  if (el instanceof HTMLElement && el.isContentEditable) return el.innerText;
  return undefined;
}

function safeValue(ctx: CaptureContext, el: Element, masked: boolean): string | undefined {
  if (masked) return undefined;
  const raw = valueOf(el);
  return raw === undefined ? undefined : ctx.redactText(raw).slice(0, MAX_VALUE_CHARS);
}

function editableRoot(el: Element): Element {
  // Typing in a contenteditable fires on its root; the nested node is not the field.
  let cur: Element = el;
  while (cur.parentElement && (cur.parentElement as HTMLElement).isContentEditable) cur = cur.parentElement;
  return cur;
}

export const initFormObserver: Observer = (ctx) => {
  // A text field's change reports only what was typed while capturing: text typed during a pause must
  // not surface when the field is left after resuming.
  const typedHere = new WeakSet<Element>();
  const offInput = listen(ctx.doc, ['input'], (e) => {
    const raw = eventTarget(e);
    if (!raw) return;
    const el = raw instanceof HTMLElement && raw.isContentEditable ? editableRoot(raw) : raw;
    const seen = ctx.inspect(el);
    if (!seen || seen.ignored) return;
    // Check boxes, radios, selects and files are covered by their change event.
    if (el instanceof HTMLSelectElement) return;
    if (el instanceof HTMLInputElement && ['checkbox', 'radio', 'file'].includes(el.type)) return;
    typedHere.add(el);
    const value = safeValue(ctx, el, seen.masked);
    const inputType = (e as InputEvent).inputType;
    const key = JSON.stringify(seen.target.selectors[0] ?? []);
    ctx.emit(
      {
        type: 'input',
        target: seen.target,
        masked: seen.masked,
        ...(value !== undefined ? { value } : {}),
        // Whether text was typed, pasted or autofilled matters to an agent; the text itself is in value.
        ...(inputType && !seen.masked ? { inputType } : {}),
      },
      // Keystrokes into the same field within one flush: only the latest value is kept.
      { replaces: (b) => b.type === 'input' && JSON.stringify(b.target.selectors[0] ?? []) === key },
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
    const value = safeValue(ctx, el, seen.masked);
    ctx.emit({
      type: 'change',
      target: seen.target,
      masked: seen.masked,
      ...(value !== undefined ? { value } : {}),
      ...(checkable ? { checked: (el as HTMLInputElement).checked } : {}),
    });
  });
  const offSubmit = listen(ctx.doc, ['submit'], (e) => {
    const seen = ctx.inspect(eventTarget(e));
    if (seen) ctx.emit({ type: 'submit', target: seen.target });
  });
  return () => {
    offInput();
    offChange();
    offSubmit();
  };
};
