import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAFE_URL_PARAMS } from '../../../lib/constants';
import { mirrorsTyped, normaliseParamName, redactUrl } from '../../../lib/privacy/redact';
import { createTypedMemory } from '../../../lib/privacy/typed-memory';

describe('lib/privacy/redact (redactUrl fails closed)', () => {
  it('redacts every query and fragment value whose name is not on the safe list', () => {
    expect(redactUrl('https://ex.com/s?q=red+shoes&page=2&sort=price&psw=hunter2&pw=x&utm_term=y')).toBe(
      'https://ex.com/s?q=[redacted]&page=2&sort=price&psw=[redacted]&pw=[redacted]&utm_term=[redacted]',
    );
    expect(redactUrl('https://ex.com/x#a=b&c=d')).toBe('https://ex.com/x#a=[redacted]&c=[redacted]');
    expect(redactUrl('https://ex.com/#/search?query=jane&tab=people&perPage=50')).toBe('https://ex.com/#/search?query=[redacted]&tab=people&perPage=50');
  });

  it('matches safe names whatever their case or separators, and keeps empty values', () => {
    expect(redactUrl('https://ex.com/?PER-PAGE=20&Sort_By=name&view=&lang=de')).toBe('https://ex.com/?PER-PAGE=20&Sort_By=name&view=&lang=de');
    expect(normaliseParamName('per_Page')).toBe(normaliseParamName('perPage'));
    expect(SAFE_URL_PARAMS).not.toContain('q');
  });

  it('still checks safe values with the detectors and caps their length', () => {
    expect(redactUrl('https://ex.com/?tab=jane@example.com')).toBe('https://ex.com/?tab=[email]');
    expect(redactUrl(`https://ex.com/?view=${'a'.repeat(80)}`)).toBe('https://ex.com/?view=[redacted]');
  });

  it('policy safeParams extends the list but never to secret-like names', () => {
    const opts = { safeParams: ['project', 'report_id', 'token'] };
    expect(redactUrl('https://ex.com/?project=apollo&report_id=77&token=abc&other=1', opts)).toBe(
      'https://ex.com/?project=apollo&report_id=77&token=[redacted]&other=[redacted]',
    );
  });

  it('redacts short random path segments (invite and reset tokens), in hash routes too', () => {
    expect(redactUrl('https://ex.com/invite/k3J9xQ2mPz7LwR4t')).toBe('https://ex.com/invite/[token]');
    expect(redactUrl('https://ex.com/#/reset/Rt5vB8nQ2wXz4Lk7Mp9s?tab=a')).toBe('https://ex.com/#/reset/[token]?tab=a');
    expect(redactUrl('https://ex.com/join/AB12-CD34-EF56')).toBe('https://ex.com/join/[token]');
    expect(redactUrl('https://ex.com/x#k3J9xQ2mPz7LwR4t')).toBe('https://ex.com/x#[token]');
  });

  it.each([
    'https://ex.com/reports/quarterly-report-2024/2024-05-01?page=2',
    'https://ex.com/orders/42/items/7',
    'https://ex.com/blog/how-we-scaled-our-api-in-2024',
    'https://ex.com/teams/finance/Q3Report2024',
    'https://ex.com/users/abc123/settings#section-2',
    'https://ex.com/v2/customerAccountSettings',
    'https://ex.com/files/IMG_4521.jpg',
  ])('keeps ordinary paths: %s', (url) => expect(redactUrl(url)).toBe(url));

  it('the admin guide lists exactly the built-in safe parameters', () => {
    const guide = readFileSync(new URL('../../../docs/admin/README.md', import.meta.url), 'utf8');
    const row = guide.split('\n').find((l) => l.startsWith('| `safeUrlParams`')) ?? '';
    const listed = /built-in list \(([^)]*)\)/.exec(row)?.[1]?.match(/`([^`]+)`/g)?.map((n) => n.slice(1, -1)) ?? [];
    expect(listed).toEqual([...SAFE_URL_PARAMS]);
  });

  it('keeps the maximum-length form of the old signature', () => {
    expect(redactUrl('https://ex.com/abc', 12)).toBe('https://ex.…');
  });
});

describe('lib/privacy/redact (typed text mirrored into the URL)', () => {
  it('redacts a safe parameter or path segment that repeats what was just typed', () => {
    const typed = ['wombat'];
    expect(redactUrl('https://ex.com/search/wombat?tab=wom&page=1', { typed })).toBe('https://ex.com/search/[redacted]?tab=[redacted]&page=1');
    expect(redactUrl('https://ex.com/?tab=all', { typed })).toBe('https://ex.com/?tab=all');
  });

  it('mirrorsTyped: equal, an earlier prefix, or holding the typed text', () => {
    expect(mirrorsTyped('Red Shoes', ['red shoes'])).toBe(true);
    expect(mirrorsTyped('red sh', ['red shoes'])).toBe(true);
    expect(mirrorsTyped('xx-red shoes-yy', ['red shoes'])).toBe(true);
    expect(mirrorsTyped('w', ['w'])).toBe(true);
    expect(mirrorsTyped('shoes', ['red shoes'])).toBe(false);
    expect(mirrorsTyped('list', [])).toBe(false);
  });
});

describe('lib/privacy/typed-memory', () => {
  it('keeps a few values per field and a few fields, newest first, and counts versions', () => {
    const m = createTypedMemory();
    const a = {};
    const b = {};
    const v0 = m.version;
    m.note(a, 'w');
    m.note(a, 'wo');
    m.note(a, 'wom');
    expect(m.values()).toEqual(['wom']);
    m.note(a, 'wo'); // deleting: both stay, the shorter is a prefix of the longer
    expect(m.values()).toEqual(['wo', 'wom']);
    m.note(b, 'red shoes');
    expect(m.values()[0]).toBe('red shoes');
    expect(m.version).toBeGreaterThan(v0);
    for (let i = 0; i < 20; i++) m.note({}, `field ${i}`);
    expect(m.values().length).toBeLessThanOrEqual(8 * 3);
    expect(m.values()).not.toContain('wom');
    m.clear();
    expect(m.values()).toEqual([]);
  });

  it('cuts long values', () => {
    const m = createTypedMemory();
    m.note({}, 'x'.repeat(1000));
    expect(m.values()[0]!.length).toBe(256);
  });
});

describe('lib/privacy/redact: typed text in a URL, not a word of the page\'s own path', () => {
  it('keeps child.html when "chi" or "child" was typed, redacts a slug made of the search', async () => {
    const { redactUrl } = await import('../../../lib/privacy/redact');
    expect(redactUrl('https://app.example.com/frames/child.html', { typed: ['chi'] })).toContain('/frames/child.html');
    expect(redactUrl('https://app.example.com/frames/child.html', { typed: ['child'] })).toContain('/frames/child.html');
    expect(redactUrl('https://app.example.com/search/quarterly-tax', { typed: ['quarterly tax'] })).not.toContain('quarterly');
    expect(redactUrl('https://app.example.com/search/quarterly', { typed: ['quarterly'] })).not.toContain('quarterly');
  });
});
