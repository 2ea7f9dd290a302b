/**
 * Key events. What a key may say is decided by lib/privacy/keys (maskKey); here, on top of it, a masked
 * field yields at most one masked key event per focus session (lib/privacy/focus-session), so neither
 * the length nor the rhythm of a secret can be read from the stream. Outside text fields no key says
 * which character it was either (maskKey), so a canvas or a designMode editor gives nothing away.
 */
import { createFocusSessionGate } from '../../privacy/focus-session';
import { maskKey } from '../../privacy/keys';
import { canSeeClosedRoots, focusedWithin } from '../../privacy/shadow';
import { eventTarget, listen, modifiersOf, type Observer } from '../context';

export function isEditable(el: Element | undefined): boolean {
  if (!el) return false;
  if (el instanceof HTMLElement && el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA') return true;
  if (el.tagName === 'INPUT') {
    const type = (el as HTMLInputElement).type;
    return !['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file', 'image'].includes(type);
  }
  return false;
}

/**
 * Whether keys pressed with `el` as their (retargeted) target type text. Focus inside a shadow root,
 * closed ones included, is followed to the element that really has it; a custom element we cannot look
 * into counts as editable (when unsure, its characters are typed text, never page shortcuts).
 */
function typesText(el: Element | undefined, doc: Document): boolean {
  // Typing is typing wherever it happens: a document in designMode, a contenteditable <body> (an
  // editor iframe) or anything inside one.
  if (doc.designMode === 'on') return true;
  if (!el) return false;
  const inner = focusedWithin(el);
  if (inner) return isEditable(inner);
  if (isEditable(el)) return true;
  return el.localName.includes('-') && !canSeeClosedRoots(el) && el.ownerDocument.activeElement === el;
}

export const initKeyObserver: Observer = (ctx) => {
  const maskedKeys = createFocusSessionGate();
  const offKeys = listen(ctx.doc, ['keydown'], (e) => {
    const ke = e as KeyboardEvent;
    // IME composition: the composed text arrives as one input event; the keys in between are noise.
    if (ke.isComposing || ke.key === 'Process') return;
    const el = eventTarget(e);
    const active = el && el !== ctx.doc.body && el !== ctx.doc.documentElement ? el : undefined;
    const seen = active ? ctx.inspect(active) : undefined;
    if (active && !seen) return; // blocked subtree
    if (seen?.ignored) return;
    const masked = seen?.masked ?? false;
    if (masked && active && !maskedKeys.allow(active)) return;
    const m = modifiersOf(ke);
    const k = maskKey({ key: ke.key, code: ke.code, ...m, masked, editable: typesText(el, ctx.doc) });
    ctx.emit({
      type: 'key',
      key: k.key,
      ...(k.code ? { code: k.code } : {}),
      ...(k.chord ? { chord: k.chord } : {}),
      ...(ke.repeat && !masked ? { repeat: true } : {}),
      modifiers: masked ? { alt: false, ctrl: false, meta: false, shift: false } : m,
      masked: k.masked,
      ...(seen ? { target: seen.target } : {}),
    });
  });
  return () => {
    offKeys();
    maskedKeys.stop();
  };
};
