/**
 * The content script's controller: follows the capture configuration the background publishes in
 * storage.local and starts or stops the session for this document. While not recording it holds no page
 * listener and no timer — only the storage subscription that tells it when to start again.
 *
 * Right after an install no configuration exists yet (the background waits for the managed policy):
 * the page captures with the built-in defaults and holds the events in the page, to send them once the
 * configuration allows it or forget them if it does not (lib/state/content-config.ts).
 *
 * Two copies can run in one document (the manifest's and the one injected after an install or update);
 * the newer one takes over from the older without a gap and without a duplicate (document-capture.ts).
 */
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { siteVerdict } from '../privacy/sites';
import {
  CONTENT_CONFIG_KEY,
  isContentConfig,
  PROVISIONAL_CONTENT_CONFIG,
  type ContentConfig,
  recordsLikeProvisional,
  sessionShape,
} from '../state/content-config';
import { Batcher } from './batcher';
import { documentCapture } from './document-capture';
import { browserFrameGateDeps, startGatedSession } from './frame-gate';
import { newEventId } from './ids';
import { startSession, type Session } from './session';

export function runCapture(wxt: ContentScriptContext): void {
  if (browser.extension.inIncognitoContext) return;
  const win = window;
  const shared = documentCapture(globalThis, win.document);
  /** The extension behind this copy still runs (false once it was updated, reloaded or removed). */
  const runtimeAlive = () => {
    try {
      return browser.runtime?.id !== undefined;
    } catch {
      return false;
    }
  };
  // Stopped because a newer copy took over this document, not because the extension went away: what
  // this copy already sent or flushed is still delivered.
  let superseded = false;
  const batcher = new Batcher(
    async (events) => {
      const reply = (await browser.runtime.sendMessage({ kind: 'events', events })) as { ok?: boolean; error?: string } | undefined;
      // No answer at all: the worker went away mid-message. Retried; ids make a second delivery harmless.
      if (reply === undefined) throw new Error('the background did not answer');
      // An answer is final, a refusal too (not a web page, invalid): sending it again would not help.
      if (!reply.ok) console.debug('[workflow-capture] events refused:', reply.error);
    },
    () => wxt.isValid || (superseded && runtimeAlive()),
    { urgent: () => win.document.visibilityState === 'hidden', orphaned: (events) => void shared.unsent.push(...events) },
  );

  let session: Session | undefined;
  const frameDeps = browserFrameGateDeps(() => wxt.isValid);
  let sessionConfig: ContentConfig | undefined;
  /** This copy reported the page load while holding: forgetting the held events forgets the report too. */
  let heldLoadReport = false;

  const stopSession = () => {
    session?.stop();
    session = undefined;
    sessionConfig = undefined;
  };

  const start = (config: ContentConfig) => {
    const firstInDocument = shared.witnessedLoad && !shared.loadReported;
    // Behind a cross-origin frame boundary the session waits for the parent's markers (frame-gate.ts).
    session = startGatedSession(win, config.sensitiveSelectors, () => startSession(win, config, batcher, { firstInDocument }), frameDeps);
    sessionConfig = config;
    if (firstInDocument) {
      shared.loadReported = true;
      heldLoadReport = batcher.holding;
    }
  };

  const apply = (raw: unknown) => {
    if (!wxt.isValid) return;
    if (!isContentConfig(raw)) {
      // Nothing published yet (the first seconds after an install): capture, but keep it in the page.
      if (raw === undefined && !shared.config && !session) {
        batcher.hold();
        start(PROVISIONAL_CONTENT_CONFIG);
      } else if (!batcher.holding) stopSession();
      return;
    }
    const config = raw;
    shared.config = config;
    const verdict = siteVerdict(config, win.location.href);
    const active = config.mode === 'recording' && verdict === 'capture';
    const unchanged = active && session !== undefined && sessionShape(sessionConfig!) === sessionShape(config);
    if (batcher.holding) {
      if (active && recordsLikeProvisional(config)) batcher.release(() => true);
      else {
        stopSession();
        batcher.drop();
        if (heldLoadReport) shared.loadReported = false;
      }
      heldLoadReport = false;
    }
    // The same capture as before (a re-read, a change of pause deadline or of another site's rules):
    // the running session goes on, with its half-typed fields and pointer paths.
    if (unchanged && session) return;
    stopSession();
    if (active) start(config);
    else if (config.mode === 'recording' && verdict === 'excluded' && win === win.top && !shared.excludedReported) {
      // The data shows a gap, not silence: one marker, with nothing about the site.
      shared.excludedReported = true;
      batcher.push({ v: 1, id: newEventId(), ts: Date.now(), url: '', type: 'capture', state: 'excluded-site' });
    }
  };

  // Taking over from a copy that ran here before: its leftovers first, then its configuration at once, so
  // that no event falls between its stop and this copy's storage read.
  for (const event of shared.unsent.splice(0)) batcher.push(event);
  const inheritedHeld = shared.held.splice(0);
  if (inheritedHeld.length > 0) {
    batcher.hold();
    for (const event of inheritedHeld) batcher.push(event);
    start(PROVISIONAL_CONTENT_CONFIG);
  }
  if (shared.config) apply(shared.config);

  const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local' && CONTENT_CONFIG_KEY in changes) apply(changes[CONTENT_CONFIG_KEY]?.newValue);
  };
  browser.storage.onChanged.addListener(onChanged);
  void browser.storage.local.get(CONTENT_CONFIG_KEY).then((got) => apply(got[CONTENT_CONFIG_KEY]));

  wxt.onInvalidated(() => {
    superseded = runtimeAlive();
    // The session's last pointer path, scroll and field values go into the buffer first; the batcher
    // then sends it (superseded) or leaves it for the next copy (orphaned, or held).
    session?.stop({ flush: false });
    session = undefined;
    const left = batcher.close(superseded);
    shared.held.push(...left.held);
    shared.unsent.push(...left.unsent);
    try {
      browser.storage.onChanged.removeListener(onChanged);
    } catch {
      /* the old extension context is gone; nothing to remove */
    }
  });
}
