/**
 * Pointer movement as sampled paths: at most one point per `pointerSampleMs`, one event per path
 * segment. The listener does nothing but compare timestamps, and the only timer is the one that closes
 * a segment once the pointer has been still, so a still mouse costs nothing.
 */
import { POINTER_SEGMENT_MAX_POINTS } from '../../constants';
import { isNeverCaptured } from '../../privacy';
import { eventTarget, listen, quietAfter, type Observer } from '../context';

/** A pause this long ends the segment. */
const SEGMENT_IDLE_MS = 400;

export const initPointerObserver: Observer = (ctx) => {
  const sampleMs = ctx.config.pointerSampleMs;
  let points: [number, number, number][] = [];
  let start = 0;
  let lastSample = -Infinity;

  const close = () => {
    quiet.cancel();
    if (points.length > 0) ctx.emit({ type: 'pointer', points });
    points = [];
  };

  const quiet = quietAfter(ctx, SEGMENT_IDLE_MS, close);

  // A blocked subtree produces no events at all: no point over it, and a press on it ends no path.
  const overBlocked = (e: Event) => {
    const el = eventTarget(e);
    return el !== undefined && isNeverCaptured(el);
  };

  const offMove = listen(ctx.doc, ['pointermove'], (e) => {
    const pe = e as PointerEvent;
    if (pe.pointerType === 'touch') return;
    const t = pe.timeStamp;
    if (t - lastSample < sampleMs) return;
    lastSample = t;
    if (overBlocked(e)) return;
    if (points.length === 0) start = t;
    points.push([Math.round(pe.clientX), Math.round(pe.clientY), Math.round(t - start)]);
    if (points.length >= POINTER_SEGMENT_MAX_POINTS) close();
    else quiet.touch();
  });
  // The path that led to a click is reported before the click.
  const offDown = listen(ctx.doc, ['pointerdown'], (e) => {
    if (!overBlocked(e)) close();
  });
  return () => {
    offMove();
    offDown();
    close();
  };
};
