/**
 * One capture session in one document: the observers the policy allows, wired to the privacy filter
 * and the batcher, with one combined teardown (pause, opt-out, site exclusion, extension reload).
 */
import { describeTarget, framePath, redescribe } from '../describe';
import { setContentGuard } from '../describe/guard';
import { holdsPrivateContent, privacyContentGuard } from '../privacy/content-guard';
import { generationFor, useGenerationSource, watchDomGeneration } from '../describe/generation';
import { shadowRootOf } from '../privacy/shadow';
import { createTypedMemory, PLACEHOLDER, redactText, redactUrl, targetPrivacy, watchPasswordFields } from '../privacy';
import type { ContentConfig } from '../state/capture-state';
import type { Signal } from '../schema/policy';
import type { Batcher } from './batcher';
import { listen, type CaptureContext, type Inspected, type Observer, type Teardown } from './context';
import { timedDeferred } from './handler-timing';
import { newEventId } from './ids';
import { initClickObserver } from './observers/clicks';
import { initClipboardObserver } from './observers/clipboard';
import { initDragObserver } from './observers/drag';
import { initFocusObserver } from './observers/focus';
import { initFormObserver } from './observers/forms';
import { initKeyObserver, isEditable } from './observers/keys';
import { initMenuObserver } from './observers/menu';
import { initNavigationObserver, reportPageLoad } from './observers/navigation';
import { initPointerObserver } from './observers/pointer';
import { initScrollObserver } from './observers/scroll';
import { initVisibilityObserver } from './observers/visibility';

const OBSERVERS: ReadonlyArray<[Signal | 'always', Observer]> = [
  ['click', initClickObserver],
  ['key', initKeyObserver],
  ['input', initFormObserver],
  ['focus', initFocusObserver],
  ['pointer', initPointerObserver],
  ['scroll', initScrollObserver],
  ['navigation', initNavigationObserver],
  ['menu', initMenuObserver],
  ['clipboard', initClipboardObserver],
  ['drag', initDragObserver],
  ['always', initVisibilityObserver],
];

/**
 * Gives `event` a `value` computed on first read: when the batch is serialised for sending. A failing
 * computation gives the redaction placeholder, never the raw value and never a lost batch.
 */
