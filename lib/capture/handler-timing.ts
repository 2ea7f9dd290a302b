/**
 * Bench-only: how long the content script's own work takes, per event kind (docs/performance.md,
 * "Handler time"). Every capture listener invocation and every piece of deferred work (the session's
 * `later` timers, the batcher's flush timer, MutationObserver callbacks) is timed with
 * `performance.now()` and kept in this script's isolated world, where the benchmark reads it over the
 * DevTools protocol (`globalThis.__wcHandlerTiming`).
 *
 * Compiled in only by builds made with `WC_HANDLER_TIMING=1` (wxt.config.ts turns it into the constant
 * below and writes those builds to their own directory). In every other build `timedListener` and
 * `timedDeferred` hand back what they are given and everything else here is dead code the bundler
 * drops: the release content script holds none of it.
 *
 * What one sample is:
 * - a listener sample is one event dispatch: the time of all of this script's listeners for that one
 *   event together (several observers listen to keydown, say), keyed by the event's type;
 * - a deferred sample is one timer or observer callback, keyed `deferred:<origin>`: `flush` (the
 *   batcher's timer, which also computes the lazily checked values as the batch is serialised),
 *   `mutation`, or the type of the event whose listener scheduled it (`deferred:pointermove` is the
 *   pointer segment closing after the pointer rested).
 * Work that runs inside other timed work (a flush started by a full buffer in a keydown listener) counts
 * once, in the outer sample.
 */

declare const __WC_HANDLER_TIMING__: boolean | undefined;

/** True only in `WC_HANDLER_TIMING=1` builds (a build-time constant, false in tests). */
export const HANDLER_TIMING = typeof __WC_HANDLER_TIMING__ === 'boolean' && __WC_HANDLER_TIMING__;

/** Where the benchmark finds the samples, in the content script's isolated world. */
export const HANDLER_TIMING_GLOBAL = '__wcHandlerTiming';

export interface HandlerTimingStore {
  /** µs per sample (see above), by kind. */
  samples: Record<string, number[]>;
  /** Listener invocations and deferred runs by kind, nested ones included. */
  calls: Record<string, number>;
  /** Forget everything measured so far (the benchmark's window starts). */
  reset(): void;
}

let store: HandlerTimingStore | undefined;
/** The sample an event dispatch already has, so that its further listeners add to it. */
let dispatches = new WeakMap<Event, { list: number[]; index: number }>();
let depth = 0;
/** The event type or deferred origin being handled now: what work scheduled from here is named after. */
let origin: string | undefined;

function record(kind: string, us: number, event: Event | undefined, nested: boolean): void {
  if (!store) return;
  store.calls[kind] = (store.calls[kind] ?? 0) + 1;
  if (nested) return;
  const list = (store.samples[kind] ??= []);
  const seen = event ? dispatches.get(event) : undefined;
  if (seen) {
    seen.list[seen.index]! += us;
    return;
  }
  if (event) dispatches.set(event, { list, index: list.length });
  list.push(us);
}

function run<T>(kind: string, from: string, event: Event | undefined, fn: () => T): T {
  const nested = depth > 0;
  const outer = origin;
  depth++;
  origin = from;
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    const us = (performance.now() - t0) * 1000;
    depth--;
    origin = outer;
    record(kind, us, event, nested);
  }
}

/** A capture listener, timed per event dispatch (timing builds only). */
export function timedListener(handler: (e: Event) => void): (e: Event) => void {
  if (!HANDLER_TIMING) return handler;
  return (e) => run(e.type, e.type, e, () => handler(e));
}

/**
 * A timer callback, timed as `deferred:<name>`, or `deferred:<what scheduled it>` without a name
 * (timing builds only). Call it where the timer is set, so that the origin is known.
 */
export function timedDeferred(fn: () => void, name?: string): () => void {
  if (!HANDLER_TIMING) return fn;
  const from = name ?? origin ?? 'other';
  return () => run(`deferred:${from}`, from, undefined, fn);
}

if (HANDLER_TIMING) {
  const created: HandlerTimingStore = {
    samples: {},
    calls: {},
    reset() {
      created.samples = {};
      created.calls = {};
      dispatches = new WeakMap();
    },
  };
  store = created;
  (globalThis as Record<string, unknown>)[HANDLER_TIMING_GLOBAL] = created;
  // Mutation callbacks are deferred work too (lib/privacy watches the DOM): this world's
  // MutationObserver times its callbacks. The page's own MutationObserver is another world's, untouched.
  const Native = globalThis.MutationObserver;
  if (Native) {
    globalThis.MutationObserver = class TimedMutationObserver extends Native {
      constructor(callback: MutationCallback) {
        super((records, observer) => run('deferred:mutation', 'mutation', undefined, () => callback(records, observer)));
      }
    };
  }
}
