import { describe, expect, it } from 'vitest';
import { compileSelectors } from '../../../lib/privacy/markers';

describe('lib/privacy/markers (background worker, no DOM)', () => {
  it('screens policy selectors by syntax when there is no DOM to try them on', () => {
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    const r = compileSelectors(['.card-form input', '#pin', 'a[[[', '', 'div >', ':is(', 'a { color: red }', 'b"', null]);
    expect(r.valid).toEqual(['.card-form input', '#pin']);
    expect(r.invalid).toEqual(['a[[[', '', 'div >', ':is(', 'a { color: red }', 'b"', 'null']);
  });
});
