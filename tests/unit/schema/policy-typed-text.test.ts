import { describe, expect, it } from 'vitest';
import { POLICY_DEFAULTS, resolvePolicy } from '../../../lib/schema/policy';
import { contentConfig, USER_STATE_DEFAULTS } from '../../../lib/state/capture-state';
import { ContentConfig } from '../../../lib/schema/content-config';

describe('lib/schema/policy (typedText, safeUrlParams)', () => {
  it('defaults to values and no extra safe parameters', () => {
    expect(POLICY_DEFAULTS.typedText).toBe('values');
    expect(POLICY_DEFAULTS.safeUrlParams).toEqual([]);
  });

  it('takes valid values from managed policy', () => {
    const r = resolvePolicy({ typedText: 'masked', safeUrlParams: ['project', 'report_id'] });
    expect(r.policy.typedText).toBe('masked');
    expect(r.policy.safeUrlParams).toEqual(['project', 'report_id']);
    expect(r.sources.typedText).toBe('managed');
    expect(r.problems).toEqual([]);
  });

  it('repairs bad values one key at a time and reports them', () => {
    const r = resolvePolicy({ typedText: 'none', safeUrlParams: ['ok', 'bad name'], collectorUrl: 'https://c.example' });
    expect(r.policy.typedText).toBe('values');
    expect(r.policy.safeUrlParams).toEqual([]);
    expect(r.policy.collectorUrl).toBe('https://c.example');
    expect(r.problems.map((p) => p.key).sort()).toEqual(['safeUrlParams', 'typedText']);
  });

  it('reaches the content scripts through the content config', () => {
    const { policy } = resolvePolicy({ collectorUrl: 'https://c.example', typedText: 'masked', safeUrlParams: ['project'] });
    const cfg = contentConfig(policy, USER_STATE_DEFAULTS, 0);
    expect(cfg.typedText).toBe('masked');
    expect(cfg.safeUrlParams).toEqual(['project']);
    expect(ContentConfig.safeParse(cfg).success).toBe(true);
    const { typedText: _t, safeUrlParams: _s, ...older } = cfg;
    expect(ContentConfig.safeParse(older).success, 'a config stored by an older version still parses').toBe(true);
  });
});
