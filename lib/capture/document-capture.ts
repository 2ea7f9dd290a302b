/**
 * What the copies of the content script in one document share. A document can run two copies: the one
 * the manifest declares (document_start) and the one the background injects into open tabs after an
 * install or update (lib/background/inject.ts), in either order relative to the page's load. Both run in
 * the extension's isolated world of that document, so they share its global object; WXT's content script
 * context stops the older copy the moment a newer one starts. This record is what makes that handover
 * lossless and free of duplicates:
 * - the page load is reported once per document, and only by a copy that saw the document loading;
 * - the newer copy starts with the configuration the older one applied, at once, with no gap while it
 *   reads storage;
 * - what the older copy could not send (events held before any configuration existed, or buffered when
 *   its extension context died) is picked up and sent by the newer one.
 * No timer, no listener: plain data, read and written only when a copy starts or stops.
 */
import type { EventBody } from '../schema/event';
import type { ContentConfig } from '../state/content-config';

export const DOCUMENT_CAPTURE_KEY = '__workflowCapture';

export interface DocumentCapture {
  /** A copy started while the document was still loading: the page load happened under its eyes. */
  witnessedLoad: boolean;
  /** The page load (or the state the page was in when capture first started) was reported. */
  loadReported: boolean;
  /** The "excluded site" marker was reported for this document. */
  excludedReported: boolean;
  /** The last capture configuration a copy applied in this document. */
  config?: ContentConfig;
  /** Captured before any configuration existed, not yet allowed out of the page. */
  held: EventBody[];
  /** Allowed out, but the copy that captured them could no longer reach the background. */
  unsent: EventBody[];
}

/** This document's record, created by the first copy that asks. */
export function documentCapture(scope: object, doc: Document): DocumentCapture {
  const globals = scope as Record<string, unknown>;
  const loading = doc.readyState === 'loading';
  const existing = globals[DOCUMENT_CAPTURE_KEY] as DocumentCapture | undefined;
  if (existing && typeof existing === 'object' && Array.isArray(existing.held) && Array.isArray(existing.unsent)) {
    existing.witnessedLoad ||= loading;
    return existing;
  }
  const fresh: DocumentCapture = { witnessedLoad: loading, loadReported: false, excludedReported: false, held: [], unsent: [] };
  globals[DOCUMENT_CAPTURE_KEY] = fresh;
  return fresh;
}
