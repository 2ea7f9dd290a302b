/**
 * Markers on an `<iframe>` reach the document inside it, whatever its origin.
 *
 * A same-origin child walks up into its `<iframe>` element by itself (`frameElement`, see
 * ./markers.ts `composedParent`). A cross-origin child cannot: `frameElement` is null there. So a child
 * behind a cross-origin boundary asks its parent frame, through the background (the only party that can
 * tell frames of one tab apart and reach one frame alone), for the level of its `<iframe>`:
 *
 * 1. The child registers a random nonce with the background, then posts `{ hello, nonce }` to
 *    `window.parent`.
 * 2. The parent's content script, while its own session runs, finds the frame element whose
 *    `contentWindow` is the message's source (a trusted `message` event: the browser sets `source`, a
 *    page cannot forge it) and reports `{ nonce, level }`: the element's `privacyLevel`, which includes
 *    the parent's own inherited level, so a nested chain carries the strongest marker along it.
 * 3. The background hands the level to the frame that registered the nonce, and only to it.
 *
 * The child captures nothing until the verdict arrives (fail closed): 'block' keeps it silent for good,
 * 'mask' and 'ignore' become its inherited level (`setInheritedLevel`), so every element in it is at
 * least that private. A parent that is not capturing (paused, excluded, blocked itself) never answers,
 * and so its children stay silent. The nonce is the only thing the hello carries.
 *
 * This file holds the DOM side (no extension APIs); lib/capture/frame-gate.ts wires it to messaging.
 */
import { FRAME_HELLO_TYPE, FRAME_PING_TYPE, isFrameHello, isFramePing } from '../schema/frame-level-guard';
import { inheritedLevel, privacyLevel, PRIVACY_LEVELS, type PrivacyLevel } from './markers';
import { shadowRootOf } from './shadow';

/** Frame nesting followed at most this deep (the event schema's frame path limit). */
const MAX_FRAME_DEPTH = 16;

/** The stronger of privacy levels (block > mask > ignore > none). */
export function strongestLevel(...levels: readonly PrivacyLevel[]): PrivacyLevel {
  let rank = 0;
  for (const level of levels) {
    const r = PRIVACY_LEVELS.indexOf(level);
    rank = Math.max(rank, r < 0 ? PRIVACY_LEVELS.length - 1 : r);
  }
  return PRIVACY_LEVELS[rank] ?? 'block';
}

/**
 * True when some frame boundary between `win` and the top window is cross-origin to this document, so
 * markers above it cannot be seen from here and must be asked for. False for the top window and for a
 * chain of same-origin frames up to the top (the marker walk crosses those by itself). When unsure, true.
 */
export function needsInheritedLevel(win: Window): boolean {
  let w: Window = win;
  for (let depth = 0; depth <= MAX_FRAME_DEPTH; depth++) {
    try {
      const parent = w.parent;
      if (!parent || parent === w) return false;
      // null when the embedding document is not same-origin with us.
      if (!w.frameElement) return true;
      w = parent;
    } catch {
      return true;
    }
  }
  return true;
}

/** The parent's origin as this frame sees it, when the browser tells (Chrome's `ancestorOrigins`). */
export function parentOriginOf(win: Window): string | undefined {
  try {
    const origin = win.location.ancestorOrigins?.[0];
    // "null": an opaque or hidden origin (sandbox, referrer policy), which no sender can be checked against.
    return origin && origin !== 'null' ? origin : undefined;
  } catch {
    return undefined;
  }
}

const FRAME_ELEMENTS = 'iframe, frame, object';

function contentWindowOf(el: Element): Window | null {
  try {
    return (el as HTMLIFrameElement).contentWindow ?? null;
  } catch {
    return null;
  }
}

/**
 * Whether `source` is the window of one of `win`'s child frames. `parent` may be read on a cross-origin
 * window, and unlike `win.frames` it also holds for frames inside shadow trees (Chromium leaves those
 * out of `window.frames`).
 */
export function isChildWindow(win: Window, source: unknown): boolean {
  if (!source || source === win) return false;
  try {
    return (source as Window).parent === win;
  } catch {
    return false;
  }
}

/**
 * The windows of `win`'s child frames, for the ping: `window.frames`, plus the frames inside open shadow
 * roots, which it leaves out (closed roots are not walked here: one `chrome.dom` call per element on
 * every session start costs too much; a child there whose hello came too early stays silent).
 */
