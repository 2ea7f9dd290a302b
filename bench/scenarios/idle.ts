/**
 * Idle cost: a few tabs that were used a moment ago (what they captured already uploaded), then nobody
 * touches the browser. Both arms idle
 * at the same time (two browsers side by side, each its own process tree), so machine drift hits them
 * alike; an idle browser uses a fraction of one core, so the two barely compete.
 *
 * Counted during the window, on every tab: timers installed and fired (DevTools instrumentation
 * breakpoints `setTimeout`/`setInterval`/`requestAnimationFrame` and their callbacks, attributed to the
 * extension when the script on top of the stack is a chrome-extension:// script), and the extension's
 * service worker starting and stopping (browser target events; nothing attaches to the worker, so it
 * is free to stop as it would for a person).
 *
 * Where the CPU goes: per process kind (browser, renderer, extension, browser-ui, gpu-process, utility:…)
 * and per thread name, in both arms, and the same from the moment the extension's worker stopped to the
 * end of the window (the steady state: what an idle browser pays for the extension once the tail of the
 * last activity — the worker's 30 s idle timeout, V8's after-activity garbage collections — is over).
 */
import { delay, type Browser, type Session } from '../cdp';
import { armOrder, launchArm, type Arm, type ArmBrowser } from '../extension';
import { BRISK, Input } from '../input';
import { summarize, type Summary } from '../stats';
import { TreeCpuSampler, type CpuUse } from '../proc';

const TABS = ['/menubar/', '/form/', '/spa/'] as const;
/** After the last interaction and before the window: content batches flushed, pointer segments closed. */
const SETTLE_MS = 5_000;
const TIMER_EVENTS = [
  'setTimeout',
  'setInterval',
  'requestAnimationFrame',
  'setTimeout.callback',
  'setInterval.callback',
  'requestAnimationFrame.callback',
] as const;

export interface TimerCounts {
  /** installs: setTimeout/setInterval/requestAnimationFrame calls; fires: their callbacks running. */
  extension: { installs: number; fires: number; stacks: string[] };
  page: { installs: number; fires: number };
}

export interface IdleArmRun {
  arm: Arm;
  cpuMs: number;
  /** CPU in the first and the second half of the window (the worker idles out within the first). */
  cpuMsHalves: [number, number];
  /** The same CPU time per Chromium process kind (browser, renderer, extension, utility:…) and per process. */
  cpuMsByKind: Record<string, number>;
  cpuMsByProcess: Record<string, number>;
  /** Per process kind and thread name ("renderer · chromium" is a renderer's main thread). */
  cpuMsByThread: Record<string, number>;
  /** From the moment the extension's worker stopped (in the with arm) to the end of the window. */
  afterWorkerStop?: { fromS: number; cpuMs: number; byKind: Record<string, number> };
  timers: TimerCounts;
  worker?: {
    runningAtStart: boolean;
    starts: number;
    stops: number;
    /** Seconds into the window at which the worker stopped (it idles out ~30 s after its last event). */
    stoppedAtS: number[];
    alarmsAfter: { name: string; inS: number; periodInMinutes?: number }[];
    modeAfter: string;
    /** Events stored between the upload before the window and the end of it (should be 0), and their types. */
    eventsStored: number;
    eventsStoredTypes: string[];
  };
}

export interface IdleRep {
  rep: number;
  windowS: number;
  with: IdleArmRun;
  without: IdleArmRun;
  ratio: number;
  ratioHalves: [number, number];
  /** With ÷ without over the part of the window after the extension's worker stopped. */
  ratioAfterWorkerStop?: number;
}

export interface IdleResult {
  windowS: number;
  reps: IdleRep[];
  ratio: Summary;
  /**
   * Per half of the window: in a 60 s window the worker idles out during the first half, so the second
   * is the steady state. Chromium itself has bursts of tens of ms every few tens of seconds in both
   * arms, at random phase, so halves are noisier than the whole window.
   */
  ratioFirstHalf: Summary;
  ratioSecondHalf: Summary;
  /** CPU of the extension's own process (its service worker) in the with arm. */
  extensionProcessMsPerMin: Summary;
  cpuMsPerMinWith: Summary;
  cpuMsPerMinWithout: Summary;
  extensionTimerInstalls: Summary;
  extensionTimerFires: Summary;
  workerStarts: Summary;
  eventsStored: Summary;
  /** With ÷ without from the worker's stop to the end of the window (the steady state). */
  ratioAfterWorkerStop: Summary;
  /** CPU ms per minute of window, per process kind, each arm. */
  byKindPerMin: { with: Record<string, Summary>; without: Record<string, Summary> };
  /** With − without, ms per minute, per process kind and thread name (only those that differ by ≥ 1 ms/min). */
  threadDiffPerMin: Record<string, Summary>;
}

