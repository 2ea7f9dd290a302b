/**
 * The leak suite's instruments: taps on every place a secret could end up once it has left the page
 * (the messages the background receives, its IndexedDB outbox and storage, the bytes it uploads, the
 * collector and its exports), canaries to type, and the searches that must come back empty.
 *
 * Every tap is paired with a positive control in the spec (an ordinary word that must be found through
 * the same tap), so a tap that silently sees nothing cannot make the suite pass.
 */
import { expect, type BrowserContext, type Frame, type Page, type Worker } from '@playwright/test';
import type { EventBody, Target } from '../../lib/schema/event';
import { COLLECTOR } from './fixtures';

// ---- background taps -----------------------------------------------------------------------------------

interface Tap {
  messages: string[];
  uploads: string[];
  uploadErrors: string[];
  /** Every record written to IndexedDB (put/add), whatever became of it later. */
  writes: string[];
}

/**
 * Records, from inside the extension's service worker, every runtime message it receives (before the
 * router looks at it) and every batch body it POSTs (gunzipped). Install it before the page under test
 * opens: a worker restart would drop it, which `readTap` detects.
 */
export async function installTap(sw: Worker): Promise<void> {
  await sw.evaluate(() => {
    const g = globalThis as typeof globalThis & { __leakTap?: Tap };
    if (g.__leakTap) return;
    const tap: Tap = { messages: [], uploads: [], uploadErrors: [], writes: [] };
    g.__leakTap = tap;
    // The outbox is emptied by every upload: a snapshot read later can miss rows that came and went.
    for (const method of ['put', 'add'] as const) {
      const real = IDBObjectStore.prototype[method];
      IDBObjectStore.prototype[method] = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
        try {
          tap.writes.push(`${this.name}: ${JSON.stringify(value)}`);
        } catch {
          tap.writes.push(`${this.name}: [not JSON]`);
        }
        return key === undefined ? real.call(this, value) : real.call(this, value, key);
      };
    }
    chrome.runtime.onMessage.addListener((message: unknown) => {
      tap.messages.push(JSON.stringify(message));
      return undefined; // observe only: the background's own listener answers
    });
    const realFetch = globalThis.fetch.bind(globalThis);
    globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.includes('/v1/') && init?.body) {
        try {
          const body = init.body as BodyInit;
          const gz = new Response(body).body!.pipeThrough(new DecompressionStream('gzip'));
          tap.uploads.push(`${url}\n${await new Response(gz).text()}`);
        } catch (err) {
          // Not gzip (opt-out, deletions): keep it as it is.
          tap.uploadErrors.push(String(err));
          tap.uploads.push(`${url}\n${typeof init.body === 'string' ? init.body : '[binary]'}`);
        }
      }
      return realFetch(input, init);
    }) as typeof fetch;
  });
}

/** What the tap holds now; throws if the worker restarted and took the tap with it. */
export async function readTap(sw: Worker): Promise<Tap> {
  const tap = await sw.evaluate(() => (globalThis as typeof globalThis & { __leakTap?: Tap }).__leakTap ?? null);
  if (!tap) throw new Error('the service worker lost the leak tap (it restarted): the run proves nothing');
  return tap;
}

/** Every captured event in the messages the background received, in arrival order. */
export function eventsInMessages(messages: readonly string[]): EventBody[] {
  const out: EventBody[] = [];
  for (const raw of messages) {
    const m = JSON.parse(raw) as { kind?: string; events?: EventBody[] };
    if (m.kind === 'events' && Array.isArray(m.events)) out.push(...m.events);
  }
  return out;
}

/** The outbox database, the worker's storage areas, all as one JSON text (read from the worker). */
export async function backgroundStorage(sw: Worker): Promise<string> {
  return sw.evaluate(async () => {
    const req = indexedDB.open('workflow-capture');
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const stores: Record<string, unknown> = {};
    for (const name of Array.from(db.objectStoreNames)) {
      const tx = db.transaction(name, 'readonly');
      const store = tx.objectStore(name);
      const [keys, values] = await Promise.all(
        [store.getAllKeys(), store.getAll()].map(
          (r) =>
            new Promise<unknown>((resolve, reject) => {
              r.onsuccess = () => resolve(r.result);
              r.onerror = () => reject(r.error);
            }),
        ),
      );
      stores[name] = { keys, values };
    }
    db.close();
    const local = await chrome.storage.local.get(null);
    const session = await chrome.storage.session.get(null).catch(() => ({}));
    return JSON.stringify({ indexedDB: stores, storageLocal: local, storageSession: session });
  });
}

/**
 * The outbox seen over time. The background uploads early once 500 events are pending, and uploaded
 * events leave IndexedDB, so one read at the end would miss the early ones: read it after every case
 * and keep every event row ever seen (by seq), plus the latest of the other stores.
 */
