/**
 * Pause latency with several tabs open and busy: every tab keeps receiving trusted input (key presses
 * and pointer movement through CDP) while the options page sends `{kind:'pause', minutes:5}`.
 *
 * - latency: from sending the pause to the later of the pause marker and the last event any tab got
 *   stored (events are read back from the collector afterwards);
 * - detach: from sending the pause until the content script of each tab holds no capture listener any
 *   more (`DOMDebugger.getEventListeners` on the document and window of the extension's isolated world).
 */
import { delay, type Session } from '../cdp';
import { collectorEvents, launchArm } from '../extension';
import { summarize, type Summary } from '../stats';

const TABS = ['/menubar/', '/form/', '/scroll/'] as const;
const BUSY_BEFORE_MS = 1_000;
const BUSY_AFTER_MS = 1_500;
const DETACH_TIMEOUT_MS = 5_000;

export interface PauseRep {
  rep: number;
  /** ms from sending the message to its answer. */
  replyMs: number;
  /** ms from sending to the pause marker's ts. */
  markerMs: number | null;
  /** ms from sending to the last non-marker event stored (any tab) before the resume. */
  lastEventMs: number | null;
  latencyMs: number | null;
  /** Events stored with a ts after the marker (should be 0). */
  afterMarker: number;
  /** Per tab: ms until the content script held no page listener (null: not within the timeout). */
  detachMs: (number | null)[];
  /** Events stored per tab in the second before the pause (shows every tab was busy). */
  eventsPerTabBefore: number[];
}

export interface PauseResult {
  tabs: number;
  reps: PauseRep[];
  latencyMs: Summary;
  maxDetachMs: Summary;
}

/**
 * Page listeners held by the content script: `getEventListeners` reports the listeners of the world the
 * object was obtained in, so `document` and `window` are taken from the extension's isolated world.
 */
async function contentListenerCount(s: Session, contextId: number): Promise<number> {
  let n = 0;
  for (const expression of ['document', 'window']) {
    const r = await s.send<{ result: { objectId?: string } }>('Runtime.evaluate', { expression, contextId });
    const objectId = r.result.objectId;
    if (!objectId) continue;
    const { listeners } = await s.send<{ listeners: { type: string }[] }>('DOMDebugger.getEventListeners', { objectId });
    // WXT's own "a newer content script started" listener stays for the script's lifetime.
    n += listeners.filter((l) => !l.type.includes(':wxt:')).length;
    await s.send('Runtime.releaseObject', { objectId }).catch(() => undefined);
  }
  return n;
}

/** Keep one tab busy with trusted input until `stop()`. */
function generate(s: Session): { stop: () => Promise<void> } {
  let running = true;
  const loop = (async () => {
    let i = 0;
    while (running) {
      i++;
      await s.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'j', code: 'KeyJ', windowsVirtualKeyCode: 74, nativeVirtualKeyCode: 74 });
      if (i % 3 === 0) await s.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x: 200 + ((i * 7) % 600), y: 300 + ((i * 3) % 200) });
      await delay(4);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop.catch(() => undefined);
    },
  };
}

