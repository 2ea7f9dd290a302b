/** Page visibility (tab switched, window minimised): also the moment to hand over what is buffered. */
import { listen, type Observer } from '../context';

export const initVisibilityObserver: Observer = (ctx) =>
  listen(ctx.doc, ['visibilitychange'], () => {
    const state = ctx.doc.visibilityState === 'hidden' ? 'hidden' : 'visible';
    if (ctx.on('visibility') && ctx.win === ctx.win.top) ctx.emit({ type: 'visibility', state });
    if (state === 'hidden') void ctx.batcher.flush();
  });