interface Prepared {
  ab: ArmBrowser;
  sessions: Session[];
  /** Stored-event counter after the upload that precedes the window. */
  storedBefore: number;
}

/**
 * Both arms, used alike and at the same moments, so that what follows use in Chromium (V8's garbage
 * collections some seconds after activity, the WebUI renderer's work after a window was used) falls at
 * the same time in both: the browsers start one after the other (start-up is busy), each tab is opened
 * and used in one arm right after the other, the extension uploads what it captured (the one piece of
 * work idle tabs still owe), and the second windows (the options page, a renderer of its own, and the
 * blank page standing in for it) close together.
 */
async function prepare(arms: readonly Arm[], baseUrl: string): Promise<Prepared[]> {
  const prepared: Prepared[] = [];
  try {
    for (const arm of arms) prepared.push({ ab: await launchArm(arm), sessions: [], storedBefore: 0 });
    for (const path of TABS) {
      for (const p of prepared) {
        const page = await p.ab.browser.newPage(baseUrl + path);
        p.sessions.push(page.session);
        await delay(400);
        // A little use, as a person leaves tabs behind: clicks, a few keys, pointer movement.
        const i = new Input(page.session, BRISK);
        await i.moveTo({ x: 300, y: 200 });
        await i.clickAt({ x: 640, y: 120 });
        await i.press('Tab', 'Tab');
        await i.moveTo({ x: 500, y: 400 });
      }
    }
    await delay(1_000);
    for (const p of prepared) {
      if (!p.ab.ext) continue;
      await p.ab.ext.storedSettled();
      p.storedBefore = (await p.ab.ext.uploadAll()).outbox.nextSeq - 1;
    }
    await Promise.all(prepared.map((p) => p.ab.closeSecondWindow()));
    return prepared;
  } catch (err) {
    await Promise.all(prepared.map((p) => p.ab.browser.close()));
    throw err;
  }
}

/** Count timer instrumentation on one tab until the returned stop function is called. */
async function countTimers(s: Session, into: TimerCounts): Promise<() => Promise<void>> {
  const scriptUrls = new Map<string, string>();
  const offParsed = s.on('Debugger.scriptParsed', (p) => scriptUrls.set(String(p.scriptId), String(p.url ?? '')));
  const offPaused = s.on('Debugger.paused', (p) => {
    const data = (p.data ?? {}) as { eventName?: string };
    const name = String(data.eventName ?? '').replace(/^instrumentation:/, '');
    const frames = (p.callFrames ?? []) as { url?: string; functionName?: string; location?: { scriptId?: string } }[];
    const urls = frames.map((f) => f.url || scriptUrls.get(String(f.location?.scriptId)) || '');
    const fromExtension = urls.some((u) => u.startsWith('chrome-extension://'));
    const fires = name.endsWith('.callback');
    if (fromExtension) {
      if (fires) into.extension.fires++;
      else into.extension.installs++;
      if (into.extension.stacks.length < 5) into.extension.stacks.push(`${name}: ${frames.slice(0, 4).map((f) => f.functionName || '(anonymous)').join(' < ')}`);
    } else if (fires) into.page.fires++;
    else into.page.installs++;
    void s.send('Debugger.resume').catch(() => undefined);
  });
  await s.send('Debugger.enable');
  for (const eventName of TIMER_EVENTS) await s.send('EventBreakpoints.setInstrumentationBreakpoint', { eventName });
  return async () => {
    offParsed();
    offPaused();
    await s.send('Debugger.disable').catch(() => undefined);
  };
}

interface WorkerWatch {
  running: boolean;
  starts: number;
  stops: number;
  stoppedAt: number[];
  off(): void;
}

/** Watch the extension's service worker through browser target events (without attaching to it). */
async function watchWorker(browser: Browser, onStop: () => void): Promise<WorkerWatch> {
  const isWorker = (t: { type?: unknown; url?: unknown }) => t.type === 'service_worker' && String(t.url).startsWith('chrome-extension://');
  const ids = new Set((await browser.targets()).filter(isWorker).map((t) => t.targetId));
  const w: WorkerWatch = { running: ids.size > 0, starts: 0, stops: 0, stoppedAt: [], off: () => undefined };
  const offCreated = browser.cdp.on('Target.targetCreated', (p) => {
    const info = p.targetInfo as { targetId: string; type: string; url: string };
    if (!isWorker(info)) return;
    ids.add(info.targetId);
    w.starts++;
  });
  const offDestroyed = browser.cdp.on('Target.targetDestroyed', (p) => {
    if (!ids.delete(String(p.targetId))) return;
    w.stops++;
    w.stoppedAt.push(Date.now());
    onStop();
  });
  w.off = () => {
    offCreated();
    offDestroyed();
  };
  return w;
}

