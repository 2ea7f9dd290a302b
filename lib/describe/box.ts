/** The element's border box in viewport CSS pixels, rounded to 0.1 px. */
import type { Box } from '../schema/event';

const round = (v: number): number => (Number.isFinite(v) ? Math.round(v * 10) / 10 : 0);

export function boxOf(el: Element): Box {
  try {
    const r = el.getBoundingClientRect();
    return { x: round(r.x ?? r.left), y: round(r.y ?? r.top), w: round(r.width), h: round(r.height) };
  } catch {
    return { x: 0, y: 0, w: 0, h: 0 };
  }
}
