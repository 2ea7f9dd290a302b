/**
 * The capture configuration the background publishes to every content script (storage.local,
 * CONTENT_CONFIG_KEY), as the content script uses it. Its schema is lib/schema/content-config.ts (zod,
 * the source of the type); content scripts run in every frame of every page, so they check what they
 * read with a guard pinned to that schema (lib/schema/content-config-guard.ts) and carry no zod.
 */
import { POINTER_SAMPLE_MS_DEFAULT } from '../constants';
import type { ContentConfig } from '../schema/content-config';
import { SIGNALS } from '../schema/signals';

export type { ContentConfig } from '../schema/content-config';
export { isContentConfig } from '../schema/content-config-guard';
export const CONTENT_CONFIG_KEY = 'contentConfig';

/**
 * What a page captures with before the background has published any configuration (the first seconds
 * after an install): the built-in defaults. Nothing captured under it leaves the page unless the
 * configuration that then arrives records the same way (see `recordsLikeProvisional`).
 */
export const PROVISIONAL_CONTENT_CONFIG: ContentConfig = {
  mode: 'recording',
  pausedUntil: null,
  includeSites: [],
  excludeSites: [],
  signals: [...SIGNALS],
  sensitiveSelectors: [],
  pointerSampleMs: POINTER_SAMPLE_MS_DEFAULT,
};

/** The parts of a configuration a running capture session depends on (sites and mode are decided outside it). */
export function sessionShape(config: ContentConfig): string {
  return JSON.stringify([[...config.signals].sort(), config.sensitiveSelectors, config.pointerSampleMs]);
}

/**
 * Whether what was captured under the provisional configuration may be kept under `config`: only when
 * the policy changes nothing about how it would have been captured (every signal on, no extra sensitive
 * selectors, the default pointer sampling). Anything else fails closed: the held events are dropped.
 */
export function recordsLikeProvisional(config: ContentConfig): boolean {
  return sessionShape(config) === sessionShape(PROVISIONAL_CONTENT_CONFIG);
}