function childWindows(win: Window): Set<Window> {
  const out = new Set<Window>();
  const n = win.frames.length;
  for (let i = 0; i < n; i++) {
    const w = win.frames[i];
    if (w) out.add(w);
  }
  const roots: ParentNode[] = [];
  for (const el of Array.from(win.document.querySelectorAll('*'))) if (el.shadowRoot) roots.push(el.shadowRoot);
  for (let i = 0; i < roots.length && i < 10_000; i++) {
    const root = roots[i] as ParentNode;
    for (const el of Array.from(root.querySelectorAll('*'))) {
      if (el.shadowRoot) roots.push(el.shadowRoot);
      if (el.matches(FRAME_ELEMENTS)) {
        const w = contentWindowOf(el);
        if (w) out.add(w);
      }
    }
  }
  return out;
}

/**
 * The `<iframe>` (or `<frame>`, `<object>`) of `doc` whose window is `source`, looking into shadow roots
 * (closed ones too where the content script can) when the document itself has none: a child's hello
 * names its window, never its element. Runs once per hello, not per event.
 */
export function frameElementFor(doc: Document, source: unknown): Element | null {
  if (!source) return null;
  const roots: ParentNode[] = [doc];
  for (let i = 0; i < roots.length && i < 10_000; i++) {
    const root = roots[i] as ParentNode;
    for (const el of Array.from(root.querySelectorAll(FRAME_ELEMENTS))) if (contentWindowOf(el) === source) return el;
    // Not in this root: its shadow roots are next.
    for (const el of Array.from(root.querySelectorAll('*'))) {
      const shadow = shadowRootOf(el);
      if (shadow) roots.push(shadow);
    }
  }
  return null;
}

/**
 * The level a parent reports for the frame element of a child that said hello: the element's own
 * markers and its ancestors' (policy selectors included), and this document's inherited level.
 */
export function levelForFrameElement(el: Element, extra: readonly string[]): PrivacyLevel {
  return strongestLevel(privacyLevel(el, extra), inheritedLevel());
}

type Off = () => void;

/** Listens to trusted window messages; returns the removal. Never throws into the page. */
function onWindowMessage(win: Window, handler: (e: MessageEvent) => void): Off {
  const listener = (e: Event) => {
    try {
      if (e.isTrusted) handler(e as MessageEvent);
    } catch (err) {
      console.debug('[workflow-capture]', err);
    }
  };
  win.addEventListener('message', listener, { capture: true, passive: true });
  return () => win.removeEventListener('message', listener, { capture: true });
}

/**
 * Parent side, for as long as this document's session runs: answers each child's hello with the level
 * of its frame element (through `report`), and pings the children already there once, so a child whose
 * hello came before this session listened says it again. No timer, no polling.
 */
export function startFrameLevelResponder(
  win: Window,
  extra: readonly string[],
  report: (nonce: string, level: PrivacyLevel) => void,
): Off {
  const off = onWindowMessage(win, (e) => {
    // Pages post messages all the time, and any page can forge a hello: the whole message is checked.
    const hello: unknown = e.data;
    if (!isFrameHello(hello) || !isChildWindow(win, e.source)) return;
    const el = frameElementFor(win.document, e.source);
    // Not one of our frames (a grandchild, a window we never embedded): its own parent answers it.
    if (!el) return;
    report(hello.nonce, levelForFrameElement(el, extra));
  });
  try {
    for (const child of childWindows(win)) child.postMessage({ type: FRAME_PING_TYPE }, '*');
  } catch (err) {
    console.debug('[workflow-capture]', err);
  }
  return off;
}

/**
 * Child side: posts the hello to the parent now (once the nonce is registered), and again whenever the
 * parent pings. Returns the removal of the ping listener.
 */
export function sayHelloToParent(win: Window, nonce: string, registered: () => Promise<boolean>): Off {
  let live = true;
  const hello = async () => {
    if (!(await registered()) || !live) return;
    try {
      win.parent.postMessage({ type: FRAME_HELLO_TYPE, nonce }, '*');
    } catch (err) {
      console.debug('[workflow-capture]', err);
    }
  };
  const off = onWindowMessage(win, (e) => {
    if (e.source === win.parent && isFramePing(e.data)) void hello();
  });
  void hello();
  return () => {
    live = false;
    off();
  };
}
