/**
 * Action records (`GET /v1/export?format=jsonl`): one user-level action per line, for training.
 * Field edits are reduced to their final value, keystrokes that only typed text are left to that
 * value, and a click (or Enter, or submit) that led to a navigation says so in `outcome`.
 * Masked fields appear as an action without any value; their keystrokes do not appear at all.
 */
import type { CaptureEvent, Modifiers, Target } from '../lib/schema/event';
import { NAVIGATION_CAUSE_WINDOW_MS } from './constants';
import { analyseEdits, groupByInstallAndTab, inTimeOrder } from './export-common';
import { safeSelectors } from './sanitize';

export interface ActionTarget {
  tag: string;
  role?: string;
  name?: string;
  selectors: string[][];
  box: Target['box'];
  attrs?: Record<string, string>;
  masked?: true;
}

export interface NavigationOutcome {
  navigation: { kind: string; url: string; title?: string; afterMs: number };
}

export interface ActionRecord {
  action: string;
  installId: string;
  seq: number;
  ts: number;
  url: string;
  tab: number;
  frame: number;
  framePath?: number[];
  target?: ActionTarget;
  value?: string;
  checked?: boolean;
  files?: number;
  masked?: true;
  key?: string;
  code?: string;
  chord?: string;
  modifiers?: Modifiers;
  button?: number;
  x?: number;
  y?: number;
  offsetX?: number;
  offsetY?: number;
  detail?: number;
  dx?: number;
  dy?: number;
  menuPath?: string[];
  widget?: string;
  source?: ActionTarget;
  points?: Array<[number, number, number]>;
  kind?: string;
  title?: string;
  viewport?: { width: number; height: number; dpr: number };
  state?: string;
  reason?: string;
  until?: number;
  inputType?: string;
  outcome?: NavigationOutcome;
}

function describeTarget(target: Target | undefined): ActionTarget | undefined {
  if (target === undefined) return undefined;
  return {
    tag: target.tag,
    ...(target.role !== undefined ? { role: target.role } : {}),
    // A masked element's name is never exported, even if a client sent one.
    ...(target.name !== undefined && !target.masked ? { name: target.name } : {}),
    selectors: safeSelectors(target),
    box: target.box,
    ...(target.attrs !== undefined ? { attrs: target.attrs } : {}),
    ...(target.masked ? { masked: true as const } : {}),
  };
}

/** The record for one event, or undefined when the event is not an action of its own. */
function toRecord(installId: string, event: CaptureEvent, skip: ReturnType<typeof analyseEdits>): ActionRecord | undefined {
  const base: ActionRecord = {
    action: event.type,
    installId,
    seq: event.seq,
    ts: event.ts,
    url: event.url,
    tab: event.tab,
    frame: event.frame,
    ...(event.framePath?.length ? { framePath: event.framePath } : {}),
  };
  switch (event.type) {
    case 'click':
    case 'dblclick':
    case 'contextmenu':
    case 'auxclick':
      return {
        ...base,
        target: describeTarget(event.target),
        button: event.button,
        modifiers: event.modifiers,
        x: event.x,
        y: event.y,
        offsetX: event.offsetX,
        offsetY: event.offsetY,
        // 0: made by the keyboard (Enter/Space), no position.
        ...(event.detail !== undefined ? { detail: event.detail } : {}),
      };
    case 'key':
      // A masked field's keystrokes (even as MASK) would hint at a secret's rhythm; typing keys are
      // carried by the field's value.
      if (event.masked || skip.editingKeyIds.has(event.id)) return undefined;
      return {
        ...base,
        key: event.key,
        ...(event.code !== undefined ? { code: event.code } : {}),
        ...(event.chord !== undefined ? { chord: event.chord } : {}),
        modifiers: event.modifiers,
        ...(event.target ? { target: describeTarget(event.target) } : {}),
      };
    case 'input':
      if (skip.supersededInputIds.has(event.id)) return undefined;
      return {
        ...base,
        target: describeTarget(event.target),
        ...(event.masked ? { masked: true as const } : event.value !== undefined ? { value: event.value } : {}),
        ...(event.inputType !== undefined && !event.masked ? { inputType: event.inputType } : {}),
      };
    case 'change':
      return {
        ...base,
        target: describeTarget(event.target),
        ...(event.masked ? { masked: true as const } : event.value !== undefined ? { value: event.value } : {}),
        ...(event.checked !== undefined ? { checked: event.checked } : {}),
        ...(event.files !== undefined ? { files: event.files } : {}),
      };
    case 'submit':
    case 'focus':
      return { ...base, target: describeTarget(event.target) };
    case 'clipboard':
      return { ...base, action: event.action, ...(event.target ? { target: describeTarget(event.target) } : {}) };
    case 'pointer':
      return {
        ...base,
        action: 'pointer_path',
        points: event.points,
        ...(event.target ? { target: describeTarget(event.target) } : {}),
      };
    case 'drag':
      return {
        ...base,
        action: `drag_${event.action}`,
        target: describeTarget(event.target),
        ...(event.source ? { source: describeTarget(event.source) } : {}),
        x: event.x,
        y: event.y,
      };
    case 'scroll':
      return {
        ...base,
        ...(event.target ? { target: describeTarget(event.target) } : {}),
        x: event.x,
        y: event.y,
        dx: event.dx,
        dy: event.dy,
      };
    case 'navigation':
      return {
        ...base,
        kind: event.kind,
        ...(event.title !== undefined ? { title: event.title } : {}),
        ...(event.viewport !== undefined ? { viewport: event.viewport } : {}),
      };
    case 'menu':
      return {
        ...base,
        action: `menu_${event.action}`,
        widget: event.widget,
        menuPath: event.path,
        target: describeTarget(event.target),
      };
    case 'visibility':
      return { ...base, state: event.state };
    case 'capture':
      return {
        ...base,
        action: 'capture_state',
        state: event.state,
        ...(event.reason !== undefined ? { reason: event.reason } : {}),
        ...(event.until !== undefined ? { until: event.until } : {}),
      };
  }
}

