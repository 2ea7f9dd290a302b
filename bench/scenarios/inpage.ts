/**
 * In-page cost and memory: the scripted workloads with the extension, without it and with rrweb's
 * recorder, the order of the three changing per repetition (extension.ts `armOrder`). Main-thread time
 * comes from `Performance.getMetrics` on the page's own target; content scripts and rrweb run on that
 * renderer's main thread, so their work is inside these numbers.
 *
 * After the three compared arms, each repetition runs the workloads once more with the handler-timing
 * build (bench/handler-timing.ts): the content script's own time per event, measured inside it.
 */
import { delay, type Browser, type Session } from '../cdp';
import { armOrder, launchArm, type Arm, type ArmBrowser } from '../extension';
import { contentScriptWorld, readTiming, resetTiming, summarizeTiming, type HandlerTimingRun } from '../handler-timing';
import { BRISK, Input } from '../input';
import { markWindow, readRrwebBytes, type RrwebBytes } from '../rrweb';
import { summarize, sum, type Summary } from '../stats';
import { ALL_WORKLOADS, INTERACTION, type Workload } from '../workloads';

/** After load, before measuring: the content script has read its configuration and started. */
const SETTLE_MS = 700;
/**
 * After the last input, still inside the measured window: the pointer segment closes after 400 ms of
 * stillness and the content batch is sent 250 ms after the last event. All arms wait alike.
 */
const DRAIN_MS = 1_200;

/** The arms whose page cost is compared, `without` being the baseline. */
export const COMPARED_ARMS = ['with', 'without', 'rrweb'] as const;
export type ComparedArm = (typeof COMPARED_ARMS)[number];

export interface PageRun {
  workload: string;
  /** Seconds of main-thread task time (`TaskDuration`: wall time of tasks on the renderer main thread). */
  taskS: number;
  /** Seconds of JavaScript execution (`ScriptDuration`, all worlds). */
  scriptS: number;
  /** Seconds of CPU on the renderer main thread (`ThreadTime`). */
  threadS: number;
  /** Seconds of CPU of the whole renderer process (`ProcessTime`). */
  processS: number;
  wallMs: number;
  /** Events the extension stored during the workload (0 without it). */
  events: number;
  /** V8 heap of the page's renderer isolate after a forced GC (all worlds: page + content script). */
  heapUsedBytes: number;
  check: true | string;
  /** `with`: what the extension uploaded for this page (its load and the workload), counted by itself. */
  upload?: UploadTotals;
  /** `rrweb`: what the recorder emitted in this page. */
  rrweb?: RrwebBytes;
}

export interface UploadTotals {
  events: number;
  batches: number;
  bytesCompressed: number;
  bytesRaw: number;
}

export interface ArmRun {
  rep: number;
  arm: Arm;
  pages: PageRun[];
  /** The extension's service worker heap after the workload and a forced GC. */
  workerHeapBytes?: number;
  /** Upload totals over the arm's pages (with arm). */
  upload?: UploadTotals;
}

export interface Comparison {
  taskRatio: Summary;
  threadRatio: Summary;
  scriptAddedMs: Summary;
  taskAddedMs: Summary;
  threadAddedMs: Summary;
  events: Summary;
  usPerEventTask: Summary;
  usPerEventThread: Summary;
  heapAddedBytes: Summary;
  taskWithoutMs: Summary;
}

export interface WireByWorkload {
  /** The extension's upload for the page: events, gzip batch bytes, raw NDJSON bytes. */
  extension: { events: Summary; gzipBytes: Summary; rawBytes: Summary };
  /** rrweb's events for the page: raw JSON (NDJSON), gzip of it, and the full snapshot's share. */
  rrweb: { events: Summary; gzipBytes: Summary; rawBytes: Summary; snapshotRawBytes: Summary };
}

