// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  frameElementFor,
  levelForFrameElement,
  needsInheritedLevel,
  sayHelloToParent,
  startFrameLevelResponder,
  strongestLevel,
} from '../../../lib/privacy/frame-level';
import { inheritedLevel, privacyLevel, setInheritedLevel } from '../../../lib/privacy/markers';
import { fieldPrivacy } from '../../../lib/privacy/sensitive';
import { FRAME_HELLO_TYPE, FRAME_PING_TYPE } from '../../../lib/schema/frame-level';

const NONCE = '0123456789abcdef0123456789abcdef';

afterEach(() => {
  setInheritedLevel('none');
  document.body.innerHTML = '';
});

/** A window stand-in: its `message` listeners can be called with trusted-looking events. */
function fakeWindow(props: Record<string, unknown> = {}) {
  const listeners = new Set<(e: unknown) => void>();
  const posted: unknown[] = [];
  const win = {
    document,
    frames: [] as unknown[],
    addEventListener: (type: string, l: (e: unknown) => void) => type === 'message' && listeners.add(l),
    removeEventListener: (type: string, l: (e: unknown) => void) => listeners.delete(l),
    postMessage: (data: unknown) => posted.push(data),
    ...props,
  };
  const deliver = (data: unknown, source: unknown, isTrusted = true) => {
    for (const l of [...listeners]) l({ isTrusted, data, source });
  };
  return { win: win as unknown as Window & { frames: unknown[] }, deliver, posted, listeners };
}

