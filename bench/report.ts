/** The results table (printed, written into docs/performance.md) and the machine description. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { CHROMIUM } from './cdp';
import { EXTENSION_DIR } from './extension';
import type { BurstResult } from './scenarios/burst';
import type { IdleResult } from './scenarios/idle';
import type { InpageResult } from './scenarios/inpage';
import type { PauseResult } from './scenarios/pause';
import type { ProfileSummary } from './scenarios/profile';
import type { SessionResult } from './scenarios/session';
import type { HandlerTimingGroup } from './scenarios/inpage';
import type { ContentScriptSize } from './size';
import { fmt, round, summarize, type Summary } from './stats';

export interface Results {
  date: string;
  mode: 'quick' | 'full';
  machine: Machine;
  config: Record<string, unknown>;
  inpage?: InpageResult;
  session?: SessionResult;
  idle?: IdleResult;
  burst?: BurstResult;
  pause?: PauseResult;
  profile?: ProfileSummary[];
  /** The content script bundle as it ships. */
  size?: ContentScriptSize;
  errors: Record<string, string>;
  table?: Row[];
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGB: number;
  os: string;
  node: string;
  chromium: string;
  extensionVersion: string;
}

export function describeMachine(): Machine {
  let chromium = 'unknown';
  try {
    chromium = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    /* reported as unknown */
  }
  let extensionVersion = 'unknown';
  try {
    extensionVersion = (JSON.parse(readFileSync(`${EXTENSION_DIR}/manifest.json`, 'utf8')) as { version: string }).version;
  } catch {
    /* reported as unknown */
  }
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    chromium,
    extensionVersion,
  };
}

export interface Row {
  area: string;
  metric: string;
  result: string;
  target: string;
  reference: string;
  /** 'meets' | 'misses' | '' (no target); informational only, never an exit code. */
  verdict: string;
}

/** The design targets (docs/performance.md), in one place. */
export const TARGETS = {
  addedTaskPct: 3,
  handlerInteraction: { p50Us: 20, p99Us: 1_000 },
  handlerLarge: { p50Us: 50, p99Us: 2_000 },
  wireKBPerActiveHour: 300,
  gzipBytesPerEvent: 25,
  burstDispatchRatio: 1.2,
  idleCpuRatio: 1.05,
  heapKBPerFrame: 400,
  bundleKB: 60,
  pauseLatencyMs: 100,
} as const;

const pctOf = (ratio: Summary) => summarize(ratio.samples.map((r) => (r - 1) * 100));
const pct = (ratio: Summary) => {
  const s = pctOf(ratio);
  return `${s.median >= 0 ? '+' : ''}${fmt(s, 1)} %`;
};
const verdict = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'meets' : 'misses');
const kb = (bytes: number) => `${round(bytes / 1024, 1)} KB`;
const kbs = (s: Summary) => (s.n ? `${round(s.median / 1024, 1)} KB${s.n > 1 ? ` [${round(s.min / 1024, 1)}–${round(s.max / 1024, 1)}]` : ''}` : 'n/a');
const us = (s: Summary) => fmt(s, 0);
const WORKLOAD_LABELS: Record<string, string> = {
  interaction: 'interaction workload (form + menubar + scroll)',
  form: 'form',
  menubar: 'menubar',
  scroll: 'scroll',
  large: 'large DOM (~18k nodes)',
};

function handlerRows(label: string, g: HandlerTimingGroup, target: { p50Us: number; p99Us: number }): Row[] {
  const kinds = Object.entries(g.byKind)
    .filter(([, k]) => k.n.median > 0)
    .sort((a, b) => b[1].n.median * b[1].p50.median - a[1].n.median * a[1].p50.median)
    .map(([name, k]) => `${name} ${round(k.p50.median, 0)}/${round(k.p95.median, 0)}/${round(k.p99.median, 0)} (${round(k.n.median, 0)})`);
  return [
    {
      area: 'Handler time',
      metric: `Content-script time per event, ${label}: p50 / p95 / p99 over every listener dispatch and deferred run (${g.reps} reps)`,
      result: `${us(g.all.p50)} / ${us(g.all.p95)} / ${us(g.all.p99)} µs (max ${us(g.all.max)} µs)`,
      target: `p50 ≤ ${target.p50Us} µs, p99 ≤ ${target.p99Us >= 1000 ? `${target.p99Us / 1000} ms` : `${target.p99Us} µs`}`,
      reference: '',
      verdict: verdict(g.all.p50.n > 0 && g.all.p50.median <= target.p50Us && g.all.p99.median <= target.p99Us),
    },
    {
      area: 'Handler time',
      metric: `The same, listeners only · deferred work only, ${label}: p50 / p95 / p99`,
      result: `${us(g.listeners.p50)} / ${us(g.listeners.p95)} / ${us(g.listeners.p99)} µs · ${us(g.deferred.p50)} / ${us(g.deferred.p95)} / ${us(g.deferred.p99)} µs`,
      target: '',
      reference: '',
      verdict: '',
    },
    {
      area: 'Handler time',
      metric: `Per kind, ${label}: p50/p95/p99 µs (samples per rep), medians over reps`,
      result: kinds.join(', '),
      target: '',
      reference: '',
      verdict: '',
    },
    {
      area: 'Handler time',
      metric: `Per captured event, ${label}: handler invocations and deferred runs · handler time`,
      result: `${fmt(g.callsPerEvent, 1)} calls · ${fmt(g.usPerEvent, 0)} µs (${fmt(g.events, 0)} events)`,
      target: '',
      reference: '',
      verdict: '',
    },
  ];
}