export interface HandlerTimingGroup {
  reps: number;
  all: { p50: Summary; p95: Summary; p99: Summary; max: Summary };
  listeners: { p50: Summary; p95: Summary; p99: Summary };
  deferred: { p50: Summary; p95: Summary; p99: Summary };
  /** Per kind: samples per repetition and percentiles, median [spread] over repetitions. */
  byKind: Record<string, { n: Summary; calls: Summary; p50: Summary; p95: Summary; p99: Summary; max: Summary }>;
  events: Summary;
  callsPerEvent: Summary;
  usPerEvent: Summary;
}

export interface InpageResult {
  runs: ArmRun[];
  /** The extension against no extension, per workload and for the interaction set, paired per repetition. */
  compare: Record<string, Comparison>;
  /** rrweb against no extension, the same way. */
  compareRrweb: Record<string, Comparison>;
  /** Per workload and group: repetitions in which the extension added less task time than rrweb. */
  belowRrweb: Record<string, { reps: number; of: number }>;
  wire: Record<string, WireByWorkload>;
  workerHeapBytes: Summary;
  bytesPer1000: { compressed: Summary; raw: Summary };
  /** The handler-timing arm, per repetition and group, and summarised over repetitions. */
  handlerTiming: { runs: HandlerTimingRun[]; groups: Record<string, HandlerTimingGroup> };
  checks: string[];
}

async function metrics(s: Session): Promise<Record<string, number>> {
  const r = await s.send<{ metrics: { name: string; value: number }[] }>('Performance.getMetrics');
  return Object.fromEntries(r.metrics.map((m) => [m.name, m.value]));
}

async function heapAfterGc(s: Session): Promise<number> {
  await s.send('HeapProfiler.collectGarbage');
  await s.send('HeapProfiler.collectGarbage');
  return (await s.send<{ usedSize: number }>('Runtime.getHeapUsage')).usedSize;
}

export async function workerHeap(browser: Browser): Promise<number | undefined> {
  const sw = (await browser.targets()).find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
  if (!sw) return undefined;
  const session = await browser.attach(sw.targetId);
  try {
    return await heapAfterGc(session);
  } finally {
    await browser.cdp.send('Target.detachFromTarget', { sessionId: session.id }).catch(() => undefined);
  }
}

type RawTiming = Awaited<ReturnType<typeof readTiming>>;

async function runPage(ab: ArmBrowser, baseUrl: string, w: Workload): Promise<{ page: PageRun; timing?: RawTiming }> {
  const { browser, ext, arm } = ab;
  const page = await browser.newPage(baseUrl + w.path);
  try {
    const s = page.session;
    await delay(SETTLE_MS);
    const before = ext ? await ext.storedSettled(250) : 0;
    const world = arm === 'timing' ? await contentScriptWorld(s) : undefined;
    await s.send('Performance.enable');
    if (arm === 'rrweb') await markWindow(s);
    if (world !== undefined) await resetTiming(s, world);
    const m0 = await metrics(s);
    const t0 = Date.now();
    await w.run(new Input(s, BRISK));
    const wallMs = Date.now() - t0;
    await delay(DRAIN_MS);
    const m1 = await metrics(s);
    const timing = world !== undefined ? await readTiming(s, world) : undefined;
    const d = (name: string) => (m1[name] ?? 0) - (m0[name] ?? 0);
    const check = await w.check(s).catch((err: unknown) => `check failed: ${String(err)}`);
    const events = ext ? (await ext.storedSettled()) - before : 0;
    const heapUsedBytes = await heapAfterGc(s);
    const rrweb = arm === 'rrweb' ? await readRrwebBytes(s) : undefined;
    return {
      page: {
        workload: w.name,
        taskS: d('TaskDuration'),
        scriptS: d('ScriptDuration'),
        threadS: d('ThreadTime'),
        processS: d('ProcessTime'),
        wallMs,
        events,
        heapUsedBytes,
        check,
        ...(rrweb ? { rrweb } : {}),
      },
      ...(timing ? { timing } : {}),
    };
  } finally {
    await page.close();
  }
}