export async function runPause(opts: { reps: number; baseUrl: string; collectorUrl: string; log: (s: string) => void }): Promise<PauseResult> {
  const { browser, ext } = await launchArm('with');
  try {
    if (!ext) throw new Error('no extension');
    const installId = await ext.installId();
    const tabs: { session: Session; world: number }[] = [];
    for (const path of TABS) {
      // Every tab in a window of its own and treated as focused, so that every one of them takes input.
      const page = await browser.newPage(opts.baseUrl + path, { newWindow: true });
      await page.session.send('Emulation.setFocusEmulationEnabled', { enabled: true });
      const contexts: { id: number; origin: string; auxData?: { type?: string; isDefault?: boolean } }[] = [];
      const off = page.session.on('Runtime.executionContextCreated', (p) => contexts.push(p.context as (typeof contexts)[number]));
      await page.session.send('Runtime.enable');
      await delay(300);
      off();
      const world = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin.startsWith('chrome-extension://'));
      if (!world) throw new Error(`pause: no content-script world in ${path}`);
      await page.session.send('Input.dispatchMouseEvent', { type: 'mousePressed', x: 900, y: 40, button: 'left', clickCount: 1 });
      await page.session.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x: 900, y: 40, button: 'left', clickCount: 1 });
      tabs.push({ session: page.session, world: world.id });
    }
    const windows: { sentAt: number; resumeAt: number; replyMs: number; detachMs: (number | null)[] }[] = [];
    for (let rep = 0; rep < opts.reps; rep++) {
      const before = await Promise.all(tabs.map((t) => contentListenerCount(t.session, t.world)));
      if (before.some((n) => n === 0)) throw new Error(`pause: a tab has no content-script listeners before the pause (${before.join(', ')})`);
      const gens = tabs.map((t) => generate(t.session));
      await delay(BUSY_BEFORE_MS);
      const sentAt = Date.now();
      const reply = ext.send({ kind: 'pause', minutes: 5 }).then(() => Date.now() - sentAt);
      const detachMs = await Promise.all(
        tabs.map(async (t) => {
          while (Date.now() - sentAt < DETACH_TIMEOUT_MS) {
            if ((await contentListenerCount(t.session, t.world)) === 0) return Date.now() - sentAt;
          }
          return null;
        }),
      );
      const replyMs = await reply;
      await delay(Math.max(0, sentAt + BUSY_AFTER_MS - Date.now()));
      await Promise.all(gens.map((g) => g.stop()));
      const resumeAt = Date.now();
      await ext.send({ kind: 'resume' });
      for (const t of tabs) {
        const end = Date.now() + DETACH_TIMEOUT_MS;
        while ((await contentListenerCount(t.session, t.world)) === 0 && Date.now() < end) await delay(50);
      }
      await delay(300);
      windows.push({ sentAt, resumeAt, replyMs, detachMs });
      opts.log(`  pause rep ${rep + 1}/${opts.reps}: answered in ${replyMs} ms; content scripts detached after ${detachMs.map((d) => d ?? 'timeout').join(', ')} ms`);
    }
    await ext.storedSettled();
    await ext.uploadAll();
    const events = await collectorEvents(opts.collectorUrl, installId);
    const tabIds = [...new Set(events.filter((e) => e.type !== 'capture').map((e) => e.tab))];
    const reps: PauseRep[] = windows.map((w, rep) => {
      const marker = events.find((e) => e.type === 'capture' && e.state === 'paused' && e.ts >= w.sentAt - 50 && e.ts <= w.resumeAt);
      const inWindow = events.filter((e) => e.type !== 'capture' && e.ts >= w.sentAt - BUSY_BEFORE_MS && e.ts < w.resumeAt);
      const lastTs = inWindow.length ? Math.max(...inWindow.map((e) => e.ts)) : null;
      const markerMs = marker ? marker.ts - w.sentAt : null;
      const lastEventMs = lastTs === null ? null : lastTs - w.sentAt;
      const afterMarker = marker ? inWindow.filter((e) => e.ts > marker.ts).length : 0;
      const eventsPerTabBefore = tabIds.map((tab) => inWindow.filter((e) => e.tab === tab && e.ts < w.sentAt && e.ts >= w.sentAt - 1000).length);
      return {
        rep,
        replyMs: w.replyMs,
        markerMs,
        lastEventMs,
        latencyMs: markerMs === null ? null : Math.max(markerMs, lastEventMs ?? 0),
        afterMarker,
        detachMs: w.detachMs,
        eventsPerTabBefore,
      };
    });
    return {
      tabs: TABS.length,
      reps,
      latencyMs: summarize(reps.map((r) => r.latencyMs ?? Number.NaN)),
      maxDetachMs: summarize(reps.map((r) => (r.detachMs.some((d) => d === null) ? Number.NaN : Math.max(...(r.detachMs as number[]))))),
    };
  } finally {
    await browser.close();
  }
}
