/**
 * One capture session in one document: the observers the policy allows, wired to the privacy filter
 * and the batcher, with one combined teardown (pause, opt-out, site exclusion, extension reload).
 */
import { describeTarget, framePath } from '../describe';
import { setContentGuard } from '../describe/guard';
import { holdsPrivateContent, privacyContentGuard } from '../privacy/content-guard';
import { watchDomGeneration } from '../privacy/dom-generation';
import { useDomGeneration } from '../privacy/sensitive';
import { createTypedMemory, PLACEHOLDER, redactText, redactUrl, targetPrivacy, watchPasswordFields } from '../privacy';
import type { ContentConfig } from '../state/capture-state';
import type { Signal } from '../schema/policy';
import type { Batcher } from './batcher';
import { listen, type CaptureContext, type Observer, type Teardown } from './context';
import { timedDeferred } from './handler-timing';
import { newEventId } from './ids';
import { initClickObserver } from './observers/clicks';
import { initClipboardObserver } from './observers/clipboard';
import { initDragObserver } from './observers/drag';
import { initFocusObserver } from './observers/focus';
import { initFormObserver } from './observers/forms';
import { initKeyObserver } from './observers/keys';
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
      const privacy = targetPrivacy(el, extra);
      if (privacy.neverCaptured) return undefined;
      // An ordinary element whose content holds masked or blocked text is described without that text.
      const masked = privacy.masked || holdsPrivateContent(el, extra);
      const target = describeTarget(el, { masked, redact: redactText, isSensitive: (field) => targetPrivacy(field, extra).masked });
      return { el, masked, ignored: privacy.level === 'ignore', target };
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
  // Field sensitivity is decided once per element and DOM state, not once per key.
  const generation = watchDomGeneration(doc);
  const offGeneration = useDomGeneration(() => generation.current());
  // Before any observer: password inputs are remembered before a "show password" toggle can run.
  const passwords = watchPasswordFields(doc);
  const teardowns: Teardown[] = [
    offGuard,
    offGeneration,
    () => generation.stop(),
    listen(doc, ['pointerdown', 'keydown', 'focusin'], (e) => passwords.noteEvent(e)),
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
