// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { boxOf } from '../../../lib/describe/box';
import { framePath, framePathInfo, viewportOf } from '../../../lib/describe/frame';
import { $, html } from './helpers';

/** A window-like tree: happy-dom does not load iframes, so frames are modelled as plain objects. */
interface FakeWin {
  parent: FakeWin;
  frames: FakeWin[];
  length: number;
}
function top(): FakeWin {
  const w = { frames: [] as FakeWin[], length: 0 } as unknown as FakeWin;
  w.parent = w;
  (w as { frames: unknown }).frames = w.frames;
  return w;
}
function child(parent: FakeWin): FakeWin {
  const w = { parent, frames: [] as FakeWin[], length: 0 } as FakeWin;
  parent.frames.push(w);
  parent.length = parent.frames.length;
  return w;
}
const asWin = (w: FakeWin) => w as unknown as Window;

describe('lib/describe/box', () => {
  it('rounds the bounding client rect to 0.1 px', () => {
    html('<button>x</button>');
    const el = $('button');
    el.getBoundingClientRect = () => ({ x: 10.04, y: 20.06, width: 100.149, height: 0.05, top: 20.06, left: 10.04, right: 0, bottom: 0, toJSON: () => ({}) }) as DOMRect;
    expect(boxOf(el)).toEqual({ x: 10, y: 20.1, w: 100.1, h: 0.1 });
  });

  it('gives zeros when layout is unavailable or throws', () => {
    html('<button>x</button>');
    const el = $('button');
    expect(boxOf(el)).toEqual({ x: 0, y: 0, w: 0, h: 0 }); // happy-dom has no layout
    el.getBoundingClientRect = () => {
      throw new Error('detached');
    };
    expect(boxOf(el)).toEqual({ x: 0, y: 0, w: 0, h: 0 });
  });
});

describe('lib/describe/frame', () => {
  it('is [] for the top frame', () => {
    const t = top();
    expect(framePath(asWin(t))).toEqual([]);
    expect(framePath(window)).toEqual([]);
  });

  it('gives the index path from the top', () => {
    const t = top();
    child(t);
    child(t);
    const c = child(t);
    child(c);
    const g = child(c);
    expect(framePath(asWin(c))).toEqual([2]);
    expect(framePath(asWin(g))).toEqual([2, 1]);
    expect(framePathInfo(asWin(g))).toEqual({ path: [2, 1], complete: true });
  });

  it('reports an unresolvable level instead of a wrong path', () => {
    const t = top();
    const mid = child(t);
    const leaf = child(mid);
    Object.defineProperty(t, 'frames', {
      get() {
        throw new Error('SecurityError');
      },
    });
    expect(framePathInfo(asWin(leaf))).toEqual({ path: [0], complete: false });
    expect(framePath(asWin(leaf))).toEqual([]);
  });

  it('stops at the schema depth limit', () => {
    let w = top();
    for (let i = 0; i < 20; i++) w = child(w);
    const info = framePathInfo(asWin(w));
    expect(info.complete).toBe(false);
    expect(info.path.length).toBeLessThanOrEqual(16);
  });

  it('reads the viewport from the given window', () => {
    expect(viewportOf(window)).toEqual({ width: window.innerWidth, height: window.innerHeight, dpr: window.devicePixelRatio });
    expect(viewportOf({ innerWidth: 1280.4, innerHeight: 720, devicePixelRatio: 2 } as unknown as Window)).toEqual({ width: 1280, height: 720, dpr: 2 });
  });
});
