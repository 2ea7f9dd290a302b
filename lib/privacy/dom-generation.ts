/**
 * A counter that moves whenever the document changes, so that privacy decisions about an element can be
 * made once per element and DOM state instead of once per event (a key press in a field does not
 * change what labels it). Only negative answers are cached this way: positives are sticky anyway.
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
