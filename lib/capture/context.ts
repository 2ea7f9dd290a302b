/**
 * What every observer gets: where it runs, what the policy allows, and the two doors out — `inspect`,
 * which applies the privacy rules to an element before anything about it is described, and `emit`.
 */
import type { ContentConfig } from '../state/capture-state';
import type { EventBody, Target } from '../schema/event';
import type { Signal } from '../schema/policy';
import type { Batcher } from './batcher';
import { timedListener } from './handler-timing';
import { CONTAINED_EVENTS, listenInShadowRoots } from './shadow-roots';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event as an observer builds it; the common fields are filled in by `emit`. */
export type Draft = DistributiveOmit<EventBody, 'v' | 'id' | 'ts' | 'url' | 'framePath'>;

export interface Inspected {
  el: Element;
  /** Sensitive: no value, no key, no content-derived name. */
  masked: boolean;
  /** Marked "ignore": clicks are fine, typed input is not captured. */
  ignored: boolean;
  target: Target;
}

export interface EmitOptions {
  /** Let this event supersede the last buffered one when it matches (one input per field per flush). */
  replaces?: (buffered: EventBody) => boolean;
  /** The page URL the event belongs to, when it is not the current one (a navigation's destination). */
  url?: string;
  /**
   * The event's `value`, computed only when the event leaves the page (when the batch is sent) and then
   * kept. An input event superseded by the next keystroke before the flush is never computed, so the
   * value checks run once per field per flush rather than once per key.
   */
  value?: () => string | undefined;
}

export interface CaptureContext {
  win: Window;
  doc: Document;
  config: ContentConfig;
  on(signal: Signal): boolean;
  /** Privacy first: undefined for an element that must produce no event at all (blocked, hidden input). */
  inspect(el: Element | null | undefined): Inspected | undefined;
  /** Whether the element is sensitive, without describing it (cheap). */
  isMasked(el: Element): boolean;
  emit(draft: Draft, opts?: EmitOptions): void;
  batcher: Batcher;
  /** A one-shot timer that the session's teardown cancels. */
  later(fn: () => void, ms: number): () => void;
  redactText(text: string): string;
  /**
   * Remember what was typed into a field, so that no event's URL repeats it (an app mirroring a search
   * box into the query string). Kept in this document only, never sent.
   */
  noteTyped(field: Element, value: string): void;
}

export type Teardown = () => void;
export type Observer = (ctx: CaptureContext) => Teardown;

/** The element an event really happened on, looking through open shadow roots. */
export function eventTarget(e: Event): Element | undefined {
  const first = e.composedPath()[0];
  if (first && (first as Node).nodeType === 1) return first as Element;
  const t = e.target as Node | null;
  if (t && t.nodeType === 1) return t as Element;
  return t?.parentElement ?? undefined;
}

/** Add capture-phase, passive listeners and return their removal. */
export function listen(
  target: EventTarget,
  types: readonly string[],
  handler: (e: Event) => void,
  opts: { passive?: boolean } = {},
): Teardown {
  const options = { capture: true, passive: opts.passive ?? true };
  const safe = timedListener((e: Event) => {
    // A capture bug must never break the page.
    try {
      if (e.isTrusted) handler(e);
    } catch (err) {
      console.debug('[workflow-capture]', err);
    }
  });
  for (const type of types) target.addEventListener(type, safe, options);
  // change, submit, toggle, scroll… inside shadow roots never reach the document: listen on the roots too.
  const contained = (target as Node).nodeType === 9 ? types.filter((t) => CONTAINED_EVENTS.has(t)) : [];
  const offShadow = contained.length > 0 ? listenInShadowRoots(target as Document, contained, safe, options) : undefined;
  return () => {
    for (const type of types) target.removeEventListener(type, safe, options);
    offShadow?.();
  };
}

/**
 * Runs `fn` once nothing has called `touch` for `ms`. One timer per quiet period, not one per touch: a
 * pointer path or a scroll gesture touches it at every sample, and re-arming a timer each time is most
 * of what such a sample would cost.
 */
export function quietAfter(ctx: Pick<CaptureContext, 'later'>, ms: number, fn: () => void): { touch(): void; cancel(): void } {
  let last = 0;
  let cancel: (() => void) | undefined;
  const check = () => {
    cancel = undefined;
    const wait = last + ms - performance.now();
    if (wait > 1) cancel = ctx.later(check, wait);
    else fn();
  };
  return {
    touch() {
      last = performance.now();
      cancel ??= ctx.later(check, ms);
    },
    cancel() {
      cancel?.();
      cancel = undefined;
    },
  };
}

export function modifiersOf(e: KeyboardEvent | MouseEvent) {
  return { alt: e.altKey, ctrl: e.ctrlKey, meta: e.metaKey, shift: e.shiftKey };
}
