/**
 * Chrome DevTools Recorder flows (`GET /v1/export?format=recorder`) for one tab: a JSON document that
 * DevTools can import and @puppeteer/replay can run. Only what can be replayed faithfully becomes a
 * step; masked fields become nothing at all (no value, no keys), since a replay must not need secrets.
 */
import type { CaptureEvent, Modifiers } from '../lib/schema/event';
import { DUPLICATE_CLICK_WINDOW_MS, FALLBACK_VIEWPORT, NAVIGATION_CAUSE_WINDOW_MS } from './constants';
import { analyseEdits, inTimeOrder, isPageLoad, isToggleOrFile, isTopFrame, MODIFIER_KEYS, sameSelectors } from './export-common';
import { safeSelectors } from './sanitize';

type Selectors = string[][];
type PointerButton = 'primary' | 'auxiliary' | 'secondary' | 'back' | 'forward';

export interface NavigationAssertion {
  type: 'navigation';
  url?: string;
  title?: string;
}

interface StepBase {
  assertedEvents?: NavigationAssertion[];
}
interface FramedStep extends StepBase {
  frame?: number[];
}

export type RecorderStep =
  | (StepBase & {
      type: 'setViewport';
      width: number;
      height: number;
      deviceScaleFactor: number;
      isMobile: boolean;
      hasTouch: boolean;
      isLandscape: boolean;
    })
  | (StepBase & { type: 'navigate'; url: string })
  | (FramedStep & {
      type: 'click' | 'doubleClick';
      selectors: Selectors;
      offsetX: number;
      offsetY: number;
      button?: PointerButton;
    })
  | (FramedStep & { type: 'hover'; selectors: Selectors })
  | (FramedStep & { type: 'change'; selectors: Selectors; value: string })
  | (StepBase & { type: 'keyDown' | 'keyUp'; key: string })
  | (FramedStep & { type: 'scroll'; x: number; y: number; selectors?: Selectors });

export interface RecorderFlow {
  title: string;
  steps: RecorderStep[];
}