export class OutboxSnapshots {
  private readonly rows = new Map<number, string>();
  private rest = '';

  async take(sw: Worker): Promise<string> {
    const dump = await backgroundStorage(sw);
    const parsed = JSON.parse(dump) as { indexedDB: Record<string, { keys: unknown[]; values: unknown[] }> };
    const events = parsed.indexedDB.events;
    events?.values.forEach((row, i) => this.rows.set(Number(events.keys[i]), JSON.stringify(row)));
    if (events) parsed.indexedDB.events = { keys: [], values: [] };
    this.rest = JSON.stringify(parsed);
    return dump;
  }

  get size(): number {
    return this.rows.size;
  }

  view(): string {
    return `${[...this.rows.values()].join('\n')}\n${this.rest}`;
  }
}

// ---- collector -----------------------------------------------------------------------------------------

async function text(url: string): Promise<string> {
  const res = await fetch(url);
  return `${res.status}\n${await res.text()}`;
}

/** The collector's stored events and both exports (a Recorder flow for every tab seen). */
export async function collectorViews(installId: string, tabs: readonly number[]): Promise<Record<string, string>> {
  const q = `installId=${encodeURIComponent(installId)}`;
  const views: Record<string, string> = {
    'collector /v1/events': await text(`${COLLECTOR}/v1/events?${q}`),
    'collector export jsonl': await text(`${COLLECTOR}/v1/export?format=jsonl&${q}`),
  };
  for (const tab of tabs) views[`collector export recorder (tab ${tab})`] = await text(`${COLLECTOR}/v1/export?format=recorder&${q}&tab=${tab}`);
  return views;
}

// ---- canaries ------------------------------------------------------------------------------------------

/**
 * Canaries for sensitive fields. The "!", "#" and "~" in them appear in no id, hash, base64 or
 * timestamp, so every 5-character window of a canary is specific to it; none is long enough or shaped
 * like anything redaction would replace (a redacted canary would hide a masking failure).
 */
export function secretCanary(tag: string, length: number): string {
  const pool = 'QwErTyUiOpAsDfGhJkLzXcVbNm';
  // The tail depends on the whole tag, so windows of different canaries differ too (clear reports).
  const seed = [...tag].reduce((a, ch) => (a * 31 + ch.charCodeAt(0)) % 9973, 7);
  const strides = [1, 3, 5, 7, 9, 11, 15, 17, 19, 21, 23, 25]; // coprime to the pool's 26
  const stride = strides[seed % strides.length] as number;
  let s = `Zq!${tag}#`;
  for (let i = 0; s.length < length; i++) s += i % 4 === 3 ? '~' : pool[(i * stride + seed) % pool.length];
  return s.slice(0, length);
}

const WINDOW = 5;
const escapeForms = (s: string) => [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s)];

