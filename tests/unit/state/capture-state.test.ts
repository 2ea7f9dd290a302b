import { describe, expect, it } from 'vitest';
import { POLICY_DEFAULTS, type Policy } from '../../../lib/schema/policy';
import { captureMode, clampPauseMinutes, contentConfig, USER_STATE_DEFAULTS } from '../../../lib/state/capture-state';
import { matchesPattern, siteVerdict } from '../../../lib/privacy/sites';

const policy = (over: Partial<Policy> = {}): Policy => ({ ...POLICY_DEFAULTS, collectorUrl: 'https://c.example.com', ...over });

describe('lib/state/capture-state', () => {
  it('derives the mode from policy, choices and the clock', () => {
    const now = 1_000_000;
    expect(captureMode({ ...POLICY_DEFAULTS }, USER_STATE_DEFAULTS, now)).toBe('not-configured');
    expect(captureMode(policy({ enabled: false }), USER_STATE_DEFAULTS, now)).toBe('disabled');
    expect(captureMode(policy(), USER_STATE_DEFAULTS, now)).toBe('recording');
    expect(captureMode(policy(), { ...USER_STATE_DEFAULTS, pausedUntil: now + 1 }, now)).toBe('paused');
    expect(captureMode(policy(), { ...USER_STATE_DEFAULTS, pausedUntil: now }, now)).toBe('recording');
    expect(captureMode(policy(), { ...USER_STATE_DEFAULTS, optedOut: true }, now)).toBe('opted-out');
    // An organisation that requires participation overrides an earlier opt-out.
    expect(captureMode(policy({ allowOptOut: false }), { ...USER_STATE_DEFAULTS, optedOut: true }, now)).toBe('recording');
  });

  it('never pauses longer than the policy allows', () => {
    expect(clampPauseMinutes(policy(), 30)).toBe(30);
    expect(clampPauseMinutes(policy({ maxPauseMinutes: 10 }), 30)).toBe(10);
  });

  it('publishes no secret to content scripts, and excludes the collector itself', () => {
    const cfg = contentConfig(policy({ authToken: 's3cret-token', capture: { pointer: false } }), USER_STATE_DEFAULTS, 0);
    expect(JSON.stringify(cfg)).not.toContain('s3cret');
    expect(cfg.signals).not.toContain('pointer');
    expect(cfg.signals).toContain('click');
    expect(siteVerdict(cfg, 'https://c.example.com/v1/stats')).toBe('excluded');
  });

  it("ignores the employee's own exclusions when policy does not allow them", () => {
    const user = { ...USER_STATE_DEFAULTS, excludeSites: ['news.example.com'] };
    expect(contentConfig(policy(), user, 0).excludeSites).toContain('news.example.com');
    expect(contentConfig(policy({ allowSiteExclusions: false }), user, 0).excludeSites).not.toContain('news.example.com');
  });
});

describe('lib/privacy/sites', () => {
  it('matches Chrome match patterns and bare hosts', () => {
    expect(matchesPattern('*://*.example.com/*', 'https://app.example.com/x')).toBe(true);
    expect(matchesPattern('*://*.example.com/*', 'https://example.com/')).toBe(true);
    expect(matchesPattern('*://*.example.com/*', 'https://badexample.com/')).toBe(false);
    expect(matchesPattern('https://app.example.com/admin/*', 'https://app.example.com/admin/users')).toBe(true);
    expect(matchesPattern('https://app.example.com/admin/*', 'https://app.example.com/home')).toBe(false);
    expect(matchesPattern('example.com', 'http://www.example.com/a')).toBe(true);
    expect(matchesPattern('<all_urls>', 'https://x.y/')).toBe(true);
    expect(matchesPattern('not a pattern', 'https://x.y/')).toBe(false);
    expect(matchesPattern('http://127.0.0.1:8787/*', 'http://127.0.0.1:8787/v1')).toBe(true);
    expect(matchesPattern('http://127.0.0.1:8787/*', 'http://127.0.0.1:9999/v1')).toBe(false);
  });

  it('captures only web pages, honours exclusions over inclusions', () => {
    const rules = { includeSites: ['*://*.corp.example/*'], excludeSites: ['https://hr.corp.example/*'] };
    expect(siteVerdict(rules, 'https://crm.corp.example/a')).toBe('capture');
    expect(siteVerdict(rules, 'https://hr.corp.example/a')).toBe('excluded');
    expect(siteVerdict(rules, 'https://news.example/a')).toBe('not-included');
    expect(siteVerdict(rules, 'chrome://settings')).toBe('unsupported');
    expect(siteVerdict({ includeSites: [], excludeSites: [] }, 'file:///etc/passwd')).toBe('unsupported');
  });
});
