/**
 * One realistic recorded session (log in, work in a dashboard, search) used by both export tests.
 * Comments give what each export should make of the events.
 */
import { MASK } from '../../../lib/constants';
import type { CaptureEvent } from '../../../lib/schema/event';
import { click, event, NO_MODIFIERS, T0, target } from './helpers';

export const USERNAME = target('Username', { tag: 'input', role: 'textbox', attrs: { type: 'text' } });
export const PASSWORD = target('Password', {
  tag: 'input',
  role: 'textbox',
  name: undefined,
  selectors: [],
  masked: true,
  attrs: { type: 'password' },
});
export const SEARCH = target('Search', { tag: 'input', role: 'searchbox' });
export const LIST = target('Results', { tag: 'div', role: 'list' });
export const CELL = target('Cell', { tag: 'td', role: 'gridcell' });
export const ROW = target('Row 1', { tag: 'tr', role: 'row' });
export const PERIOD = target('Period', { tag: 'select', role: 'combobox' });
export const REMEMBER = target('Remember me', { tag: 'input', role: 'checkbox', attrs: { type: 'checkbox' } });
/** After the dashboard work: the reports page is typed into the address bar much later. */
export const LATER_MS = 60_000;

const key = (seq: number, k: string, t = USERNAME, extra: Record<string, unknown> = {}) =>
  event('key', seq, { key: k, modifiers: NO_MODIFIERS, masked: false, target: t, ...extra });
const input = (seq: number, value: string, t = USERNAME, extra: Record<string, unknown> = {}) =>
  event('input', seq, { target: t, value, masked: false, inputType: 'insertText', ...extra });
const later = (seq: number) => ({ ts: T0 + LATER_MS + seq * 100, url: 'https://app.example.com/reports' });

export function loginSession(): CaptureEvent[] {
  return [
    event('navigation', 1, {
      kind: 'load',
      url: 'https://app.example.com/login',
      title: 'Login',
      viewport: { width: 1280, height: 800, dpr: 2 },
    }),
    event('pointer', 2, { points: [[0, 0, 0], [40, 30, 75]] }),
    click(3, 'Username', { target: USERNAME }), // click
    event('focus', 4, { target: USERNAME }),
    key(5, 'a'), // typing keys: carried by the value
    input(6, 'a'),
    key(7, 'd'),
    input(8, 'ad'),
    key(9, 'Backspace'), // an editing key inside the edit: also carried by the value
    input(10, 'a'),
    key(11, 'l'),
    input(12, 'al'),
    event('change', 13, { target: USERNAME, value: 'al', masked: false }), // change "al"
    key(14, 'Tab'), // keyDown/keyUp Tab
    event('focus', 15, { target: PASSWORD }),
    event('key', 16, { key: MASK, modifiers: NO_MODIFIERS, masked: true, target: PASSWORD }), // nothing
    event('input', 17, { target: PASSWORD, masked: true }), // nothing
    event('change', 18, { target: PASSWORD, masked: true }), // nothing
    click(19, 'Sign in'), // click + assertedEvents (navigation to /dashboard)
    event('submit', 20, { target: target('Login form', { tag: 'form', role: 'form' }) }),
    event('navigation', 21, {
      kind: 'load',
      url: 'https://app.example.com/dashboard',
      title: 'Dashboard',
      viewport: { width: 1280, height: 800, dpr: 2 },
    }),
    event('scroll', 22, { x: 0, y: 100, dx: 0, dy: 100 }), // one page scroll, to y=400
    event('scroll', 23, { x: 0, y: 400, dx: 0, dy: 300 }),
    event('scroll', 24, { target: LIST, x: 0, y: 50, dx: 0, dy: 50 }), // container scroll
    event('contextmenu', 25, { target: ROW, button: 2, modifiers: NO_MODIFIERS, x: 5, y: 5, offsetX: 4, offsetY: 6 }),
    event('auxclick', 26, { target: ROW, button: 2, modifiers: NO_MODIFIERS, x: 5, y: 5, offsetX: 4, offsetY: 6 }),
    key(27, 'Escape', ROW), // keyDown/keyUp Escape
    event('menu', 28, { action: 'select', widget: 'menu', path: ['File', 'Export', 'PDF'], target: target('PDF') }),
    click(29, 'Cell', { target: CELL }), // click, click, dblclick: one doubleClick
    click(30, 'Cell', { target: CELL }),
    event('dblclick', 31, { target: CELL, button: 0, modifiers: NO_MODIFIERS, x: 1, y: 2, offsetX: 3, offsetY: 4 }),
    event('change', 32, { target: PERIOD, value: 'monthly', masked: false }), // change "monthly"
    click(33, 'Remember me', { target: REMEMBER }), // click; its change is replayed by the click
    event('change', 34, { target: REMEMBER, value: 'on', checked: true, masked: false }),
    key(35, 'k', LIST, { modifiers: { ...NO_MODIFIERS, ctrl: true }, chord: 'Ctrl+K' }), // Control+k
    event('capture', 36, { state: 'paused', until: T0 + 10_000 }),
    event('navigation', 37, { kind: 'load', title: 'Reports', ...later(37) }), // navigate (not caused by a click)
    event('focus', 38, { target: SEARCH, ...later(38) }),
    key(39, 'q', SEARCH, later(39)),
    input(40, 'q', SEARCH, later(40)),
    key(41, '3', SEARCH, later(41)),
    input(42, 'q3', SEARCH, later(42)), // change "q3"
    key(43, 'Enter', SEARCH, later(43)), // keyDown/keyUp Enter + assertedEvents (navigation)
    event('navigation', 44, { kind: 'load', title: 'Reports: q3', ...later(44), url: 'https://app.example.com/reports?q=q3' }),
  ];
}
