/**
 * Sticky passwords without waiting for a focus. A "show password" toggle turns `type=password` into
 * `type=text`; a field first focused after that reads as an ordinary text box. So the capture session
 * remembers password inputs before a toggle can run, in three ways:
 *
 * - when it starts, every password input of the document (and again on each open or closed shadow
 *   root it meets in an event path);
 * - on each pointerdown and Enter/Space keydown (what activates a toggle button), every password input
 *   of the roots that event crosses: our capture-phase listener runs before the page's click handler;
 * - a MutationObserver on the `type` attribute of those roots: any element whose type stops being
 *   "password" is remembered, however the change came about.
 *
 * Cost: one attribute filter (no childList, no character data), and one querySelectorAll per root on a
 * click; nothing runs while the page is idle. `stop()` disconnects everything (pause, opt-out).
 */
import { markSensitive, rememberPasswordFields } from './sensitive';
import { rootsWithin } from './shadow';

export interface PasswordWatch {
  /** Call for every trusted pointerdown, keydown and focusin, before observers describe anything. */
  noteEvent(e: Event): void;
  stop(): void;
}

const OBSERVE: MutationObserverInit = { subtree: true, attributes: true, attributeFilter: ['type'], attributeOldValue: true };

function isShadowRoot(node: unknown): node is ShadowRoot {
  return typeof node === 'object' && node !== null && (node as Node).nodeType === 11 && 'host' in (node as object);
}

export function watchPasswordFields(doc: Document): PasswordWatch {
  const watched = new WeakSet<Node>();
  const Observer = doc.defaultView?.MutationObserver ?? (globalThis as { MutationObserver?: typeof MutationObserver }).MutationObserver;
  const observer = Observer
    ? new Observer((records) => {
        for (const r of records) {
          if ((r.oldValue ?? '').trim().toLowerCase() === 'password' && r.target.nodeType === 1) markSensitive(r.target as Element);
        }
      })
    : undefined;

  const watch = (root: Document | ShadowRoot) => {
    if (watched.has(root)) return;
    watched.add(root);
    rememberPasswordFields(root);
    try {
      observer?.observe(root, OBSERVE);
    } catch {
      // A root we cannot observe is still scanned on every click that crosses it.
    }
  };
  watch(doc);

  return {
    noteEvent(e) {
      const path = e.composedPath();
      const roots: (Document | ShadowRoot)[] = [doc];
      for (const node of path) if (isShadowRoot(node)) roots.push(node);
      const first = path[0];
      // Closed roots are not in the path: look into the host the event was retargeted to.
      if (first && (first as Node).nodeType === 1) roots.push(...rootsWithin(first as Element));
      for (const root of roots) watch(root);
      const activates = e.type === 'pointerdown' || (e.type === 'keydown' && ((e as KeyboardEvent).key === 'Enter' || (e as KeyboardEvent).key === ' '));
      if (activates) for (const root of roots) rememberPasswordFields(root);
    },
    stop() {
      observer?.disconnect();
    },
  };
}