const totalsOf = (t: UploadTotals): UploadTotals => ({ events: t.events, batches: t.batches, bytesCompressed: t.bytesCompressed, bytesRaw: t.bytesRaw });
const minus = (a: UploadTotals, b: UploadTotals): UploadTotals => ({
  events: a.events - b.events,
  batches: a.batches - b.batches,
  bytesCompressed: a.bytesCompressed - b.bytesCompressed,
  bytesRaw: a.bytesRaw - b.bytesRaw,
});

export interface InpageOptions {
  reps: number;
  baseUrl: string;
  /** The fixture apps served cross-origin isolated, for the handler-timing arm (absent: no timing arm). */
  isolatedBaseUrl?: string;
  /** Leave out the rrweb arm. */
  noRrweb?: boolean;
  log: (s: string) => void;
}

export async function runInpage(opts: InpageOptions): Promise<InpageResult> {
  const runs: ArmRun[] = [];
  const timingRuns: HandlerTimingRun[] = [];
  const timingChecks: string[] = [];
  const compared = COMPARED_ARMS.filter((a) => !(opts.noRrweb && a === 'rrweb'));
  for (let rep = 0; rep < opts.reps; rep++) {
    const arms: Arm[] = [...armOrder(rep, compared), ...(opts.isolatedBaseUrl ? (['timing'] as const) : [])];
    for (const arm of arms) {
      const ab = await launchArm(arm);
      try {
        const baseUrl = arm === 'timing' ? opts.isolatedBaseUrl! : opts.baseUrl;
        const pages: PageRun[] = [];
        const timings: { workload: string; timing: RawTiming; events: number }[] = [];
        let totals = arm === 'with' && ab.ext ? totalsOf((await ab.ext.status()).upload.totals) : undefined;
        for (const w of ALL_WORKLOADS) {
          const { page, timing } = await runPage(ab, baseUrl, w);
          if (totals && ab.ext) {
            // Everything this page captured, uploaded before the next one: its own bytes on the wire.
            const after = totalsOf((await ab.ext.uploadAll()).upload.totals);
            page.upload = minus(after, totals);
            totals = after;
          }
          if (timing) timings.push({ workload: w.name, timing, events: page.events });
          pages.push(page);
        }
        if (arm === 'timing') {
          const interaction = timings.filter((t) => INTERACTION.some((w) => w.name === t.workload));
          timingRuns.push(summarizeTiming(rep, 'interaction', interaction));
          for (const t of timings) timingRuns.push(summarizeTiming(rep, t.workload, [t]));
          for (const p of pages) if (p.check !== true) timingChecks.push(`rep ${rep + 1} timing ${p.workload}: ${p.check}`);
          const i = timingRuns.find((r) => r.rep === rep && r.group === 'interaction')!;
          const l = timingRuns.find((r) => r.rep === rep && r.group === 'large');
          opts.log(
            `  in-page rep ${rep + 1}/${opts.reps} handler timing: interaction p50/p95/p99 ${i.all.p50}/${i.all.p95}/${i.all.p99} µs ` +
              `(${i.all.n} samples, ${i.callsPerEvent.toFixed(1)} calls per event)` +
              (l ? `, large ${l.all.p50}/${l.all.p95}/${l.all.p99} µs` : ''),
          );
          continue;
        }
        const run: ArmRun = { rep, arm, pages };
        if (arm === 'with' && ab.ext) {
          run.workerHeapBytes = await workerHeap(ab.browser);
          const ups = pages.map((p) => p.upload).filter((u): u is UploadTotals => Boolean(u));
          run.upload = ups.reduce((a, u) => ({ events: a.events + u.events, batches: a.batches + u.batches, bytesCompressed: a.bytesCompressed + u.bytesCompressed, bytesRaw: a.bytesRaw + u.bytesRaw }), {
            events: 0,
            batches: 0,
            bytesCompressed: 0,
            bytesRaw: 0,
          });
        }
        runs.push(run);
        opts.log(
          `  in-page rep ${rep + 1}/${opts.reps} ${arm}: ` +
            pages
              .map((p) => `${p.workload} ${(p.taskS * 1000).toFixed(0)} ms task/${arm === 'rrweb' ? `${p.rrweb?.events ?? '?'} rrweb ev` : `${p.events} ev`}`)
              .join(', '),
        );
      } finally {
        await ab.browser.close();
      }
    }
  }
  const result = summarizeRuns(runs);
  result.handlerTiming = { runs: timingRuns, groups: summarizeTimingGroups(timingRuns) };
  result.checks.push(...timingChecks);
  return result;
}

