/** HTML drag and drop: where a drag started, where it was dropped, and from what. */
import type { Target } from '../../schema/event';
import { eventTarget, listen, type Observer } from '../context';

export const initDragObserver: Observer = (ctx) => {
  let source: Target | undefined;
  return listen(ctx.doc, ['dragstart', 'drop', 'dragend'], (e) => {
    const de = e as DragEvent;
    const seen = ctx.inspect(eventTarget(e));
    if (!seen) return;
    const action = e.type === 'dragstart' ? 'start' : e.type === 'drop' ? 'drop' : 'end';
    if (action === 'start') source = seen.target;
    ctx.emit({
      type: 'drag',
      action,
      target: seen.target,
      ...(action === 'drop' && source ? { source } : {}),
      x: Math.round(de.clientX),
      y: Math.round(de.clientY),
    });
    if (action === 'end') source = undefined;
  });
};
