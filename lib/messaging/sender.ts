/**
 * Trust tiers for runtime messages. A content script runs in web pages and may only hand over captured
 * events (and the frame-level handshake, lib/schema/frame-level.ts); the extension's own pages (popup,
 * options) may change state. Anything else is ignored.
 */
import type { Browser } from 'wxt/browser';

export type SenderTier = 'content' | 'page' | 'untrusted';

const WEB = /^https?:\/\//i;

/**
 * The web page a content script speaks for. Usually the sender's URL; but a frame's first document
 * (`about:blank`) keeps its window, and our script in it, when the frame then loads a page of the same
 * origin, and Chromium goes on naming the sender `about:blank` while its `origin` is the page's. Such a
 * sender speaks for its origin (its site, not a path: rules about paths then fail closed).
 */
export function senderPageUrl(sender: Browser.runtime.MessageSender): string | undefined {
  const url = sender.url ?? '';
  if (WEB.test(url)) return url;
  const origin = (sender as { origin?: string }).origin;
  if (/^about:(blank|srcdoc)\b/i.test(url) && origin && WEB.test(origin)) return `${origin}/`;
  return undefined;
}

export function classifySender(sender: Browser.runtime.MessageSender, extensionId: string, extensionOrigin: string): SenderTier {
  if (sender.id !== extensionId) return 'untrusted';
  const url = sender.url ?? '';
  if (url.startsWith(extensionOrigin)) return 'page';
  if (sender.tab && senderPageUrl(sender)) return 'content';
  return 'untrusted';
}