/** The canary, and each 5-character window of it, in raw, JSON-escaped and URL-encoded form. */
function needles(secret: string): string[] {
  const out = new Set<string>();
  for (const form of escapeForms(secret)) out.add(form);
  for (let i = 0; i + WINDOW <= secret.length; i++) {
    const w = secret.slice(i, i + WINDOW);
    if (/[!#~]/.test(w)) for (const form of escapeForms(w)) out.add(form);
  }
  return [...out];
}

export interface Secret {
  /** Where it was typed, for the report. */
  label: string;
  value: string;
  /** Also search each 5-character window (canaries), not only the whole value (patterns). */
  windows?: boolean;
}

/** Every place a secret (or a window of a canary) is found in the given views: empty when nothing leaked. */
export function findLeaks(views: Record<string, string>, secrets: readonly Secret[]): string[] {
  const found: string[] = [];
  const normalised = Object.entries(views).map(([name, body]) => [name, body, body.replace(/\\/g, '')] as const);
  for (const s of secrets) {
    const list = s.windows ? needles(s.value) : escapeForms(s.value);
    for (const [name, body, plain] of normalised) {
      const hit = list.find((n) => body.includes(n) || plain.includes(n));
      // A window without the canary's tag ("Zq!<tag>#") can be shared by two canaries.
      const shared = s.windows && hit !== undefined && !/[!#]|%23/.test(hit) ? ' (a fragment: may belong to another canary)' : '';
      if (hit) found.push(`${s.label}: ${JSON.stringify(hit)} found in ${name}${shared}`);
    }
  }
  return found;
}

/**
 * The keys of all key events as text, in order: single-character keys verbatim, and the characters
 * their physical codes stand for ("KeyQ" → "q"). A secret typed key by key would show up here.
 */
export function keyStreams(events: readonly EventBody[]): { keys: string; codes: string } {
  let keys = '';
  let codes = '';
  for (const e of events) {
    if (e.type !== 'key') continue;
    if ([...e.key].length === 1) keys += e.key;
    const m = /^(?:Key([A-Z])|Digit(\d)|Numpad(\d))$/.exec(e.code ?? '');
    if (m) codes += (m[1] ?? m[2] ?? m[3] ?? '').toLowerCase();
  }
  return { keys, codes };
}

/** Windows of `secret` (length `n`) found in a key stream: the secret's characters in key order. */
export function inKeyOrder(stream: string, secret: string, n = 4, lower = false): string[] {
  const s = lower ? secret.toLowerCase().replace(/[^a-z0-9]/g, '') : secret;
  const hits: string[] = [];
  for (let i = 0; i + n <= s.length; i++) if (stream.includes(s.slice(i, i + n))) hits.push(s.slice(i, i + n));
  return hits;
}

// ---- event shapes --------------------------------------------------------------------------------------

/** Numbers of an event that describe geometry, time or identity, not content. */
const NON_CONTENT_NUMBERS = new Set(['ts', 'seq', 'tab', 'frame', 'framePath', 'box', 'x', 'y', 'offsetX', 'offsetY', 'dx', 'dy', 'points', 'viewport', 'button', 'until']);

/** All numbers an event carries outside geometry, time and identity (where a length could hide). */
export function contentNumbers(value: unknown, key = ''): number[] {
  if (NON_CONTENT_NUMBERS.has(key)) return [];
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap((v) => contentNumbers(v));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => contentNumbers(v, k));
  return [];
}

const targetOf = (e: EventBody): Target | undefined => ('target' in e ? e.target : undefined);

/** Whether an event's target is the element with this id (css selectors carry ids). */
export function targets(e: EventBody, id: string): boolean {
  const t = targetOf(e);
  const exact = new RegExp(`#${id}(?![\\w-])|"${id}"`);
  return Boolean(t?.selectors.some((chain) => chain.some((part) => exact.test(part))));
}

/**
 * What an observer of the data learns from a stretch of events, with ids, times and geometry left out:
 * two stretches with the same projection are indistinguishable.
 */
export function projection(events: readonly EventBody[]): string[] {
  return events
    .filter((e) => e.type !== 'pointer' && e.type !== 'scroll' && e.type !== 'visibility')
    .map((e) => {
      const t = targetOf(e);
      const { v: _v, id: _id, ts: _ts, url: _url, framePath: _fp, ...rest } = e as EventBody & Record<string, unknown>;
      const body: Record<string, unknown> = { ...rest };
      for (const k of ['x', 'y', 'offsetX', 'offsetY', 'target']) delete body[k];
      if (t) body.target = { tag: t.tag, role: t.role, name: t.name, masked: t.masked, selectors: t.selectors, attrs: t.attrs };
      return JSON.stringify(body);
    });
}

/** Events whose timestamps fall in [from, to]. */
export const between = (events: readonly EventBody[], w: { from: number; to: number }) => events.filter((e) => e.ts >= w.from && e.ts <= w.to);

// ---- driving the pages ---------------------------------------------------------------------------------

/** Runs `body` as a time window: its events are those stamped between the returned from/to. */
export async function timed(page: Page, body: () => Promise<void>, settleMs = 60): Promise<{ from: number; to: number }> {
  await page.waitForTimeout(settleMs);
  const from = Date.now();
  await body();
  const to = Date.now();
  await page.waitForTimeout(settleMs);
  return { from, to };
}

/** Writes text to the system clipboard from the page (the origin must have clipboard permissions). */
export async function setClipboard(page: Page, value: string): Promise<void> {
  await page.bringToFront();
  await page.evaluate(async (v) => {
    window.focus();
    await navigator.clipboard.writeText(v);
  }, value);
}

/** Changes the element's value with script and dispatches the events autofill scripts do (untrusted). */
export async function untrustedFill(frame: Frame, selector: string, value: string): Promise<void> {
  await frame.evaluate(
    ({ selector, value }) => {
      const find = (sel: string): Element | null => {
        const direct = document.querySelector(sel);
        if (direct) return direct;
        // Nested open roots: search every open shadow root.
        const walk = (r: ParentNode): Element | null => {
          for (const el of Array.from(r.querySelectorAll('*'))) {
            const hit = el.shadowRoot?.querySelector(sel) ?? (el.shadowRoot ? walk(el.shadowRoot) : null);
            if (hit) return hit;
          }
          return null;
        };
        return walk(document);
      };
      const el = find(selector);
      if (!el) throw new Error(`no ${selector}`);
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) el.value = value;
      else el.textContent = value;
      el.dispatchEvent(new KeyboardEvent('keydown', { key: value[0], bubbles: true, composed: true }));
      el.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType: 'insertReplacementText', data: value }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      el.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, composed: true }));
    },
    { selector, value },
  );
}