/** Actions that can make the page navigate. */
function canCauseNavigation(event: CaptureEvent): boolean {
  // A middle click opens a new tab; it does not navigate this one.
  if (event.type === 'click' || event.type === 'dblclick') return true;
  if (event.type === 'menu') return event.action === 'select';
  return event.type === 'key' && event.key === 'Enter';
}

/**
 * Where a record goes in the output: when its event happened (ts, then seq), except for a field value
 * reported after the action keys that followed its typing (see EditAnalysis.typedBy), which goes where
 * the typing ended.
 */
const orderOf = new WeakMap<ActionRecord, [number, number]>();

function tabRecords(tabRows: ReadonlyArray<{ installId: string; event: CaptureEvent }>): ActionRecord[] {
  const rows = inTimeOrder(tabRows, (row) => row.event);
  const skip = analyseEdits(rows.map((row) => row.event));
  const records: ActionRecord[] = [];
  let cause: ActionRecord | undefined;
  for (const { installId, event } of rows) {
    const record = toRecord(installId, event, skip);
    if (event.type === 'navigation' && cause && event.ts - cause.ts <= NAVIGATION_CAUSE_WINDOW_MS && !cause.outcome) {
      cause.outcome = {
        navigation: {
          kind: event.kind,
          url: event.url,
          ...(event.title !== undefined ? { title: event.title } : {}),
          afterMs: event.ts - cause.ts,
        },
      };
      cause = undefined;
    }
    if (record && canCauseNavigation(event)) cause = record;
    // A submit is itself caused by a click or Enter, which stays the cause; alone it is one.
    if (record && event.type === 'submit' && (!cause || event.ts - cause.ts > NAVIGATION_CAUSE_WINDOW_MS)) {
      cause = record;
    }
    if (record) {
      const typedBy = skip.typedBy.get(event.id);
      orderOf.set(record, typedBy ? [typedBy.ts, typedBy.seq + 0.5] : [event.ts, event.seq]);
      records.push(record);
    }
  }
  return records;
}

/**
 * `rows` ordered by install and seq. Records come back by install, then in the order things happened:
 * by time (the frames of a tab, and the tabs, interleaved as they happened), and a field's value where
 * its typing ended (before the Enter or Tab that followed it) even when it was reported later.
 */
export function buildActionRecords(rows: ReadonlyArray<{ installId: string; event: CaptureEvent }>): ActionRecord[] {
  const records = groupByInstallAndTab(rows).flatMap(tabRecords);
  const order = (r: ActionRecord) => orderOf.get(r) ?? [r.ts, r.seq];
  return records.sort((a, b) => {
    if (a.installId !== b.installId) return a.installId < b.installId ? -1 : 1;
    const [ta, sa] = order(a);
    const [tb, sb] = order(b);
    return ta - tb || sa - sb;
  });
}

export function* actionRecordsNdjson(records: readonly ActionRecord[]): Generator<string> {
  for (const record of records) yield JSON.stringify(record) + '\n';
}
