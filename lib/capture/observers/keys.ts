/**
 * Key events. What a key may say is decided by lib/privacy/keys (maskKey); here, on top of it, a masked
 * field yields at most one masked key event per focus, so neither the length nor the rhythm of a secret
 * can be read from the stream.
 */
import { maskKey } from '../../privacy/keys';
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

export const initKeyObserver: Observer = (ctx) => {
  let maskedReported: Element | undefined;
  const offFocus = listen(ctx.doc, ['focusin'], () => {
    maskedReported = undefined;
  });
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
    if (masked) {
      if (maskedReported === active) return;
      maskedReported = active;
    }
    const m = modifiersOf(ke);
    const k = maskKey({ key: ke.key, code: ke.code, ...m, masked, editable: isEditable(active) });
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
    offFocus();
    offKeys();
  };
};
