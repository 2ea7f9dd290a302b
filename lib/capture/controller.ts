/**
 * The content script's controller: follows the capture configuration the background publishes in
 * storage.local and starts or stops the session for this document. While not recording it holds no page
 * listener and no timer — only the storage subscription that tells it when to start again.
 */
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { LATE_START_FLAG } from '../background/inject';
import { siteVerdict } from '../privacy/sites';
import { CONTENT_CONFIG_KEY, ContentConfig } from '../state/content-config';
import { Batcher } from './batcher';
import { browserFrameGateDeps, startGatedSession } from './frame-gate';
import { newEventId } from './ids';
import { startSession, type Session } from './session';

export function runCapture(wxt: ContentScriptContext): void {
  if (browser.extension.inIncognitoContext) return;
  const win = window;
  const batcher = new Batcher(
    async (events) => {
      const reply = (await browser.runtime.sendMessage({ kind: 'events', events })) as { ok?: boolean; error?: string } | undefined;
      // No answer at all: the worker went away mid-message. Retried; ids make a second delivery harmless.
      if (reply === undefined) throw new Error('the background did not answer');
      // An answer is final, a refusal too (not a web page, invalid): sending it again would not help.
      if (!reply.ok) console.debug('[workflow-capture] events refused:', reply.error);
    },
    () => wxt.isValid,
    { urgent: () => win.document.visibilityState === 'hidden' },
  );

  let session: Session | undefined;
  // Injected into a page that was already open (after an install or update): the page load happened
  // before this script and was not seen by it, so it is not reported as if it had just happened.
  const globals = globalThis as Record<string, unknown>;
  let startedBefore = globals[LATE_START_FLAG] === true;
  delete globals[LATE_START_FLAG];
  let excludedReported = false;
  const frameDeps = browserFrameGateDeps(() => wxt.isValid);

  const apply = (raw: unknown) => {
    if (!wxt.isValid) return;
    const parsed = ContentConfig.safeParse(raw);
    const config = parsed.success ? parsed.data : undefined;
    const verdict = config ? siteVerdict(config, win.location.href) : 'unsupported';
    const active = config?.mode === 'recording' && verdict === 'capture';
    session?.stop();
    session = undefined;
    if (active && config) {
      // Behind a cross-origin frame boundary the session waits for the parent's markers (frame-gate.ts).
      session = startGatedSession(win, config.sensitiveSelectors, () => {
        const started = startSession(win, config, batcher, { firstInDocument: !startedBefore });
        startedBefore = true;
        return started;
      }, frameDeps);
    } else if (config?.mode === 'recording' && verdict === 'excluded' && win === win.top && !excludedReported) {
      // The data shows a gap, not silence: one marker, with nothing about the site.
      excludedReported = true;
      batcher.push({ v: 1, id: newEventId(), ts: Date.now(), url: '', type: 'capture', state: 'excluded-site' });
    }
  };

  const onChanged = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local' && CONTENT_CONFIG_KEY in changes) apply(changes[CONTENT_CONFIG_KEY]?.newValue);
  };
  browser.storage.onChanged.addListener(onChanged);
  void browser.storage.local.get(CONTENT_CONFIG_KEY).then((got) => apply(got[CONTENT_CONFIG_KEY]));

  wxt.onInvalidated(() => {
    session?.stop();
    session = undefined;
    batcher.close();
    try {
      browser.storage.onChanged.removeListener(onChanged);
    } catch {
      /* the old extension context is gone; nothing to remove */
    }
  });
}
