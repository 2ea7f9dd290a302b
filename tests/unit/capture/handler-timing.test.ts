import { afterEach, describe, expect, it, vi } from 'vitest';

type Module = typeof import('../../../lib/capture/handler-timing');
interface Store {
  samples: Record<string, number[]>;
  calls: Record<string, number>;
  reset(): void;
}

/** The module as a WC_HANDLER_TIMING=1 build compiles it (the build-time constant set to true). */
async function timingBuild(): Promise<{ mod: Module; store: Store }> {
  vi.resetModules();
  vi.stubGlobal('__WC_HANDLER_TIMING__', true);
  const mod = await import('../../../lib/capture/handler-timing');
  return { mod, store: (globalThis as Record<string, unknown>)[mod.HANDLER_TIMING_GLOBAL] as Store };
}

afterEach(() => {
  vi.unstubAllGlobals();
  delete (globalThis as Record<string, unknown>).__wcHandlerTiming;
  vi.resetModules();
});

describe('lib/capture/handler-timing', () => {
  it('is off in every ordinary build: listeners and timers are handed back untouched, nothing is exposed', async () => {
    vi.resetModules();
    const mod = await import('../../../lib/capture/handler-timing');
    const listener = (_e: Event) => undefined;
    const timer = () => undefined;
    expect(mod.HANDLER_TIMING).toBe(false);
    expect(mod.timedListener(listener)).toBe(listener);
    expect(mod.timedDeferred(timer, 'flush')).toBe(timer);
    expect((globalThis as Record<string, unknown>)[mod.HANDLER_TIMING_GLOBAL]).toBeUndefined();
  });

  it('in a timing build, one sample per event dispatch: several listeners for the same event add up', async () => {
    const { mod, store } = await timingBuild();
    const seen: string[] = [];
    const a = mod.timedListener((e) => void seen.push(`a:${e.type}`));
    const b = mod.timedListener((e) => void seen.push(`b:${e.type}`));
    const keydown = new Event('keydown');
    a(keydown);
    b(keydown);
    a(new Event('keydown'));
    a(new Event('click'));
    expect(seen).toEqual(['a:keydown', 'b:keydown', 'a:keydown', 'a:click']);
    expect(store.samples.keydown).toHaveLength(2);
    expect(store.calls.keydown).toBe(3);
    expect(store.samples.click).toHaveLength(1);
    expect(store.samples.keydown!.every((us) => us >= 0)).toBe(true);
  });

  it('names deferred work after what scheduled it, and counts nested work once, in the outer sample', async () => {
    const { mod, store } = await timingBuild();
    let scheduled: (() => void) | undefined;
    const inner = mod.timedDeferred(() => undefined, 'flush');
    const listener = mod.timedListener(() => {
      scheduled = mod.timedDeferred(() => undefined);
      inner();
    });
    listener(new Event('pointermove'));
    scheduled!();
    expect(Object.keys(store.samples).sort()).toEqual(['deferred:pointermove', 'pointermove']);
    expect(store.calls['deferred:flush']).toBe(1);
    store.reset();
    expect(store.samples).toEqual({});
    expect(store.calls).toEqual({});
  });

  it('a handler that throws is still timed, and the error reaches the caller', async () => {
    const { mod, store } = await timingBuild();
    const listener = mod.timedListener(() => {
      throw new Error('boom');
    });
    expect(() => listener(new Event('input'))).toThrow('boom');
    expect(store.samples.input).toHaveLength(1);
  });
});
