/**
 * The value-level layer measured on two corpora written for this project (tests/fixtures/privacy-corpus):
 * how often `redactText` changes ordinary business text (false positives), and how often it removes a
 * secret (detection). The rates are printed and bounded; docs/privacy-notice.md reports them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { redactText } from '../../../lib/privacy/redact';

const corpus = (name: string) =>
  readFileSync(new URL(`../../fixtures/privacy-corpus/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));

/** Bounds on the measured rates (fractions). Raise detection and lower false positives; never the reverse silently. */
const MAX_FALSE_POSITIVE_RATE = 0.05;
const MIN_DETECTION_RATE = 0.95;

describe('lib/privacy/redact (corpus rates)', () => {
  it('changes little ordinary business text (false-positive rate)', () => {
    const lines = corpus('ordinary.txt');
    const changed = lines.filter((l) => redactText(l) !== l);
    const rate = changed.length / lines.length;
    console.log(`false positives: ${changed.length}/${lines.length} = ${(rate * 100).toFixed(1)}%\n  ${changed.map((l) => `${l}  →  ${redactText(l)}`).join('\n  ')}`);
    expect(lines.length).toBeGreaterThanOrEqual(100);
    expect(rate).toBeLessThanOrEqual(MAX_FALSE_POSITIVE_RATE);
  });

  it('removes the secrets of the secrets corpus (detection rate)', () => {
    const rows = corpus('secrets.tsv').map((l) => {
      const [category = '', text = '', secret = ''] = l.split('\t');
      return { category, text: text.replace(/\\n/g, '\n'), secret: secret.replace(/\\n/g, '\n') };
    });
    const missed = rows.filter((r) => redactText(r.text).includes(r.secret));
    const rate = 1 - missed.length / rows.length;
    const byCategory = new Map<string, [number, number]>();
    for (const r of rows) {
      const [hit, all] = byCategory.get(r.category) ?? [0, 0];
      byCategory.set(r.category, [hit + (missed.includes(r) ? 0 : 1), all + 1]);
    }
    console.log(
      `detection: ${rows.length - missed.length}/${rows.length} = ${(rate * 100).toFixed(1)}% (${[...byCategory].map(([c, [h, a]]) => `${c} ${h}/${a}`).join(', ')})\n  missed: ${missed.map((r) => `${r.category}: ${r.text}  →  ${redactText(r.text)}`).join('\n  ')}`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(80);
    expect(rate).toBeGreaterThanOrEqual(MIN_DETECTION_RATE);
  });
});
