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

const pct = (ratio: Summary) => {
  const s = summarize(ratio.samples.map((r) => (r - 1) * 100));
  return `${s.median >= 0 ? '+' : ''}${fmt(s, 1)} %`;
};
const verdict = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'meets' : 'misses');
const kb = (bytes: number) => `${round(bytes / 1024, 1)} KB`;

export function buildRows(r: Results): Row[] {
  const rows: Row[] = [];
  const err = (area: string, key: keyof Results) => {
    if (r.errors[key as string]) rows.push({ area, metric: 'error', result: r.errors[key as string]!.slice(0, 120), target: '', reference: '', verdict: '' });
  };
  const ip = r.inpage;
  if (ip) {
    const i = ip.compare.interaction;
    const l = ip.compare.large;
    if (i) {
      rows.push({
        area: 'In-page',
        metric: 'Added main-thread task time, interaction workload (form + menubar + scroll)',
        result: pct(i.taskRatio),
        target: '≤ 2 %',
        reference: 'Sentry Session Replay: +15.8 % total blocking time',
        verdict: verdict((i.taskRatio.median - 1) * 100 <= 2),
      });
      rows.push({ area: 'In-page', metric: 'Added main-thread CPU (ThreadTime), interaction workload', result: pct(i.threadRatio), target: '', reference: '', verdict: '' });
      rows.push({
        area: 'In-page',
        metric: 'Added main-thread time per captured event, interaction workload (task / CPU)',
        result: `${fmt(i.usPerEventTask, 0)} µs / ${fmt(i.usPerEventThread, 0)} µs (${fmt(i.events, 0)} events)`,
        target: '',
        reference: '',
        verdict: '',
      });
      rows.push({ area: 'In-page', metric: 'Added script time, interaction workload', result: `${fmt(i.scriptAddedMs, 0)} ms of ${fmt(i.taskWithoutMs, 0)} ms page task time`, target: '', reference: '', verdict: '' });
    }
    const perWorkload = ['form', 'menubar', 'scroll', 'large']
      .map((name) => (ip.compare[name] ? `${name} ${pct(ip.compare[name].threadRatio)}` : ''))
      .filter(Boolean);
    rows.push({ area: 'In-page', metric: 'Added main-thread CPU per workload', result: perWorkload.join(', '), target: '', reference: '', verdict: '' });
    if (l) {
      rows.push({ area: 'In-page', metric: 'Added main-thread task time, large DOM (~18k nodes)', result: pct(l.taskRatio), target: '(≤ 2 %)', reference: '', verdict: verdict((l.taskRatio.median - 1) * 100 <= 2) });
      rows.push({
        area: 'In-page',
        metric: 'Added main-thread time per captured event, large DOM (task / CPU)',
        result: `${fmt(l.usPerEventTask, 0)} µs / ${fmt(l.usPerEventThread, 0)} µs (${fmt(l.events, 0)} events)`,
        target: '',
        reference: '',
        verdict: '',
      });
    }
    if (ip.checks.length) rows.push({ area: 'In-page', metric: 'Workload checks that failed', result: ip.checks.join('; ').slice(0, 200), target: 'none', reference: '', verdict: 'misses' });
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
      target: '≤ 300 KB',
      reference: 'Datadog: < 100 kB per minute (6,000 kB per hour)',
      verdict: verdict(s.perActiveHour.compressedKB <= 300),
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
      target: '≤ 1.02',
      reference: '',
      verdict: verdict(idle.ratio.median <= 1.02),
    });
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
    rows.push({
      area: 'Burst',
      metric: `${b.events.toLocaleString('en')} key events: dispatch time with / without the extension`,
      result: `${b.dispatchMsWith} ms / ${b.dispatchMsWithout} ms`,
      target: '(within 1 s)',
      reference: '',
      verdict: '',
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
    rows.push({
      area: 'Memory',
      metric: 'Content script: page renderer V8 heap after GC, with − without (menubar / large DOM)',
      result: `${m ? kb(m.median) : 'n/a'} / ${l ? kb(l.median) : 'n/a'}${m && m.n > 1 ? ` [menubar ${kb(m.min)}–${kb(m.max)}]` : ''}`,
      target: '',
      reference: '',
      verdict: '',
    });
    rows.push({ area: 'Memory', metric: 'Service worker V8 heap after the workload and GC', result: ip.workerHeapBytes.n ? `${kb(ip.workerHeapBytes.median)} [${kb(ip.workerHeapBytes.min)}–${kb(ip.workerHeapBytes.max)}]` : 'n/a', target: '', reference: '', verdict: '' });
  }
  const p = r.pause;
  if (p) {
    rows.push({
      area: 'Pause',
      metric: `Pause latency, ${p.tabs} busy tabs: send → last captured event or marker`,
      result: `${fmt(p.latencyMs, 0)} ms (events after the marker: ${p.reps.map((x) => x.afterMarker).join('/')})`,
      target: '≤ 100 ms',
      reference: '',
      verdict: verdict(p.latencyMs.n > 0 && p.latencyMs.median <= 100 && p.latencyMs.max <= 100),
    });
    rows.push({ area: 'Pause', metric: 'Until every tab’s content script held no page listener (slowest tab)', result: `${fmt(p.maxDetachMs, 0)} ms`, target: '', reference: '', verdict: '' });
  }
  err('Pause', 'pause');
  return rows;
}

export function renderTable(rows: Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = ['| Area | Metric | Result: median [min–max] | Target | Reference | |', '| --- | --- | --- | --- | --- | --- |'];
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
