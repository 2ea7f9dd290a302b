// WAI-ARIA menus following the APG menubar and menu-button patterns.
// Markup contract:
//   role=menubar > li[role=none] > [role=menuitem][aria-haspopup=menu][aria-controls=<menu id>] + ul[role=menu]
//   role=menu    > li[role=none] > [role=menuitem|menuitemcheckbox|menuitemradio], optionally wrapped in
//                  ul[role=group]; a submenu parent is a menuitem with aria-haspopup/aria-controls.
//   A menu button outside any menubar: button[aria-haspopup=menu][aria-controls=<id>]; with
//   data-portal-template=<template id> its menu is cloned to the end of <body> when opened and removed
//   when closed (how Radix/MUI portals behave).
// Every chosen item calls onCommand({ path, role, checked, item }), path being the labels from the
// menubar (or menu button) down to the item, e.g. ["File", "Export", "PDF"].
// (Copy of tests/fixtures/apps/menubar/menus.js: the demo app stays self-contained.)

const ITEM = '[role="menuitem"],[role="menuitemcheckbox"],[role="menuitemradio"]';
const MENU_OR_BAR = '[role="menu"],[role="menubar"]';

export function initMenus({ onCommand = () => {}, onChange = () => {} } = {}) {
  /** @type {HTMLElement | null} the open top-level menu (one at a time on the page) */
  let openRoot = null;

  const all = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  const ownerMenu = (el) => (el.parentElement ? el.parentElement.closest(MENU_OR_BAR) : null);
  const isRole = (el, role) => !!el && el.getAttribute('role') === role;
  const itemsOf = (menu) => all(ITEM, menu).filter((el) => ownerMenu(el) === menu);
  const hasPopup = (el) => ['menu', 'true'].includes(el.getAttribute('aria-haspopup') || '');
  const submenuOf = (el) => {
    const id = el.getAttribute('aria-controls');
    return id ? document.getElementById(id) : null;
  };
  const invokerOf = (menu) => (menu.id ? document.querySelector(`[aria-controls="${CSS.escape(menu.id)}"]`) : null);
  const disabled = (el) => el.getAttribute('aria-disabled') === 'true';

  function textOf(el) {
    let s = '';
    for (const n of el.childNodes) {
      if (n.nodeType === Node.TEXT_NODE) s += n.data;
      else if (n.nodeType === Node.ELEMENT_NODE && n.getAttribute('aria-hidden') !== 'true') s += textOf(n);
    }
    return s;
  }
  const labelOf = (el) => (el.getAttribute('aria-label') || textOf(el)).replace(/\s+/g, ' ').trim();

  function pathOf(item) {
    const path = [labelOf(item)];
    let menu = ownerMenu(item);
    while (isRole(menu, 'menu')) {
      const inv = invokerOf(menu);
      if (!inv) break;
      path.unshift(labelOf(inv));
      menu = ownerMenu(inv);
    }
    return path;
  }

  /** The menubar item or menu button that opened the chain `menu` belongs to. */
  function rootInvokerOf(menu) {
    let inv = invokerOf(menu);
    while (inv) {
      const m = ownerMenu(inv);
      if (!m || isRole(m, 'menubar')) return inv;
      inv = invokerOf(m);
    }
    return null;
  }
  function menubarOf(menu) {
    const root = rootInvokerOf(menu);
    const bar = root ? ownerMenu(root) : null;
    return isRole(bar, 'menubar') ? bar : null;
  }

  function ensureMenu(invoker) {
    let menu = submenuOf(invoker);
    const tplId = invoker.getAttribute('data-portal-template');
    if (!menu && tplId) {
      const tpl = document.getElementById(tplId);
      const portal = tpl && tpl.content.firstElementChild ? tpl.content.firstElementChild.cloneNode(true) : null;
      if (portal) {
        portal.setAttribute('data-portal', '');
        document.body.append(portal);
        menu = submenuOf(invoker);
      }
    }
    return menu;
  }

  function placePortal(menu, invoker) {
    const portal = menu.closest('[data-portal]');
    if (!portal || ownerMenu(invoker)) return;
    const r = invoker.getBoundingClientRect();
    portal.style.position = 'absolute';
    portal.style.left = `${Math.round(r.left + window.scrollX)}px`;
    portal.style.top = `${Math.round(r.bottom + window.scrollY + 2)}px`;
  }

  function focusIn(menu, which) {
    const items = itemsOf(menu);
    const target = which === 'last' ? items[items.length - 1] : which === 'first' ? items[0] : null;
    if (target) target.focus();
  }

  function openMenu(invoker, which = null) {
    const menu = ensureMenu(invoker);
    if (!menu) return null;
    const parent = ownerMenu(invoker);
    if (!isRole(parent, 'menu')) {
      if (openRoot && openRoot !== menu) closeMenu(openRoot);
      openRoot = menu;
    } else {
      for (const sib of itemsOf(parent)) {
        if (sib !== invoker && sib.getAttribute('aria-expanded') === 'true') {
          const m = submenuOf(sib);
          if (m) closeMenu(m);
        }
      }
    }
    const wasOpen = !menu.hidden && invoker.getAttribute('aria-expanded') === 'true';
    menu.hidden = false;
    invoker.setAttribute('aria-expanded', 'true');
    placePortal(menu, invoker);
    focusIn(menu, which);
    if (!wasOpen) onChange({ type: 'open', path: pathOf(invoker) });
    return menu;
  }

  function closeMenu(menu) {
    for (const it of itemsOf(menu)) {
      if (it.getAttribute('aria-expanded') === 'true') {
        const m = submenuOf(it);
        if (m) closeMenu(m);
      }
    }
    const inv = invokerOf(menu);
    const wasOpen = !menu.hidden;
    menu.hidden = true;
    if (inv) inv.setAttribute('aria-expanded', 'false');
    if (menu === openRoot) {
      openRoot = null;
      const portal = menu.closest('[data-portal]');
      if (portal) portal.remove();
    }
    if (wasOpen && inv) onChange({ type: 'close', path: pathOf(inv) });
  }

  function closeAll() {
    if (openRoot) closeMenu(openRoot);
  }

  function activate(item, keepOpen = false) {
    if (disabled(item)) return;
    if (hasPopup(item)) {
      openMenu(item, 'first');
      return;
    }
    const role = item.getAttribute('role');
    if (role === 'menuitemcheckbox') {
      item.setAttribute('aria-checked', String(item.getAttribute('aria-checked') !== 'true'));
    } else if (role === 'menuitemradio') {
      const group = item.parentElement.closest('[role="group"],[role="menu"]');
      for (const r of all('[role="menuitemradio"]', group)) r.setAttribute('aria-checked', String(r === item));
    }
    const path = pathOf(item);
    const root = openRoot ? rootInvokerOf(openRoot) : null;
    if (!keepOpen || !openRoot) {
      closeAll();
      if (root) root.focus();
    }
    onCommand({ path, role, checked: item.getAttribute('aria-checked') === 'true', item });
  }

  function moveInBar(bar, to, open, which = null) {
    closeAll();
    for (const it of itemsOf(bar)) it.tabIndex = it === to ? 0 : -1;
    to.focus();
    if (open && hasPopup(to)) openMenu(to, which);
  }

  function byChar(items, from, key) {
    if (key.length !== 1 || !/\S/.test(key)) return null;
    const k = key.toLowerCase();
    for (let n = 1; n <= items.length; n++) {
      const it = items[(from + n) % items.length];
      if (it && labelOf(it).toLowerCase().startsWith(k)) return it;
    }
    return null;
  }

  function barKey(e, item, bar) {
    const items = itemsOf(bar);
    const i = items.indexOf(item);
    const anyOpen = !!openRoot && menubarOf(openRoot) === bar;
    const step = (d) => items[(i + d + items.length) % items.length];
    switch (e.key) {
      case 'ArrowRight':
        moveInBar(bar, step(1), anyOpen);
        break;
      case 'ArrowLeft':
        moveInBar(bar, step(-1), anyOpen);
        break;
      case 'Home':
        moveInBar(bar, items[0], false);
        break;
      case 'End':
        moveInBar(bar, items[items.length - 1], false);
        break;
      case 'ArrowDown':
      case 'Enter':
      case ' ':
        if (hasPopup(item)) openMenu(item, 'first');
        else activate(item);
        break;
      case 'ArrowUp':
        if (!hasPopup(item)) return;
        openMenu(item, 'last');
        break;
      case 'Escape':
        if (!anyOpen) return;
        closeAll();
        item.focus();
        break;
      default: {
        const to = byChar(items, i, e.key);
        if (!to) return;
        moveInBar(bar, to, false);
      }
    }
    e.preventDefault();
  }

  function menuKey(e, item, menu) {
    const items = itemsOf(menu);
    const i = items.indexOf(item);
    const inv = invokerOf(menu);
    const invParent = inv ? ownerMenu(inv) : null;
    const role = item.getAttribute('role');
    const focusAt = (idx) => {
      const it = items[(idx + items.length) % items.length];
      if (it) it.focus();
    };
    const bar = menubarOf(menu);
    const jumpBar = (d) => {
      if (!bar) return;
      const top = rootInvokerOf(menu);
      const bi = itemsOf(bar);
      const to = bi[(bi.indexOf(top) + d + bi.length) % bi.length];
      if (to) moveInBar(bar, to, true, 'first');
    };
    switch (e.key) {
      case 'ArrowDown':
        focusAt(i + 1);
        break;
      case 'ArrowUp':
        focusAt(i - 1);
        break;
      case 'Home':
        focusAt(0);
        break;
      case 'End':
        focusAt(items.length - 1);
        break;
      case 'ArrowRight':
        if (hasPopup(item)) openMenu(item, 'first');
        else jumpBar(1);
        break;
      case 'ArrowLeft':
        if (isRole(invParent, 'menu')) {
          closeMenu(menu);
          inv.focus();
        } else {
          jumpBar(-1);
        }
        break;
      case 'Enter':
        activate(item);
        break;
      case ' ':
        activate(item, role === 'menuitemcheckbox' || role === 'menuitemradio');
        break;
      case 'Escape':
        closeMenu(menu);
        if (inv) inv.focus();
        break;
      case 'Tab': {
        // Let the browser move focus on from the menubar item / menu button, as if the menu were not there.
        const root = rootInvokerOf(menu);
        closeAll();
        if (root) root.focus();
        return;
      }
      default: {
        const to = byChar(items, i, e.key);
        if (!to) return;
        to.focus();
      }
    }
    e.preventDefault();
  }

  function buttonKey(e, button) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const which = e.key === 'ArrowDown' ? 'first' : 'last';
      if (button.getAttribute('aria-expanded') === 'true') {
        const m = submenuOf(button);
        if (m) focusIn(m, which);
      } else {
        openMenu(button, which);
      }
      e.preventDefault();
    } else if (e.key === 'Escape' && button.getAttribute('aria-expanded') === 'true') {
      closeAll();
      e.preventDefault();
    }
    // Enter and Space reach the click handler through the button's own activation.
  }

  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target;
    if (!(t instanceof Element)) return;
    const el = t.closest(`${ITEM},[aria-haspopup="menu"]`);
    if (!el) return;
    const parent = ownerMenu(el);
    if (isRole(parent, 'menubar')) barKey(e, el, parent);
    else if (isRole(parent, 'menu')) menuKey(e, el, parent);
    else if (el.matches('[aria-haspopup="menu"]')) buttonKey(e, el);
  });

  document.addEventListener('click', (e) => {
    const t = e.target;
    if (!(t instanceof Element)) return;
    const el = t.closest(`${ITEM},[aria-haspopup="menu"]`);
    if (!el) return;
    const parent = ownerMenu(el);
    const fromKeyboard = e.detail === 0;
    if (isRole(parent, 'menubar')) {
      if (el.getAttribute('aria-expanded') === 'true') {
        closeAll();
        el.focus();
      } else if (hasPopup(el)) {
        moveInBar(parent, el, true, fromKeyboard ? 'first' : null);
      } else {
        activate(el);
      }
    } else if (isRole(parent, 'menu')) {
      if (hasPopup(el)) openMenu(el, fromKeyboard ? 'first' : null);
      else activate(el);
    } else if (el.matches('[aria-haspopup="menu"]')) {
      if (el.getAttribute('aria-expanded') === 'true') closeAll();
      else openMenu(el, fromKeyboard ? 'first' : null);
    }
  });

  document.addEventListener('pointerover', (e) => {
    const t = e.target;
    if (!(t instanceof Element)) return;
    const el = t.closest(ITEM);
    if (!el) return;
    const parent = ownerMenu(el);
    if (isRole(parent, 'menubar')) {
      // Hovering another menubar item while a menu of this bar is open switches menus.
      if (openRoot && menubarOf(openRoot) === parent && rootInvokerOf(openRoot) !== el) moveInBar(parent, el, true);
    } else if (isRole(parent, 'menu') && !parent.hidden) {
      el.focus();
      if (hasPopup(el) && !disabled(el)) {
        openMenu(el, null);
      } else {
        for (const sib of itemsOf(parent)) {
          if (sib.getAttribute('aria-expanded') === 'true') {
            const m = submenuOf(sib);
            if (m) closeMenu(m);
          }
        }
      }
    }
  });

  document.addEventListener('pointerdown', (e) => {
    const t = e.target;
    if (!openRoot || !(t instanceof Element)) return;
    if (!t.closest(`${MENU_OR_BAR},[aria-haspopup="menu"]`)) closeAll();
  });

  // Keep the roving tabindex on whichever menubar item has focus, however it got there.
  document.addEventListener('focusin', (e) => {
    const t = e.target;
    if (!(t instanceof Element) || !t.matches(ITEM)) return;
    const bar = ownerMenu(t);
    if (!isRole(bar, 'menubar')) return;
    for (const it of itemsOf(bar)) it.tabIndex = it === t ? 0 : -1;
  });

  document.addEventListener('focusout', (e) => {
    const to = e.relatedTarget;
    if (!openRoot || !(to instanceof Element)) return;
    if (!to.closest(MENU_OR_BAR) && to !== rootInvokerOf(openRoot)) closeAll();
  });

  return { closeAll, pathOf };
}
