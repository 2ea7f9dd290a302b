/**
 * Wire cost of a representative session: the interaction workloads at a person's pace (typing at
 * ≈ 55 wpm, a second between actions, pointer paths at 60 Hz), with the extension only. Everything is
 * uploaded at the end; the byte-counting proxy in front of the collector sees requests with their HTTP
 * headers, and the extension's own totals give compressed and raw batch bytes.
 *
 * Extrapolation: an "active hour" is an hour of this session's activity, i.e. bytes / session seconds
 * × 3600. Real hours hold reading and idle time, so this is an upper bound for ordinary office work.
 */
import { delay } from '../cdp';
import { launchArm } from '../extension';
import { HUMAN, Input } from '../input';
import type { Wire } from '../wire';
import type { Workload } from '../workloads';

export interface SessionResult {
  workloads: string[];
  durationS: number;
  events: number;
  eventsPerMinute: number;
  batches: number;
  bytesCompressed: number;
  bytesRaw: number;
  /** Bytes on the wire from the extension to the collector (requests incl. headers), and back. */
  httpBytesUp: number;
  httpBytesDown: number;
  perActiveHour: { compressedKB: number; rawKB: number; httpUpKB: number };
  per1000Events: { compressedBytes: number; rawBytes: number };
  eventTypes: Record<string, number>;
  /** Share of the raw NDJSON bytes per event type, in % (as stored by the collector). */
  rawShareByType: Record<string, number>;
  checks: string[];
}

export async function runSession(opts: { workloads: readonly Workload[]; baseUrl: string; wire: Wire; log: (s: string) => void }): Promise<SessionResult> {
  const { browser, ext } = await launchArm('with');
  try {
    if (!ext) throw new Error('no extension');
    // Nothing pending before the session; count only what the session produces.
    await ext.storedSettled();
    const before = (await ext.uploadAll()).upload.totals;
    opts.wire.reset();
    const checks: string[] = [];
    const t0 = Date.now();
    for (const w of opts.workloads) {
      const page = await browser.newPage(opts.baseUrl + w.path);
      await delay(HUMAN.thinkMs);
      await w.run(new Input(page.session, HUMAN));
      const ok = await w.check(page.session).catch((err: unknown) => String(err));
      if (ok !== true) checks.push(`${w.name}: ${ok}`);
      await page.close();
    }
    const durationS = (Date.now() - t0) / 1000;
    await ext.storedSettled();
    const after = (await ext.uploadAll()).upload.totals;
    // Let the last answer reach the proxy's counters.
    await delay(200);
    const events = after.events - before.events;
    const bytesCompressed = after.bytesCompressed - before.bytesCompressed;
    const bytesRaw = after.bytesRaw - before.bytesRaw;
    const perHour = (bytes: number) => Math.round(((bytes / durationS) * 3600) / 102.4) / 10;
    const installId = await ext.installId();
    const eventTypes: Record<string, number> = {};
    const bytesByType: Record<string, number> = {};
    let allBytes = 0;
    const text = await (await fetch(`${opts.wire.collectorUrl}/v1/events?installId=${installId}`)).text();
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const type = (JSON.parse(line) as { type: string }).type;
      eventTypes[type] = (eventTypes[type] ?? 0) + 1;
      bytesByType[type] = (bytesByType[type] ?? 0) + line.length;
      allBytes += line.length;
    }
    const rawShareByType = Object.fromEntries(
      Object.entries(bytesByType)
        .sort((a, b) => b[1] - a[1])
        .map(([type, bytes]) => [type, Math.round((bytes / allBytes) * 1000) / 10]),
    );
    const result: SessionResult = {
      workloads: opts.workloads.map((w) => w.name),
      durationS,
      events,
      eventsPerMinute: (events / durationS) * 60,
      batches: after.batches - before.batches,
      bytesCompressed,
      bytesRaw,
      httpBytesUp: opts.wire.counters.up,
      httpBytesDown: opts.wire.counters.down,
      perActiveHour: { compressedKB: perHour(bytesCompressed), rawKB: perHour(bytesRaw), httpUpKB: perHour(opts.wire.counters.up) },
      per1000Events: { compressedBytes: (bytesCompressed / events) * 1000, rawBytes: (bytesRaw / events) * 1000 },
      eventTypes,
      rawShareByType,
      checks,
    };
    opts.log(
      `  session: ${durationS.toFixed(0)} s, ${events} events (${result.eventsPerMinute.toFixed(0)}/min), ${bytesCompressed} B gzip / ${bytesRaw} B raw, ` +
        `${result.httpBytesUp} B on the wire → ${result.perActiveHour.compressedKB} KB per active hour`,
    );
    return result;
  } finally {
    await browser.close();
  }
}
