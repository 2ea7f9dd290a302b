/**
 * Menu navigation: opening and choosing in ARIA menus, listboxes, comboboxes, tabs, trees, native
 * selects, details/summary and dialogs. A chosen item carries its menu path, reconstructed from the
 * menu hierarchy by lib/describe/menu, and every path label is redacted like any other text.
 *
 * Choosing an item that opens a submenu (File in a menubar, Export in File) is an `open`, not a
 * `select`. Opens and closes are read from the page's own `aria-expanded` once its handler has run,
 * for the openers the action could have changed: the one under the pointer or focus, the openers of
 * the popups it sits in, and the other openers of its menu (switching menus). A submenu opened by
 * hovering its parent is reported with `trigger: 'hover'`, so that a replay hovers it too.
 */
import { menuContext, menuOpenerOf, openerChain, opensSubmenu } from '../../describe/menu';
import { accessibleName } from '../../describe/name';
import { eventTarget, listen, type CaptureContext, type Observer } from '../context';

const CHOOSABLE = new Set(['menuitem', 'menuitemcheckbox', 'menuitemradio', 'option', 'tab', 'treeitem']);
/** Keys that can move between tabs with automatic activation. */
const TAB_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End']);
/** Openers of one menu or menubar looked at per action (a menubar holds all its submenus). */
const MAX_SIBLING_OPENERS = 32;
const MAX_PATH_LABEL = 200;

type Trigger = 'click' | 'key' | 'hover';

/** With aria-activedescendant (comboboxes, listboxes) the key goes to the input, the choice is elsewhere. */
function activeItem(el: Element): Element {
  const id = el.getAttribute('aria-activedescendant');
  if (!id) return el;
  const root = el.getRootNode() as Document | ShadowRoot;
  return root.getElementById?.(id) ?? el;
}

function redactPath(ctx: CaptureContext, path: readonly string[]): string[] {
  return path.map((label) => ctx.redactText(label).slice(0, MAX_PATH_LABEL)).filter((label) => label.trim() !== '');
}

/** Emits a `select` for a chosen item; false when `el` is not a choosable item (or opens a submenu). */
function choose(ctx: CaptureContext, el: Element, trigger?: Trigger): boolean {
  const menu = menuContext(el);
  if (!menu) return false;
  const role = menu.item.getAttribute('role') ?? (menu.item.tagName === 'OPTION' ? 'option' : '');
  if (!CHOOSABLE.has(role) || opensSubmenu(menu.item)) return false;
  const seen = ctx.inspect(menu.item);
  if (!seen) return true;
  ctx.emit({
    type: 'menu',
    action: 'select',
    widget: menu.widget,
    path: seen.masked ? [] : redactPath(ctx, menu.path),
    target: seen.target,
    ...(trigger ? { trigger } : {}),
  });
  return true;
}

function emitOpenerState(ctx: CaptureContext, opener: Element, open: boolean, trigger: Trigger) {
  const seen = ctx.inspect(opener);
  if (!seen) return;
  const menu = menuContext(opener);
  const path = menu?.path ?? (seen.target.name ? [seen.target.name] : []);
  ctx.emit({
    type: 'menu',
    action: open ? 'open' : 'close',
    widget: menu?.widget ?? menuOpenerOf(opener)?.widget ?? 'menu',
    path: seen.masked ? [] : redactPath(ctx, path),
    target: seen.target,
    trigger,
  });
}

/** The opener at or just around `el` that declares its state with aria-expanded. */
function ownOpener(el: Element): Element | undefined {
  const found = menuOpenerOf(el)?.opener;
  return found && found.hasAttribute('aria-expanded') ? found : undefined;
}

/** The openers whose state an action on `el` can change. */
function openersFor(el: Element): Element[] {
  const out = new Set<Element>();
  const own = ownOpener(el);
  if (own) out.add(own);
  const chain = openerChain(own ?? el);
  for (const o of chain) if (o.hasAttribute('aria-expanded')) out.add(o);
  // The other openers of the menus and the menubar around it: a key or click may switch menus (Right
  // Arrow on a last-level item moves to the next menubar menu and opens it).
  const containers = new Set<Element>();
  for (const at of [own ?? el, ...chain]) {
    const c = at.closest('[role="menubar"],[role="menu"]');
    if (c) containers.add(c);
  }
  let n = 0;
  for (const c of containers) {
    for (const o of c.querySelectorAll('[aria-expanded]')) {
      if (++n > MAX_SIBLING_OPENERS) return [...out];
      out.add(o);
    }
  }
  return [...out];
}

