/**
 * Privacy markers that apps put in their markup, ours and those they already carry for other recording
 * tools, all in one place. A marker applies to the element and everything under it, including shadow
 * trees hosted under it and frames embedded under it: same-origin frames see it directly, cross-origin
 * frames receive it from their parent frame through the background (./frame-level.ts) and hold it as
 * the frame's inherited level (`setInheritedLevel`).
 *
 * Levels, strongest first (a stronger marker anywhere up the chain wins; nothing weakens one):
 * - block:  the subtree produces no events at all.
 * - mask:   events are kept, but values, keys and text of the subtree are replaced by the mask.
 * - ignore: clicks are kept; no key, input or value events.
 *
 * "Unmask" markers of other tools (Clarity `data-clarity-unmask`, FullStory `fs-unmask`, Hotjar
 * `data-hj-allow`, rrweb `rr-unmask`…) are deliberately not read: only the built-in rules and policy
 * `sensitiveSelectors` decide, and policy can only add.
 */
import { perGeneration } from '../describe/generation';

/** The levels, weakest first (the order is the rank). */
export const PRIVACY_LEVELS = ['none', 'ignore', 'mask', 'block'] as const;
export type PrivacyLevel = (typeof PRIVACY_LEVELS)[number];

const NONE = 0;
const IGNORE = 1;
const MASK = 2;
const BLOCK = 3;
type Rank = typeof NONE | typeof IGNORE | typeof MASK | typeof BLOCK;
const LEVELS: readonly PrivacyLevel[] = PRIVACY_LEVELS;

/**
 * The level the whole document inherits from where it is embedded: the markers on the `<iframe>` of a
 * cross-origin parent (and that parent's own inherited level), which no walk up this document can see.
 * Every element of the document is at least this private.
 */
let inheritedRank: Rank = NONE;

/** Sets this document's inherited level (see ./frame-level.ts); 'none' for a top or same-origin frame. */
export function setInheritedLevel(level: PrivacyLevel): void {
  const rank = LEVELS.indexOf(level);
  inheritedRank = (rank < 0 ? BLOCK : rank) as Rank;
}

export function inheritedLevel(): PrivacyLevel {
  return LEVELS[inheritedRank] ?? 'block';
}

/** Class markers. Class names are matched exactly, as the tools that define them do. */
const CLASS_MARKERS: ReadonlyMap<string, Rank> = new Map<string, Rank>([
  // Ours.
  ['capture-block', BLOCK],
  ['capture-mask', MASK],
  ['capture-ignore', IGNORE],
  // rrweb.
  ['rr-block', BLOCK],
  ['rr-mask', MASK],
  ['rr-ignore', IGNORE],
  // PostHog: no-capture hides the element from autocapture and replay, so nothing of it is ours either.
  ['ph-no-capture', BLOCK],
  ['ph-sensitive', MASK],
  // Sentry replay.
  ['sentry-block', BLOCK],
  ['sentry-mask', MASK],
  ['sentry-ignore', IGNORE],
  // FullStory.
  ['fs-exclude', BLOCK],
  ['fs-mask', MASK],
  // Heap: "heap-ignore" hides text and values from Heap; the closest of our levels that keeps them out is mask.
  ['heap-ignore', MASK],
  // Amplitude session replay.
  ['amp-block', BLOCK],
  ['amp-mask', MASK],
  // Mixpanel session replay.
  ['mp-block', BLOCK],
  ['mp-mask', MASK],
  // LogRocket (besides data-private).
  ['_lr-hide', BLOCK],
]);

function byValue(value: string, table: Readonly<Record<string, Rank>>): Rank {
  const v = value.trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(table, v) ? (table[v] as Rank) : NONE;
}

