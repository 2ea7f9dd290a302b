/**
 * Bandwidth limits: a daily byte budget (policy maxUploadKBPerDay) persisted across restarts, and a
 * token bucket for the upload rate (policy maxUploadKBps). Pure: the caller persists and sleeps.
 */

export interface DailyUsage {
  /** Local calendar day, YYYY-MM-DD. */
  day: string;
  bytes: number;
}

export function localDay(now: number): string {
  const d = new Date(now);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function usageToday(usage: DailyUsage | undefined, now: number): DailyUsage {
  const day = localDay(now);
  return usage?.day === day ? usage : { day, bytes: 0 };
}

/** Whether `bytes` more fit in today's budget. The first batch of a day always goes, so one oversize batch cannot block forever. */
export function fitsBudget(usage: DailyUsage, bytes: number, maxKBPerDay: number): boolean {
  return usage.bytes === 0 || usage.bytes + bytes <= maxKBPerDay * 1024;
}

/** Epoch ms of the next local midnight, when the daily budget starts over. */
export function nextDayStart(now: number): number {
  const d = new Date(now);
  d.setHours(24, 0, 0, 0);
  return d.getTime();
}

/**
 * Upload rate limit: a send of `bytes` "uses" the link for bytes / rate seconds, so the next send may
 * start only after that much time has passed since the previous one started.
 */
export function rateDelayMs(previous: { start: number; bytes: number } | undefined, maxKBps: number, now: number): number {
  if (!previous) return 0;
  return Math.max(0, Math.ceil(previous.start + (previous.bytes / (maxKBps * 1024)) * 1000 - now));
}
