/**
 * Scrolling, coalesced per scroll container: one event per gesture with the final position and the
 * distance covered. The document scroller reports no target.
 */
import { SCROLL_COALESCE_MS } from '../../constants';
import type { Target } from '../../schema/event';
import { listen, type Observer } from '../context';

interface Gesture {
  fromX: number;
  fromY: number;
  target?: Target;
  cancel: () => void;
}

export const initScrollObserver: Observer = (ctx) => {
  const gestures = new Map<EventTarget, Gesture>();
  /** Where each container was when its last gesture ended (the scroll event fires after the move). */
  const lastKnown = new WeakMap<EventTarget, { x: number; y: number }>();
  const position = (t: EventTarget) => {
    if (t === ctx.doc || t === ctx.doc.documentElement || t === ctx.doc.scrollingElement) {
      return { x: Math.round(ctx.win.scrollX), y: Math.round(ctx.win.scrollY) };
    }
    const el = t as Element;
    return { x: Math.round(el.scrollLeft), y: Math.round(el.scrollTop) };
  };
  const finish = (t: EventTarget) => {
    const g = gestures.get(t);
    if (!g) return;
    gestures.delete(t);
    const { x, y } = position(t);
    lastKnown.set(t, { x, y });
    if (x === g.fromX && y === g.fromY) return;
    ctx.emit({ type: 'scroll', x, y, dx: x - g.fromX, dy: y - g.fromY, ...(g.target ? { target: g.target } : {}) });
  };
  lastKnown.set(ctx.doc, position(ctx.doc));
  const off = listen(ctx.doc, ['scroll'], (e) => {
    const t = e.target;
    if (!t) return;
    let g = gestures.get(t);
    if (!g) {
      const isDoc = t === ctx.doc || t === ctx.doc.documentElement || t === ctx.doc.scrollingElement;
      let target: Target | undefined;
      if (!isDoc) {
        const seen = ctx.inspect(t as Element);
        if (!seen) return;
        target = seen.target;
      }
      const { x, y } = lastKnown.get(t) ?? (isDoc ? { x: 0, y: 0 } : position(t));
      g = { fromX: x, fromY: y, target, cancel: () => undefined };
      gestures.set(t, g);
    }
    g.cancel();
    g.cancel = ctx.later(() => finish(t), SCROLL_COALESCE_MS);
  });
  return () => {
    off();
    for (const t of [...gestures.keys()]) finish(t);
  };
};
