import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as privacy from '../../../lib/privacy';

describe('lib/privacy/index', () => {
  it('exposes the whole privacy API from one place', () => {
    for (const name of [
      'privacyLevel', 'compileSelectors', 'isSensitiveField', 'isNeverCaptured', 'fieldPrivacy', 'rememberPasswordFields',
      'markSensitive', 'redactText', 'redactUrl', 'maskKey', 'createMaskedKeyGate',
    ] as const) {
      expect(typeof privacy[name], name).toBe('function');
    }
  });

  it('states the masking rules in its header, where a reader looks for them', () => {
    const source = readFileSync(new URL('../../../lib/privacy/index.ts', import.meta.url), 'utf8');
    const header = source.slice(0, source.indexOf('*/'));
    for (const words of ['Blocked', 'Masked', 'Ignored', 'redacted', 'Keys', 'sticky', 'When unsure, mask']) {
      expect(header, words).toContain(words);
    }
  });
});
