/**
 * The capture configuration the background publishes to every content script (storage.local,
 * CONTENT_CONFIG_KEY). Validated with zod/mini: content scripts run in every frame of every page, so
 * they carry only this small schema, not the full zod.
 */
import * as z from 'zod/mini';
import { POINTER_SAMPLE_MS_DEFAULT } from '../constants';
import { SIGNALS } from '../schema/signals';
import { TYPED_TEXT_CHOICES } from '../schema/typed-text';

export const ContentConfig = z.object({
  mode: z.enum(['recording', 'paused', 'opted-out', 'not-configured', 'disabled']),
  pausedUntil: z.nullable(z.number()),
  includeSites: z.array(z.string()),
  excludeSites: z.array(z.string()),
  signals: z.array(z.enum(SIGNALS)),
  sensitiveSelectors: z.array(z.string()),
  pointerSampleMs: z.number(),
  /** Policy `typedText`: "masked" keeps every free-text value on the page (absent: "values"). */
  typedText: z.optional(z.enum(TYPED_TEXT_CHOICES)),
  /** Policy `safeUrlParams`: URL parameter names whose values are kept, on top of the built-in list. */
  safeUrlParams: z.optional(z.array(z.string())),
});
export type ContentConfig = z.infer<typeof ContentConfig>;
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
