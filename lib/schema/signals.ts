/** The signals capture can record; policy `capture` switches each on or off. (No zod here: content scripts import it.) */
export const SIGNALS = [
  'click',
  'key',
  'input',
  'pointer',
  'scroll',
  'focus',
  'navigation',
  'menu',
  'clipboard',
  'drag',
  'visibility',
] as const;
export type Signal = (typeof SIGNALS)[number];
