import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { PRIVACY_LEVELS } from '../../../lib/privacy/markers';
import { CAPTURE_MODES } from '../../../lib/schema/capture-mode';
import { ContentConfig } from '../../../lib/schema/content-config';
import { isContentConfig } from '../../../lib/schema/content-config-guard';
import { FrameHello, FrameLevelVerdict, FramePing } from '../../../lib/schema/frame-level';
import { isFrameHello, isFrameLevelVerdict, isFramePing } from '../../../lib/schema/frame-level-guard';
import { POLICY_DEFAULTS, resolvePolicy } from '../../../lib/schema/policy';
import { SIGNALS } from '../../../lib/schema/signals';
import { TYPED_TEXT_CHOICES } from '../../../lib/schema/typed-text';
import { contentConfig, USER_STATE_DEFAULTS } from '../../../lib/state/capture-state';
import { PROVISIONAL_CONTENT_CONFIG } from '../../../lib/state/content-config';

/**
 * The content script checks what it receives with hand-written guards (it carries no zod); the zod
 * schemas are the source of the types. Each guard must accept exactly what its schema accepts: every
 * field of every valid sample is removed, replaced by values of every kind and extended with them, so a
 * field added to a schema and not to its guard (or checked differently) fails here.
 */
const NONCE = '0123456789abcdef0123456789abcdef';
const choices = [...CAPTURE_MODES, ...SIGNALS, ...TYPED_TEXT_CHOICES, ...PRIVACY_LEVELS, 'frame-level', 'frame-level-request'];
const scalars: unknown[] = [
  undefined, null, true, false, 0, -1, 1.5, 250, NaN, Infinity, -Infinity, '', 'x', 'secret', ...choices,
  NONCE, NONCE.toUpperCase(), NONCE.slice(1), `${NONCE}0`, `${NONCE.slice(1)}g`, 'workflow-capture:frame-hello',
  'workflow-capture:frame-ping', {}, Object.create(null), new Date(0), () => 1,
];
const values: unknown[] = [...scalars, [], ...scalars.map((s) => [s]), ['a', 'b'], [['a']], [...SIGNALS]];

function variants(sample: Record<string, unknown>, keys: readonly string[]): unknown[] {
  const out: unknown[] = [sample, { ...sample, extra: 1 }, ...values, [sample]];
  for (const key of new Set([...keys, ...Object.keys(sample)])) {
    const { [key]: _dropped, ...without } = sample;
    out.push(without);
    for (const v of values) out.push({ ...sample, [key]: v });
    const current = sample[key];
    if (Array.isArray(current)) for (const v of scalars) out.push({ ...sample, [key]: [...current, v] });
  }
  return out;
}

function checkAgreement(schema: z.ZodObject, guard: (v: unknown) => boolean, samples: Record<string, unknown>[]) {
  const keys = Object.keys(schema.shape);
  let accepted = 0;
  let tried = 0;
  for (const sample of samples) {
    expect(schema.safeParse(sample).success, `a valid sample: ${inspect(sample)}`).toBe(true);
    for (const candidate of variants(sample, keys)) {
      tried++;
      const want = schema.safeParse(candidate).success;
      if (want) accepted++;
      expect(guard(candidate), `${want ? 'accepts' : 'refuses'} ${inspect(candidate, { breakLength: Infinity })}`).toBe(want);
    }
  }
  // Both answers were really asked about.
  expect(accepted).toBeGreaterThan(samples.length);
  expect(tried - accepted).toBeGreaterThan(keys.length * 5);
}

describe('lib/schema guards (the content script checks what the schemas check, without zod)', () => {
  it('isContentConfig accepts exactly what ContentConfig accepts', () => {
    const { policy } = resolvePolicy({ collectorUrl: 'https://c.example', typedText: 'masked', safeUrlParams: ['project'] });
    const full = contentConfig(policy, { optedOut: false, pausedUntil: 1_700_000_000_000, excludeSites: ['*://x.example/*'] }, 0);
    checkAgreement(ContentConfig, isContentConfig, [
      full,
      contentConfig(POLICY_DEFAULTS, USER_STATE_DEFAULTS, 0),
      PROVISIONAL_CONTENT_CONFIG,
      { ...PROVISIONAL_CONTENT_CONFIG, mode: 'paused', signals: [] },
    ]);
  });

  it('isFrameLevelVerdict accepts exactly what FrameLevelVerdict accepts', () => {
    checkAgreement(FrameLevelVerdict, isFrameLevelVerdict, PRIVACY_LEVELS.map((level) => ({ kind: 'frame-level', nonce: NONCE, level })));
  });

  it('isFrameHello and isFramePing accept exactly what FrameHello and FramePing accept (any page can post them)', () => {
    checkAgreement(FrameHello, isFrameHello, [{ type: 'workflow-capture:frame-hello', nonce: NONCE }]);
    checkAgreement(FramePing, isFramePing, [{ type: 'workflow-capture:frame-ping' }]);
  });
});
