/**
 * Round trip helpers: fetch a recorded tab as a Chrome DevTools Recorder flow from the collector, and
 * replay it with @puppeteer/replay on puppeteer-core in a fresh Chromium (Debian's, no extension, a new
 * profile), then read the fixture app's end state (`window.__state()`).
 */
import { createRunner, parse, PuppeteerRunnerExtension, type Step, type UserFlow } from '@puppeteer/replay';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { CaptureEvent } from '../../lib/schema/event';
import { CHROMIUM, CHROMIUM_ARGS, COLLECTOR } from './fixtures';

/** Per-step timeout of the replay: long enough for a page load, short enough to fail fast. */
const STEP_TIMEOUT_MS = 10_000;

/** The browser tab the events of `url` (a page of the session) were recorded in. */
export function tabOf(events: readonly CaptureEvent[], url: string): number {
  const first = events.find((e) => e.frame === 0 && e.url.startsWith(url));
  if (!first) throw new Error(`no event recorded on ${url}`);
  return first.tab;
}

export async function fetchRecorderFlow(installId: string, tab: number): Promise<UserFlow> {
  const res = await fetch(`${COLLECTOR}/v1/export?format=recorder&installId=${installId}&tab=${tab}`);
  if (!res.ok) throw new Error(`export answered ${res.status}: ${await res.text()}`);
  // parse() validates the flow the way DevTools and the replay library do (throws on anything else).
  return parse(await res.json());
}

export async function fetchActionRecords(installId: string, tab: number): Promise<{ lines: string[]; records: Record<string, unknown>[] }> {
  const res = await fetch(`${COLLECTOR}/v1/export?format=jsonl&installId=${installId}&tab=${tab}`);
  if (!res.ok) throw new Error(`export answered ${res.status}: ${await res.text()}`);
  const lines = (await res.text()).split('\n').filter((l) => l.trim() !== '');
  return { lines, records: lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** Which step a replay stopped at, for a readable failure. */
class TracingExtension extends PuppeteerRunnerExtension {
  index = -1;
  current: Step | undefined;

  override async beforeEachStep(step: Step, flow?: UserFlow): Promise<void> {
    this.index++;
    this.current = step;
    await super.beforeEachStep?.(step, flow);
  }
}

export interface ReplayResult {
  state: unknown;
  /** Steps of the flow, for the failure message. */
  steps: number;
}

/**
 * Replays `flow` in a fresh browser and returns `__state()` once it equals `expected` (apps update
 * some of their state a frame or a message later), or the last state read after `settleMs`.
 */
export async function replay(flow: UserFlow, expected: unknown, settleMs = 5_000): Promise<ReplayResult> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'wc-replay-'));
  let browser: Browser | undefined;
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir,
      args: [...CHROMIUM_ARGS, '--headless=new'],
    });
    const page: Page = await browser.newPage();
    const extension = new TracingExtension(browser, page, { timeout: STEP_TIMEOUT_MS });
    const runner = await createRunner(flow, extension);
    try {
      await runner.run();
    } catch (err) {
      throw new Error(`replay failed at step ${extension.index} ${JSON.stringify(extension.current)}: ${String(err)}`);
    }
    const want = JSON.stringify(expected);
    const deadline = Date.now() + settleMs;
    let state: unknown;
    do {
      state = await page.evaluate(() => (window as unknown as { __state: () => unknown }).__state());
      if (JSON.stringify(state) === want) break;
      await new Promise((r) => setTimeout(r, 200));
    } while (Date.now() < deadline);
    return { state, steps: flow.steps.length };
  } finally {
    await browser?.close().catch(() => undefined);
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

/** A compact, readable view of a flow's steps (for failure messages and assertions). */
export function briefSteps(flow: UserFlow): string[] {
  return flow.steps.map((s) => {
    const sel = 'selectors' in s && s.selectors ? ` ${JSON.stringify(s.selectors[0])}` : '';
    const frame = 'frame' in s && s.frame?.length ? ` frame=${JSON.stringify(s.frame)}` : '';
    const extra =
      s.type === 'keyDown' || s.type === 'keyUp'
        ? ` ${s.key}`
        : s.type === 'change'
          ? ` = ${JSON.stringify(s.value)}`
          : s.type === 'navigate'
            ? ` ${s.url}`
            : s.type === 'scroll'
              ? ` ${s.x},${s.y}`
              : '';
    return `${s.type}${sel}${frame}${extra}`;
  });
}
