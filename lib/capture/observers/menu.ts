/**
 * Menu navigation: opening and choosing in ARIA menus, listboxes, comboboxes, tabs, trees, native
 * selects, details/summary and dialogs. A chosen item carries its menu path, reconstructed from the
 * menu hierarchy by lib/describe/menu.
 */
import { isMenuOpener, menuContext } from '../../describe/menu';
import { eventTarget, listen, type CaptureContext, type Observer } from '../context';

const CHOOSABLE = new Set(['menuitem', 'menuitemcheckbox', 'menuitemradio', 'option', 'tab', 'treeitem']);

/** With aria-activedescendant (comboboxes, listboxes) the key goes to the input, the choice is elsewhere. */
function activeItem(el: Element): Element {
  const id = el.getAttribute('aria-activedescendant');
  if (!id) return el;
  const root = el.getRootNode() as Document | ShadowRoot;
  return root.getElementById?.(id) ?? el;
}

function choose(ctx: CaptureContext, el: Element) {
  const menu = menuContext(el);
  if (!menu) return false;
  const role = menu.item.getAttribute('role') ?? (menu.item.tagName === 'OPTION' ? 'option' : '');
  if (!CHOOSABLE.has(role)) return false;
  const seen = ctx.inspect(menu.item);
  if (!seen) return true;
  ctx.emit({ type: 'menu', action: 'select', widget: menu.widget, path: seen.masked ? [] : menu.path, target: seen.target });
  return true;
}

function reportOpener(ctx: CaptureContext, el: Element) {
  const opener = el.closest('[aria-haspopup],[aria-expanded],summary') ?? el;
  if (!isMenuOpener(opener)) return;
  const before = opener.getAttribute('aria-expanded');
  // The page's own handler runs after this capture-phase listener; read the outcome once it has.
  ctx.later(() => {
    const after = opener.getAttribute('aria-expanded');
    if (after === before || after === null) return;
    const seen = ctx.inspect(opener);
    if (!seen) return;
    const menu = menuContext(opener);
    ctx.emit({
      type: 'menu',
      action: after === 'true' ? 'open' : 'close',
      widget: menu?.widget ?? opener.getAttribute('aria-haspopup') ?? 'menu',
      path: seen.masked ? [] : (menu?.path ?? (seen.target.name ? [seen.target.name] : [])),
      target: seen.target,
    });
  }, 0);
}

export const initMenuObserver: Observer = (ctx) => {
  const offClick = listen(ctx.doc, ['click'], (e) => {
    const el = eventTarget(e);
    if (!el) return;
    if (!choose(ctx, el)) reportOpener(ctx, el);
  });
  const offKey = listen(ctx.doc, ['keydown'], (e) => {
    const ke = e as KeyboardEvent;
    const el = eventTarget(e);
    if (!el) return;
    if (ke.key === 'Enter' || ke.key === ' ') {
      if (!choose(ctx, activeItem(el))) reportOpener(ctx, el);
    } else if (ke.key === 'ArrowDown' || ke.key === 'ArrowUp' || ke.key === 'Escape') {
      reportOpener(ctx, el);
    }
  });
  const offChange = listen(ctx.doc, ['change'], (e) => {
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
    const name = label ? ctx.redactText((label.textContent ?? '').trim()).slice(0, 200) : seen.target.name;
    ctx.emit({
      type: 'menu',
      action: open ? 'open' : 'close',
      widget: el instanceof HTMLDetailsElement ? 'details' : 'dialog',
      path: seen.masked || !name ? [] : [name],
      target: seen.target,
    });
  });
  return () => {
    offClick();
    offKey();
    offChange();
    offToggle();
  };
};