/** Attribute markers: name → level for the attribute's value (NONE when that value marks nothing). */
const ATTRIBUTE_MARKERS: ReadonlyMap<string, (value: string) => Rank> = new Map<string, (value: string) => Rank>([
  ['data-capture', (v) => byValue(v, { block: BLOCK, mask: MASK, ignore: IGNORE })],
  // Sentry reads these by presence, whatever the value.
  ['data-sentry-block', () => BLOCK],
  ['data-sentry-mask', () => MASK],
  ['data-sentry-ignore', () => IGNORE],
  // Clarity documents data-clarity-mask="true"; any value but an explicit "false" masks (when unsure, mask).
  ['data-clarity-mask', (v) => (v.trim().toLowerCase() === 'false' ? NONE : MASK)],
  // Hotjar and LogRocket mark private text by presence.
  ['data-hj-suppress', () => MASK],
  ['data-private', (v) => (v.trim().toLowerCase() === 'false' ? NONE : MASK)],
  // Heap.
  ['data-heap-redact-text', (v) => (v.trim().toLowerCase() === 'false' ? NONE : MASK)],
  ['data-heap-ignore', (v) => (v.trim().toLowerCase() === 'false' ? NONE : MASK)],
  // Smartlook: attributes of its recorder, and the older data-sl="mask" / "exclude".
  ['data-recording-sensitive', (v) => (v.trim().toLowerCase() === 'false' ? NONE : MASK)],
  ['data-recording-disable', (v) => (v.trim().toLowerCase() === 'false' ? NONE : BLOCK)],
  ['data-sl', (v) => byValue(v, { mask: MASK, exclude: BLOCK })],
  // Smartsupp.
  ['data-recording-ignore', (v) => (v.trim().toLowerCase() === 'false' ? NONE : MASK)],
  // Contentsquare.
  ['data-cs-mask', (v) => (v.trim().toLowerCase() === 'false' ? NONE : MASK)],
  // Mouseflow replaces the text of these elements in its recordings.
  ['data-mf-replace', () => MASK],
  // OpenReplay.
  ['data-openreplay-obscured', (v) => (v.trim().toLowerCase() === 'false' ? NONE : MASK)],
  ['data-openreplay-masked', (v) => (v.trim().toLowerCase() === 'false' ? NONE : MASK)],
  ['data-openreplay-hidden', (v) => (v.trim().toLowerCase() === 'false' ? NONE : BLOCK)],
  // Datadog RUM privacy levels.
  [
    'data-dd-privacy',
    (v) => byValue(v, { hidden: BLOCK, mask: MASK, 'mask-user-input': MASK }),
  ],
]);

/** Every marker we read, for documentation, diagnostics and tests. */
export const MARKER_CLASSES: readonly string[] = [...CLASS_MARKERS.keys()];
export const MARKER_ATTRIBUTES: readonly string[] = [...ATTRIBUTE_MARKERS.keys()];

/** Longest policy selector we try; the policy schema allows 300. */
const MAX_SELECTOR_LENGTH = 1_000;
/** Selector validity, decided once per selector string (the grammar is the same in every document). */
const selectorValidity = new Map<string, boolean>();
const SELECTOR_CACHE_LIMIT = 1_000;

function remember(selector: string, valid: boolean): boolean {
  if (selectorValidity.size >= SELECTOR_CACHE_LIMIT) selectorValidity.clear();
  selectorValidity.set(selector, valid);
  return valid;
}

/**
 * Cheap syntax screen for environments without a DOM (the background worker validating policy): catches
 * empty strings, unbalanced brackets and quotes, and dangling combinators. A selector that passes here
 * but not in a real DOM is caught the first time it is matched (and skipped from then on).
 */
function plausibleSelector(s: string): boolean {
  const t = s.trim();
  if (!t || t.length > MAX_SELECTOR_LENGTH) return false;
  if (/^[>+~,]/.test(t) || /[>+~,]$/.test(t) || /,\s*,/.test(t)) return false;
  const stack: string[] = [];
  let quote: string | null = null;
  for (let i = 0; i < t.length; i++) {
    const c = t[i] as string;
    if (c === '\\') {
      i++;
      continue;
    }
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') stack.push(c === '[' ? ']' : ')');
    else if (c === ']' || c === ')') {
      if (stack.pop() !== c) return false;
    } else if (c === '{' || c === '}' || c === ';') return false;
  }
  return quote === null && stack.length === 0;
}

