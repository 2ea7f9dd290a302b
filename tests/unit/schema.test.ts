import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAllowedCollectorUrl, POLICY_DEFAULTS, PolicyFields, resolvePolicy, SIGNALS } from '../../lib/schema/policy';
import { EventBody } from '../../lib/schema/event';

const managedSchema = JSON.parse(readFileSync(new URL('../../public/managed_schema.json', import.meta.url), 'utf8'));

describe('lib/schema/policy', () => {
  it('repairs a bad value to its default and reports it', () => {
    const r = resolvePolicy({ maxPauseMinutes: 'lots', collectorUrl: 'https://c.example.com/' });
    expect(r.policy.maxPauseMinutes).toBe(POLICY_DEFAULTS.maxPauseMinutes);
    expect(r.policy.collectorUrl).toBe('https://c.example.com');
    expect(r.sources.collectorUrl).toBe('managed');
    expect(r.problems.map((p) => p.key)).toEqual(['maxPauseMinutes']);
  });

  it('layers managed over development over defaults', () => {
    const r = resolvePolicy({ maxPauseMinutes: 10 }, { collectorUrl: 'http://127.0.0.1:8787' });
    expect(r.sources.collectorUrl).toBe('development');
    expect(r.sources.maxPauseMinutes).toBe('managed');
    expect(r.sources.allowOptOut).toBe('default');
  });

  it('never throws on hostile input', () => {
    for (const bad of [null, 42, 'x', [1], { collectorUrl: { toString: 1 } }, { capture: 'all' }, { __proto__: { a: 1 } }]) {
      expect(() => resolvePolicy(bad)).not.toThrow();
    }
    expect(resolvePolicy([1]).problems[0]?.key).toBe('(policy)');
    expect(resolvePolicy({ bogus: 1 }).problems[0]?.message).toMatch(/unknown/);
  });

  it('accepts https collectors and http only on loopback', () => {
    expect(isAllowedCollectorUrl('https://capture.example.com')).toBe(true);
    expect(isAllowedCollectorUrl('http://127.0.0.1:8787')).toBe(true);
    expect(isAllowedCollectorUrl('http://localhost:8787')).toBe(true);
    expect(isAllowedCollectorUrl('http://capture.example.com')).toBe(false);
    expect(isAllowedCollectorUrl('https://user:pw@capture.example.com')).toBe(false);
    expect(isAllowedCollectorUrl('javascript:alert(1)')).toBe(false);
  });

  it('ships a managed schema with a title and description for every policy key, and no others', () => {
    expect(Object.keys(managedSchema.properties).sort()).toEqual(Object.keys(PolicyFields).sort());
    for (const [key, prop] of Object.entries<Record<string, unknown>>(managedSchema.properties)) {
      expect(prop.title, key).toBeTruthy();
      expect(prop.description, key).toBeTruthy();
    }
    expect(Object.keys(managedSchema.properties.capture.properties).sort()).toEqual([...SIGNALS].sort());
  });
});

describe('lib/schema/event', () => {
  const base = { v: 1, id: 'abcdef0123456789', ts: 1, url: 'https://a.example/' };
  const target = { tag: 'button', role: 'button', name: 'Save', selectors: [['#save'], ['xpath///*[@id="save"]']], box: { x: 1, y: 2, w: 3, h: 4 }, masked: false };

  it('accepts a well-formed click and rejects unknown types and wrong versions', () => {
    const click = { ...base, type: 'click', target, button: 0, modifiers: { alt: false, ctrl: false, meta: false, shift: false }, x: 1, y: 2, offsetX: 0, offsetY: 0 };
    expect(EventBody.safeParse(click).success).toBe(true);
    expect(EventBody.safeParse({ ...click, type: 'teleport' }).success).toBe(false);
    expect(EventBody.safeParse({ ...click, v: 2 }).success).toBe(false);
  });

  it('caps value lengths so a page cannot flood the pipeline', () => {
    const input = { ...base, type: 'input', target, masked: false, value: 'x'.repeat(1001) };
    expect(EventBody.safeParse(input).success).toBe(false);
  });
});
