/**
 * Scrolling, coalesced per scroll container: one event per gesture with the final position and the
 * distance covered. The document scroller reports no target.
 *
 * A scroll event fires after the container has moved, so where a gesture started must be known before:
 * for the document from the start, for a container from the end of its previous gesture, or, the first
 * time, from the pointer entering it (or the key, press or touch that starts scrolling it): its
 * scrollable ancestors are read once, then remembered. The wheel event itself is no help: Chrome scrolls
 * on the compositor and may deliver the wheel to the page after the first scroll.
 */
import { SCROLL_COALESCE_MS } from '../../constants';
import { perGeneration } from '../../describe/generation';
import type { Target } from '../../schema/event';
import { listen, quietAfter, type Observer } from '../context';

interface Gesture {
  fromX: number;
  fromY: number;
  target?: Target;
  /** Ends the gesture once its container has not scrolled for SCROLL_COALESCE_MS. */
  quiet: { touch(): void; cancel(): void };
}

/** Ancestors looked at when a gesture may start (a container this deep is scrolled by someone else). */
const MAX_SCROLLER_DEPTH = 32;

/**
 * Whether `el` has anything to scroll. A layout read, asked for every ancestor on every pointerover, so
 * the answer is kept until the DOM changes (a container that becomes scrollable without any DOM change,
 * by a window resize, is measured from its first scroll event instead).
 */
const canScroll = perGeneration((el) => el.scrollHeight > el.clientHeight || el.scrollWidth > el.clientWidth);

export const initScrollObserver: Observer = (ctx) => {
  const gestures = new Map<EventTarget, Gesture>();
  /** Where each container was when its last gesture ended (the scroll event fires after the move). */
  const lastKnown = new WeakMap<EventTarget, { x: number; y: number }>();
  const isDocument = (t: EventTarget) => t === ctx.doc || t === ctx.doc.documentElement || t === ctx.doc.scrollingElement;
  const position = (t: EventTarget) => {
    if (isDocument(t)) return { x: Math.round(ctx.win.scrollX), y: Math.round(ctx.win.scrollY) };
    const el = t as Element;
    return { x: Math.round(el.scrollLeft), y: Math.round(el.scrollTop) };
  };
  const finish = (t: EventTarget) => {
    const g = gestures.get(t);
    if (!g) return;
    gestures.delete(t);
    g.quiet.cancel();
    const { x, y } = position(t);
    lastKnown.set(t, { x, y });
    if (x === g.fromX && y === g.fromY) return;
    ctx.emit({ type: 'scroll', x, y, dx: x - g.fromX, dy: y - g.fromY, ...(g.target ? { target: g.target } : {}) });
  };
  lastKnown.set(ctx.doc, position(ctx.doc));

  // Before a container first scrolls: remember where it is (only containers not seen before, so a
  // gesture costs a WeakMap lookup per ancestor).
  const offIntent = listen(ctx.doc, ['pointerover', 'pointerdown', 'keydown', 'touchstart', 'wheel'], (e) => {
    let n = 0;
    for (const node of e.composedPath()) {
      if (++n > MAX_SCROLLER_DEPTH) break;
      if ((node as Node).nodeType !== 1 || isDocument(node)) continue;
      const el = node as Element;
      if (lastKnown.has(el) || gestures.has(el) || !canScroll(el)) continue;
      lastKnown.set(el, position(el));
    }
  });

  const off = listen(ctx.doc, ['scroll'], (e) => {
    const t = e.target;
    if (!t) return;
    let g = gestures.get(t);
    if (!g) {
      const isDoc = isDocument(t);
      let target: Target | undefined;
      if (!isDoc) {
        const seen = ctx.inspect(t as Element);
        if (!seen) return;
        target = seen.target;
      }
      // Unknown start (scrolled by the page itself, or by an input not seen): measured from here on.
      const { x, y } = lastKnown.get(t) ?? (isDoc ? { x: 0, y: 0 } : position(t));
      g = { fromX: x, fromY: y, target, quiet: quietAfter(ctx, SCROLL_COALESCE_MS, () => finish(t)) };
      gestures.set(t, g);
    }
    g.quiet.touch();
  });
  return () => {
    off();
    offIntent();
    for (const t of [...gestures.keys()]) finish(t);
  };
};
