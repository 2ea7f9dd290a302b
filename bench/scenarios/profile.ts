/**
 * Where the extension's time goes (not part of the default run: `npm run bench -- --only=profile`).
 * Samples the page's renderer during each workload and the service worker during a key burst, and
 * lists the extension functions with the most time. The build is minified, so each function is shown
 * with the start of its code to find it in lib/.
 */
import { readFileSync } from 'node:fs';
import { delay, type Session } from '../cdp';
import { EXTENSION_DIR, launchArm } from '../extension';
import { BRISK, Input } from '../input';
import { ALL_WORKLOADS } from '../workloads';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  ms: number;
  fn: string;
  code: string;
}

export interface ProfileSummary {
  label: string;
  busyMs: number;
  extensionMs: number;
  /** Time with the function on the stack (inclusive). */
  total: HotFunction[];
  /** Time in the function itself (natives such as querySelectorAll included, attributed to themselves). */
  self: HotFunction[];
}

const sources = new Map<string, string[]>();
function codeAt(url: string, line: number, column: number): string {
  if (!url.startsWith('chrome-extension://')) return '';
  const file = new URL(url).pathname;
  let lines = sources.get(file);
  if (lines === undefined) {
    try {
      lines = readFileSync(EXTENSION_DIR + file, 'utf8').split('\n');
    } catch {
      lines = [];
    }
    sources.set(file, lines);
  }
  return (lines[line] ?? '').slice(column, column + 90).replace(/\s+/g, ' ');
}

export function summarizeProfile(profile: Profile, label: string, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, HotFunction>();
  const total = new Map<string, HotFunction>();
  const idle = new Set(['(idle)', '(program)', '(root)', '(garbage collector)']);
  let busy = 0;
  let inExt = 0;
  const key = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'}@${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber}`;
  const add = (m: Map<string, HotFunction>, n: ProfileNode, us: number) => {
    const k = key(n);
    const e = m.get(k) ?? { ms: 0, fn: k, code: codeAt(n.callFrame.url, n.callFrame.lineNumber, n.callFrame.columnNumber) };
    e.ms += us / 1000;
    m.set(k, e);
  };
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i + 1] ?? 0;
    const chain: ProfileNode[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (n) chain.push(n);
    }
    const leaf = chain[0];
    if (!leaf || idle.has(leaf.callFrame.functionName)) return;
    busy += us;
    if (!chain.some((n) => n.callFrame.url.startsWith('chrome-extension://'))) return;
    inExt += us;
    add(self, leaf, us);
    const seen = new Set<string>();
    for (const n of chain) {
      if (!n.callFrame.url.startsWith('chrome-extension://') || seen.has(key(n))) continue;
      seen.add(key(n));
      add(total, n, us);
    }
  });
  const sorted = (m: Map<string, HotFunction>) =>
    [...m.values()].sort((a, b) => b.ms - a.ms).slice(0, top).map((e) => ({ ...e, ms: Math.round(e.ms * 10) / 10 }));
  return { label, busyMs: Math.round(busy / 1000), extensionMs: Math.round(inExt / 1000), total: sorted(total), self: sorted(self) };
}

async function profiled(s: Session, fn: () => Promise<void>): Promise<Profile> {
  await s.send('Profiler.enable');
  await s.send('Profiler.setSamplingInterval', { interval: 100 });
  await s.send('Profiler.start');
  await fn();
  return (await s.send<{ profile: Profile }>('Profiler.stop')).profile;
}

export async function runProfile(opts: { baseUrl: string; log: (s: string) => void }): Promise<ProfileSummary[]> {
  const { browser, ext } = await launchArm('with');
  const out: ProfileSummary[] = [];
  const print = (p: ProfileSummary) => {
    opts.log(`  ${p.label}: ${p.extensionMs} ms of ${p.busyMs} ms busy main-thread time had the extension on the stack`);
    for (const e of p.total.slice(0, 12)) opts.log(`    ${e.ms.toFixed(1).padStart(7)} ms  ${e.fn.padEnd(28)} ${e.code}`);
  };
  try {
    for (const w of ALL_WORKLOADS) {
      const page = await browser.newPage(opts.baseUrl + w.path);
      await delay(700);
      const profile = await profiled(page.session, async () => {
        await w.run(new Input(page.session, BRISK));
        await delay(1_200);
      });
      const p = summarizeProfile(profile, `content script, ${w.name} workload`);
      out.push(p);
      print(p);
      await page.close();
    }
    if (ext) {
      const page = await browser.newPage(`${opts.baseUrl}/form/`);
      await delay(500);
      await page.session.send('Input.dispatchMouseEvent', { type: 'mousePressed', x: 900, y: 40, button: 'left', clickCount: 1 });
      await page.session.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x: 900, y: 40, button: 'left', clickCount: 1 });
      const sw = (await browser.targets()).find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
      if (sw) {
        const ws = await browser.attach(sw.targetId);
        const n = 3_000;
        const base = await ext.stored();
        const profile = await profiled(ws, async () => {
          const key = { type: 'rawKeyDown', key: 'j', code: 'KeyJ', windowsVirtualKeyCode: 74, nativeVirtualKeyCode: 74 };
          await Promise.all(Array.from({ length: n }, () => page.session.send('Input.dispatchKeyEvent', key)));
          const end = Date.now() + 60_000;
          while ((await ext.stored()) - base < n && Date.now() < end) await delay(200);
        });
        const p = summarizeProfile(profile, `service worker, storing a ${n}-key burst`);
        out.push(p);
        print(p);
      }
    }
  } finally {
    await browser.close();
  }
  return out;
}
