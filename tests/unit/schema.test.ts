import { describe, expect, it } from 'vitest';
import { resolvePolicy, POLICY_DEFAULTS } from '../../lib/schema/policy';

describe('lib/schema/policy', () => {
  it('repairs a bad value to its default and reports it', () => {
    const r = resolvePolicy({ maxPauseMinutes: 'lots', collectorUrl: 'https://c.example.com/' });
    expect(r.policy.maxPauseMinutes).toBe(POLICY_DEFAULTS.maxPauseMinutes);
    expect(r.policy.collectorUrl).toBe('https://c.example.com');
    expect(r.sources.collectorUrl).toBe('managed');
    expect(r.problems.map((p) => p.key)).toEqual(['maxPauseMinutes']);
  });
});
