// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaptureContext } from '../../../lib/capture/context';
import { reportPageLoad } from '../../../lib/capture/observers/navigation';
import { setInheritedLevel } from '../../../lib/privacy/markers';
import { redactText } from '../../../lib/privacy/redact';

afterEach(() => {
  setInheritedLevel('none');
  document.title = '';
  document.documentElement.removeAttribute('data-private');
});

function loadEvent() {
  const emit = vi.fn();
  const ctx = { win: window, doc: document, config: { sensitiveSelectors: [] }, emit, redactText } as unknown as CaptureContext;
  reportPageLoad(ctx);
  return emit.mock.calls[0]?.[0] as { type: string; title?: string };
}

describe('lib/capture/observers/navigation (the page title and markers)', () => {
  it('keeps the title of an ordinary page', () => {
    document.title = 'Quarterly report';
    expect(loadEvent()).toMatchObject({ type: 'navigation', title: 'Quarterly report' });
  });

  it('leaves the title out when the document is masked: a marker above <title>, or a level inherited from a marked <iframe>', () => {
    document.title = 'Account of Jane Roe';
    document.documentElement.setAttribute('data-private', '');
    expect(loadEvent().title).toBeUndefined();
    document.documentElement.removeAttribute('data-private');
    setInheritedLevel('mask');
    expect(loadEvent().title).toBeUndefined();
    setInheritedLevel('ignore'); // ignore keeps text; only keys and values go
    expect(loadEvent().title).toBe('Account of Jane Roe');
  });
});