const GROUPS: Record<string, readonly string[]> = {
  interaction: INTERACTION.map((w) => w.name),
  ...Object.fromEntries(ALL_WORKLOADS.map((w) => [w.name, [w.name]])),
};

/** `arm` against `without`, paired per repetition, per workload and group. */
function compareArms(runs: ArmRun[], arm: ComparedArm): Record<string, Comparison> {
  const reps = [...new Set(runs.map((r) => r.rep))];
  const pick = (rep: number, a: Arm) => runs.find((r) => r.rep === rep && r.arm === a);
  const out: Record<string, Comparison> = {};
  for (const [group, names] of Object.entries(GROUPS)) {
    const acc: Record<keyof Comparison, number[]> = {
      taskRatio: [],
      threadRatio: [],
      scriptAddedMs: [],
      taskAddedMs: [],
      threadAddedMs: [],
      events: [],
      usPerEventTask: [],
      usPerEventThread: [],
      heapAddedBytes: [],
      taskWithoutMs: [],
    };
    for (const rep of reps) {
      const w = pick(rep, arm);
      const wo = pick(rep, 'without');
      if (!w || !wo) continue;
      const sel = (r: ArmRun) => r.pages.filter((p) => names.includes(p.workload));
      const tot = (r: ArmRun, k: 'taskS' | 'threadS' | 'scriptS' | 'events' | 'heapUsedBytes') => sum(sel(r).map((p) => p[k]));
      // Per captured event: the extension's stored events (rrweb's arm is divided by the same count).
      const extRun = pick(rep, 'with');
      const events = extRun ? tot(extRun, 'events') : 0;
      const taskAdded = (tot(w, 'taskS') - tot(wo, 'taskS')) * 1000;
      const threadAdded = (tot(w, 'threadS') - tot(wo, 'threadS')) * 1000;
      acc.taskRatio.push(tot(w, 'taskS') / tot(wo, 'taskS'));
      acc.threadRatio.push(tot(w, 'threadS') / tot(wo, 'threadS'));
      acc.scriptAddedMs.push((tot(w, 'scriptS') - tot(wo, 'scriptS')) * 1000);
      acc.taskAddedMs.push(taskAdded);
      acc.threadAddedMs.push(threadAdded);
      acc.events.push(events);
      acc.usPerEventTask.push(events ? (taskAdded * 1000) / events : Number.NaN);
      acc.usPerEventThread.push(events ? (threadAdded * 1000) / events : Number.NaN);
      // Heap is per page; for a group, the mean over its pages.
      acc.heapAddedBytes.push((tot(w, 'heapUsedBytes') - tot(wo, 'heapUsedBytes')) / names.length);
      acc.taskWithoutMs.push(tot(wo, 'taskS') * 1000);
    }
    out[group] = Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, summarize(v)])) as unknown as Comparison;
  }
  return out;
}

