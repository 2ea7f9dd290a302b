/**
 * Starting a session in a frame whose embedding `<iframe>` this document cannot see (behind a
 * cross-origin boundary): the session waits for the parent frame's verdict on that element, delivered
 * by the background (see lib/privacy/frame-level.ts for the handshake). Until it arrives — and for good
 * when no parent ever answers — nothing is captured here: no observer, no event. While waiting, the
 * frame holds two listeners (the background's verdict, the parent's ping) and no timer except the short
 * bounded retries of a message the background did not take.
 *
 * Every running session also answers its own children's hellos (the parent side).
 */
import { browser, type Browser } from 'wxt/browser';
import { CONTENT_SEND_RETRIES, CONTENT_SEND_RETRY_BASE_MS } from '../constants';
import { needsInheritedLevel, parentOriginOf, sayHelloToParent, startFrameLevelResponder } from '../privacy/frame-level';
import { setInheritedLevel, type PrivacyLevel } from '../privacy/markers';
import type { FrameLevelMessage, FrameLevelVerdict } from '../schema/frame-level';
import { isFrameLevelVerdict } from '../schema/frame-level-guard';
import { randomHex128 } from './ids';
import type { Session } from './session';

/** The extension side of the handshake, replaceable in tests. */
export interface FrameGateDeps {
  /** Sends a frame-level message to the background; resolves with its answer (undefined: not reached). */
  send(message: FrameLevelMessage): Promise<unknown>;
  /** Subscribes to verdicts from the background; returns the removal. */
  onVerdict(listener: (verdict: FrameLevelVerdict) => void): () => void;
  isAlive(): boolean;
}

export const browserFrameGateDeps = (isAlive: () => boolean): FrameGateDeps => ({
  send: (message) => browser.runtime.sendMessage(message),
  onVerdict(listener) {
    const onMessage = (message: unknown, sender: Browser.runtime.MessageSender) => {
      // Only the background reaches a content script with runtime messages; check it is ours anyway.
      if (sender.id !== browser.runtime.id || sender.tab) return undefined;
      if (isFrameLevelVerdict(message)) listener(message);
      return undefined;
    };
    browser.runtime.onMessage.addListener(onMessage);
    return () => {
      try {
        browser.runtime.onMessage.removeListener(onMessage);
      } catch {
        /* the extension context is gone */
      }
    };
  },
  isAlive,
});

/**
 * Sends until the background answers (ok or not), a few times with backoff while it is restarting;
 * false when it was never reached. The timers belong to `timers` so that a stop cancels them.
 */
async function sendReliably(deps: FrameGateDeps, message: FrameLevelMessage, timers: Set<ReturnType<typeof setTimeout>>, live: () => boolean): Promise<boolean> {
  for (let attempt = 0; attempt <= CONTENT_SEND_RETRIES && live() && deps.isAlive(); attempt++) {
    try {
      const reply = (await deps.send(message)) as { ok?: boolean } | undefined;
      if (reply !== undefined) return reply.ok === true;
    } catch (err) {
      if (/context invalidated/i.test(String(err))) return false;
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, CONTENT_SEND_RETRY_BASE_MS * 2 ** attempt);
      timers.add(t);
    });
  }
  return false;
}

function isWebPage(win: Window): boolean {
  try {
    return /^https?:/i.test(win.location.href);
  } catch {
    return false;
  }
}

/**
 * Starts `start()` (the capture session) in `win`, after the parent's verdict when this frame needs one,
 * and the parent side of the handshake beside it. `sensitiveSelectors`: policy selectors, which the
 * parent applies to its frame elements too. The returned stop tears down whichever part is running.
 */
export function startGatedSession(
  win: Window,
  sensitiveSelectors: readonly string[],
  start: () => Session,
  deps: FrameGateDeps,
): Session {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let live = true;
  let session: Session | undefined;
  let offResponder: (() => void) | undefined;
  const waiting: Array<() => void> = [];

  const report = (nonce: string, level: PrivacyLevel) =>
    void sendReliably(deps, { kind: 'frame-level-report', nonce, level }, timers, () => live);

  const begin = (level: PrivacyLevel) => {
    setInheritedLevel(level);
    // Blocked from above: nothing of this document, and none of its children hear a verdict either.
    if (level === 'block') return;
    session = start();
    offResponder = startFrameLevelResponder(win, sensitiveSelectors, report);
  };

  if (!needsInheritedLevel(win)) {
    begin('none');
  } else if (!isWebPage(win)) {
    // about:blank, srcdoc, data: — the background takes messages from web pages only (lib/messaging/
    // sender.ts), so no verdict could come: stay silent without asking.
    setInheritedLevel('block');
  } else {
    // Fail closed while unknown: whatever an earlier verdict said, nothing is private enough until told.
    setInheritedLevel('block');
    const nonce = randomHex128();
    const parentOrigin = parentOriginOf(win);
    waiting.push(
      deps.onVerdict((verdict) => {
        if (!live || session || verdict.nonce !== nonce) return;
        for (const off of waiting.splice(0)) off();
        begin(verdict.level);
      }),
    );
    // The background must know the nonce before the parent can report it: register, then say hello.
    const request = { kind: 'frame-level-request' as const, nonce, ...(parentOrigin ? { parentOrigin } : {}) };
    waiting.push(sayHelloToParent(win, nonce, () => sendReliably(deps, request, timers, () => live)));
  }

  return {
    stop() {
      live = false;
      for (const off of waiting.splice(0)) off();
      offResponder?.();
      offResponder = undefined;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      session?.stop();
      session = undefined;
    },
  };
}
