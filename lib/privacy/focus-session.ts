/**
 * "At most one event per focus session" for masked fields (one masked key, one masked input), so that
 * neither the number of events nor their times can follow the typing of a secret.
 *
 * A session ends when the element itself fires `blur`. Document-level focusin/focusout cannot tell:
 * when focus moves between two elements of one shadow root (a password and its "show" button), the
 * event retargets to the host on both sides and never reaches the document. The blur listener lives on
 * the element only while its session is open, and `stop()` removes every one (pause, opt-out).
 *
 * An element that does not have focus when it changes (Chrome's autofill fills every field of a form at
 * once) opens no session: such changes happen once per fill, not once per key.
 */

export interface FocusSessionGate {
  /** True for the first event of `el`'s focus session, false for the rest until it blurs. */
  allow(el: Element): boolean;
  /** Ends every open session and removes their listeners. */
  stop(): void;
}

function hasFocus(el: Element): boolean {
  try {
    return el.matches(':focus') || el.matches(':focus-within');
  } catch {
    return true; // cannot tell: treat as focused, the stricter choice
  }
}

export function createFocusSessionGate(): FocusSessionGate {
  const open = new Map<Element, () => void>();
  const end = (el: Element) => {
    const off = open.get(el);
    if (off) off();
  };
  return {
    allow(el) {
      if (open.has(el)) return false;
      if (!hasFocus(el)) return true;
      const onBlur = (e: Event) => {
        if (e.isTrusted !== false) end(el); // a page script cannot end the session early
      };
      el.addEventListener('blur', onBlur, true);
      open.set(el, () => {
        el.removeEventListener('blur', onBlur, true);
        open.delete(el);
      });
      return true;
    },
    stop() {
      for (const el of [...open.keys()]) end(el);
    },
  };
}
