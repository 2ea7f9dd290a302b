/**
 * Events that stay inside the shadow root they happen in. `change`, `submit`, `toggle`, `scroll` and a
 * few others are not composed: a listener on the document never sees a checkbox change or a form
 * submit inside a web component, in any phase. Open shadow roots are found the moment a person reaches
 * into one — a composed event (pointerdown, focusin, keydown, wheel, input) names it in its composed
 * path, always before the contained event it leads to — and from then on those events are listened to
 * on the root as well. No tree walk, no MutationObserver, nothing at all while nobody interacts; the
 * discovery listeners exist only while some observer listens for a contained event.
 */

import { timedListener } from './handler-timing';

/** Event types that do not cross a shadow boundary (composed: false) and that observers listen to. */
export const CONTAINED_EVENTS: ReadonlySet<string> = new Set([
  'change',
  'submit',
  'reset',
  'toggle',
  'close',
  'cancel',
  'scroll',
  'select',
  'invalid',
]);

/** Composed events that precede any contained one: reaching into a root with pointer, focus or keys. */
const DISCOVERY_EVENTS = ['pointerdown', 'focusin', 'keydown', 'wheel', 'input', 'dragstart'] as const;
const DISCOVERY_OPTIONS: AddEventListenerOptions = { capture: true, passive: true };

interface Registration {
  types: readonly string[];
  listener: EventListener;
  options: AddEventListenerOptions;
}

function isShadowRoot(node: unknown): node is ShadowRoot {
  return typeof node === 'object' && node !== null && (node as Node).nodeType === 11 && 'host' in (node as object);
}

class RootTracker {
  private readonly roots = new Set<ShadowRoot>();
  private readonly regs = new Set<Registration>();

  constructor(
    private readonly doc: Document,
    private readonly onEmpty: () => void,
  ) {
    for (const type of DISCOVERY_EVENTS) doc.addEventListener(type, this.discover, DISCOVERY_OPTIONS);
  }

  private readonly discover = timedListener((e: Event) => {
    try {
      for (const node of e.composedPath()) {
        if (!isShadowRoot(node) || this.roots.has(node)) continue;
        this.roots.add(node);
        for (const reg of this.regs) attach(node, reg);
      }
    } catch {
      // a capture helper must never break the page
    }
  });

  add(reg: Registration): void {
    this.regs.add(reg);
    for (const root of this.roots) attach(root, reg);
  }

  remove(reg: Registration): void {
    if (!this.regs.delete(reg)) return;
    for (const root of this.roots) detach(root, reg);
    if (this.regs.size > 0) return;
    for (const type of DISCOVERY_EVENTS) this.doc.removeEventListener(type, this.discover, DISCOVERY_OPTIONS);
    this.roots.clear();
    this.onEmpty();
  }
}

function attach(root: ShadowRoot, reg: Registration): void {
  for (const type of reg.types) root.addEventListener(type, reg.listener, reg.options);
}

function detach(root: ShadowRoot, reg: Registration): void {
  for (const type of reg.types) root.removeEventListener(type, reg.listener, reg.options);
}

const trackers = new WeakMap<Document, RootTracker>();

/**
 * Also deliver `types` (contained events) from every open shadow root of `doc` that a person reaches
 * into, to `listener` with `options`. Returns the removal.
 */
export function listenInShadowRoots(
  doc: Document,
  types: readonly string[],
  listener: EventListener,
  options: AddEventListenerOptions,
): () => void {
  let tracker = trackers.get(doc);
  if (!tracker) {
    tracker = new RootTracker(doc, () => trackers.delete(doc));
    trackers.set(doc, tracker);
  }
  const reg: Registration = { types, listener, options };
  tracker.add(reg);
  const owner = tracker;
  return () => owner.remove(reg);
}
