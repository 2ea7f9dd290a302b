/** Focus moves between elements (the field an agent must act on next). */
import { eventTarget, listen, type Observer } from '../context';

export const initFocusObserver: Observer = (ctx) =>
  listen(ctx.doc, ['focusin'], (e) => {
    const el = eventTarget(e);
    if (!el || el === ctx.doc.body) return;
    const seen = ctx.inspect(el);
    if (seen) ctx.emit({ type: 'focus', target: seen.target });
  });