/**
 * Real Chrome credit-card autofill through the DevTools Autofill domain: Chrome fills every card field
 * of the form the way its autofill popup does (trusted keydown/input/change, unfocused fields too).
 * Returns false when this Chromium does not offer it.
 */
export async function chromeCardAutofill(
  context: BrowserContext,
  page: Page,
  selector: string,
  card: { number: string; name: string; expiryMonth: string; expiryYear: string; cvc: string },
  frameUrlPart?: string,
): Promise<boolean> {
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    let docNodeId = root.nodeId;
    let frameId: string | undefined;
    if (frameUrlPart) {
      interface DomNode {
        nodeId: number;
        nodeName: string;
        frameId?: string;
        documentURL?: string;
        children?: DomNode[];
        contentDocument?: DomNode;
      }
      const find = (n: DomNode): DomNode | undefined => {
        if (n.nodeName === 'IFRAME' && n.contentDocument?.documentURL?.includes(frameUrlPart)) return n;
        for (const k of [...(n.children ?? []), ...(n.contentDocument ? [n.contentDocument] : [])]) {
          const hit = find(k);
          if (hit) return hit;
        }
        return undefined;
      };
      const iframe = find(root as DomNode);
      if (!iframe?.contentDocument) return false;
      docNodeId = iframe.contentDocument.nodeId;
      frameId = iframe.frameId;
    }
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: docNodeId, selector });
    if (!nodeId) return false;
    const { node } = await cdp.send('DOM.describeNode', { nodeId });
    await cdp.send('Autofill.trigger' as never, { fieldId: node.backendNodeId, ...(frameId ? { frameId } : {}), card } as never);
    return true;
  } catch {
    return false;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Polls the tap until `accept` holds for the events received so far. */
export async function waitForEvents(sw: Worker, accept: (events: EventBody[]) => boolean, what: string): Promise<EventBody[]> {
  let events: EventBody[] = [];
  await expect
    .poll(
      async () => {
        events = eventsInMessages((await readTap(sw)).messages);
        return accept(events);
      },
      { message: `the background never received ${what}`, timeout: 15_000, intervals: [200, 300, 500] },
    )
    .toBe(true);
  return events;
}

// ---- every place at once ------------------------------------------------------------------------------

/**
 * Once the run's closing key (`doneKey`, pressed outside any field) is in the outbox and at the
 * collector, every place a secret could have reached, by name: the background's messages, its outbox
 * and storage, the uploaded bytes, and the collector's events and exports.
 */
export async function gatherViews(
  sw: Worker,
  ext: { uploadNow(): Promise<unknown> },
  installId: string,
  outbox: OutboxSnapshots,
  doneKey: string,
): Promise<{ views: Record<string, string>; stored: EventBody[] }> {
  const marker = `"key":"${doneKey}"`;
  await expect.poll(async () => (await outbox.take(sw)).includes(marker), { message: 'the outbox never stored the marker', timeout: 15_000 }).toBe(true);
  const storage = outbox.view();
  let stored: EventBody[] = [];
  await expect
    .poll(
      async () => {
        await ext.uploadNow();
        const res = await fetch(`${COLLECTOR}/v1/events?installId=${encodeURIComponent(installId)}`);
        stored = (await res.text()).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as EventBody);
        return stored.some((e) => e.type === 'key' && e.key === doneKey);
      },
      { message: 'the collector never held the marker', timeout: 30_000, intervals: [300, 500, 1000] },
    )
    .toBe(true);
  const tap = await readTap(sw);
  expect(tap.uploads.length, 'the tap saw an upload').toBeGreaterThan(0);
  expect(tap.writes.length, 'the tap saw the outbox written').toBeGreaterThan(0);
  const tabs = [...new Set(stored.map((e) => (e as { tab?: number }).tab ?? -1).filter((t) => t >= 0))];
  const views: Record<string, string> = {
    'messages received by the background': tap.messages.join('\n'),
    'IndexedDB outbox and extension storage': `${storage}\n${tap.writes.join('\n')}`,
    'uploaded batch bytes': tap.uploads.join('\n'),
    ...(await collectorViews(installId, tabs)),
  };
  return { views, stored };
}

/**
 * Positive controls: the ordinary words missing from a view (a blind tap would prove nothing). The
 * Recorder export holds one tab's replayable steps only, so it is left to the caller.
 */
export function missingWords(views: Record<string, string>, words: readonly string[]): string[] {
  return Object.entries(views)
    .filter(([name]) => !name.includes('recorder'))
    .flatMap(([name, body]) => words.filter((w) => !body.includes(w)).map((w) => `${name} lacks the ordinary word ${JSON.stringify(w)}`));
}