/** Named keys the Recorder accepts (its `Key` type) and that act rather than type text. */
const NAMED_KEYS: ReadonlySet<string> = new Set([
  'Backspace', 'Tab', 'Enter', 'Escape', 'Delete', 'Insert', 'Home', 'End', 'PageUp', 'PageDown',
  'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'ContextMenu', 'Help', 'Pause', 'PrintScreen',
  'F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10', 'F11', 'F12',
]);
/** Single characters in the Recorder's `Key` type (shortcuts such as Ctrl+S, or `?` on a page). */
const PRINTABLE_KEYS: ReadonlySet<string> = new Set(
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 *+-/;=,.`[\\]')!@#$%^&(:<_>?~{|}\"",
);

const BUTTONS: Readonly<Record<number, PointerButton>> = {
  1: 'auxiliary',
  2: 'secondary',
  3: 'back',
  4: 'forward',
};

function heldModifiers(modifiers: Modifiers, withShift = true): string[] {
  const held: string[] = [];
  if (modifiers.ctrl) held.push('Control');
  if (modifiers.alt) held.push('Alt');
  if (modifiers.meta) held.push('Meta');
  if (modifiers.shift && withShift) held.push('Shift');
  return held;
}

/** The Recorder keys to press, modifiers first, or undefined when the key cannot be replayed. */
function keyChord(event: Extract<CaptureEvent, { type: 'key' }>): string[] | undefined {
  const { key, modifiers } = event;
  if (MODIFIER_KEYS.has(key)) return undefined;
  const named = NAMED_KEYS.has(key);
  if (!named && !PRINTABLE_KEYS.has(key)) return undefined;
  // For a printable key Shift is already in the character ("A", "?"); for a named one it matters.
  return [...heldModifiers(modifiers, named), key];
}

function sameElement(a: FramedStep & { selectors?: Selectors }, b: FramedStep & { selectors?: Selectors }): boolean {
  return sameSelectors(a.selectors, b.selectors) && JSON.stringify(a.frame ?? []) === JSON.stringify(b.frame ?? []);
}

interface Built {
  step: RecorderStep;
  ts: number;
}

/** Accumulates steps, folding consecutive duplicates the way a person would read the flow. */
class StepList {
  readonly built: Built[] = [];

  get last(): Built | undefined {
    return this.built[this.built.length - 1];
  }

  /** Returns the entry that now stands for `step` (a folded duplicate returns the one it joined). */
  push(step: RecorderStep, ts: number): Built {
    const previous = this.last;
    const last = previous?.step;
    if (previous && last && step.type === 'navigate' && last.type === 'navigate' && last.url === step.url) {
      return previous;
    }
    // A page or container scrolled in several bursts: only where it came to rest matters.
    if (previous && last?.type === 'scroll' && step.type === 'scroll' && sameElement(last, step)) {
      last.x = step.x;
      last.y = step.y;
      return previous;
    }
    if (previous && last?.type === 'change' && step.type === 'change' && sameElement(last, step)) {
      last.value = step.value;
      return previous;
    }
    // A right click arrives as contextmenu and auxclick: one step.
    if (
      previous &&
      last?.type === 'click' &&
      step.type === 'click' &&
      step.button === 'secondary' &&
      last.button === 'secondary' &&
      sameElement(last, step) &&
      ts - previous.ts <= DUPLICATE_CLICK_WINDOW_MS
    ) {
      return previous;
    }
    if (step.type === 'doubleClick') {
      // The browser reports a double click as click, click, dblclick; the doubleClick step replays all three.
      for (let i = 0; i < 2; i++) {
        const prev = this.last?.step;
        if (prev?.type === 'click' && prev.button === undefined && sameElement(prev, step)) {
          this.built.pop();
        }
      }
    }
    const entry = { step, ts };
    this.built.push(entry);
    return entry;
  }

  /** Put `step` at `index` as it is (no folding): a field value set where its typing ended. */
  insert(index: number, step: RecorderStep, ts: number): Built {
    const entry = { step, ts };
    this.built.splice(index, 0, entry);
    return entry;
  }
}

export interface RecorderOptions {
  title: string;
}

/** `events` must be one tab's events in seq order. */
export function buildRecorderFlow(tabEvents: readonly CaptureEvent[], options: RecorderOptions): RecorderFlow {
  const events = inTimeOrder(tabEvents, (e) => e);
  const steps = new StepList();
  const first = events[0];
  if (first === undefined) return { title: options.title, steps: [] };

  // The tab's viewport, not a child frame's (frames report their own size with their load).
  const viewport =
    events.find(
      (e): e is Extract<CaptureEvent, { type: 'navigation' }> => e.type === 'navigation' && !!e.viewport && isTopFrame(e),
    )?.viewport ?? FALLBACK_VIEWPORT;
  steps.push(
    {
      type: 'setViewport',
      width: viewport.width,
      height: viewport.height,
      deviceScaleFactor: viewport.dpr,
      isMobile: false,
      hasTouch: false,
      isLandscape: viewport.width > viewport.height,
    },
    first.ts,
  );
  // The page the tab was on when its events begin: its first load, or the page capture started on.
  const firstLoad = events.find(isPageLoad);
  const startsWithLoad =
    firstLoad !== undefined && events.slice(0, events.indexOf(firstLoad)).every((e) => !producesStep(e));
  const firstTop = events.find(isTopFrame) ?? first;
  steps.push({ type: 'navigate', url: startsWithLoad ? firstLoad.url : firstTop.url }, first.ts);

  const skip = analyseEdits(events);
  // Where the steps stood when each typing key was pressed (values typed there are set there).
  const typingAt = new Map<string, number>();
  // The last step that can make the page load (a primary click, Enter), for assertedEvents.
  let cause: Built | undefined;
  // The last Enter or Space replayed as keys: the click it makes (on a button, or the submit button of
  // a form) happens again by itself when it is replayed.
  let activation: { ts: number; built: Built } | undefined;

  for (const event of events) {
    const frame = event.framePath?.length ? { frame: event.framePath } : {};
    switch (event.type) {
      case 'click':
      case 'auxclick':
      case 'contextmenu':
      case 'dblclick': {
        const selectors = safeSelectors(event.target);
        if (selectors.length === 0) break; // nothing a replay could find
        const byKeyboard = event.detail === 0;
        if (byKeyboard && activation && event.ts - activation.ts <= NAVIGATION_CAUSE_WINDOW_MS) {
          // A navigation this click causes is the key's to wait for.
          cause = activation.built;
          activation = undefined;
          break;
        }
        const button = event.type === 'contextmenu' ? 'secondary' : BUTTONS[event.button];
        // Ctrl/Shift/Meta+click (new tab, range select): puppeteer applies held keys to the click.
        const held = heldModifiers(event.modifiers);
        for (const key of held) steps.push({ type: 'keyDown', key }, event.ts);
        const click = steps.push(
          {
            type: event.type === 'dblclick' ? 'doubleClick' : 'click',
            ...frame,
            selectors,
            // A click the keyboard made has no position: the middle of the element stands in for it.
            offsetX: byKeyboard ? Math.round(event.target.box.w * 5) / 10 : event.offsetX,
            offsetY: byKeyboard ? Math.round(event.target.box.h * 5) / 10 : event.offsetY,
            ...(button ? { button } : {}),
          },
          event.ts,
        );
        for (const key of [...held].reverse()) steps.push({ type: 'keyUp', key }, event.ts);
        if (!button && held.length === 0) cause = click;
        break;
      }
      case 'input':
      case 'change': {
        if (event.type === 'input' && (skip.supersededInputIds.has(event.id) || skip.shortcutInputIds.has(event.id))) break;
        if (event.masked || event.target.masked || event.value === undefined || isToggleOrFile(event)) break;
        if (event.target.selectors.length === 0) break;
        const step: RecorderStep = { type: 'change', ...frame, selectors: event.target.selectors, value: event.value };
        const typedBy = skip.typedBy.get(event.id);
        const at = typedBy ? typingAt.get(typedBy.id) : undefined;
        if (at === undefined || at >= steps.built.length) {
          steps.push(step, event.ts);
          break;
        }
        steps.insert(at, step, event.ts);
        for (const [id, index] of typingAt) if (index >= at) typingAt.set(id, index + 1);
        break;
      }
      case 'key': {
        if (skip.editingKeyIds.has(event.id)) typingAt.set(event.id, steps.built.length);
        if (event.masked || skip.editingKeyIds.has(event.id)) break;
        const chord = keyChord(event);
        if (!chord) break;
        for (const key of chord) steps.push({ type: 'keyDown', key }, event.ts);
        const [main, ...held] = [...chord].reverse();
        if (main === undefined) break;
        const keyUp = steps.push({ type: 'keyUp', key: main }, event.ts);
        for (const key of held) steps.push({ type: 'keyUp', key }, event.ts);
        if (event.key === 'Enter' && held.length === 0) cause = keyUp;
        activation = (event.key === 'Enter' || event.key === ' ') && held.length === 0 ? { ts: event.ts, built: keyUp } : undefined;
        break;
      }
      case 'scroll': {
        const selectors = event.target ? safeSelectors(event.target) : [];
        const container = selectors.length ? { selectors } : {}; // none: the page itself scrolled
        steps.push({ type: 'scroll', ...frame, ...container, x: event.x, y: event.y }, event.ts);
        break;
      }
      case 'navigation': {
        if (!isPageLoad(event) || (event === firstLoad && startsWithLoad)) break;
        if (cause && event.ts - cause.ts <= NAVIGATION_CAUSE_WINDOW_MS) {
          // The replay waits for this navigation after the step instead of navigating by itself.
          cause.step.assertedEvents = [
            { type: 'navigation', url: event.url, ...(event.title !== undefined ? { title: event.title } : {}) },
          ];
        } else {
          steps.push({ type: 'navigate', url: event.url }, event.ts);
        }
        cause = undefined;
        break;
      }
      case 'menu': {
        // Menus are replayed by their clicks and keys; a submenu opened by hovering its parent has
        // neither, and what is inside it cannot be reached without the hover.
        if (event.action !== 'open' || event.trigger !== 'hover') break;
        const selectors = safeSelectors(event.target);
        if (selectors.length > 0) steps.push({ type: 'hover', ...frame, selectors }, event.ts);
        break;
      }
      default:
        // Pointer paths, focus, other menu events (their clicks and keys are steps), visibility and
        // capture markers have no Recorder step; the jsonl export carries them.
        break;
    }
  }
  return { title: options.title, steps: steps.built.map((b) => b.step) };
}

/** Whether an event before the first load would have become a step (then the tab did not start there). */
function producesStep(event: CaptureEvent): boolean {
  switch (event.type) {
    case 'click':
    case 'auxclick':
    case 'contextmenu':
    case 'dblclick':
    case 'scroll':
      return true;
    case 'input':
    case 'change':
      return !event.masked && event.value !== undefined;
    case 'key':
      return !event.masked;
    default:
      return false;
  }
}
