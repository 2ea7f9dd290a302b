/**
 * The capture configuration the background publishes to every content script (storage.local, key
 * CONTENT_CONFIG_KEY in lib/state/content-config.ts), and the source of its type. Content scripts check
 * what they read with ./content-config-guard.ts, which carries no zod.
 */
import { z } from 'zod';
import { CAPTURE_MODES } from './capture-mode';
import { SIGNALS } from './signals';
import { TYPED_TEXT_CHOICES } from './typed-text';

export const ContentConfig = z.object({
  mode: z.enum(CAPTURE_MODES),
  pausedUntil: z.number().nullable(),
  includeSites: z.array(z.string()),
  excludeSites: z.array(z.string()),
  signals: z.array(z.enum(SIGNALS)),
  sensitiveSelectors: z.array(z.string()),
  pointerSampleMs: z.number(),
  /** Policy `typedText`: "masked" keeps every free-text value on the page (absent: "values"). */
  typedText: z.enum(TYPED_TEXT_CHOICES).optional(),
  /** Policy `safeUrlParams`: URL parameter names whose values are kept, on top of the built-in list. */
  safeUrlParams: z.array(z.string()).optional(),
});
export type ContentConfig = z.infer<typeof ContentConfig>;