async function measure(prepared: Prepared[], windowMs: number): Promise<IdleArmRun[]> {
  const timers = prepared.map<TimerCounts>(() => ({ extension: { installs: 0, fires: 0, stacks: [] }, page: { installs: 0, fires: 0 } }));
  const stops: (() => Promise<void>)[] = [];
  for (const [i, p] of prepared.entries()) for (const s of p.sessions) stops.push(await countTimers(s, timers[i]!));
  let samplers: TreeCpuSampler[] = [];
  let t0 = Date.now();
  /** Both arms' CPU when the worker first stopped. */
  let atStop: { t: number; cpu: CpuUse[] } | undefined;
  const onStop = () => {
    if (!atStop && samplers.length) atStop = { t: Date.now(), cpu: samplers.map((s) => s.read()) };
  };
  const watches = await Promise.all(prepared.map((p) => (p.ab.ext ? watchWorker(p.ab.browser, onStop) : Promise.resolve(undefined))));
  const runningAtStart = watches.map((w) => w?.running ?? false);
  samplers = prepared.map((p) => new TreeCpuSampler(p.ab.browser.pid).start());
  t0 = Date.now();
  await delay(windowMs / 2);
  const half = samplers.map((s) => s.read().totalMs);
  await delay(Math.max(0, t0 + windowMs - Date.now()));
  const cpu = samplers.map((s) => s.stop());
  for (const w of watches) w?.off();
  for (const stop of stops) await stop();
  const out: IdleArmRun[] = [];
  for (const [i, p] of prepared.entries()) {
    const c = cpu[i]!;
    const run: IdleArmRun = {
      arm: p.ab.arm,
      cpuMs: c.totalMs,
      cpuMsHalves: [half[i]!, c.totalMs - half[i]!],
      cpuMsByKind: c.byKind,
      cpuMsByProcess: c.byProcess,
      cpuMsByThread: c.byThread,
      timers: timers[i]!,
    };
    const stop = atStop?.cpu[i];
    if (atStop && stop) {
      run.afterWorkerStop = {
        fromS: Math.round((atStop.t - t0) / 100) / 10,
        cpuMs: c.totalMs - stop.totalMs,
        byKind: Object.fromEntries(Object.entries(c.byKind).map(([k, v]) => [k, Math.round((v - (stop.byKind[k] ?? 0)) * 10) / 10])),
      };
    }
    const w = watches[i];
    if (p.ab.ext && w) {
      // After the window: this opens the options page, which wakes the worker; nothing is measured now.
      const now = Date.now();
      const alarms = await p.ab.ext.alarms();
      const status = await p.ab.ext.status();
      const eventsStored = status.outbox.nextSeq - 1 - p.storedBefore;
      const pending =
        eventsStored > 0
          ? await p.ab.ext.send<{ events?: { type: string; state?: string; ts: number; url: string }[] }>({ kind: 'pending-events', limit: Math.min(eventsStored, 50) })
          : {};
      run.worker = {
        runningAtStart: runningAtStart[i]!,
        starts: w.starts,
        stops: w.stops,
        stoppedAtS: w.stoppedAt.map((t) => Math.round((t - t0) / 100) / 10),
        alarmsAfter: alarms.map((a) => ({ name: a.name, inS: Math.round((a.scheduledTime - now) / 1000), ...(a.periodInMinutes ? { periodInMinutes: a.periodInMinutes } : {}) })),
        modeAfter: status.mode,
        eventsStored,
        eventsStoredTypes: (pending.events ?? []).map(
          (e) => `${e.state ? `${e.type}:${e.state}` : e.type} at ${Math.round((e.ts - t0) / 100) / 10} s ${e.url ? new URL(e.url).pathname : ''}`.trim(),
        ),
      };
    }
    out.push(run);
  }
  return out;
}

