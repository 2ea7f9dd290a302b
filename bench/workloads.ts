/**
 * Scripted interaction workloads on the fixture apps (tests/fixtures/README.md has the ids). Each one
 * is what a person does in that app — typing into fields, clicking, menus by mouse and by keyboard,
 * pointer movement, scrolling — and ends with a check of the app's own end state, so a workload that
 * silently stopped doing its job is reported instead of producing flattering numbers.
 */
import type { Session } from './cdp';
import type { Input } from './input';

export interface Workload {
  name: string;
  /** Path on the fixture server. */
  path: string;
  what: string;
  run(input: Input): Promise<void>;
  /** Whether the app reached the state the script aims for; a string says what is wrong. */
  check(s: Session): Promise<true | string>;
}

async function appState<T>(s: Session): Promise<T> {
  return s.evaluate<T>('window.__state()');
}

export const FORM: Workload = {
  name: 'form',
  path: '/form/',
  what: 'three-step sign-up: 3 text fields, radios, check boxes, a select by keyboard, a range, a rich-text note, submit',
  async run(i) {
    await i.hover('h1');
    await i.click('#name');
    await i.type('Ada Lovelace');
    await i.press('Tab');
    await i.type('ada@example.com');
    await i.press('Tab');
    await i.type('+44 20 7946 0958');
    await i.click('#next');
    await i.click('#contact-post');
    await i.click('#interest-news');
    await i.click('#interest-events');
    await i.click('label[for="plan"]');
    await i.press('ArrowDown', 'ArrowDown');
    await i.click('#team-size');
    await i.click('#notes');
    await i.type('Prefers mornings, call after 10.');
    await i.click('#next');
    await i.click('#agree');
    await i.click('#submit');
  },
  async check(s) {
    const st = await appState<{ submitted: boolean; step: unknown }>(s);
    return st.submitted ? true : `form not submitted (step ${JSON.stringify(st.step)})`;
  },
};

export const MENUBAR: Workload = {
  name: 'menubar',
  path: '/menubar/',
  what: 'menubar by mouse (hover submenus) and keyboard, portal menu, toolbar, typing in a textarea, tabs, tree by keyboard, combobox, details, dialog, scrolling',
  async run(i) {
    // Mouse: File ▸ Recent ▸ doc1 (the submenu opens on hover).
    await i.click('#mb-file');
    await i.hover('#mi-recent');
    await i.think();
    await i.click('#mi-doc1');
    await i.click('#mb-edit');
    await i.click('#mi-undo');
    // Keyboard: open File, down to Export, into its submenu, choose PDF.
    await i.click('#mb-file');
    await i.press('ArrowDown', 'ArrowDown', 'ArrowRight', 'Enter');
    // Keyboard across the bar: View menu, toggle the ruler (Space keeps it open), Escape twice.
    await i.click('#mb-view');
    await i.press('Space', 'Escape', 'Escape');
    // Portal menu: More actions ▸ Move to ▸ Archive.
    await i.click('#tb-more');
    await i.hover('#pm-move');
    await i.think();
    await i.click('#pm-move-archive');
    await i.click('#tb-bold');
    await i.click('#tb-italic');
    await i.click('#doc');
    await i.press('End');
    await i.type(' revised for the board, see notes.');
    await i.click('#tab-2');
    await i.click('#ti-src');
    await i.press('ArrowRight', 'ArrowDown', 'ArrowRight', 'ArrowDown', 'Enter');
    await i.click('#tab-3');
    await i.click('#fruit');
    await i.type('Ba');
    await i.press('ArrowDown', 'Enter');
    await i.click('#advanced-summary');
    await i.click('#autosave');
    await i.click('#open-dialog');
    await i.press('Escape');
    await i.wheel(await i.center('#toolbar'), 120, 6);
    await i.wheel({ x: 600, y: 400 }, -120, 6);
  },
  async check(s) {
    const st = await appState<{ commands: string[]; combo: string; bold: boolean }>(s);
    const missing = ['File/Recent/doc1', 'Edit/Undo', 'More actions/Move to/Archive'].filter((c) => !st.commands.includes(c));
    return missing.length === 0 ? true : `menu commands missing: ${missing.join(', ')} (got ${st.commands.join(', ')})`;
  },
};

export const SCROLL: Workload = {
  name: 'scroll',
  path: '/scroll/',
  what: 'reading a long page: wheel scrolling of the page and of an inner log, PageDown, a fragment link back to the top, pointer movement',
  async run(i) {
    await i.hover('#dnd-bravo');
    await i.wheel({ x: 640, y: 400 }, 100, 12);
    await i.hover('#inner-scroll');
    await i.wheel(await i.center('#inner-scroll'), 60, 8);
    await i.click('#article-title');
    await i.press('PageDown', 'PageDown', 'PageDown');
    await i.wheel({ x: 640, y: 400 }, -100, 6);
    await i.click('#to-top');
    await i.wheel({ x: 300, y: 500 }, 100, 8);
  },
  async check(s) {
    const y = await s.evaluate<number>('scrollY');
    return y > 0 ? true : 'the page did not scroll';
  },
};

export const LARGE: Workload = {
  name: 'large',
  path: '/large/',
  what: '1,000-row orders grid (~18k nodes): filter typing, row check boxes, Open buttons, wheel scrolling, pointer over rows',
  async run(i) {
    await i.click('#filter');
    await i.type('Ada');
    await i.press('Backspace', 'Backspace', 'Backspace');
    await i.click('#select-3');
    await i.click('#select-7');
    await i.click('#open-5');
    await i.wheel({ x: 640, y: 500 }, 120, 15);
    await i.hover('#row-40 td:nth-child(3)');
    await i.hover('#row-48 td:nth-child(5)');
    await i.click('#open-44');
    await i.click('#select-45');
    await i.click('#row-46 td:nth-child(4)');
    await i.wheel({ x: 640, y: 500 }, 120, 15);
    await i.click('#open-400');
    await i.click('#select-401');
    await i.wheel({ x: 640, y: 500 }, -120, 10);
    await i.click('#clear-selection');
  },
  async check(s) {
    const st = await appState<{ opened: number | null; selected: number[] }>(s);
    return st.opened === 400 && st.selected.length === 0 ? true : `grid state unexpected: opened ${st.opened}, selected ${st.selected.join(',')}`;
  },
};

/** The interaction workload on realistic pages (the ≤ 2% target) and the large-DOM page. */
export const INTERACTION = [FORM, MENUBAR, SCROLL] as const;
export const ALL_WORKLOADS = [FORM, MENUBAR, SCROLL, LARGE] as const;
