/**
 * The two arms of every comparison, and control of the extension through its own options page (the
 * page trust tier: status, upload-now, pause, resume).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Status } from '../lib/background/status';
import type { CaptureEvent } from '../lib/schema/event';
import { delay, launch, poll, type Browser, type Page } from './cdp';

export const EXTENSION_DIR = fileURLToPath(new URL('../.output/chrome-mv3-dev', import.meta.url));
export const EXTENSION_ID = readFileSync(new URL('../keys/id.txt', import.meta.url), 'utf8').trim();

export type Arm = 'with' | 'without';

/** Alternating order per repetition (AB, BA, AB, …), so a drift over the run hits both arms alike. */
export function armOrder(rep: number): Arm[] {
  return rep % 2 === 0 ? ['with', 'without'] : ['without', 'with'];
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
}

export async function launchArm(arm: Arm): Promise<ArmBrowser> {
  const browser = await launch(arm === 'with' ? { extension: EXTENSION_DIR } : {});
  try {
    const ext = arm === 'with' ? await ExtensionControl.attach(browser) : undefined;
    return { arm, browser, ext };
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