export async function runIdle(opts: { reps: number; windowS: number; baseUrl: string; log: (s: string) => void }): Promise<IdleResult> {
  const reps: IdleRep[] = [];
  for (let rep = 0; rep < opts.reps; rep++) {
    let prepared: Prepared[] = [];
    try {
      prepared = await prepare(armOrder(rep, ['with', 'without'] as const), opts.baseUrl);
      await delay(SETTLE_MS);
      const runs = await measure(prepared, opts.windowS * 1000);
      const w = runs.find((r) => r.arm === 'with')!;
      const wo = runs.find((r) => r.arm === 'without')!;
      reps.push({
        rep,
        windowS: opts.windowS,
        with: w,
        without: wo,
        ratio: w.cpuMs / wo.cpuMs,
        ratioHalves: [w.cpuMsHalves[0] / wo.cpuMsHalves[0], w.cpuMsHalves[1] / wo.cpuMsHalves[1]],
        ...(w.afterWorkerStop && wo.afterWorkerStop ? { ratioAfterWorkerStop: w.afterWorkerStop.cpuMs / wo.afterWorkerStop.cpuMs } : {}),
      });
      opts.log(
        `  idle rep ${rep + 1}/${opts.reps} (${opts.windowS} s): CPU with ${w.cpuMs.toFixed(0)} ms, without ${wo.cpuMs.toFixed(0)} ms; ` +
          `extension timers ${w.timers.extension.installs} set/${w.timers.extension.fires} fired; worker starts ${w.worker?.starts ?? '?'}, stops ${w.worker?.stops ?? '?'}; ` +
          `events stored ${w.worker?.eventsStored ?? '?'} ${JSON.stringify(w.worker?.eventsStoredTypes ?? [])}\n` +
          `    halves: with ${w.cpuMsHalves.map((x) => x.toFixed(0)).join(' + ')} ms, without ${wo.cpuMsHalves.map((x) => x.toFixed(0)).join(' + ')} ms\n` +
          (w.afterWorkerStop && wo.afterWorkerStop
            ? `    after the worker stopped (${w.afterWorkerStop.fromS} s in): with ${w.afterWorkerStop.cpuMs.toFixed(0)} ms, without ${wo.afterWorkerStop.cpuMs.toFixed(0)} ms\n`
            : '') +
          `    CPU ms by process kind, with: ${JSON.stringify(w.cpuMsByKind)}\n    without: ${JSON.stringify(wo.cpuMsByKind)}\n` +
          `    CPU ms by process, with: ${JSON.stringify(w.cpuMsByProcess)}\n    without: ${JSON.stringify(wo.cpuMsByProcess)}`,
      );
    } finally {
      await Promise.all(prepared.map((p) => p.ab.browser.close()));
    }
  }
  const perMin = (ms: number) => (ms / opts.windowS) * 60;
  return {
    windowS: opts.windowS,
    reps,
    ratio: summarize(reps.map((r) => r.ratio)),
    ratioFirstHalf: summarize(reps.map((r) => r.ratioHalves[0])),
    ratioSecondHalf: summarize(reps.map((r) => r.ratioHalves[1])),
    extensionProcessMsPerMin: summarize(reps.map((r) => perMin(r.with.cpuMsByKind.extension ?? 0))),
    cpuMsPerMinWith: summarize(reps.map((r) => perMin(r.with.cpuMs))),
    cpuMsPerMinWithout: summarize(reps.map((r) => perMin(r.without.cpuMs))),
    extensionTimerInstalls: summarize(reps.map((r) => r.with.timers.extension.installs)),
    extensionTimerFires: summarize(reps.map((r) => r.with.timers.extension.fires)),
    workerStarts: summarize(reps.map((r) => r.with.worker?.starts ?? Number.NaN)),
    eventsStored: summarize(reps.map((r) => r.with.worker?.eventsStored ?? Number.NaN)),
    ratioAfterWorkerStop: summarize(reps.map((r) => r.ratioAfterWorkerStop ?? Number.NaN)),
    byKindPerMin: { with: perKind(reps.map((r) => r.with.cpuMsByKind)), without: perKind(reps.map((r) => r.without.cpuMsByKind)) },
    threadDiffPerMin: threadDiff(reps),
  };

  function perKind(runs: Record<string, number>[]): Record<string, Summary> {
    const kinds = [...new Set(runs.flatMap((r) => Object.keys(r)))].sort();
    return Object.fromEntries(kinds.map((k) => [k, summarize(runs.map((r) => perMin(r[k] ?? 0)))]));
  }
  function threadDiff(rs: IdleRep[]): Record<string, Summary> {
    const names = [...new Set(rs.flatMap((r) => [...Object.keys(r.with.cpuMsByThread), ...Object.keys(r.without.cpuMsByThread)]))];
    const diffs = names.map((n) => [n, summarize(rs.map((r) => perMin((r.with.cpuMsByThread[n] ?? 0) - (r.without.cpuMsByThread[n] ?? 0))))] as const);
    return Object.fromEntries(diffs.filter(([, s]) => Math.abs(s.median) >= 1).sort((a, b) => b[1].median - a[1].median));
  }
}
