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
  /** Keystrokes that produced an `input` on the same field: replaying the value replays them. */
  editingKeyIds: Set<string>;
}

/** Signals that never end a field edit (the pointer moving or a tab flicker does not blur a field). */
const TRANSPARENT_TYPES: ReadonlySet<CaptureEvent['type']> = new Set(['pointer', 'visibility']);

/** DOM `key` values of the modifier keys: pressed alone they act only through the next key's chord. */
export const MODIFIER_KEYS: ReadonlySet<string> = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock']);

function isModifierOnly(event: CaptureEvent): boolean {
  return event.type === 'key' && MODIFIER_KEYS.has(event.key);
}

function nextSignificant(events: readonly CaptureEvent[], from: number, skip: (e: CaptureEvent) => boolean) {
  for (let j = from; j < events.length; j++) {
    const candidate = events[j];
    if (candidate && !TRANSPARENT_TYPES.has(candidate.type) && !isModifierOnly(candidate) && !skip(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

/**
 * A shortcut (Ctrl/Meta with a key: Ctrl+X, Ctrl+V, Ctrl+A) acts through the browser or the page (cut,
 * paste, select all) even when it also changes a field: the field's value cannot replay the action
 * (the page sees no cut or paste), so the key is kept. Ctrl+Alt is AltGr on Windows, which types text.
 */
function isShortcut(event: Extract<CaptureEvent, { type: 'key' }>): boolean {
  const { ctrl, meta, alt } = event.modifiers;
  return (ctrl || meta) && !(ctrl && alt);
}

/** `events` must be one tab's events in seq order. */
export function analyseEdits(events: readonly CaptureEvent[]): EditAnalysis {
  const editingKeyIds = new Set<string>();
  // Keys are reported on keydown, so a keystroke that edits a field is directly followed by its input.
  events.forEach((event, i) => {
    if (event.type !== 'key' || isShortcut(event)) return;
    const next = nextSignificant(events, i + 1, () => false);
    const keyField = fieldKey(event.target);
    if (next?.type === 'input' && (keyField === undefined || keyField === fieldKey(next.target))) {
      editingKeyIds.add(event.id);
    }
  });
  const supersededInputIds = new Set<string>();
  events.forEach((event, i) => {
    if (event.type !== 'input') return;
    const field = fieldKey(event.target);
    // Editing keystrokes and re-focusing the same field happen inside one edit; anything else (a
    // click, Enter, Tab, another field) ends it, and the value reached so far must be kept.
    const next = nextSignificant(
      events,
      i + 1,
      (e) => editingKeyIds.has(e.id) || (e.type === 'focus' && fieldKey(e.target) === field),
    );
    if (next?.type === 'input' && fieldKey(next.target) === field) supersededInputIds.add(event.id);
    if (next?.type === 'change' && fieldKey(next.target) === field && (next.value !== undefined || next.masked)) {
      supersededInputIds.add(event.id);
    }
  });
  return { supersededInputIds, editingKeyIds };
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
