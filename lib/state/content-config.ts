/**
 * The capture configuration the background publishes to every content script (storage.local,
 * CONTENT_CONFIG_KEY). Validated with zod/mini: content scripts run in every frame of every page, so
 * they carry only this small schema, not the full zod.
 */
import * as z from 'zod/mini';
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