export const initMenuObserver: Observer = (ctx) => {
  // Openers whose aria-expanded is read again once the page has handled the current action, and tab
  // lists whose selected tab is. Read by a zero-delay timer, or at the start of the next action,
  // whichever comes first: the browser runs queued input before timers, and the outcome of one action
  // must be reported before the next action is.
  const pending = new Map<Element, { before: string | null; trigger: Trigger }>();
  const pendingTabs = new Map<Element, Element | null>();
  let scheduled = false;

  const settle = () => {
    scheduled = false;
    if (pending.size === 0 && pendingTabs.size === 0) return;
    const entries = [...pending];
    pending.clear();
    for (const [opener, { before, trigger }] of entries) {
      const after = opener.getAttribute('aria-expanded');
      if (after === before || after === null || !opener.isConnected) continue;
      emitOpenerState(ctx, opener, after === 'true', trigger);
    }
    const tabLists = [...pendingTabs];
    pendingTabs.clear();
    for (const [list, before] of tabLists) {
      const after = list.querySelector('[role="tab"][aria-selected="true"]');
      if (after && after !== before) choose(ctx, after, 'key');
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    // The page's own handler runs after this capture-phase listener: read the outcome once it has.
    ctx.later(settle, 0);
  };

  const watch = (openers: readonly Element[], trigger: Trigger) => {
    if (openers.length === 0) return;
    for (const o of openers) {
      const known = pending.get(o);
      // A click or key in the same turn as a hover is what a replay must repeat.
      if (known) {
        if (trigger !== 'hover') known.trigger = trigger;
      } else {
        pending.set(o, { before: o.getAttribute('aria-expanded'), trigger });
      }
    }
    schedule();
  };

  // Tabs with automatic activation: arrows select a tab without a click or Enter.
  const watchTabs = (el: Element) => {
    const tab = el.closest('[role="tab"]');
    const list = tab?.closest('[role="tablist"]');
    if (!tab || !list || pendingTabs.has(list)) return;
    pendingTabs.set(list, list.querySelector('[role="tab"][aria-selected="true"]'));
    schedule();
  };

  const offClick = listen(ctx.doc, ['click'], (e) => {
    settle();
    const el = eventTarget(e);
    if (!el) return;
    if (!choose(ctx, el, 'click')) watch(openersFor(el), 'click');
  });
  const offKey = listen(ctx.doc, ['keydown'], (e) => {
    settle();
    const ke = e as KeyboardEvent;
    if (ke.isComposing) return;
    const el = eventTarget(e);
    if (!el) return;
    if ((ke.key === 'Enter' || ke.key === ' ') && choose(ctx, activeItem(el), 'key')) return;
    if (TAB_KEYS.has(ke.key)) watchTabs(el);
    watch(openersFor(el), 'key');
  });
  // Hover opens submenus (and switches menubar menus while one is open). Cheap when it does not apply:
  // one closest() per element the pointer enters.
  const offHover = listen(ctx.doc, ['pointerover'], (e) => {
    if (scheduled) settle();
    const el = eventTarget(e);
    const opener = el?.closest('[aria-haspopup]:not([aria-haspopup="false"])');
    if (!opener || opener.getAttribute('aria-expanded') === 'true' || !ownOpener(opener)) return;
    watch([opener], 'hover');
  });
  const offChange = listen(ctx.doc, ['change'], (e) => {
    settle();
    const el = eventTarget(e);
    if (!(el instanceof HTMLSelectElement)) return;
    const option = el.selectedOptions[0];
    if (option) choose(ctx, option);
  });
  // toggle and close do not bubble; capture-phase listeners on the document still see them. A dialog
  // may fire both on closing: report each state once.
  const reported = new WeakMap<Element, boolean>();
  const offToggle = listen(ctx.doc, ['toggle', 'close'], (e) => {
    const el = e.target as Element | null;
    if (!el || !(el instanceof HTMLDetailsElement || el instanceof HTMLDialogElement)) return;
    const seen = ctx.inspect(el);
    if (!seen) return;
    const open = el.open;
    if (reported.get(el) === open) return;
    reported.set(el, open);
    const label = el instanceof HTMLDetailsElement ? el.querySelector(':scope > summary') : undefined;
    // The summary's name, not its raw text: marked text inside it is left out (lib/describe/guard).
    const name = label ? accessibleName(label).trim() : (seen.target.name ?? '');
    ctx.emit({
      type: 'menu',
      action: open ? 'open' : 'close',
      widget: el instanceof HTMLDetailsElement ? 'details' : 'dialog',
      path: seen.masked || !name ? [] : redactPath(ctx, [name]),
      target: seen.target,
    });
  });
  return () => {
    offClick();
    offKey();
    offHover();
    offChange();
    offToggle();
    pending.clear();
    pendingTabs.clear();
  };
};
