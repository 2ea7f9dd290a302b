/** CPU time of a process tree from /proc (Linux): the Chromium browser process and every descendant. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime, in clock ticks (children that exited and were reaped count too). */
  ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const rest = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    // rest[0] = state (field 3); ppid = field 4; utime..cstime = fields 14..17.
    const num = (field: number) => Number(rest[field - 3]);
    return { pid, ppid: num(4), ticks: num(14) + num(15) + num(16) + num(17) };
  } catch {
    return undefined;
  }
}

/** The pids of `root` and all its descendants, now. */
export function processTree(root: number): number[] {
  const all: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s) all.push(s);
  }
  const children = new Map<number, number[]>();
  for (const s of all) {
    const list = children.get(s.ppid) ?? [];
    list.push(s.pid);
    children.set(s.ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** A thread's name (`comm`), digits folded so that pool threads group together (ThreadPoolForegr…). */
function threadName(pid: number, tid: number): string {
  try {
    return readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim().replace(/\d+$/, '') || '?';
  } catch {
    return '?';
  }
}

/** Milliseconds on CPU per thread of `pid` (/proc/<pid>/task/<tid>/schedstat, nanosecond resolution). */
function threadCpuMs(pid: number): Map<number, number> | undefined {
  try {
    const out = new Map<number, number>();
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        out.set(Number(tid), Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
      } catch {
        /* the thread just ended */
      }
    }
    return out;
  } catch {
    return undefined;
  }
}

/** What a Chromium process is, from its command line: browser, renderer, extension, browser-ui, gpu, utility:<service>, … */
export function processKind(pid: number): string {
  let args: string[];
  try {
    // Chromium rewrites the command line of its children as one space-separated string.
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
  } catch {
    return 'gone';
  }
  const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const type = value('type');
  if (!type) return 'browser';
  if (type === 'renderer') {
    if (args.includes('--extension-process')) return 'extension';
    // Chromium's own WebUI (in headless: the omnibox popup), not a web page.
    if (args.includes('--top-chrome-webui')) return 'browser-ui';
    return 'renderer';
  }
  if (type === 'utility') return `utility:${(value('utility-sub-type') ?? '?').replace(/\.mojom\./, '.')}`;
  return type;
}

export interface CpuUse {
  totalMs: number;
  byKind: Record<string, number>;
  byProcess: Record<string, number>;
  /** Per process kind and thread name ("renderer · CrRendererMain"), summed over processes of that kind. */
  byThread: Record<string, number>;
}

/**
 * CPU time of a process tree over a window, sampled every `intervalMs` per thread (an idle browser uses
 * a few ms per second, below the 10 ms tick of /proc/<pid>/stat). A thread or process that ends during
 * the window keeps what it used up to its last sample (a plain before/after difference would lose its
 * whole lifetime); one born in the window counts from zero.
 */
export class TreeCpuSampler {
  private readonly seen = new Map<string, { kind: string; thread: string; first: number; last: number }>();
  private readonly kinds = new Map<number, string>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly root: number,
    private readonly intervalMs = 500,
  ) {}

  private scan(atStart: boolean): void {
    for (const pid of processTree(this.root)) {
      let kind = this.kinds.get(pid);
      if (kind === undefined) this.kinds.set(pid, (kind = processKind(pid)));
      const threads = threadCpuMs(pid);
      const st = threads ? undefined : readStat(pid);
      const samples: [string, number, number | undefined][] = threads
        ? [...threads].map(([tid, ms]) => [`${pid}/${tid}`, ms, tid])
        : st
          ? [[`${pid}`, (st.ticks * 1000) / clockTicks(), undefined]]
          : [];
      for (const [key, ms, tid] of samples) {
        const entry = this.seen.get(key);
        if (entry) entry.last = ms;
        else this.seen.set(key, { kind, thread: tid === undefined ? '(process)' : threadName(pid, tid), first: atStart ? ms : 0, last: ms });
      }
    }
  }

  start(): this {
    this.scan(true);
    this.timer = setInterval(() => this.scan(false), this.intervalMs);
    return this;
  }

  /** CPU ms used since start, in total, per process kind, per process ("kind pid") and per kind and thread. */
  read(): CpuUse {
    this.scan(false);
    const byKind: Record<string, number> = {};
    const byProcess: Record<string, number> = {};
    const byThread: Record<string, number> = {};
    let totalMs = 0;
    for (const [key, e] of this.seen) {
      const d = e.last - e.first;
      totalMs += d;
      byKind[e.kind] = (byKind[e.kind] ?? 0) + d;
      const proc = `${e.kind} ${key.split('/')[0]}`;
      byProcess[proc] = (byProcess[proc] ?? 0) + d;
      const thread = `${e.kind} · ${e.thread}`;
      byThread[thread] = (byThread[thread] ?? 0) + d;
    }
    const r1 = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v * 10) / 10]));
    return { totalMs, byKind: r1(byKind), byProcess: r1(byProcess), byThread: r1(byThread) };
  }

  /** The pids seen so far, with their kind. */
  processes(): Map<number, string> {
    return new Map(this.kinds);
  }

  stop(): CpuUse {
    clearInterval(this.timer);
    return this.read();
  }
}