export function buildRows(r: Results): Row[] {
  const rows: Row[] = [];
  const err = (area: string, key: keyof Results) => {
    if (r.errors[key as string]) rows.push({ area, metric: 'error', result: r.errors[key as string]!.slice(0, 120), target: '', reference: '', verdict: '' });
  };
  const ip = r.inpage;
  if (ip) {
    const rrOn = Object.values(ip.compareRrweb ?? {}).some((c) => c.taskRatio.n > 0);
    for (const group of ['interaction', 'form', 'menubar', 'scroll', 'large']) {
      const e = ip.compare[group];
      if (!e) continue;
      const rr = ip.compareRrweb?.[group];
      const below = ip.belowRrweb?.[group];
      const targeted = group === 'interaction' || group === 'large';
      const okPct = (pctOf(e.taskRatio).median ?? Number.NaN) <= TARGETS.addedTaskPct;
      const okRr = rrOn && below ? below.of > 0 && e.taskAddedMs.median < (rr?.taskAddedMs.median ?? Number.NaN) : undefined;
      rows.push({
        area: 'In-page',
        metric: `Added main-thread task time, ${WORKLOAD_LABELS[group]}: extension${rrOn ? ' · rrweb' : ''}`,
        result:
          `${pct(e.taskRatio)} (${fmt(e.taskAddedMs, 0)} ms)` +
          (rrOn && rr ? ` · rrweb ${pct(rr.taskRatio)} (${fmt(rr.taskAddedMs, 0)} ms); extension below rrweb in ${below?.reps ?? 0}/${below?.of ?? 0} reps` : ''),
        target: targeted ? `≤ ${TARGETS.addedTaskPct} %${rrOn ? ', below rrweb' : ''}` : rrOn ? 'below rrweb' : '',
        reference: group === 'interaction' ? 'Sentry Session Replay: +15.8 % total blocking time' : '',
        verdict: targeted ? verdict(okPct && okRr !== false) : verdict(okRr),
      });
      if (group === 'interaction' || group === 'large') {
        rows.push({
          area: 'In-page',
          metric: `Added main-thread CPU (ThreadTime) · added script time, ${WORKLOAD_LABELS[group]}: extension${rrOn ? ' · rrweb' : ''}`,
          result:
            `${pct(e.threadRatio)} · ${fmt(e.scriptAddedMs, 0)} ms` +
            (rrOn && rr ? ` · rrweb ${pct(rr.threadRatio)} · ${fmt(rr.scriptAddedMs, 0)} ms` : '') +
            ` (page task time without: ${fmt(e.taskWithoutMs, 0)} ms)`,
          target: '',
          reference: '',
          verdict: '',
        });
        rows.push({
          area: 'In-page',
          metric: `Added main-thread time per captured event, ${WORKLOAD_LABELS[group]} (task / CPU)`,
          result: `${fmt(e.usPerEventTask, 0)} µs / ${fmt(e.usPerEventThread, 0)} µs (${fmt(e.events, 0)} events)`,
          target: '',
          reference: '',
          verdict: '',
        });
      }
    }
    if (ip.checks.length) rows.push({ area: 'In-page', metric: 'Workload checks that failed', result: ip.checks.join('; ').slice(0, 300), target: 'none', reference: '', verdict: 'misses' });
    const ht = ip.handlerTiming?.groups ?? {};
    if (ht.interaction) rows.push(...handlerRows(WORKLOAD_LABELS.interaction!, ht.interaction, TARGETS.handlerInteraction));
    if (ht.large) rows.push(...handlerRows(WORKLOAD_LABELS.large!, ht.large, TARGETS.handlerLarge));
  }
  err('In-page', 'inpage');
  const s = r.session;
  if (ip?.bytesPer1000.compressed.n) {
    rows.push({
      area: 'Wire',
      metric: 'Uploaded per 1,000 events, gzip / raw NDJSON (brisk workload)',
      result: `${kb(ip.bytesPer1000.compressed.median)} / ${kb(ip.bytesPer1000.raw.median)} [gzip ${kb(ip.bytesPer1000.compressed.min)}–${kb(ip.bytesPer1000.compressed.max)}]`,
      target: '',
      reference: '',
      verdict: '',
    });
  }
  if (ip?.wire) {
    for (const [name, w] of Object.entries(ip.wire)) {
      if (!w.extension.events.n && !w.rrweb.events.n) continue;
      rows.push({
        area: 'Wire',
        metric: `One page view, ${WORKLOAD_LABELS[name] ?? name}: extension gzip / raw (events)${w.rrweb.events.n ? ' · rrweb gzip / raw JSON (events; of it the full DOM snapshot)' : ''}`,
        result:
          `${kbs(w.extension.gzipBytes)} / ${kbs(w.extension.rawBytes)} (${fmt(w.extension.events, 0)})` +
          (w.rrweb.events.n ? ` · rrweb ${kbs(w.rrweb.gzipBytes)} / ${kbs(w.rrweb.rawBytes)} (${fmt(w.rrweb.events, 0)}; ${kbs(w.rrweb.snapshotRawBytes)})` : ''),
        target: '',
        reference: '',
        verdict: '',
      });
    }
  }
  if (s) {
    rows.push({
      area: 'Wire',
      metric: `Uploaded per 1,000 events, gzip / raw (person-paced session)`,
      result: `${kb(s.per1000Events.compressedBytes)} / ${kb(s.per1000Events.rawBytes)}`,
      target: '',
      reference: '',
      verdict: '',
    });
    rows.push({
      area: 'Wire',
      metric: `Per active hour, gzip batches (session of ${Math.round(s.durationS)} s, ${Math.round(s.eventsPerMinute)} events/min, ×${round(3600 / s.durationS, 1)})`,
      result: `${s.perActiveHour.compressedKB} KB (raw ${s.perActiveHour.rawKB} KB; HTTP incl. headers ${s.perActiveHour.httpUpKB} KB)`,
      target: `≤ ${TARGETS.wireKBPerActiveHour} KB`,
      reference: 'Datadog: < 100 kB per minute (6,000 kB per hour)',
      verdict: verdict(s.perActiveHour.compressedKB <= TARGETS.wireKBPerActiveHour),
    });
  }
  if (s || ip?.bytesPer1000.compressed.n) {
    const session = s ? s.per1000Events.compressedBytes / 1000 : undefined;
    const brisk = ip?.bytesPer1000.compressed.n ? ip.bytesPer1000.compressed.median / 1000 : undefined;
    const all = [session, brisk].filter((x): x is number => x !== undefined);
    rows.push({
      area: 'Wire',
      metric: 'Gzip bytes per event on average: person-paced session · brisk workload',
      result: `${session === undefined ? 'n/a' : round(session, 1)} B · ${brisk === undefined ? 'n/a' : round(brisk, 1)} B`,
      target: `≤ ${TARGETS.gzipBytesPerEvent} B`,
      reference: '',
      verdict: verdict(all.every((x) => x <= TARGETS.gzipBytesPerEvent)),
    });
  }
  err('Wire', 'session');
  const idle = r.idle;
  if (idle) {
    rows.push({
      area: 'Idle',
      metric: `Browser CPU over ${idle.windowS} s idle, 3 tabs, with ÷ without`,
      result:
        `${fmt(idle.ratio, 2)} (${fmt(idle.cpuMsPerMinWith, 0)} vs ${fmt(idle.cpuMsPerMinWithout, 0)} CPU ms/min; ` +
        `extension process ${fmt(idle.extensionProcessMsPerMin, 0)} ms/min of it); ` +
        `first half ${fmt(idle.ratioFirstHalf, 2)}, second half ${fmt(idle.ratioSecondHalf, 2)}`,
      target: `≤ ${TARGETS.idleCpuRatio}`,
      reference: '',
      verdict: verdict(idle.ratio.median <= TARGETS.idleCpuRatio),
    });
    if (idle.ratioAfterWorkerStop?.n) {
      rows.push({
        area: 'Idle',
        metric: 'The same from the moment the extension’s worker stopped to the end of the window (steady idle)',
        result: fmt(idle.ratioAfterWorkerStop, 2),
        target: `(≤ ${TARGETS.idleCpuRatio})`,
        reference: '',
        verdict: verdict(idle.ratioAfterWorkerStop.median <= TARGETS.idleCpuRatio),
      });
    }
    if (idle.byKindPerMin) {
      const kinds = [...new Set([...Object.keys(idle.byKindPerMin.with), ...Object.keys(idle.byKindPerMin.without)])]
        .map((k) => [k, idle.byKindPerMin.with[k]?.median ?? 0, idle.byKindPerMin.without[k]?.median ?? 0] as const)
        .filter(([, w, wo]) => w >= 0.5 || wo >= 0.5)
        .sort((a, b) => b[1] + b[2] - (a[1] + a[2]));
      rows.push({
        area: 'Idle',
        metric: 'Idle CPU by process kind, with vs without (ms/min, medians)',
        result: kinds.map(([k, w, wo]) => `${k} ${round(w, 0)} vs ${round(wo, 0)}`).join(', '),
        target: '',
        reference: '',
        verdict: '',
      });
      const threads = Object.entries(idle.threadDiffPerMin ?? {}).slice(0, 8);
      rows.push({
        area: 'Idle',
        metric: 'Idle CPU, with − without by process kind · thread (ms/min, medians; largest first)',
        result: threads.map(([k, d]) => `${k} ${d.median >= 0 ? '+' : ''}${round(d.median, 0)}`).join(', ') || 'none ≥ 1 ms/min',
        target: '',
        reference: '',
        verdict: '',
      });
    }
    rows.push({
      area: 'Idle',
      metric: 'Timers set / fired by the extension in tabs while idle',
      result: `${fmt(idle.extensionTimerInstalls, 0)} / ${fmt(idle.extensionTimerFires, 0)}`,
      target: '0',
      reference: '',
      verdict: verdict(idle.extensionTimerInstalls.max === 0 && idle.extensionTimerFires.max === 0),
    });
    const types = [...new Set(idle.reps.flatMap((rep) => rep.with.worker?.eventsStoredTypes ?? []))];
    rows.push({
      area: 'Idle',
      metric: 'Events captured while nobody touched the browser',
      result: `${fmt(idle.eventsStored, 0)}${types.length ? ` (${types.join(', ')})` : ''}`,
      target: '0',
      reference: '',
      verdict: verdict(idle.eventsStored.max === 0),
    });
    const alarms = [...new Set(idle.reps.flatMap((rep) => rep.with.worker?.alarmsAfter.map((a) => `${a.name}${a.periodInMinutes ? ` every ${a.periodInMinutes} min` : ` in ${a.inS} s`}`) ?? []))];
    const stops = idle.reps.map((rep) => rep.with.worker?.stoppedAtS.join('/') || '-').join(', ');
    rows.push({
      area: 'Idle',
      metric: 'Service-worker wake-ups while idle (starts); stopped at (s into window); alarms after',
      result: `${fmt(idle.workerStarts, 0)} starts; stopped at ${stops}; alarms: ${alarms.join(', ') || 'none'}`,
      target: '0 wake-ups',
      reference: '',
      verdict: verdict(idle.workerStarts.max === 0),
    });
  }
  err('Idle', 'idle');
  const b = r.burst;
  if (b) {
    const ratio = b.dispatchMsWith / b.dispatchMsWithout;
    rows.push({
      area: 'Burst',
      metric: `${b.events.toLocaleString('en')} key events: dispatch time with / without the extension`,
      result: `${b.dispatchMsWith} ms / ${b.dispatchMsWithout} ms (×${round(ratio, 2)})`,
      target: `≤ ${TARGETS.burstDispatchRatio}×`,
      reference: '',
      verdict: verdict(ratio <= TARGETS.burstDispatchRatio),
    });
    rows.push({ area: 'Burst', metric: 'Time until all are durable in IndexedDB', result: b.durableMs === null ? 'not within 120 s' : `${b.durableMs} ms`, target: '', reference: '', verdict: '' });
    rows.push({
      area: 'Burst',
      metric: 'Events lost (collector count vs dispatched; duplicates; seq gaps)',
      result: `${b.lost} lost (${b.collected} collected, ${b.duplicates} duplicates, ${b.seqGaps} seq gaps)`,
      target: '0',
      reference: '',
      verdict: verdict(b.lost === 0 && b.seqGaps === 0),
    });
  }
  err('Burst', 'burst');
  if (ip) {
    const heap = (name: string) => ip.compare[name]?.heapAddedBytes;
    const m = heap('menubar');
    const l = heap('large');
    const rm = ip.compareRrweb?.menubar?.heapAddedBytes;
    const rl = ip.compareRrweb?.large?.heapAddedBytes;
    const worst = Math.max(m?.median ?? Number.NaN, l?.median ?? Number.NaN);
    rows.push({
      area: 'Memory',
      metric: 'Content script V8 heap per frame: page renderer heap after GC, with − without (menubar / large DOM)' + (rm?.n ? ' · rrweb − without (its recorded events, kept unsent in the page, included)' : ''),
      result: `${m ? kbs(m) : 'n/a'} / ${l ? kbs(l) : 'n/a'}` + (rm?.n ? ` · rrweb ${kbs(rm)} / ${rl ? kbs(rl) : 'n/a'}` : ''),
      target: `≤ ${TARGETS.heapKBPerFrame} KB`,
      reference: '',
      verdict: verdict(Number.isFinite(worst) ? worst <= TARGETS.heapKBPerFrame * 1024 : undefined),
    });
    rows.push({ area: 'Memory', metric: 'Service worker V8 heap after the workload and GC', result: ip.workerHeapBytes.n ? kbs(ip.workerHeapBytes) : 'n/a', target: '', reference: '', verdict: '' });
  }
  const z = r.size;
  if (z) {
    rows.push({
      area: 'Memory',
      metric: `Content script bundle, ${z.build === 'release' ? 'release build (minified)' : 'development build (no release build found)'}: bytes / gzip -9 (${z.file})`,
      result: `${kb(z.bytes)} / ${kb(z.gzipBytes)}; handler-timing code in it: ${z.timingMarkers.length ? z.timingMarkers.join(', ') : 'none'}`,
      target: `≤ ${TARGETS.bundleKB} KB minified`,
      reference: '',
      verdict: verdict(z.bytes <= TARGETS.bundleKB * 1024),
    });
  }
  const p = r.pause;
  if (p) {
    rows.push({
      area: 'Pause',
      metric: `Pause latency, ${p.tabs} busy tabs: send → last captured event or marker`,
      result: `${fmt(p.latencyMs, 0)} ms (events after the marker: ${p.reps.map((x) => x.afterMarker).join('/')})`,
      target: `≤ ${TARGETS.pauseLatencyMs} ms`,
      reference: '',
      verdict: verdict(p.latencyMs.n > 0 && p.latencyMs.median <= TARGETS.pauseLatencyMs && p.latencyMs.max <= TARGETS.pauseLatencyMs),
    });
    rows.push({ area: 'Pause', metric: 'Until every tab’s content script held no page listener (slowest tab)', result: `${fmt(p.maxDetachMs, 0)} ms`, target: '', reference: '', verdict: '' });
  }
  err('Pause', 'pause');
  return rows;
}

