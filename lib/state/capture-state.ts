/**
 * The capture state machine. What is persisted is only the employee's choices (opt-out, pause deadline,
 * own site exclusions); the mode is derived from those, the policy and the clock, so it cannot drift.
 */
import { z } from 'zod';
import type { Policy, Signal } from '../schema/policy';
import { isSignalOn, SIGNALS } from '../schema/policy';
import type { CaptureMode } from '../schema/capture-mode';
import type { ContentConfig } from './content-config';

export type { CaptureMode } from '../schema/capture-mode';
export { CONTENT_CONFIG_KEY, type ContentConfig } from './content-config';

export const UserState = z.object({
  optedOut: z.boolean(),
  /** Epoch ms at which a pause ends; null when not paused. */
  pausedUntil: z.number().nullable(),
  /** "Never capture this site" patterns the employee added (when policy allows). */
  excludeSites: z.array(z.string().max(300)).max(500),
});
export type UserState = z.infer<typeof UserState>;

export const USER_STATE_DEFAULTS: UserState = { optedOut: false, pausedUntil: null, excludeSites: [] };

export function captureMode(policy: Policy, user: UserState, now: number): CaptureMode {
  if (!policy.enabled) return 'disabled';
  if (!policy.collectorUrl) return 'not-configured';
  // An organisation that does not allow opting out overrides an earlier opt-out.
  if (user.optedOut && policy.allowOptOut) return 'opted-out';
  if (user.pausedUntil !== null && user.pausedUntil > now) return 'paused';
  return 'recording';
}

export const USER_STATE_KEY = 'userState';

export function contentConfig(policy: Policy, user: UserState, now: number): ContentConfig {
  const collectorOrigin = policy.collectorUrl ? `${new URL(policy.collectorUrl).origin}/*` : undefined;
  return {
    mode: captureMode(policy, user, now),
    pausedUntil: user.pausedUntil,
    includeSites: policy.includeSites,
    excludeSites: [
      ...policy.excludeSites,
      ...(policy.allowSiteExclusions ? user.excludeSites : []),
      // The collector's own pages are never captured.
      ...(collectorOrigin ? [collectorOrigin] : []),
    ],
    signals: SIGNALS.filter((s: Signal) => isSignalOn(policy, s)),
    sensitiveSelectors: policy.sensitiveSelectors,
    pointerSampleMs: policy.pointerSampleMs,
    typedText: policy.typedText,
    safeUrlParams: policy.safeUrlParams,
  };
}

/** A pause never exceeds the policy's maximum; the popup offers only what fits. */
export function clampPauseMinutes(policy: Policy, minutes: number): number {
  return Math.max(1, Math.min(minutes, policy.maxPauseMinutes));
}