function defineLazyValue(event: object, compute: () => string | undefined): void {
  Object.defineProperty(event, 'value', {
    enumerable: true,
    configurable: true,
    get() {
      let value: string | undefined;
      try {
        value = compute();
      } catch {
        value = PLACEHOLDER.redacted;
      }
      Object.defineProperty(event, 'value', { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
  });
}

export interface Session {
  /** Tear down; what is still buffered is flushed unless `flush` is false (the caller hands it over). */
  stop(opts?: { flush?: boolean }): void;
}

export function startSession(win: Window, config: ContentConfig, batcher: Batcher, opts: { firstInDocument: boolean }): Session {
  const doc = win.document;
  const signals = new Set<Signal>(config.signals);
  const extra = config.sensitiveSelectors;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const path = framePath(win);
  const typed = createTypedMemory();
  const safeParams = config.safeUrlParams ?? [];
  // Every event carries the page URL: redact it once per URL and typed-memory state, not once per event.
  let urlCache = { raw: '', version: -1, redacted: '' };
  const pageUrl = (raw: string) => {
    if (urlCache.raw !== raw || urlCache.version !== typed.version) {
      urlCache = { raw, version: typed.version, redacted: redactUrl(raw, { safeParams, typed: typed.values() }) };
    }
    return urlCache.redacted;
  };

  /** The privacy decision alone; undefined for an element that must produce no event at all. */
  const decide = (el: Element): { masked: boolean; ignored: boolean } | undefined => {
    const privacy = targetPrivacy(el, extra);
    if (privacy.neverCaptured) return undefined;
    // An ordinary element whose content holds masked or blocked text is described without that text.
    return { masked: privacy.masked || holdsPrivateContent(el, extra), ignored: privacy.level === 'ignore' };
  };
  const inspectNow = (el: Element): Inspected | undefined => {
    const decided = decide(el);
    if (!decided) return undefined;
    const target = describeTarget(el, { masked: decided.masked, redact: redactText, isSensitive: (field) => targetPrivacy(field, extra).masked });
    return { el, ...decided, target };
  };
  interface Remembered {
    generation: number;
    view: number;
    focus: number;
    result: Inspected | undefined;
  }
  const inspected = new WeakMap<Element, Remembered>();
  const reuse = (el: Element, hit: Remembered): Inspected | undefined => {
    if (!hit.result) return undefined;
    const box = hit.view === view ? hit.result.target.box : undefined;
    hit.view = view;
    hit.result = { ...hit.result, target: redescribe(el, hit.result.target, { masked: hit.result.masked, box }) };
    return hit.result;
  };
  // Moves on every scroll and resize: a box read under the same DOM state and view is still right.
  let view = 0;
  // Moves on every focus change: a typing field's description lasts as long as its focus.
  let focusCount = 0;
  // A shadow host's privacy follows the focus inside its tree, which moves without any DOM change.
  const cacheable = (el: Element) => shadowRootOf(el) === null;
  const isTypingField = (el: Element) => el === doc.activeElement && isEditable(el);

  const ctx: CaptureContext = {
    win,
    doc,
    config,
    batcher,
    on: (s) => signals.has(s),
    redactText,
    noteTyped: (field, value) => typed.note(field, value),
    isMasked: (el) => targetPrivacy(el, extra).masked || holdsPrivateContent(el, extra),
    inspect(el) {
      if (!el) return undefined;
      // The same element under the same DOM state (typing in one field, hovering one menu): the privacy
      // decision and the description are reused; only the box and a checked state are read again.
      const generation = cacheable(el) ? generationFor(el) : undefined;
      if (generation === undefined) return inspectNow(el);
      const hit = inspected.get(el);
      if (hit && hit.generation === generation) return reuse(el, hit);
      // Typing in the field that has focus while the app re-renders something else at every key: the
      // privacy decision is made again, and when it stands, the field keeps the description it had when
      // the person started typing in it (this focus).
      if (hit?.result && hit.focus === focusCount && isTypingField(el)) {
        const fresh = decide(el);
        if (fresh && fresh.masked === hit.result.masked && fresh.ignored === hit.result.ignored) {
          hit.generation = generation;
          return reuse(el, hit);
        }
      }
      const result = inspectNow(el);
      inspected.set(el, { generation, view, focus: focusCount, result });
      return result;
    },
    emit(draft, emitOpts) {
      const event = {
        v: 1 as const,
        id: newEventId(),
        ts: Date.now(),
        url: pageUrl(emitOpts?.url ?? win.location.href),
        ...(path.length > 0 ? { framePath: path } : {}),
        ...draft,
      };
      if (emitOpts?.value) defineLazyValue(event, emitOpts.value);
      if (emitOpts?.replaces) batcher.upsert(event, emitOpts.replaces);
      else batcher.push(event);
    },
    later(fn, ms) {
      const t = setTimeout(timedDeferred(() => {
        timers.delete(t);
        fn();
      }), ms);
      timers.add(t);
      return () => {
        clearTimeout(t);
        timers.delete(t);
      };
    },
  };

  // Every name computed from here on (targets, menu paths, selectors) leaves private text out.
  const offGuard = setContentGuard(privacyContentGuard(extra));
  // Field sensitivity and descriptions are decided once per element and DOM state, not once per key.
  const generation = watchDomGeneration(doc);
  const offGeneration = useGenerationSource(doc, () => generation.current());
  // Before any observer: password inputs are remembered before a "show password" toggle can run.
  const passwords = watchPasswordFields(doc);
  const teardowns: Teardown[] = [
    offGuard,
    offGeneration,
    () => generation.stop(),
    listen(doc, ['pointerdown', 'keydown', 'focusin'], (e) => passwords.noteEvent(e)),
    listen(win, ['scroll', 'resize'], () => void view++),
    listen(doc, ['focusin', 'focusout'], () => void focusCount++),
    () => passwords.stop(),
  ];
  teardowns.push(...OBSERVERS.filter(([signal]) => signal === 'always' || signals.has(signal)).map(
    ([, init]) => init(ctx),
  ));
  // The page is being left (navigation, reload, close, back/forward cache) or frozen (a background tab
  // about to be discarded): what is buffered goes now, not behind a send still waiting for its answer —
  // a send queued there would start only after the page is gone.
  teardowns.push(listen(win, ['pagehide'], () => void batcher.flush({ urgent: true })));
  teardowns.push(listen(doc, ['freeze'], () => void batcher.flush({ urgent: true })));
  if (signals.has('navigation') && opts.firstInDocument) reportPageLoad(ctx);

  return {
    stop({ flush = true } = {}) {
      for (const off of teardowns.splice(0)) off();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      typed.clear();
      if (flush) void batcher.flush();
    },
  };
}
