/**
 * What both exports need to know about a tab's event stream before mapping it to actions: which
 * input events are superseded (only the final value of a field edit matters), which keystrokes merely
 * edited a field's text (the value carries them), and which events can cause a page load.
 */
import type { CaptureEvent, Target } from '../lib/schema/event';

/** Identity of a field across events: its selectors, or its tag and box when they were withheld. */
export function fieldKey(target: Target | undefined): string | undefined {
  if (target === undefined) return undefined;
  if (target.selectors.length > 0) return JSON.stringify(target.selectors);
  const { x, y, w, h } = target.box;
  return `${target.tag}@${x},${y},${w},${h}`;
}

export function sameSelectors(a: string[][] | undefined, b: string[][] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

export interface EditAnalysis {
  /** `input` events followed, within the same edit, by a newer value for the same field. */
  supersededInputIds: Set<string>;
  /** Keystrokes that typed into a field: replaying the field's value replays them. */
  editingKeyIds: Set<string>;
  /**
   * For an event carrying a field's value (input or change), the last keystroke that typed it, when
   * the value was reported later than the action keys that followed the typing. The content script may
   * report a value only once it settles (on change or blur: a half-typed value is withheld), which is
   * after the Enter or Tab that ended the typing; a replay must set the value where the typing ended.
   */
  typedBy: Map<string, CaptureEvent>;
  /**
   * `input` events a shortcut made (Ctrl+V pasting, Ctrl+X cutting): replaying the shortcut makes them
   * again, with the clipboard's full content. Their value may be incomplete (the content script withholds
   * the unfinished tail of a value while the field has focus), so it must not be set on top.
   */
  shortcutInputIds: Set<string>;
}

/** Input types that a clipboard shortcut produces. */
const SHORTCUT_INPUT_TYPES: ReadonlySet<string> = new Set(['insertFromPaste', 'deleteByCut']);

/** Signals that never end a field edit (the pointer moving or a tab flicker does not blur a field). */
const TRANSPARENT_TYPES: ReadonlySet<CaptureEvent['type']> = new Set(['pointer', 'visibility']);

/** DOM `key` values of the modifier keys: pressed alone they act only through the next key's chord. */
export const MODIFIER_KEYS: ReadonlySet<string> = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock']);

/** Keys that only edit text in a text field (the content script writes typed characters as `[text]`). */
const TYPING_KEYS: ReadonlySet<string> = new Set(['[text]', '[digit]', 'Backspace', 'Delete']);
const TEXT_INPUT_TYPES: ReadonlySet<string> = new Set(['', 'text', 'search', 'email', 'tel', 'url', 'password', 'number']);

type KeyEvent = Extract<CaptureEvent, { type: 'key' }>;

function isModifierOnly(event: CaptureEvent): boolean {
  return event.type === 'key' && MODIFIER_KEYS.has(event.key);
}

/** A field people type text into: text-like inputs, textareas, contenteditable (role textbox). */
export function isTextField(target: Target | undefined): boolean {
  if (target === undefined) return false;
  if (target.tag === 'textarea') return true;
  if (target.tag === 'input') return TEXT_INPUT_TYPES.has((target.attrs?.type ?? 'text').toLowerCase());
  return target.role === 'textbox' || target.role === 'searchbox';
}

/** Enter types a line break here (textarea, contenteditable) instead of submitting. */
function isMultiline(target: Target | undefined): boolean {
  return target !== undefined && (target.tag === 'textarea' || (target.tag !== 'input' && target.role === 'textbox'));
}

/**
 * A shortcut (Ctrl/Meta with a key: Ctrl+X, Ctrl+V, Ctrl+A) acts through the browser or the page (cut,
 * paste, select all) even when it also changes a field: the field's value cannot replay the action
 * (the page sees no cut or paste), so the key is kept. Ctrl+Alt is AltGr on Windows, which types text.
 */
function isShortcut(event: KeyEvent): boolean {
  const { ctrl, meta, alt } = event.modifiers;
  return (ctrl || meta) && !(ctrl && alt);
}

/** A keystroke that typed into a text field (a character, Backspace, Delete, Enter in a textarea). */
function typesText(event: KeyEvent): boolean {
  if (isShortcut(event) || !isTextField(event.target)) return false;
  if (TYPING_KEYS.has(event.key) || [...event.key].length === 1) return true;
  return event.key === 'Enter' && isMultiline(event.target);
}

function nextSignificant(events: readonly CaptureEvent[], from: number) {
  for (let j = from; j < events.length; j++) {
    const candidate = events[j];
    if (candidate && !TRANSPARENT_TYPES.has(candidate.type) && !isModifierOnly(candidate)) return candidate;
  }
  return undefined;
}

/**
 * A field's settled value as the content script reports it when the field changes or is left: the change
 * event, or the input event carrying the whole value just before it (no inputType: no typing made it).
 */
function isSettledValue(event: CaptureEvent | undefined, field: string | undefined): boolean {
  if (event === undefined || field === undefined || fieldKey('target' in event ? event.target : undefined) !== field) return false;
  if (event.type === 'change') return event.value !== undefined;
  return event.type === 'input' && event.inputType === undefined && event.value !== undefined;
}

/** `events` must be one tab's events in seq order. */
export function analyseEdits(events: readonly CaptureEvent[]): EditAnalysis {
  const editingKeyIds = new Set<string>();
  events.forEach((event, i) => {
    if (event.type !== 'key' || event.masked) return;
    if (typesText(event)) {
      editingKeyIds.add(event.id);
      return;
    }
    // A character typed into something not known to be a text field (a custom editor): the input it
    // produced right away says it was typing.
    if (isShortcut(event) || [...event.key].length !== 1) return;
    const next = nextSignificant(events, i + 1);
    const keyField = fieldKey(event.target);
    if (next?.type === 'input' && (keyField === undefined || keyField === fieldKey(next.target))) {
      editingKeyIds.add(event.id);
    }
  });

  const supersededInputIds = new Set<string>();
  events.forEach((event, i) => {
    if (event.type !== 'input') return;
    const field = fieldKey(event.target);
    // Typing into the field, re-focusing or clicking it, and keys pressed in it after more typing
    // happen inside one edit. Anything else (a click elsewhere, another field), or an action key (Enter,
    // Tab) right after this value, ends the edit: the value reached so far must be kept.
    let typedSince = false;
    for (let j = i + 1; j < events.length; j++) {
      const e = events[j]!;
      if (TRANSPARENT_TYPES.has(e.type) || isModifierOnly(e)) continue;
      const same = fieldKey('target' in e ? e.target : undefined) === field;
      if (e.type === 'key' && editingKeyIds.has(e.id) && (same || e.target === undefined)) {
        typedSince = true;
        continue;
      }
      if (e.type === 'key' && same && typedSince) continue;
      // The key that ended the typing (Enter, Tab) right after this value, then the field's settled value
      // with no typing in between: this value went out while the person was still typing (its unfinished
      // tail withheld, sent before the key), and the settled one is the same edit's value.
      if (e.type === 'key' && same && !e.masked && isSettledValue(nextSignificant(events, j + 1), field)) {
        supersededInputIds.add(event.id);
        break;
      }
      if ((e.type === 'focus' || e.type === 'click') && same) continue;
      if (same && (e.type === 'input' || (e.type === 'change' && (e.value !== undefined || e.masked)))) {
        supersededInputIds.add(event.id);
      }
      break;
    }
  });

  const typedBy = new Map<string, CaptureEvent>();
  const lastTyping = new Map<string, { key: CaptureEvent; index: number }>();
  events.forEach((event, i) => {
    if (event.type === 'key' && editingKeyIds.has(event.id)) {
      const field = fieldKey(event.target);
      if (field !== undefined) lastTyping.set(field, { key: event, index: i });
      return;
    }
    if (event.type !== 'input' && event.type !== 'change') return;
    if (event.type === 'input' && supersededInputIds.has(event.id)) return;
    const field = fieldKey(event.target);
    const typed = field === undefined ? undefined : lastTyping.get(field);
    if (field === undefined || typed === undefined) return;
    lastTyping.delete(field);
    // Only worth moving when something a replay acts on (Enter, Tab, a click) came in between.
    const acts = (e: CaptureEvent): boolean => {
      switch (e.type) {
        case 'click':
        case 'dblclick':
        case 'contextmenu':
        case 'auxclick':
        case 'scroll':
        case 'navigation':
        case 'change':
          return true;
        case 'key':
          return !e.masked && !editingKeyIds.has(e.id) && !isModifierOnly(e);
        case 'input':
          return !supersededInputIds.has(e.id);
        case 'menu':
          return e.action === 'open' && e.trigger === 'hover';
        default:
          return false;
      }
    };
    if (events.slice(typed.index + 1, i).some(acts)) typedBy.set(event.id, typed.key);
  });
  const shortcutInputIds = new Set<string>();
  events.forEach((event, i) => {
    if (event.type !== 'input' || !event.inputType || !SHORTCUT_INPUT_TYPES.has(event.inputType)) return;
    for (let j = i - 1; j >= 0; j--) {
      const e = events[j]!;
      if (TRANSPARENT_TYPES.has(e.type) || isModifierOnly(e) || e.type === 'clipboard') continue;
      const field = fieldKey(e.type === 'key' ? e.target : undefined);
      if (e.type === 'key' && isShortcut(e) && !e.masked && (field === undefined || field === fieldKey(event.target))) {
        shortcutInputIds.add(event.id);
      }
      break;
    }
  });
  return { supersededInputIds, editingKeyIds, typedBy, shortcutInputIds };
}

/** Checkboxes, radios and file pickers are replayed by their clicks, not by a value. */
export function isToggleOrFile(event: CaptureEvent): boolean {
  if (event.type !== 'input' && event.type !== 'change') return false;
  if (event.type === 'change' && (event.checked !== undefined || event.files !== undefined)) return true;
  const inputType = event.target.attrs?.type?.toLowerCase();
  return inputType === 'checkbox' || inputType === 'radio' || inputType === 'file';
}

/**
 * Whether the event happened in the tab's top document. Child frames report their own loads (with a
 * frame path, and a browser frame id other than 0); those are caused by the page, not navigations of
 * the tab.
 */
export function isTopFrame(event: CaptureEvent): boolean {
  return (event.framePath?.length ?? 0) === 0 && event.frame <= 0;
}

/**
 * A full page load of the tab's top document, as opposed to an in-app (history API) navigation. Back/forward to another document
 * counts too: the content script reports it as `traverse` with a viewport, which same-document
 * traversals never carry, and a replay must land on that page.
 */
export function isPageLoad(event: CaptureEvent): boolean {
  if (event.type !== 'navigation' || !isTopFrame(event)) return false;
  return event.kind === 'load' || event.kind === 'reload' || (event.kind === 'traverse' && event.viewport !== undefined);
}

/**
 * A tab's events in the order they happened. Each frame's content script sends its own batches, so seq
 * (the order the background stored them in) can put a child frame's click before the parent's earlier
 * one; each frame's own events keep their seq order and frames are interleaved by time.
 */
export function inTimeOrder<T>(items: readonly T[], eventOf: (item: T) => CaptureEvent): T[] {
  const queues = new Map<string, T[]>();
  for (const item of items) {
    const e = eventOf(item);
    const key = `${e.frame}\u0000${(e.framePath ?? []).join('.')}`;
    let queue = queues.get(key);
    if (!queue) queues.set(key, (queue = []));
    queue.push(item);
  }
  if (queues.size <= 1) return [...items];
  const lists = [...queues.values()];
  const heads = lists.map(() => 0);
  const out: T[] = [];
  for (;;) {
    let best = -1;
    for (let q = 0; q < lists.length; q++) {
      const item = lists[q]![heads[q]!];
      if (item === undefined) continue;
      if (best < 0) {
        best = q;
        continue;
      }
      const a = eventOf(item);
      const b = eventOf(lists[best]![heads[best]!]!);
      if (a.ts < b.ts || (a.ts === b.ts && a.seq < b.seq)) best = q;
    }
    if (best < 0) return out;
    out.push(lists[best]![heads[best]!]!);
    heads[best]!++;
  }
}

/** Splits events (already ordered by install and seq) into per-tab streams, keeping seq order. */
export function groupByInstallAndTab<T extends { installId: string; event: CaptureEvent }>(rows: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = `${row.installId}\u0000${row.event.tab}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(row);
  }
  return [...groups.values()];
}