/** Whether a selector can be matched, trying it against a real element when one is at hand. */
function isValidSelector(selector: unknown, probe?: Element | null): selector is string {
  if (typeof selector !== 'string') return false;
  const known = selectorValidity.get(selector);
  if (known !== undefined) return known;
  if (!plausibleSelector(selector)) return remember(selector, false);
  if (!probe) return true; // Plausible; decided for good the first time it meets an element.
  try {
    probe.matches(selector);
    return remember(selector, true);
  } catch {
    return remember(selector, false);
  }
}

/** A detached element to try selectors on, when the environment has a DOM. */
function defaultProbe(ctx?: Document | Element | null): Element | null {
  try {
    if (ctx && 'matches' in ctx) return ctx;
    const doc = ctx ?? (globalThis as { document?: Document }).document;
    return doc ? doc.createElement('div') : null;
  } catch {
    return null;
  }
}

/**
 * Splits policy-provided selectors into those we can use and those we cannot (reported in diagnostics,
 * never thrown). Without a DOM (background worker), validity is a syntax screen and a selector that still
 * fails later is skipped where it is matched.
 */
export function compileSelectors(
  list: unknown,
  ctx?: Document | Element | null,
): { valid: string[]; invalid: string[] } {
  const valid: string[] = [];
  const invalid: string[] = [];
  if (!Array.isArray(list)) return { valid, invalid };
  const probe = defaultProbe(ctx);
  for (const item of list as unknown[]) {
    if (isValidSelector(item, probe)) valid.push(item);
    else invalid.push(typeof item === 'string' ? item : String(item));
  }
  return { valid, invalid };
}

/** True when the element matches one of the selectors; bad selectors are remembered and skipped. */
export function matchesAnySelector(el: Element, selectors: readonly string[]): boolean {
  for (const sel of selectors) {
    if (selectorValidity.get(sel) === false || !isValidSelector(sel)) continue;
    try {
      const hit = el.matches(sel);
      if (!selectorValidity.has(sel)) remember(sel, true);
      if (hit) return true;
    } catch {
      remember(sel, false);
    }
  }
  return false;
}

/** The marker level on this element alone (not its ancestors). */
function ownRank(el: Element, extra: readonly string[]): Rank {
  let rank: Rank = NONE;
  const attrs = el.attributes;
  for (let i = 0; i < attrs.length; i++) {
    const attr = attrs[i];
    if (!attr) continue;
    const rule = ATTRIBUTE_MARKERS.get(attr.name.toLowerCase());
    if (rule) rank = Math.max(rank, rule(attr.value)) as Rank;
  }
  if (rank === BLOCK) return rank;
  const classes = el.classList;
  if (classes) {
    for (let i = 0; i < classes.length; i++) {
      const r = CLASS_MARKERS.get(classes[i] as string);
      if (r !== undefined && r > rank) rank = r;
    }
  }
  if (rank < MASK && extra.length > 0 && matchesAnySelector(el, extra)) rank = MASK;
  return rank;
}

/**
 * True when a marker or policy selector on this element alone (not its ancestors) masks or blocks its
 * subtree. For walks that go downwards and have already asked about the ancestors.
 */
export function masksOwnSubtree(el: Element, extraSensitiveSelectors: readonly string[]): boolean {
  try {
    return ownRank(el, extraSensitiveSelectors) >= MASK;
  } catch {
    return true;
  }
}

/** The element one step up, crossing shadow-root hosts and same-origin frame boundaries. */
export function composedParent(node: Element): Element | null {
  const parent = node.parentElement;
  if (parent) return parent;
  const root = node.getRootNode?.();
  if (!root || root === node) return null;
  // A shadow root: continue at its host.
  if (root.nodeType === 11 && 'host' in root) return (root as ShadowRoot).host ?? null;
  // A document: continue at the frame that embeds it, when the embedder is reachable (same origin).
  if (root.nodeType === 9) {
    try {
      return (root as Document).defaultView?.frameElement ?? null;
    } catch {
      return null; // Cross-origin parent.
    }
  }
  return null; // Detached subtree.
}

