/**
 * Burst: 10,000 trusted key presses dispatched through CDP as fast as the page takes them (pipelined,
 * one `rawKeyDown` each, focus on the page body, so every press is one `key` event), then the time
 * until all are durable in IndexedDB (the outbox's gap-free seq counter, read through the status
 * message) and how many never arrive (counted at the collector after uploading everything).
 *
 * The same dispatch runs without the extension too: how long the page itself needs for the burst.
 */
import { delay, type Session } from '../cdp';
import { collectorEvents, collectorStats, launchArm } from '../extension';

export interface BurstResult {
  events: number;
  page: string;
  /** ms from the first dispatch until the page acknowledged the last one. */
  dispatchMsWith: number;
  dispatchMsWithout: number;
  /** ms from the first dispatch until every event was stored in IndexedDB (null: not within the timeout). */
  durableMs: number | null;
  /** Stored-count samples (ms since first dispatch, events stored). */
  curve: [number, number][];
  /** Key events of the burst that the collector holds after everything was uploaded. */
  collected: number;
  lost: number;
  duplicates: number;
  seqGaps: number;
  droppedReported: number;
}

const BURST_PAGE = '/form/';
const DURABLE_TIMEOUT_MS = 120_000;

/** A click on empty page space: keys then go to the body, where each press is one `key` event. */
async function focusBody(s: Session): Promise<void> {
  await s.send('Input.dispatchMouseEvent', { type: 'mousePressed', x: 900, y: 40, button: 'left', clickCount: 1 });
  await s.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x: 900, y: 40, button: 'left', clickCount: 1 });
}

async function dispatchBurst(s: Session, n: number): Promise<number> {
  const key = { type: 'rawKeyDown', key: 'j', code: 'KeyJ', windowsVirtualKeyCode: 74, nativeVirtualKeyCode: 74 };
  const t0 = Date.now();
  const sent: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) sent.push(s.send('Input.dispatchKeyEvent', key));
  await Promise.all(sent);
  return Date.now() - t0;
}

export async function runBurst(opts: { events: number; baseUrl: string; collectorUrl: string; log: (s: string) => void }): Promise<BurstResult> {
  const n = opts.events;
  let dispatchMsWithout = Number.NaN;
  {
    const { browser } = await launchArm('without');
    try {
      const page = await browser.newPage(opts.baseUrl + BURST_PAGE);
      await delay(500);
      await focusBody(page.session);
      dispatchMsWithout = await dispatchBurst(page.session, n);
    } finally {
      await browser.close();
    }
  }
  const { browser, ext } = await launchArm('with');
  try {
    if (!ext) throw new Error('no extension');
    const installId = await ext.installId();
    const page = await browser.newPage(opts.baseUrl + BURST_PAGE);
    await delay(700);
    await focusBody(page.session);
    await ext.storedSettled(300);
    const startAt = Date.now();
    const base = await ext.stored();
    const curve: [number, number][] = [];
    let durableMs: number | null = null;
    const dispatching = dispatchBurst(page.session, n);
    // Poll the stored count while the burst runs and after it, until all of it is durable.
    const watch = (async () => {
      const t0 = Date.now();
      while (Date.now() - t0 < DURABLE_TIMEOUT_MS) {
        const stored = (await ext.stored()) - base;
        const at = Date.now() - t0;
        curve.push([at, stored]);
        if (stored >= n) {
          durableMs = at;
          return;
        }
        await delay(200);
      }
    })();
    const dispatchMsWith = await dispatching;
    await watch;
    opts.log(`  burst: dispatched ${n} keys in ${dispatchMsWith} ms (without the extension ${dispatchMsWithout} ms); durable after ${durableMs ?? 'timeout'} ms`);
    await ext.storedSettled();
    await ext.uploadAll();
    const events = await collectorEvents(opts.collectorUrl, installId);
    const burst = events.filter((e) => e.type === 'key' && e.key === 'j' && e.ts >= startAt);
    const ids = new Set(burst.map((e) => e.id));
    const stats = await collectorStats(opts.collectorUrl, installId);
    const install = stats.installs.find((i) => i.installId === installId);
    return {
      events: n,
      page: BURST_PAGE,
      dispatchMsWith,
      dispatchMsWithout,
      durableMs,
      curve,
      collected: ids.size,
      lost: n - ids.size,
      duplicates: burst.length - ids.size,
      seqGaps: install?.seqGaps ?? 0,
      droppedReported: install?.dropped ?? 0,
    };
  } finally {
    await browser.close();
  }
}
