/**
 * Reads the admin policy from managed storage, once, and caches it; re-resolved when it changes.
 * Development builds fall back to a built-in policy pointing at the local reference collector.
 */
import { browser } from 'wxt/browser';
import { DEV_COLLECTOR_URL } from '../constants';
import { resolvePolicy, type Policy, type ResolvedPolicy } from '../schema/policy';

export const DEVELOPMENT_POLICY: Partial<Policy> = { collectorUrl: DEV_COLLECTOR_URL, uploadIntervalMinutes: 1 };

export function isDevelopmentBuild(): boolean {
  return import.meta.env.MODE === 'development';
}

export async function readManagedPolicy(): Promise<{ managed: unknown; error?: string }> {
  try {
    return { managed: await browser.storage.managed.get() };
  } catch (err) {
    // Firefox without a policies.json entry, or a browser without managed storage: no policy.
    return { managed: {}, error: err instanceof Error ? err.message : String(err) };
  }
}

export function resolveManaged({ managed, error }: { managed: unknown; error?: string }): ResolvedPolicy {
  const resolved = resolvePolicy(managed, isDevelopmentBuild() ? DEVELOPMENT_POLICY : undefined);
  if (error && !/managed storage|not support|undefined/i.test(error)) {
    resolved.problems.push({ key: '(managed storage)', message: error });
  }
  return resolved;
}

