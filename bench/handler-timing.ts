/**
 * Handler time: the content script's own work per event, measured inside it. A build made with
 * `WC_HANDLER_TIMING=1` (lib/capture/handler-timing.ts) times every capture listener invocation and every
 * piece of deferred work with `performance.now()`; the benchmark builds that variant into its own
 * directory, runs the workloads with it as one more arm, and reads the samples from the content script's
 * isolated world over the DevTools protocol.
 *
 * Clock resolution: Chromium coarsens `performance.now()` to 100 µs in a page that is not cross-origin
 * isolated, too coarse for handlers of a few µs. The timing arm therefore loads the fixture apps through
 * a proxy that adds COOP/COEP headers (same files, another port): the page and the content script's world
 * are then cross-origin isolated and the clock has 5 µs resolution (jittered, so sums and percentiles
 * over many samples stay unbiased). The arm is never compared for page cost; the normal `with` arm
 * measures the build without timing code on the unmodified pages.
 */
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { HANDLER_TIMING_GLOBAL } from '../lib/capture/handler-timing';
import { delay, type Session } from './cdp';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const HANDLER_TIMING_DIR = fileURLToPath(new URL('../.output/chrome-mv3-dev-handler-timing', import.meta.url));

/** Build the development build with handler timing into HANDLER_TIMING_DIR (a few seconds). */
export function buildHandlerTimingVariant(): void {
  execFileSync(`${ROOT}node_modules/.bin/wxt`, ['build', '--mode', 'development'], {
    cwd: ROOT,
    env: { ...process.env, WC_HANDLER_TIMING: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

export interface IsolatingProxy {
  url: string;
  close(): Promise<void>;
}

/** The fixture server at `upstream`, served again with the headers that make a page cross-origin isolated. */
export async function startIsolatingProxy(upstream: string): Promise<IsolatingProxy> {
  const up = new URL(upstream);
  const server = http.createServer((req, res) => {
    const forward = http.request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, {
        ...answer.headers,
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      });
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The execution context of the extension's content script in the page's main frame. */
export async function contentScriptWorld(s: Session): Promise<number> {
  const { frameTree } = await s.send<{ frameTree: { frame: { id: string } } }>('Page.getFrameTree');
  const contexts: { id: number; origin: string; auxData?: { type?: string; frameId?: string } }[] = [];
  const off = s.on('Runtime.executionContextCreated', (p) => contexts.push(p.context as (typeof contexts)[number]));
  try {
    await s.send('Runtime.enable');
    for (let i = 0; i < 20; i++) {
      const world = contexts.find(
        (c) => c.auxData?.type === 'isolated' && c.auxData.frameId === frameTree.frame.id && c.origin.startsWith('chrome-extension://'),
      );
      if (world) return world.id;
      await delay(50);
    }
  } finally {
    off();
  }
  throw new Error('handler timing: no content-script world in the page');
}

interface RawTiming {
  samples: Record<string, number[]>;
  calls: Record<string, number>;
}

async function inWorld<T>(s: Session, contextId: number, expression: string): Promise<T> {
  const r = await s.send<{ result: { value?: T }; exceptionDetails?: { text: string } }>('Runtime.evaluate', {
    expression,
    contextId,
    returnByValue: true,
  });
  if (r.exceptionDetails) throw new Error(`handler timing: ${r.exceptionDetails.text}`);
  return r.result.value as T;
}

/** Forget what the content script measured so far (the measured window starts now). */
export async function resetTiming(s: Session, contextId: number): Promise<void> {
  const ok = await inWorld<boolean>(s, contextId, `(() => { const t = globalThis.${HANDLER_TIMING_GLOBAL}; if (!t) return false; t.reset(); return true; })()`);
  if (!ok) throw new Error('handler timing: the content script has no timing (not a WC_HANDLER_TIMING=1 build?)');
}

export async function readTiming(s: Session, contextId: number): Promise<RawTiming> {
  return inWorld<RawTiming>(s, contextId, `(() => { const t = globalThis.${HANDLER_TIMING_GLOBAL}; return { samples: t.samples, calls: t.calls }; })()`);
}

export interface TimingSummary {
  /** Samples: event dispatches (all of the script's listeners for one event) or deferred runs. */
  n: number;
  /** Listener invocations and deferred runs. */
  calls: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Sum of the samples, ms. */
  totalMs: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function summarizeSamples(samples: number[], calls: number): TimingSummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    n: sorted.length,
    calls,
    p50: r(percentile(sorted, 0.5)),
    p95: r(percentile(sorted, 0.95)),
    p99: r(percentile(sorted, 0.99)),
    max: r(sorted.at(-1) ?? Number.NaN),
    totalMs: Math.round(sorted.reduce((a, b) => a + b, 0)) / 1000,
  };
}

export interface HandlerTimingRun {
  rep: number;
  /** `interaction` (form + menubar + scroll together), or one workload. */
  group: string;
  all: TimingSummary;
  listeners: TimingSummary;
  deferred: TimingSummary;
  byKind: Record<string, TimingSummary>;
  /** Events the extension stored during the window. */
  events: number;
  /** Listener invocations and deferred runs per stored event. */
  callsPerEvent: number;
  /** Handler time per stored event (µs): the sum of all samples ÷ events. */
  usPerEvent: number;
}

/** One group's summary from the raw timings of its pages (several pages: their samples together). */
export function summarizeTiming(rep: number, group: string, pages: { timing: RawTiming; events: number }[]): HandlerTimingRun {
  const samples: Record<string, number[]> = {};
  const calls: Record<string, number> = {};
  for (const { timing } of pages) {
    for (const [k, v] of Object.entries(timing.samples)) (samples[k] ??= []).push(...v);
    for (const [k, v] of Object.entries(timing.calls)) calls[k] = (calls[k] ?? 0) + v;
  }
  const kinds = [...new Set([...Object.keys(samples), ...Object.keys(calls)])].sort();
  const pick = (deferred: boolean) => kinds.filter((k) => k.startsWith('deferred:') === deferred);
  const merged = (ks: string[]) =>
    summarizeSamples(
      ks.flatMap((k) => samples[k] ?? []),
      ks.reduce((a, k) => a + (calls[k] ?? 0), 0),
    );
  const all = merged(kinds);
  const events = pages.reduce((a, p) => a + p.events, 0);
  return {
    rep,
    group,
    all,
    listeners: merged(pick(false)),
    deferred: merged(pick(true)),
    byKind: Object.fromEntries(kinds.map((k) => [k, summarizeSamples(samples[k] ?? [], calls[k] ?? 0)])),
    events,
    callsPerEvent: events ? all.calls / events : Number.NaN,
    usPerEvent: events ? (all.totalMs * 1000) / events : Number.NaN,
  };
}
