import { describe, expect, it } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS } from '../../../lib/constants';
import { backoffDelayMs, parseRetryAfterMs, RETRY_AFTER_TRUSTED_ATTEMPTS, retryDelayMs } from '../../../lib/upload/backoff';
import { fitsBudget, localDay, nextDayStart, rateDelayMs, usageToday } from '../../../lib/upload/budget';

describe('lib/upload/backoff', () => {
  it('grows exponentially with jitter and is capped', () => {
    expect(backoffDelayMs(1, () => 0)).toBe(BACKOFF_BASE_MS / 2);
    expect(backoffDelayMs(1, () => 1)).toBe(BACKOFF_BASE_MS);
    expect(backoffDelayMs(3, () => 1)).toBe(BACKOFF_BASE_MS * 4);
    expect(backoffDelayMs(50, () => 1)).toBe(BACKOFF_MAX_MS);
    const spread = new Set(Array.from({ length: 20 }, () => backoffDelayMs(4)));
    expect(spread.size).toBeGreaterThan(1);
  });

  it('reads Retry-After in seconds and as an HTTP date, ignores garbage, caps abuse', () => {
    const now = Date.parse('2026-11-27T12:00:00Z');
    expect(parseRetryAfterMs('7', now)).toBe(7000);
    expect(parseRetryAfterMs('Fri, 27 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Fri, 27 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
    expect(parseRetryAfterMs('99999999', now)).toBe(BACKOFF_MAX_MS);
  });
});

describe('lib/upload/budget', () => {
  it('starts a new day at local midnight', () => {
    const now = new Date(2026, 10, 27, 23, 59).getTime();
    expect(localDay(now)).toBe('2026-11-27');
    expect(nextDayStart(now)).toBe(new Date(2026, 10, 28, 0, 0).getTime());
    expect(usageToday({ day: '2026-11-26', bytes: 99 }, now)).toEqual({ day: '2026-11-27', bytes: 0 });
    expect(usageToday({ day: '2026-11-27', bytes: 99 }, now).bytes).toBe(99);
  });

  it('holds uploads once the daily budget is used, but never blocks the first batch of a day', () => {
    expect(fitsBudget({ day: 'd', bytes: 0 }, 5000 * 1024, 1)).toBe(true);
    expect(fitsBudget({ day: 'd', bytes: 900 }, 100, 1)).toBe(true);
    expect(fitsBudget({ day: 'd', bytes: 1000 }, 100, 1)).toBe(false);
  });

  it('spaces sends to the rate limit', () => {
    expect(rateDelayMs(undefined, 64, 0)).toBe(0);
    expect(rateDelayMs({ start: 1000, bytes: 64 * 1024 }, 64, 1000)).toBe(1000);
    expect(rateDelayMs({ start: 1000, bytes: 64 * 1024 }, 64, 5000)).toBe(0);
  });
});

describe('lib/upload/backoff retryDelayMs', () => {
  it('takes a Retry-After as given for the first failures, then puts the backoff under it', () => {
    for (let attempt = 1; attempt <= RETRY_AFTER_TRUSTED_ATTEMPTS; attempt++) expect(retryDelayMs(attempt, 1000, () => 1)).toBe(1000);
    // A collector that keeps saying "Retry-After: 1" is slowed down like any other failure.
    expect(retryDelayMs(RETRY_AFTER_TRUSTED_ATTEMPTS + 1, 1000, () => 0)).toBe(BACKOFF_BASE_MS / 2);
    expect(retryDelayMs(RETRY_AFTER_TRUSTED_ATTEMPTS + 5, 0, () => 1)).toBe(BACKOFF_BASE_MS * 16);
    // A long Retry-After still wins over a shorter backoff.
    expect(retryDelayMs(RETRY_AFTER_TRUSTED_ATTEMPTS + 1, 10 * 60_000, () => 1)).toBe(10 * 60_000);
    // Without one: the plain backoff, capped.
    expect(retryDelayMs(2, undefined, () => 1)).toBe(BACKOFF_BASE_MS * 2);
    expect(retryDelayMs(99, undefined, () => 1)).toBe(BACKOFF_MAX_MS);
  });
});