describe('lib/privacy/frame-level', () => {
  describe('level combination', () => {
    it('strongestLevel: block > mask > ignore > none', () => {
      expect(strongestLevel()).toBe('none');
      expect(strongestLevel('none', 'ignore')).toBe('ignore');
      expect(strongestLevel('mask', 'ignore', 'none')).toBe('mask');
      expect(strongestLevel('ignore', 'block', 'mask')).toBe('block');
    });

    it('an inherited level makes every element of the document at least that private, never less', () => {
      document.body.innerHTML = '<input id="plain"><div class="rr-block"><input id="blocked"></div>';
      const plain = document.getElementById('plain')!;
      const blocked = document.getElementById('blocked')!;
      expect(privacyLevel(plain, [])).toBe('none');
      setInheritedLevel('mask');
      expect(inheritedLevel()).toBe('mask');
      expect(privacyLevel(plain, [])).toBe('mask');
      expect(privacyLevel(blocked, [])).toBe('block'); // own markers still count when stronger
      expect(fieldPrivacy(plain, [])).toMatchObject({ masked: true, keysAndValues: true });
      setInheritedLevel('ignore');
      expect(fieldPrivacy(plain, [])).toMatchObject({ level: 'ignore', keysAndValues: false });
      setInheritedLevel('none');
      expect(privacyLevel(plain, [])).toBe('none');
    });

    it('a parent reports its frame element\'s markers, policy selectors and its own inherited level (nesting)', () => {
      document.body.innerHTML = '<section data-private><iframe id="a" srcdoc="a"></iframe></section><iframe id="b" srcdoc="b"></iframe><div class="pay"><iframe id="c" srcdoc="c"></iframe></div>';
      const [a, b, c] = ['a', 'b', 'c'].map((id) => document.getElementById(id)!);
      expect(levelForFrameElement(a!, [])).toBe('mask');
      expect(levelForFrameElement(b!, [])).toBe('none');
      expect(levelForFrameElement(c!, ['.pay'])).toBe('mask');
      b!.classList.add('rr-ignore');
      expect(levelForFrameElement(b!, [])).toBe('ignore');
      // This parent is itself a child that inherited "mask": its children get at least that.
      setInheritedLevel('mask');
      expect(levelForFrameElement(b!, [])).toBe('mask');
      b!.classList.add('rr-block');
      expect(levelForFrameElement(b!, [])).toBe('block');
    });
  });

  describe('needsInheritedLevel', () => {
    it('is false for the top window and for same-origin chains, true behind any cross-origin boundary', () => {
      const top = { frameElement: null } as Record<string, unknown>;
      top.parent = top;
      expect(needsInheritedLevel(top as never)).toBe(false);
      const same = { parent: top, frameElement: {} };
      expect(needsInheritedLevel(same as never)).toBe(false);
      const cross = { parent: top, frameElement: null };
      expect(needsInheritedLevel(cross as never)).toBe(true);
      // Same-origin with its parent, but that parent is a cross-origin child of the top.
      const nested = { parent: cross, frameElement: {} };
      expect(needsInheritedLevel(nested as never)).toBe(true);
      const throwing = {
        parent: top,
        get frameElement() {
          throw new DOMException('blocked', 'SecurityError');
        },
      };
      expect(needsInheritedLevel(throwing as never)).toBe(true);
    });
  });

  describe('parent side', () => {
    function mountFrames() {
      // srcdoc: happy-dom loads no frame from a URL, but gives a srcdoc frame a real window.
      document.body.innerHTML = '<div class="rr-block"><iframe id="blocked" srcdoc="a"></iframe></div><iframe id="plain" srcdoc="b"></iframe><x-host id="host"></x-host>';
      const host = document.getElementById('host')!;
      host.attachShadow({ mode: 'open' }).innerHTML = '<iframe id="in-shadow" srcdoc="c" data-private></iframe>';
      const blocked = document.getElementById('blocked')!;
      const plain = document.getElementById('plain')!;
      const inShadow = host.shadowRoot!.getElementById('in-shadow')!;
      // happy-dom's frame windows do not name this window as their parent; stand-ins that do.
      const childWindows = [blocked, plain, inShadow].map((el) => {
        const child = fakeWindow({ parent: window }).win;
        Object.defineProperty(el, 'contentWindow', { value: child, configurable: true });
        return child;
      });
      return { blocked, plain, inShadow, childWindows };
    }

    it('finds the frame element of a window, in shadow roots too', () => {
      const { blocked, inShadow, childWindows } = mountFrames();
      expect(frameElementFor(document, childWindows[0])).toBe(blocked);
      expect(frameElementFor(document, childWindows[2])).toBe(inShadow);
      expect(frameElementFor(document, fakeWindow().win)).toBeNull();
    });

    it('answers a child\'s hello with the level of its element, pings the children once, and stops', () => {
      const { childWindows } = mountFrames();
      // This window is the parent; its trusted message events are played by calling the listener added.
      const added = vi.spyOn(window, 'addEventListener');
      const removed = vi.spyOn(window, 'removeEventListener');
      const report = vi.fn();
      const off = startFrameLevelResponder(window, [], report);
      const listener = added.mock.calls.find(([type]) => type === 'message')?.[1] as (e: unknown) => void;
      const deliver = (data: unknown, source: unknown, isTrusted = true) => listener({ isTrusted, data, source });
      deliver({ type: FRAME_HELLO_TYPE, nonce: NONCE }, childWindows[0]);
      deliver({ type: FRAME_HELLO_TYPE, nonce: NONCE }, childWindows[1]);
      deliver({ type: FRAME_HELLO_TYPE, nonce: NONCE }, childWindows[2]); // in a shadow root
      expect(report.mock.calls).toEqual([[NONCE, 'block'], [NONCE, 'none'], [NONCE, 'mask']]);
      // Untrusted (a page's dispatchEvent), from a window that is not our child, or malformed: ignored.
      deliver({ type: FRAME_HELLO_TYPE, nonce: NONCE }, childWindows[1], false);
      deliver({ type: FRAME_HELLO_TYPE, nonce: NONCE }, fakeWindow().win);
      deliver({ type: FRAME_HELLO_TYPE, nonce: NONCE }, window);
      deliver({ type: FRAME_HELLO_TYPE, nonce: 'nope' }, childWindows[1]);
      expect(report).toHaveBeenCalledTimes(3);
      off();
      expect(removed).toHaveBeenCalledWith('message', listener, expect.anything());
    });

    it('pings every child window when it starts, those in open shadow roots too', () => {
      const a = fakeWindow();
      const b = fakeWindow();
      const shadowed = fakeWindow();
      document.body.innerHTML = '<x-host id="host"></x-host>';
      const root = document.getElementById('host')!.attachShadow({ mode: 'open' });
      root.innerHTML = '<iframe srcdoc="s"></iframe>';
      Object.defineProperty(root.querySelector('iframe')!, 'contentWindow', { value: shadowed.win });
      const parent = fakeWindow();
      parent.win.frames.push(a.win, b.win); // window.frames leaves shadow-tree frames out
      startFrameLevelResponder(parent.win, [], vi.fn())();
      for (const w of [a, b, shadowed]) expect(w.posted).toEqual([{ type: FRAME_PING_TYPE }]);
    });
  });

  describe('child side', () => {
    it('says hello only once the nonce is registered, again on its parent\'s ping, and not after stopping', async () => {
      const parent = fakeWindow();
      const child = fakeWindow({ parent: parent.win });
      let registered = 0;
      const off = sayHelloToParent(child.win, NONCE, async () => {
        registered++;
        return true;
      });
      await vi.waitFor(() => expect(parent.posted).toEqual([{ type: FRAME_HELLO_TYPE, nonce: NONCE }]));
      child.deliver({ type: FRAME_PING_TYPE }, fakeWindow().win); // not from the parent: ignored
      child.deliver({ type: FRAME_PING_TYPE }, parent.win);
      await vi.waitFor(() => expect(parent.posted).toHaveLength(2));
      expect(registered).toBe(2);
      off();
      expect(child.listeners.size).toBe(0);
    });

    it('stays silent when the background never took the nonce', async () => {
      const parent = fakeWindow();
      const child = fakeWindow({ parent: parent.win });
      const off = sayHelloToParent(child.win, NONCE, async () => false);
      await new Promise((r) => setTimeout(r, 10));
      expect(parent.posted).toEqual([]);
      off();
    });
  });
});