/** Bound on ancestors and slot detours, against pathological or cyclic fakes. */
const MAX_WALK = 4_096;

function rankOf(el: Element, extra: readonly string[], budget: { left: number }): Rank {
  let rank: Rank = NONE;
  for (let node: Element | null = el; node && budget.left-- > 0; node = composedParent(node)) {
    const own = ownRank(node, extra);
    if (own > rank) rank = own;
    if (rank === BLOCK) return rank;
    // Slotted light-DOM content renders inside the shadow tree: markers around the slot apply too.
    const slot = (node as Element & { assignedSlot?: Element | null }).assignedSlot;
    if (slot) {
      const viaSlot = rankOf(slot, extra, budget);
      if (viaSlot > rank) rank = viaSlot;
      if (rank === BLOCK) return rank;
    }
  }
  return rank;
}

const rankMemos = new WeakMap<readonly string[], (el: Element) => Rank>();

/** rankOf from `el` up, remembered per element and DOM state for each list of policy selectors. */
function rankUp(el: Element, extra: readonly string[]): Rank {
  let memo = rankMemos.get(extra);
  if (!memo) {
    memo = perGeneration((e) => rankOf(e, extra, { left: MAX_WALK }));
    rankMemos.set(extra, memo);
  }
  return memo(el);
}

/**
 * The privacy level that applies to an element: the strongest marker on it or any ancestor, across
 * shadow-root hosts and same-origin frames, and the document's inherited level (markers on the
 * `<iframe>` of a cross-origin parent). `extraSensitiveSelectors` (policy `sensitiveSelectors`) mask
 * what they match and everything under it; invalid ones are skipped, never thrown. The walk up is
 * remembered only until the DOM changes (lib/describe/generation), so a marker added or removed a moment
 * ago is honoured now.
 */
export function privacyLevel(el: Element, extraSensitiveSelectors: readonly string[]): PrivacyLevel {
  try {
    // A text node (some event targets are) is judged by the element that holds it.
    const start = el.nodeType === 1 ? el : (el as Node).parentElement;
    if (!start) return LEVELS[inheritedRank] ?? 'block';
    if (inheritedRank === BLOCK) return 'block';
    const rank = Math.max(inheritedRank, rankUp(start, extraSensitiveSelectors));
    return LEVELS[rank] ?? 'block';
  } catch {
    return 'block'; // A DOM we cannot read is a DOM we do not record.
  }
}

/** Elements that may carry a mask or block marker (each is confirmed with its own rank). */
const MASK_OR_BLOCK_CANDIDATES = [
  ...[...CLASS_MARKERS].filter(([, rank]) => rank >= MASK).map(([name]) => `.${name}`),
  ...[...ATTRIBUTE_MARKERS.keys()].map((name) => `[${name}]`),
].join(',');

/**
 * True when something under `el` (not `el` itself; its own open shadow root included) is masked or
 * blocked by a marker or a policy selector. Text under such a node is private, so `el`'s name from
 * content and its text selector must not be built from it. Never throws: a DOM we cannot read counts.
 */
export function hasMarkedDescendant(el: Element, extraSensitiveSelectors: readonly string[]): boolean {
  try {
    const roots: ParentNode[] = [el];
    const shadow = (el as Element & { shadowRoot?: ShadowRoot | null }).shadowRoot;
    if (shadow) roots.push(shadow);
    for (const root of roots) {
      for (const m of Array.from(root.querySelectorAll(MASK_OR_BLOCK_CANDIDATES))) if (ownRank(m, []) >= MASK) return true;
      for (const sel of extraSensitiveSelectors) {
        if (selectorValidity.get(sel) === false || !isValidSelector(sel)) continue;
        try {
          if (root.querySelector(sel)) return true;
        } catch {
          remember(sel, false);
        }
      }
    }
    return false;
  } catch {
    return true;
  }
}
