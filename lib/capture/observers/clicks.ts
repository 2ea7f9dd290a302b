/** click, dblclick, contextmenu, auxclick: button, modifiers, viewport and target-relative coordinates. */
import { eventTarget, listen, modifiersOf, type Observer } from '../context';

const TYPES = ['click', 'dblclick', 'contextmenu', 'auxclick'] as const;

export const initClickObserver: Observer = (ctx) =>
  listen(ctx.doc, TYPES, (e) => {
    const me = e as MouseEvent;
    // A keyboard-activated click (Enter on a button) has detail 0 and no position; keep it, it is an action.
    const seen = ctx.inspect(eventTarget(e));
    if (!seen) return;
    const box = seen.target.box;
    ctx.emit({
      type: e.type as (typeof TYPES)[number],
      target: seen.target,
      button: me.button,
      modifiers: modifiersOf(me),
      x: Math.round(me.clientX),
      y: Math.round(me.clientY),
      offsetX: Math.round((me.clientX - box.x) * 10) / 10,
      offsetY: Math.round((me.clientY - box.y) * 10) / 10,
      detail: Math.max(0, Math.floor(me.detail) || 0),
    });
  });
