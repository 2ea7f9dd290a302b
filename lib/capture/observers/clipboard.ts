/** copy / cut / paste as actions. The clipboard's content is never read. */
import { eventTarget, listen, type Observer } from '../context';

export const initClipboardObserver: Observer = (ctx) =>
  listen(ctx.doc, ['copy', 'cut', 'paste'], (e) => {
    const el = eventTarget(e);
    const seen = el ? ctx.inspect(el) : undefined;
    if (el && !seen) return;
    ctx.emit({ type: 'clipboard', action: e.type as 'copy' | 'cut' | 'paste', ...(seen ? { target: seen.target } : {}) });
  });
