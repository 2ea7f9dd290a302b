/**
 * The arms of every comparison, and control of the extension through its own options page (the
 * page trust tier: status, upload-now, pause, resume).
 *
 * - `with`: the development build (.output/chrome-mv3-dev), as people run it.
 * - `without`: the same Chromium and flags, no extension.
 * - `rrweb`: no extension; rrweb's `record()` injected at document start in every frame (bench/rrweb.ts),
 *   the recorder people know, for comparison.
 * - `timing`: the development build compiled with handler timing (bench/handler-timing.ts); it measures
 *   the content script's own handlers and is never compared for page cost (the timing adds to it).
 *
 * Every arm has a second browser window: the options page in the extension arms, a blank page in the
 * others. The window is not free (Chromium gives each window its own WebUI renderer, which keeps working
 * for a while after the window was used), so an arm without it would look cheaper for no reason of the
 * extension's.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Status } from '../lib/background/status';
import type { CaptureEvent } from '../lib/schema/event';
import { delay, launch, poll, type Browser, type Page } from './cdp';
import { HANDLER_TIMING_DIR } from './handler-timing';
import { rrwebPageScript } from './rrweb';

export const EXTENSION_DIR = fileURLToPath(new URL('../.output/chrome-mv3-dev', import.meta.url));
export const EXTENSION_ID = readFileSync(new URL('../keys/id.txt', import.meta.url), 'utf8').trim();

export type Arm = 'with' | 'without' | 'rrweb' | 'timing';

/**
 * The order of `arms` in repetition `rep`, changing from one repetition to the next so that a drift over
 * the run hits every arm alike: AB, BA, … for two arms; for three, the six orders in turn (each arm
 * twice in each place over six repetitions, every pair of arms as often in one order as in the other).
 */
export function armOrder<T>(rep: number, arms: readonly T[]): T[] {
  if (arms.length === 3) {
    const orders = [
      [0, 1, 2],
      [2, 1, 0],
      [1, 2, 0],
      [0, 2, 1],
      [2, 0, 1],
      [1, 0, 2],
    ] as const;
    return orders[rep % orders.length]!.map((i) => arms[i]!);
  }
  const rotated = arms.map((_, i) => arms[(i + Math.floor(rep / 2)) % arms.length]!);
  return rep % 2 === 0 ? rotated : rotated.reverse();
}

export class ExtensionControl {
  private constructor(
    readonly browser: Browser,
    private page: Page | undefined,
  ) {}

  /** Open the options page and wait until the background published a recording configuration. */
  static async attach(browser: Browser): Promise<ExtensionControl> {
    const ctl = new ExtensionControl(browser, undefined);
    await poll(async () => ((await ctl.contentMode()) === 'recording' ? true : undefined), 30_000, 'the extension to start recording', 200);
    return ctl;
  }

  private async options(): Promise<Page> {
    // A window of its own: opening it must not hide (and so change the visibility of) a measured tab.
    this.page ??= await this.browser.newPage(`chrome-extension://${EXTENSION_ID}/options.html`, { newWindow: true });
    return this.page;
  }

  /** Close the options page (it is a renderer of its own; idle measurements run without it). */
  async closePage(): Promise<void> {
    await this.page?.close();
    this.page = undefined;
  }

  async evaluate<T>(expression: string): Promise<T> {
    return (await this.options()).session.evaluate<T>(expression);
  }

  send<T = unknown>(message: unknown): Promise<T> {
    return this.evaluate<T>(`chrome.runtime.sendMessage(${JSON.stringify(message)})`);
  }

  async contentMode(): Promise<string | undefined> {
    return this.evaluate<string | undefined>(`chrome.storage.local.get('contentConfig').then((r) => r.contentConfig && r.contentConfig.mode)`);
  }

  status(): Promise<Status> {
    return this.send<Status>({ kind: 'status' });
  }

  async installId(): Promise<string> {
    return this.evaluate<string>(`chrome.storage.local.get('installId').then((r) => r.installId)`);
  }

  /** Events stored in IndexedDB so far (seqs are gap-free and assigned in the storing transaction). */
  async stored(): Promise<number> {
    return (await this.status()).outbox.nextSeq - 1;
  }

  /** Wait until the stored count stops moving (content batches flushed and stored). */
  async storedSettled(quietMs = 400, timeoutMs = 30_000): Promise<number> {
    const end = Date.now() + timeoutMs;
    let last = await this.stored();
    for (;;) {
      await delay(quietMs);
      const now = await this.stored();
      if (now === last || Date.now() > end) return now;
      last = now;
    }
  }

  /** Upload until the outbox is empty; returns the final status. */
  async uploadAll(timeoutMs = 120_000): Promise<Status> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.send<{ outcome: string; status: Status }>({ kind: 'upload-now' });
      if (r.status.outbox.pending === 0) return r.status;
      if (Date.now() > end) throw new Error(`upload did not drain the outbox: ${r.outcome}, ${r.status.outbox.pending} pending`);
      await delay(r.outcome === 'continue' || r.outcome === 'done' ? 100 : 1_000);
    }
  }

  async alarms(): Promise<{ name: string; scheduledTime: number; periodInMinutes?: number }[]> {
    return this.evaluate(`chrome.alarms.getAll()`);
  }
}

export interface ArmBrowser {
  arm: Arm;
  browser: Browser;
  ext: ExtensionControl | undefined;
  /** Close the second window (the options page, or the blank page standing in for it). */
  closeSecondWindow(): Promise<void>;
}

export async function launchArm(arm: Arm): Promise<ArmBrowser> {
  const extension = arm === 'with' ? EXTENSION_DIR : arm === 'timing' ? HANDLER_TIMING_DIR : undefined;
  const browser = await launch({ ...(extension ? { extension } : {}), ...(arm === 'rrweb' ? { pageScript: rrwebPageScript() } : {}) });
  try {
    if (extension) {
      const ext = await ExtensionControl.attach(browser);
      return { arm, browser, ext, closeSecondWindow: () => ext.closePage() };
    }
    const blank = await browser.newPage('about:blank', { newWindow: true });
    return { arm, browser, ext: undefined, closeSecondWindow: () => blank.close() };
  } catch (err) {
    await browser.close();
    throw err;
  }
}

/** The collector's view of one install (queried directly, not through the byte-counting proxy). */
export async function collectorEvents(collectorUrl: string, installId: string): Promise<CaptureEvent[]> {
  const text = await (await fetch(`${collectorUrl}/v1/events?installId=${encodeURIComponent(installId)}`)).text();
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CaptureEvent);
}

export interface InstallStats {
  installId: string;
  events: number;
  seqGaps: number;
  missingSeqs: number[];
  dropped: number;
}

export async function collectorStats(collectorUrl: string, installId: string): Promise<{ batches: number; events: number; duplicateBatches: number; duplicateEvents: number; installs: InstallStats[] }> {
  return (await fetch(`${collectorUrl}/v1/stats?installId=${encodeURIComponent(installId)}`)).json() as Promise<never>;
}
