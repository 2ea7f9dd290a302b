/**
 * The background's part of the frame-level handshake (lib/privacy/frame-level.ts): a child frame
 * registers a nonce, its parent frame reports the level of the `<iframe>` that said hello with that
 * nonce, and the level goes to the child — to that frame of that tab only. The matching is a pure,
 * bounded structure; the router only parses, checks the sender and delivers.
 *
 * What keeps it honest: a report counts only from another frame of the same tab, only once, only for a
 * nonce a child registered (128 random bits, seen only by the parent's window), and — where the child
 * knows its parent's origin — only from a frame of that origin. Memory is bounded: an entry goes once
 * answered, one pending request per frame (a frame that loads a new document asks again and replaces
 * it), a fixed maximum overall (oldest out), and an age limit. Entries of a navigated or closed tab can
 * never match again (new documents bring new nonces) and age out. Deliberately no tabs.onRemoved or
 * webNavigation listener: the first wakes the worker (and its whole start-up) on every tab closed to
 * clear a map that dies with the worker anyway; the second needs a permission. Nothing runs on a timer:
 * expiry happens when the structure is used.
 */
import type { Browser } from 'wxt/browser';
import { FRAME_LEVEL_MAX_PENDING, FRAME_LEVEL_REQUEST_TTL_MS } from '../constants';
import type { PrivacyLevel } from '../privacy/markers';
import { FrameLevelMessage, type FrameLevelVerdict } from '../schema/frame-level';

interface Pending {
  tab: number;
  frame: number;
  parentOrigin?: string;
  at: number;
}

export interface FrameLevelMatch {
  tab: number;
  frame: number;
  level: PrivacyLevel;
}

export class FrameLevelBroker {
  /** By `${tab}:${nonce}`, oldest first (a Map keeps insertion order). */
  private readonly pending = new Map<string, Pending>();
  /** `${tab}:${frame}` → its pending key: a frame that asks again replaces its earlier request. */
  private readonly byFrame = new Map<string, string>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly limits = { maxPending: FRAME_LEVEL_MAX_PENDING, ttlMs: FRAME_LEVEL_REQUEST_TTL_MS },
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** A child frame waits for the level of its `<iframe>`, to be reported with this nonce. */
  request(tab: number, frame: number, nonce: string, parentOrigin?: string): void {
    this.expire();
    const key = `${tab}:${nonce}`;
    const owner = this.pending.get(key);
    // A nonce is one frame's: another frame naming it (it cannot know it) does not take it over.
    if (owner && owner.frame !== frame) return;
    const frameKey = `${tab}:${frame}`;
    const earlier = this.byFrame.get(frameKey);
    if (earlier !== undefined) this.pending.delete(earlier);
    this.pending.delete(key);
    this.pending.set(key, { tab, frame, at: this.now(), ...(parentOrigin ? { parentOrigin } : {}) });
    this.byFrame.set(frameKey, key);
    while (this.pending.size > this.limits.maxPending) {
      const oldest = this.pending.keys().next().value as string;
      this.drop(oldest);
    }
  }

  /**
   * A parent frame reports the level for a nonce: the waiting child to tell, or undefined when no child
   * of this tab waits for it (already answered, expired, never asked) or this reporter may not answer it.
   */
  report(tab: number, frame: number, origin: string | undefined, nonce: string, level: PrivacyLevel): FrameLevelMatch | undefined {
    this.expire();
    const key = `${tab}:${nonce}`;
    const waiting = this.pending.get(key);
    if (!waiting) return undefined;
    // A frame cannot vouch for itself.
    if (waiting.frame === frame) return undefined;
    if (waiting.parentOrigin !== undefined && waiting.parentOrigin !== origin) return undefined;
    this.drop(key);
    return { tab, frame: waiting.frame, level };
  }

  private drop(key: string): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    const frameKey = `${p.tab}:${p.frame}`;
    if (this.byFrame.get(frameKey) === key) this.byFrame.delete(frameKey);
  }

  private expire(): void {
    const cutoff = this.now() - this.limits.ttlMs;
    for (const [key, p] of this.pending) {
      if (p.at > cutoff) break; // oldest first: the rest are younger
      this.drop(key);
    }
  }
}

/** The origin of a message's sender frame. */
function senderOrigin(sender: Browser.runtime.MessageSender): string | undefined {
  const declared = (sender as { origin?: string }).origin;
  if (declared) return declared;
  try {
    return new URL(sender.url ?? '').origin;
  } catch {
    return undefined;
  }
}

/** Parses a content script's frame-level message; undefined when the message is something else. */
export function parseFrameLevelMessage(message: unknown): FrameLevelMessage | undefined {
  const parsed = FrameLevelMessage.safeParse(message);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Handles a frame-level message from a content script (already classified as the content tier):
 * registers a request, or matches a report and delivers the verdict to the waiting frame.
 */
export function handleFrameLevelMessage(
  broker: FrameLevelBroker,
  message: FrameLevelMessage,
  sender: Browser.runtime.MessageSender,
  deliver: (tab: number, frame: number, verdict: FrameLevelVerdict) => void,
): { ok: boolean; error?: string; matched?: boolean } {
  const tab = sender.tab;
  if (!tab || tab.incognito || tab.id === undefined || sender.frameId === undefined) return { ok: false, error: 'no frame' };
  if (message.kind === 'frame-level-request') {
    // The top frame has no embedding element to ask about.
    if (sender.frameId === 0) return { ok: false, error: 'top frame' };
    broker.request(tab.id, sender.frameId, message.nonce, message.parentOrigin);
    return { ok: true };
  }
  const match = broker.report(tab.id, sender.frameId, senderOrigin(sender), message.nonce, message.level);
  if (match) deliver(match.tab, match.frame, { kind: 'frame-level', nonce: message.nonce, level: match.level });
  return { ok: true, matched: Boolean(match) };
}
