/** Retry timing: exponential backoff with full jitter, and the two forms of Retry-After. */
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS } from '../constants';

/** Consecutive failures for which a Retry-After is taken as given; later the backoff is a floor under it. */
export const RETRY_AFTER_TRUSTED_ATTEMPTS = 3;

/** Delay before retry number `attempt` (1-based): random in [base·2^(n-1)/2, base·2^(n-1)], capped. */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. Capped at the
 * backoff ceiling so a hostile or broken collector cannot park uploads for days.
 */
export function parseRetryAfterMs(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.min(BACKOFF_MAX_MS, Math.max(0, ms));
}

/**
 * How long to wait after failed attempt number `attempt` (1-based, consecutive). A Retry-After is
 * honoured as given for the first few failures; after that the exponential backoff is a floor under it,
 * so a collector that keeps answering "Retry-After: 0" (or 1) cannot make the uploader spin.
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  if (retryAfterMs === undefined) return backoffDelayMs(attempt, random);
  if (attempt <= RETRY_AFTER_TRUSTED_ATTEMPTS) return retryAfterMs;
  return Math.max(retryAfterMs, backoffDelayMs(attempt - RETRY_AFTER_TRUSTED_ATTEMPTS, random));
}
