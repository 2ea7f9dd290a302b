/**
 * A counter that moves whenever the document changes, so that what the content script works out about
 * an element — its privacy decision, its description, the page's shadow roots — is worked out once per
 * element and DOM state instead of once per event (a key press in a field does not change what labels
 * it, nor its selectors).
 *
 * Cheap by construction: the MutationObserver disconnects itself at the first change and is connected
 * again only when somebody next asks, so a page that mutates constantly costs one record batch per
 * question, and an idle page costs nothing. Shadow roots are not observed: callers cache only for
 * elements in the document tree itself.
 */

export interface DomGeneration {
  /** The current generation, or undefined when changes cannot be watched (then nothing may be cached). */
  current(): number | undefined;
  stop(): void;
}

const OBSERVE: MutationObserverInit = { subtree: true, childList: true, attributes: true, characterData: true };

export function watchDomGeneration(doc: Document): DomGeneration {
  const Observer = doc.defaultView?.MutationObserver;
  let generation = 0;
  let watching = false;
  let stopped = false;
  const observer = Observer
    ? new Observer(() => {
        generation++;
        watching = false;
        observer?.disconnect();
      })
    : undefined;
  return {
    current() {
      if (!observer || stopped) return undefined;
      // Changes made earlier in this same task (a page handler that marks an element and then focuses it)
      // are not delivered yet: they count now.
      if (watching && observer.takeRecords().length > 0) generation++;
      if (!watching) {
        try {
          observer.observe(doc, OBSERVE);
        } catch {
          return undefined;
        }
        watching = true;
        // Whatever changed while we were not watching is unknown: start a new generation.
        generation++;
      }
      return generation;
    },
    stop() {
      stopped = true;
      observer?.disconnect();
    },
  };
}

/**
 * The generation source of this content script's document, installed by the capture session
 * (`useGenerationSource`). Without one nothing is cached.
 */
let source: { doc: Document; current: () => number | undefined } | undefined;

/** Makes `perGeneration` caches valid for `doc` while `current` says the DOM has not changed. */
export function useGenerationSource(doc: Document, current: () => number | undefined): () => void {
  const installed = { doc, current };
  source = installed;
  return () => {
    if (source === installed) source = undefined;
  };
}

/**
 * The generation under which an answer about `el` may be cached, or undefined when it may not: no
 * source, or `el` is neither the watched document nor in its own tree (the watcher does not see into shadow roots).
 */
export function generationFor(el: Node): number | undefined {
  const s = source;
  if (!s || (el.nodeType === 9 ? el : el.ownerDocument) !== s.doc) return undefined;
  try {
    if (el.getRootNode() !== s.doc) return undefined;
  } catch {
    return undefined;
  }
  return s.current();
}

/**
 * `compute(el)`, remembered per element until the DOM changes. Answers about elements the watcher cannot
 * see (shadow trees, other documents) are computed every time. A computation that throws is not cached.
 */
export function perGeneration<T>(compute: (el: Element) => T): (el: Element) => T {
  const memo = new WeakMap<Element, { generation: number; value: T }>();
  return (el) => {
    const generation = generationFor(el);
    if (generation !== undefined) {
      const hit = memo.get(el);
      if (hit && hit.generation === generation) return hit.value;
    }
    const value = compute(el);
    if (generation !== undefined) memo.set(el, { generation, value });
    return value;
  };
}
