import { describe, expect, it } from 'vitest';
import { documentCapture, DOCUMENT_CAPTURE_KEY } from '../../../lib/capture/document-capture';
import { PROVISIONAL_CONTENT_CONFIG, recordsLikeProvisional, sessionShape } from '../../../lib/state/content-config';

const doc = (readyState: DocumentReadyState) => ({ readyState }) as Document;

describe('lib/capture/document-capture', () => {
  it('one record per document: the first copy creates it, the next finds it', () => {
    const scope = {};
    const first = documentCapture(scope, doc('loading'));
    first.loadReported = true;
    const next = documentCapture(scope, doc('complete'));
    expect(next).toBe(first);
    expect(next).toMatchObject({ witnessedLoad: true, loadReported: true });
    expect((scope as Record<string, unknown>)[DOCUMENT_CAPTURE_KEY]).toBe(first);
  });

  it('a copy injected into a loaded document did not see the load (no page load is reported for it)', () => {
    expect(documentCapture({}, doc('interactive')).witnessedLoad).toBe(false);
    expect(documentCapture({}, doc('complete')).witnessedLoad).toBe(false);
  });

  it('a damaged record is replaced, not trusted', () => {
    const scope = { [DOCUMENT_CAPTURE_KEY]: { held: 'x' } };
    expect(documentCapture(scope, doc('loading'))).toMatchObject({ held: [], unsent: [], witnessedLoad: true });
  });
});

describe('lib/state/content-config (provisional capture)', () => {
  it('held events are kept only when the policy records exactly as the built-in defaults', () => {
    expect(recordsLikeProvisional({ ...PROVISIONAL_CONTENT_CONFIG, excludeSites: ['http://127.0.0.1:8787/*'] })).toBe(true);
    expect(recordsLikeProvisional({ ...PROVISIONAL_CONTENT_CONFIG, signals: PROVISIONAL_CONTENT_CONFIG.signals.filter((s) => s !== 'key') })).toBe(false);
    expect(recordsLikeProvisional({ ...PROVISIONAL_CONTENT_CONFIG, sensitiveSelectors: ['#ssn'] })).toBe(false);
    expect(recordsLikeProvisional({ ...PROVISIONAL_CONTENT_CONFIG, pointerSampleMs: 200 })).toBe(false);
  });

  it('the session shape ignores signal order, mode and sites', () => {
    expect(sessionShape({ ...PROVISIONAL_CONTENT_CONFIG, signals: [...PROVISIONAL_CONTENT_CONFIG.signals].reverse(), mode: 'paused' })).toBe(
      sessionShape(PROVISIONAL_CONTENT_CONFIG),
    );
  });
});
