/**
 * The content script's controller: follows the capture configuration the background publishes in
 * storage.local and starts or stops the session for this document. While not recording it holds no page
 * listener and no timer — only the storage subscription that tells it when to start again.
 */
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { siteVerdict } from '../privacy/sites';
import { CONTENT_CONFIG_KEY, ContentConfig } from '../state/content-config';
import { Batcher } from './batcher';
import { newEventId } from './ids';
import { startSession, type Session } from './session';

export function runCapture(wxt: ContentScriptContext): void {
  if (browser.extension.inIncognitoContext) return;
  const win = window;
  const batcher = new Batcher(async (events) => {
    const reply = (await browser.runtime.sendMessage({ kind: 'events', events })) as { ok?: boolean } | undefined;
    if (!reply?.ok) throw new Error('background did not take the events');
  }, () => wxt.isValid);

  let session: Session | undefined;
  let startedBefore = false;
  let excludedReported = false;

  const apply = (raw: unknown) => {
    if (!wxt.isValid) return;
    const parsed = ContentConfig.safeParse(raw);
    const config = parsed.success ? parsed.data : undefined;
    const verdict = config ? siteVerdict(config, win.location.href) : 'unsupported';
    const active = config?.mode === 'recording' && verdict === 'capture';
    session?.stop();
    session = undefined;
    if (active && config) {
      session = startSession(win, config, batcher, { firstInDocument: !startedBefore });
      startedBefore = true;
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