function summarizeRuns(runs: ArmRun[]): InpageResult {
  const compare = compareArms(runs, 'with');
  const compareRrweb = compareArms(runs, 'rrweb');
  const belowRrweb: InpageResult['belowRrweb'] = {};
  for (const group of Object.keys(GROUPS)) {
    const e = compare[group]!.taskAddedMs.samples;
    const r = compareRrweb[group]!.taskAddedMs.samples;
    const pairs = e.map((x, i) => [x, r[i]] as const).filter(([x, y]) => Number.isFinite(x) && y !== undefined && Number.isFinite(y));
    belowRrweb[group] = { reps: pairs.filter(([x, y]) => x < y!).length, of: pairs.length };
  }
  const withRuns = runs.filter((r) => r.arm === 'with');
  const rrwebRuns = runs.filter((r) => r.arm === 'rrweb');
  const wire: InpageResult['wire'] = {};
  for (const w of ALL_WORKLOADS) {
    const ext = withRuns.map((r) => r.pages.find((p) => p.workload === w.name)?.upload).filter((u): u is UploadTotals => Boolean(u));
    const rr = rrwebRuns.map((r) => r.pages.find((p) => p.workload === w.name)?.rrweb).filter((u): u is RrwebBytes => Boolean(u));
    wire[w.name] = {
      extension: {
        events: summarize(ext.map((u) => u.events)),
        gzipBytes: summarize(ext.map((u) => u.bytesCompressed)),
        rawBytes: summarize(ext.map((u) => u.bytesRaw)),
      },
      rrweb: {
        events: summarize(rr.map((u) => u.events)),
        gzipBytes: summarize(rr.map((u) => u.gzipBytes)),
        rawBytes: summarize(rr.map((u) => u.rawBytes)),
        snapshotRawBytes: summarize(rr.map((u) => u.snapshotRawBytes)),
      },
    };
  }
  const uploads = withRuns.map((r) => r.upload).filter((u): u is UploadTotals => Boolean(u && u.events));
  const checks = runs.flatMap((r) => r.pages.filter((p) => p.check !== true).map((p) => `rep ${r.rep + 1} ${r.arm} ${p.workload}: ${String(p.check)}`));
  return {
    runs,
    compare,
    compareRrweb,
    belowRrweb,
    wire,
    workerHeapBytes: summarize(withRuns.map((r) => r.workerHeapBytes ?? Number.NaN)),
    bytesPer1000: {
      compressed: summarize(uploads.map((u) => (u.bytesCompressed / u.events) * 1000)),
      raw: summarize(uploads.map((u) => (u.bytesRaw / u.events) * 1000)),
    },
    handlerTiming: { runs: [], groups: {} },
    checks,
  };
}

function summarizeTimingGroups(runs: HandlerTimingRun[]): Record<string, HandlerTimingGroup> {
  const out: Record<string, HandlerTimingGroup> = {};
  for (const group of [...new Set(runs.map((r) => r.group))]) {
    const rs = runs.filter((r) => r.group === group);
    const over = (f: (r: HandlerTimingRun) => number) => summarize(rs.map(f));
    const kinds = [...new Set(rs.flatMap((r) => Object.keys(r.byKind)))].sort();
    out[group] = {
      reps: rs.length,
      all: { p50: over((r) => r.all.p50), p95: over((r) => r.all.p95), p99: over((r) => r.all.p99), max: over((r) => r.all.max) },
      listeners: { p50: over((r) => r.listeners.p50), p95: over((r) => r.listeners.p95), p99: over((r) => r.listeners.p99) },
      deferred: { p50: over((r) => r.deferred.p50), p95: over((r) => r.deferred.p95), p99: over((r) => r.deferred.p99) },
      byKind: Object.fromEntries(
        kinds.map((k) => {
          const of = (f: (t: HandlerTimingRun['all']) => number) => summarize(rs.map((r) => (r.byKind[k] ? f(r.byKind[k]) : Number.NaN)));
          return [k, { n: of((t) => t.n), calls: of((t) => t.calls), p50: of((t) => t.p50), p95: of((t) => t.p95), p99: of((t) => t.p99), max: of((t) => t.max) }];
        }),
      ),
      events: over((r) => r.events),
      callsPerEvent: over((r) => r.callsPerEvent),
      usPerEvent: over((r) => r.usPerEvent),
    };
  }
  return out;
}
