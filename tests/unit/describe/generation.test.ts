// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generationFor, perGeneration, useGenerationSource, watchDomGeneration } from '../../../lib/describe/generation';
import { describeTarget, redescribe } from '../../../lib/describe/target';
import { quietAfter } from '../../../lib/capture/context';

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('lib/describe/generation: answers kept per element until the DOM changes', () => {
  let off: (() => void) | undefined;
  let watcher: ReturnType<typeof watchDomGeneration> | undefined;
  afterEach(() => {
    off?.();
    watcher?.stop();
    off = undefined;
    watcher = undefined;
    document.body.innerHTML = '';
  });
  const install = () => {
    watcher = watchDomGeneration(document);
    const w = watcher;
    off = useGenerationSource(document, () => w.current());
  };

  it('computes once per element and DOM state, again after any change', async () => {
    document.body.innerHTML = '<p id="a">one</p><p id="b">two</p>';
    install();
    const compute = vi.fn((el: Element) => el.textContent);
    const text = perGeneration(compute);
    const a = document.getElementById('a')!;
    expect(text(a)).toBe('one');
    expect(text(a)).toBe('one');
    expect(compute).toHaveBeenCalledTimes(1);
    text(document.getElementById('b')!);
    expect(compute).toHaveBeenCalledTimes(2);
    document.getElementById('b')!.setAttribute('title', 'x'); // anywhere in the document
    await settle();
    expect(text(a)).toBe('one');
    expect(compute).toHaveBeenCalledTimes(3);
  });

  it('never caches without a source, inside shadow trees, or for another document', () => {
    document.body.innerHTML = '<div id="host"></div>';
    const compute = vi.fn(() => 1);
    const memo = perGeneration(compute);
    const host = document.getElementById('host')!;
    memo(host);
    memo(host);
    expect(compute).toHaveBeenCalledTimes(2); // no source installed
    install();
    const inner = host.attachShadow({ mode: 'open' });
    inner.innerHTML = '<span id="in">x</span>';
    const span = inner.getElementById('in')!;
    expect(generationFor(span)).toBeUndefined();
    memo(span);
    memo(span);
    expect(compute).toHaveBeenCalledTimes(4);
    const other = document.implementation.createHTMLDocument('other');
    expect(generationFor(other.body)).toBeUndefined();
    expect(generationFor(document)).toBeTypeOf('number');
  });

  it('a description reused under the same DOM state reads the box and checked state again', () => {
    document.body.innerHTML = '<label><input id="c" type="checkbox"> Remember me</label>';
    const box = document.getElementById('c') as HTMLInputElement;
    const first = describeTarget(box, { masked: false, redact: (s) => s });
    expect(first.attrs?.checked).toBe('false');
    box.checked = true; // a property: no DOM mutation
    const again = redescribe(box, first, { masked: false });
    expect(again.attrs?.checked).toBe('true');
    expect(again.selectors).toEqual(first.selectors);
    expect(again).not.toBe(first);
    expect(first.attrs?.checked).toBe('false'); // the earlier event keeps what it saw
    const masked = redescribe(box, { ...first, attrs: undefined }, { masked: true, box: { x: 1, y: 2, w: 3, h: 4 } });
    expect(masked.attrs).toBeUndefined();
    expect(masked.box).toEqual({ x: 1, y: 2, w: 3, h: 4 });
  });
});

describe('lib/capture/context quietAfter: one timer per quiet period', () => {
  afterEach(() => vi.useRealTimers());

  it('fires once, after the last touch has been quiet for the period', () => {
    vi.useFakeTimers();
    let armed = 0;
    const later = (fn: () => void, ms: number) => {
      armed++;
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    };
    const fired = vi.fn();
    const quiet = quietAfter({ later }, 400, fired);
    for (let i = 0; i < 30; i++) {
      quiet.touch();
      vi.advanceTimersByTime(16);
    }
    expect(fired).not.toHaveBeenCalled();
    expect(armed).toBeLessThanOrEqual(2);
    vi.advanceTimersByTime(399);
    expect(fired).toHaveBeenCalledTimes(1);
    quiet.touch();
    quiet.cancel();
    vi.advanceTimersByTime(1000);
    expect(fired).toHaveBeenCalledTimes(1);
  });
});
