/**
 * The content script's check of the configuration it reads from storage.local: what the zod schema
 * ContentConfig (./content-config.ts) accepts, without zod (see ./guard.ts).
 */
import { CAPTURE_MODES } from './capture-mode';
import type { ContentConfig } from './content-config';
import { isFiniteNumber, isOneOf, isRecord, isStringArray } from './guard';
import { SIGNALS } from './signals';
import { TYPED_TEXT_CHOICES } from './typed-text';

export function isContentConfig(v: unknown): v is ContentConfig {
  return (
    isRecord(v) &&
    isOneOf(CAPTURE_MODES, v.mode) &&
    (v.pausedUntil === null || isFiniteNumber(v.pausedUntil)) &&
    isStringArray(v.includeSites) &&
    isStringArray(v.excludeSites) &&
    Array.isArray(v.signals) &&
    v.signals.every((s) => isOneOf(SIGNALS, s)) &&
    isStringArray(v.sensitiveSelectors) &&
    isFiniteNumber(v.pointerSampleMs) &&
    (v.typedText === undefined || isOneOf(TYPED_TEXT_CHOICES, v.typedText)) &&
    (v.safeUrlParams === undefined || isStringArray(v.safeUrlParams))
  );
}
