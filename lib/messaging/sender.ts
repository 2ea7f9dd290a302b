/**
 * Trust tiers for runtime messages. A content script runs in web pages and may only hand over captured
 * events (and the frame-level handshake, lib/schema/frame-level.ts); the extension's own pages (popup,
 * options) may change state. Anything else is ignored.
 */
import type { Browser } from 'wxt/browser';

export type SenderTier = 'content' | 'page' | 'untrusted';

export function classifySender(sender: Browser.runtime.MessageSender, extensionId: string, extensionOrigin: string): SenderTier {
  if (sender.id !== extensionId) return 'untrusted';
  const url = sender.url ?? '';
  if (url.startsWith(extensionOrigin)) return 'page';
  if (sender.tab && /^https?:\/\//i.test(url)) return 'content';
  return 'untrusted';
}
