/**
 * Admin policy (chrome.storage.managed; Firefox policies.json "3rdparty"). One defaults object; every key
 * is validated on its own, so one bad value is repaired to its default and reported instead of
 * discarding the whole policy or crashing the worker.
 */
import { z } from 'zod';
import {
  MAX_BUFFER_MB_DEFAULT,
  MAX_PAUSE_MINUTES_DEFAULT,
  MAX_UPLOAD_KB_PER_DAY_DEFAULT,
  MAX_UPLOAD_KBPS_DEFAULT,
  POINTER_SAMPLE_MS_DEFAULT,
  UPLOAD_INTERVAL_MINUTES_DEFAULT,
} from '../constants';

import { isValidPattern } from '../privacy/sites';
import { SIGNALS, type Signal } from './signals';
import { TYPED_TEXT_CHOICES } from './typed-text';

export { SIGNALS, type Signal };

/** https, or http only for loopback hosts. */
export function isAllowedCollectorUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

const MatchPatterns = z
  .array(z.string().min(1).max(300).refine(isValidPattern, 'not a site pattern (e.g. *://*.example.com/* or example.com)'))
  .max(500);

export const PolicyFields = {
  /** false: the organisation has switched capture off on this browser. */
  enabled: z.boolean(),
  collectorUrl: z
    .string()
    .refine(isAllowedCollectorUrl, 'must be an https URL (http only for 127.0.0.1/localhost)')
    .transform((u) => u.replace(/\/+$/, '')),
  authToken: z.string().min(1).max(4096),
  maxPauseMinutes: z.number().int().min(1).max(24 * 60),
  allowOptOut: z.boolean(),
  allowSiteExclusions: z.boolean(),
  capture: z.partialRecord(z.enum(SIGNALS), z.boolean()),
  includeSites: MatchPatterns,
  excludeSites: MatchPatterns,
  sensitiveSelectors: z.array(z.string().min(1).max(300)).max(200),
  pointerSampleMs: z.number().int().min(20).max(1000),
  uploadIntervalMinutes: z.number().min(1).max(24 * 60),
  maxUploadKBPerDay: z.number().int().min(1).max(10_000_000),
  maxUploadKBps: z.number().min(1).max(1_000_000),
  maxBufferMB: z.number().min(1).max(2_000),
  uploadOnMetered: z.boolean(),
  supportContact: z.string().max(300),
  /** "masked": no free-text value of any field leaves the page (see lib/schema/typed-text.ts). */
  typedText: z.enum(TYPED_TEXT_CHOICES),
  /** URL parameter names whose values are kept, added to the built-in safe list (never secret-like names). */
  safeUrlParams: z.array(z.string().min(1).max(64).regex(/^[\w.\-[\]]+$/, 'a parameter name (letters, digits, _ - . [ ])')).max(200),
} as const;

export type PolicyKey = keyof typeof PolicyFields;
export type Policy = { [K in PolicyKey]: z.output<(typeof PolicyFields)[K]> };

/** What applies where the policy says nothing. `collectorUrl: ''` means "not configured". */
export const POLICY_DEFAULTS: Policy = {
  enabled: true,
  collectorUrl: '',
  authToken: '',
  maxPauseMinutes: MAX_PAUSE_MINUTES_DEFAULT,
  allowOptOut: true,
  allowSiteExclusions: true,
  capture: {},
  includeSites: [],
  excludeSites: [],
  sensitiveSelectors: [],
  pointerSampleMs: POINTER_SAMPLE_MS_DEFAULT,
  uploadIntervalMinutes: UPLOAD_INTERVAL_MINUTES_DEFAULT,
  maxUploadKBPerDay: MAX_UPLOAD_KB_PER_DAY_DEFAULT,
  maxUploadKBps: MAX_UPLOAD_KBPS_DEFAULT,
  maxBufferMB: MAX_BUFFER_MB_DEFAULT,
  uploadOnMetered: false,
  supportContact: '',
  typedText: 'values',
  safeUrlParams: [],
};

export type PolicySource = 'managed' | 'development' | 'default';
export interface PolicyProblem {
  key: string;
  message: string;
}
export interface ResolvedPolicy {
  policy: Policy;
  /** Where each value came from. */
  sources: Record<PolicyKey, PolicySource>;
  /** Values that were present but unusable (repaired to their default), and unknown keys. */
  problems: PolicyProblem[];
}

/**
 * Resolve the policy in effect from the managed values (untrusted: anything can be in there) and, for
 * development builds only, a fallback layer. Never throws.
 */
export function resolvePolicy(managed: unknown, development?: Partial<Policy>): ResolvedPolicy {
  const policy: Policy = structuredClone(POLICY_DEFAULTS);
  const sources = Object.fromEntries(Object.keys(POLICY_DEFAULTS).map((k) => [k, 'default'])) as Record<
    PolicyKey,
    PolicySource
  >;
  const problems: PolicyProblem[] = [];
  const set = <K extends PolicyKey>(key: K, value: Policy[K], source: PolicySource) => {
    policy[key] = value;
    sources[key] = source;
  };

  for (const [key, value] of Object.entries(development ?? {})) {
    if (key in PolicyFields) set(key as PolicyKey, value as never, 'development');
  }

  if (managed !== undefined && managed !== null && (typeof managed !== 'object' || Array.isArray(managed))) {
    problems.push({ key: '(policy)', message: 'managed policy is not an object; ignored' });
  } else if (managed) {
    for (const [key, value] of Object.entries(managed as Record<string, unknown>)) {
      if (!(key in PolicyFields)) {
        problems.push({ key, message: 'unknown policy key; ignored' });
        continue;
      }
      const parsed = PolicyFields[key as PolicyKey].safeParse(value);
      if (parsed.success) set(key as PolicyKey, parsed.data as never, 'managed');
      else
        problems.push({
          key,
          message: `${parsed.error.issues[0]?.message ?? 'invalid value'}; using ${sources[key as PolicyKey]} value`,
        });
    }
  }
  return { policy, sources, problems };
}

export function isSignalOn(policy: Policy, signal: Signal): boolean {
  return policy.capture[signal] ?? true;
}
