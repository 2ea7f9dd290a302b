/**
 * Navigation: the page load itself (with viewport and device pixel ratio, so a session can be replayed),
 * then in-app navigation from the Navigation API (push, replace, traverse, reload, hash) where the
 * browser has it, else popstate/hashchange. Event-driven only: an idle tab costs nothing.
 */
import { MAX_NAME_CHARS } from '../../constants';
import { privacyLevel } from '../../privacy';
import { listen, type CaptureContext, type Observer } from '../context';

type Kind = 'load' | 'reload' | 'push' | 'replace' | 'traverse' | 'hash';

interface NavigateEventLike extends Event {
  navigationType: 'push' | 'replace' | 'reload' | 'traverse';
  hashChange: boolean;
  destination: { url: string; sameDocument: boolean };
}

/**
 * The page title, unless a marker masks it: on `<title>` or above it, or the whole document's level
 * inherited from a marked cross-origin `<iframe>` (a masked frame's title is its text too).
 */
function titleOf(ctx: CaptureContext): string {
  const title = ctx.doc.title;
  if (!title) return '';
  const el = ctx.doc.querySelector('title') ?? ctx.doc.documentElement;
  const level = el ? privacyLevel(el, ctx.config.sensitiveSelectors) : 'none';
  return level === 'mask' || level === 'block' ? '' : title;
}

function emitNavigation(ctx: CaptureContext, kind: Kind, withViewport: boolean, url?: string) {
  const title = titleOf(ctx);
  ctx.emit(
    {
    type: 'navigation',
    kind,
    // At document_start the title is not parsed yet; it is left out rather than sent empty.
    ...(title ? { title: ctx.redactText(title).slice(0, MAX_NAME_CHARS) } : {}),
    ...(withViewport
      ? { viewport: { width: ctx.win.innerWidth, height: ctx.win.innerHeight, dpr: ctx.win.devicePixelRatio } }
      : {}),
    },
    url ? { url } : undefined,
  );
}

function loadKind(win: Window): Kind {
  const entry = win.performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  if (entry?.type === 'reload') return 'reload';
  if (entry?.type === 'back_forward') return 'traverse';
  return 'load';
}

/** Runs once per document when capture starts: the load (or the state the page was in when capture resumed). */
export function reportPageLoad(ctx: CaptureContext): void {
  emitNavigation(ctx, loadKind(ctx.win), true);
}

export const initNavigationObserver: Observer = (ctx) => {
  const nav = (ctx.win as Window & { navigation?: EventTarget }).navigation;
  const offShow = listen(ctx.win, ['pageshow'], (e) => {
    if ((e as PageTransitionEvent).persisted) emitNavigation(ctx, 'traverse', true);
  });
  if (nav) {
    const offNavigate = listen(nav, ['navigate'], (e) => {
      const ne = e as NavigateEventLike;
      // A new document reports itself when it loads; here only in-app navigation (pushState & co).
      if (!ne.destination.sameDocument) return;
      emitNavigation(ctx, ne.hashChange ? 'hash' : ne.navigationType, false, ne.destination.url);
    });
    return () => {
      offShow();
      offNavigate();
    };
  }
  const offFallback = listen(ctx.win, ['popstate', 'hashchange'], (e) => {
    emitNavigation(ctx, e.type === 'hashchange' ? 'hash' : 'traverse', false);
  });
  return () => {
    offShow();
    offFallback();
  };
};