export function renderTable(rows: Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = ['| Area | Metric | Result: median [min–max; IQR from 5 reps] | Target | Reference | |', '| --- | --- | --- | --- | --- | --- |'];
  for (const r of rows) lines.push(`| ${[r.area, r.metric, r.result, r.target, r.reference, r.verdict].map(esc).join(' | ')} |`);
  return lines.join('\n');
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

/** Replace the generated block of docs/performance.md (between the markers) with this run's table. */
export function updateDocs(docPath: string, r: Results, table: string): boolean {
  let doc: string;
  try {
    doc = readFileSync(docPath, 'utf8');
  } catch {
    return false;
  }
  const a = doc.indexOf(START);
  const z = doc.indexOf(END);
  if (a < 0 || z < a) return false;
  const m = r.machine;
  const block = [
    START,
    `Run of ${r.date} (\`npm run bench${r.mode === 'quick' ? ' -- --quick' : ''}\`), extension ${m.extensionVersion}, ${m.chromium}, ` +
      `${m.cpu} × ${m.cores} cores, ${m.memoryGB} GB, ${m.os}, Node ${m.node}. Repetitions: ${JSON.stringify(r.config)}.`,
    '',
    table,
    END,
  ].join('\n');
  writeFileSync(docPath, doc.slice(0, a) + block + doc.slice(z + END.length));
  return true;
}
