/**
 * In-page cost and memory: the scripted workloads with and without the extension, alternating the
 * order per repetition. Main-thread time comes from `Performance.getMetrics` on the page's own target;
 * content scripts run on that renderer's main thread, so their work is inside these numbers.
 */
import { delay, type Browser, type Session } from '../cdp';
import { armOrder, launchArm, type Arm, type ExtensionControl } from '../extension';
import { BRISK, Input } from '../input';
import { summarize, sum, type Summary } from '../stats';
import { ALL_WORKLOADS, INTERACTION, type Workload } from '../workloads';

/** After load, before measuring: the content script has read its configuration and started. */
const SETTLE_MS = 700;
/**
 * After the last input, still inside the measured window: the pointer segment closes after 400 ms of
 * stillness and the content batch is sent 250 ms after the last event. Both arms wait alike.
 */
const DRAIN_MS = 1_200;

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
}

export interface ArmRun {
  rep: number;
  arm: Arm;
  pages: PageRun[];
  /** The extension's service worker heap after the workload and a forced GC. */
  workerHeapBytes?: number;
  /** Upload totals after the workload (with arm). */
  upload?: { events: number; batches: number; bytesCompressed: number; bytesRaw: number };
}

export interface InpageResult {
  runs: ArmRun[];
  /** Per workload and for the interaction set (form + menubar + scroll), paired per repetition. */
  compare: Record<
    string,
    {
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
  >;
  workerHeapBytes: Summary;
  bytesPer1000: { compressed: Summary; raw: Summary };
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

async function runPage(browser: Browser, ext: ExtensionControl | undefined, baseUrl: string, w: Workload): Promise<PageRun> {
  const page = await browser.newPage(baseUrl + w.path);
  try {
    const s = page.session;
    await delay(SETTLE_MS);
    const before = ext ? await ext.storedSettled(250) : 0;
    await s.send('Performance.enable');
    const m0 = await metrics(s);
    const t0 = Date.now();
    await w.run(new Input(s, BRISK));
    const wallMs = Date.now() - t0;
    await delay(DRAIN_MS);
    const m1 = await metrics(s);
    const d = (name: string) => (m1[name] ?? 0) - (m0[name] ?? 0);
    const check = await w.check(s).catch((err: unknown) => `check failed: ${String(err)}`);
    const events = ext ? (await ext.storedSettled()) - before : 0;
    const heapUsedBytes = await heapAfterGc(s);
    return {
      workload: w.name,
      taskS: d('TaskDuration'),
      scriptS: d('ScriptDuration'),
      threadS: d('ThreadTime'),
      processS: d('ProcessTime'),
      wallMs,
      events,
      heapUsedBytes,
      check,
    };
  } finally {
    await page.close();
  }
}

export async function runInpage(opts: { reps: number; baseUrl: string; log: (s: string) => void }): Promise<InpageResult> {
  const runs: ArmRun[] = [];
  for (let rep = 0; rep < opts.reps; rep++) {
    for (const arm of armOrder(rep)) {
      const { browser, ext } = await launchArm(arm);
      try {
        const pages: PageRun[] = [];
        for (const w of ALL_WORKLOADS) pages.push(await runPage(browser, ext, opts.baseUrl, w));
        const run: ArmRun = { rep, arm, pages };
        if (ext) {
          run.workerHeapBytes = await workerHeap(browser);
          const st = await ext.uploadAll();
          const t = st.upload.totals;
          run.upload = { events: t.events, batches: t.batches, bytesCompressed: t.bytesCompressed, bytesRaw: t.bytesRaw };
        }
        runs.push(run);
        opts.log(
          `  in-page rep ${rep + 1}/${opts.reps} ${arm}: ` +
            pages.map((p) => `${p.workload} ${(p.taskS * 1000).toFixed(0)} ms task/${p.events} ev`).join(', '),
        );
      } finally {
        await browser.close();
      }
    }
  }
  return { runs, ...compare(runs) };
}

function compare(runs: ArmRun[]): Omit<InpageResult, 'runs'> {
  const reps = [...new Set(runs.map((r) => r.rep))];
  const pick = (rep: number, arm: Arm) => runs.find((r) => r.rep === rep && r.arm === arm);
  const groups: Record<string, readonly string[]> = {
    interaction: INTERACTION.map((w) => w.name),
    ...Object.fromEntries(ALL_WORKLOADS.map((w) => [w.name, [w.name]])),
  };
  const out: InpageResult['compare'] = {};
  for (const [group, names] of Object.entries(groups)) {
    const acc = {
      taskRatio: [] as number[],
      threadRatio: [] as number[],
      scriptAddedMs: [] as number[],
      taskAddedMs: [] as number[],
      threadAddedMs: [] as number[],
      events: [] as number[],
      usPerEventTask: [] as number[],
      usPerEventThread: [] as number[],
      heapAddedBytes: [] as number[],
      taskWithoutMs: [] as number[],
    };
    for (const rep of reps) {
      const w = pick(rep, 'with');
      const wo = pick(rep, 'without');
      if (!w || !wo) continue;
      const sel = (r: ArmRun) => r.pages.filter((p) => names.includes(p.workload));
      const tot = (r: ArmRun, k: 'taskS' | 'threadS' | 'scriptS' | 'events' | 'heapUsedBytes') => sum(sel(r).map((p) => p[k]));
      const events = tot(w, 'events');
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
    out[group] = {
      taskRatio: summarize(acc.taskRatio),
      threadRatio: summarize(acc.threadRatio),
      scriptAddedMs: summarize(acc.scriptAddedMs),
      taskAddedMs: summarize(acc.taskAddedMs),
      threadAddedMs: summarize(acc.threadAddedMs),
      events: summarize(acc.events),
      usPerEventTask: summarize(acc.usPerEventTask),
      usPerEventThread: summarize(acc.usPerEventThread),
      heapAddedBytes: summarize(acc.heapAddedBytes),
      taskWithoutMs: summarize(acc.taskWithoutMs),
    };
  }
  const withRuns = runs.filter((r) => r.arm === 'with');
  const uploads = withRuns.map((r) => r.upload).filter((u): u is NonNullable<ArmRun['upload']> => Boolean(u && u.events));
  const checks = runs.flatMap((r) =>
    r.pages.filter((p) => p.check !== true).map((p) => `rep ${r.rep + 1} ${r.arm} ${p.workload}: ${String(p.check)}`),
  );
  return {
    compare: out,
    workerHeapBytes: summarize(withRuns.map((r) => r.workerHeapBytes ?? Number.NaN)),
    bytesPer1000: {
      compressed: summarize(uploads.map((u) => (u.bytesCompressed / u.events) * 1000)),
      raw: summarize(uploads.map((u) => (u.bytesRaw / u.events) * 1000)),
    },
    checks,
  };
}
