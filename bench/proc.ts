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

/** Nanoseconds on CPU of every thread of `pid` (/proc/<pid>/task/<tid>/schedstat), or undefined. */
function threadsRunNs(pid: number): number | undefined {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const raw = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8');
      ns += Number(raw.split(' ')[0]);
    }
    return ns;
  } catch {
    return undefined;
  }
}

/**
 * CPU milliseconds used so far by `root` and its descendants. Per-thread scheduler statistics give
 * nanoseconds (an idle browser uses a few ms per second, below the 10 ms tick of /proc/<pid>/stat);
 * where they are missing, the tick counts of /proc/<pid>/stat (with reaped children) stand in.
 */
export function treeCpuMs(root: number): number {
  let ms = 0;
  for (const pid of processTree(root)) {
    const ns = threadsRunNs(pid);
    if (ns !== undefined) ms += ns / 1e6;
    else ms += ((readStat(pid)?.ticks ?? 0) * 1000) / clockTicks();
  }
  return ms;
}

/** What a Chromium process is, from its command line: browser, renderer, extension, gpu, utility:<service>, … */
export function processKind(pid: number): string {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return 'gone';
  }
  const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const type = value('type');
  if (!type) return 'browser';
  if (type === 'renderer') return args.includes('--extension-process') ? 'extension' : 'renderer';
  if (type === 'utility') return `utility:${(value('utility-sub-type') ?? '?').replace(/\.mojom\./, '.')}`;
  return type;
}

/** CPU milliseconds so far per process kind in the tree of `root` (see treeCpuMs). */
export function treeCpuMsByKind(root: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pid of processTree(root)) {
    const ns = threadsRunNs(pid);
    const ms = ns !== undefined ? ns / 1e6 : ((readStat(pid)?.ticks ?? 0) * 1000) / clockTicks();
    const kind = processKind(pid);
    out[kind] = (out[kind] ?? 0) + ms;
  }
  return out;
}
