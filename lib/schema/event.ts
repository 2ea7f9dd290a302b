/**
 * Event schema, version 1: the single source of the event types, shared by the content script, the
 * background, the collector and the exports. Extend it (new optional fields, new types); do not change
 * what a field means without bumping SCHEMA_VERSION.
 */
import { z } from 'zod';

const short = (max: number) => z.string().max(max);

export const Box = z.object({ x: z.number(), y: z.number(), w: z.number(), h: z.number() });

/**
 * Selectors in Chrome DevTools Recorder order (aria, css, xpath, text). Each selector is a chain: one
 * part per shadow root crossed, as the Recorder writes them (`[["host", "inner"]]`).
 */
export const Selectors = z.array(z.array(short(400)).min(1).max(8)).max(8);

export const Target = z.object({
  tag: short(64),
  role: short(64).optional(),
  /**
   * Accessible name, redacted. For a masked (sensitive) element it comes only from label-like sources
   * (aria-labelledby outside the element, aria-label, <label>, alt, title, placeholder), never from
   * its content or value; the reference collector drops even that before storing. Blocked elements
   * produce no event at all.
   */
  name: short(200).optional(),
  selectors: Selectors,
  box: Box,
  /** True when the element is sensitive: no value, no content-derived name, no key of it leaves the page. */
  masked: z.boolean(),
  /** Stable attributes worth keeping for training (type of an input, href host/path, data-testid). */
  attrs: z.record(short(40), short(200)).optional(),
});

export const Modifiers = z.object({
  alt: z.boolean(),
  ctrl: z.boolean(),
  meta: z.boolean(),
  shift: z.boolean(),
});

/** What every event carries before the background stores it. */
const Common = {
  v: z.literal(1),
  id: short(64).min(8),
  ts: z.number().int().nonnegative(),
  /** Redacted page URL. */
  url: short(2048),
  /** Frame path from the top document: [] is the top frame, [2] the third child frame, and so on. */
  framePath: z.array(z.number().int().nonnegative()).max(16).optional(),
};

const Pointing = {
  target: Target,
  button: z.number().int().min(-1).max(8),
  modifiers: Modifiers,
  /** Viewport coordinates (CSS px). */
  x: z.number(),
  y: z.number(),
  /** Coordinates relative to the target's box. */
  offsetX: z.number(),
  offsetY: z.number(),
  /**
   * The click count (1, 2, 3 for a triple click). 0 for a click the keyboard made (Enter or Space on a
   * button, Enter submitting a form): it has no position (x and y are 0), and its key is the action.
   */
  detail: z.number().int().nonnegative().optional(),
};

const Point = z.tuple([z.number(), z.number(), z.number().int().nonnegative()]); // x, y, ms since path start

export const EventBody = z.discriminatedUnion('type', [
  z.object({ ...Common, type: z.literal('click'), ...Pointing }),
  z.object({ ...Common, type: z.literal('dblclick'), ...Pointing }),
  z.object({ ...Common, type: z.literal('contextmenu'), ...Pointing }),
  z.object({ ...Common, type: z.literal('auxclick'), ...Pointing }),
  z.object({
    ...Common,
    type: z.literal('key'),
    /** `MASK` in a masked field; otherwise the key, with redaction applied to printable text. */
    key: short(32),
    code: short(32).optional(),
    modifiers: Modifiers,
    /** A chord such as "Ctrl+C" or "Shift+Tab" when modifiers or a named key are involved. */
    chord: short(48).optional(),
    repeat: z.boolean().optional(),
    masked: z.boolean(),
    target: Target.optional(),
  }),
  z.object({
    ...Common,
    type: z.literal('input'),
    target: Target,
    value: short(1000).optional(),
    masked: z.boolean(),
    inputType: short(40).optional(),
  }),
  z.object({
    ...Common,
    type: z.literal('change'),
    target: Target,
    value: short(1000).optional(),
    checked: z.boolean().optional(),
    /** For a file input: how many files were chosen, never their names. */
    files: z.number().int().nonnegative().optional(),
    masked: z.boolean(),
  }),
  z.object({ ...Common, type: z.literal('submit'), target: Target }),
  z.object({
    ...Common,
    type: z.literal('clipboard'),
    action: z.enum(['copy', 'cut', 'paste']),
    target: Target.optional(),
  }),
  z.object({
    ...Common,
    type: z.literal('pointer'),
    points: z.array(Point).min(1).max(256),
    target: Target.optional(),
  }),
  z.object({
    ...Common,
    type: z.literal('drag'),
    action: z.enum(['start', 'drop', 'end']),
    target: Target,
    source: Target.optional(),
    x: z.number(),
    y: z.number(),
  }),
  z.object({
    ...Common,
    type: z.literal('scroll'),
    /** Absent for the document itself. */
    target: Target.optional(),
    x: z.number(),
    y: z.number(),
    dx: z.number(),
    dy: z.number(),
  }),
  z.object({ ...Common, type: z.literal('focus'), target: Target }),
  z.object({
    ...Common,
    type: z.literal('navigation'),
    kind: z.enum(['load', 'reload', 'push', 'replace', 'traverse', 'hash', 'prerender']),
    title: short(300).optional(),
    /** Viewport and device pixel ratio: sent with each full load so a session can be replayed. */
    viewport: z.object({ width: z.number(), height: z.number(), dpr: z.number() }).optional(),
  }),
  z.object({
    ...Common,
    type: z.literal('menu'),
    action: z.enum(['open', 'close', 'select']),
    /** ARIA widget or native element: menu, menubar, listbox, combobox, tablist, tree, select, details, dialog. */
    widget: short(32),
    /** Labels from the outermost menu to the chosen item, e.g. ["File", "Export", "PDF"], each redacted. */
    path: z.array(short(200)).max(12),
    target: Target,
    /**
     * What the person did: a click, a key, or hovering the opener (a submenu opened by hover alone needs
     * a hover when replayed). Absent for state changes without a direct action (native select, details,
     * dialogs).
     */
    trigger: z.enum(['click', 'key', 'hover']).optional(),
  }),
  z.object({ ...Common, type: z.literal('visibility'), state: z.enum(['visible', 'hidden']) }),
  z.object({
    ...Common,
    type: z.literal('capture'),
    state: z.enum(['recording', 'paused', 'resumed', 'opted-out', 'excluded-site', 'not-configured', 'disabled']),
    reason: short(200).optional(),
    /** For a pause: when capture resumes by itself (epoch ms). */
    until: z.number().int().optional(),
  }),
]);

/** The fields the background adds when it stores an event. */
export const Stored = z.object({
  /** Per-install counter, gap-free except where the buffer cap dropped events (counted in batch headers). */
  seq: z.number().int().nonnegative(),
  /** Tab and frame ids from the browser (-1 for events that the background itself records). */
  tab: z.number().int(),
  frame: z.number().int(),
});

export const CaptureEvent = z.intersection(EventBody, Stored);

export type Box = z.infer<typeof Box>;
export type Target = z.infer<typeof Target>;
export type Modifiers = z.infer<typeof Modifiers>;
export type EventBody = z.infer<typeof EventBody>;
export type EventType = EventBody['type'];
export type CaptureEvent = z.infer<typeof CaptureEvent>;
/** One variant of the body by its type, e.g. `BodyOf<'click'>`. */
export type BodyOf<T extends EventType> = Extract<EventBody, { type: T }>;
