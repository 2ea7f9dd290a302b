import { afterEach, describe, expect, it, vi } from 'vitest';
import { startGatedSession, type FrameGateDeps } from '../../../lib/capture/frame-gate';
import { inheritedLevel, setInheritedLevel } from '../../../lib/privacy/markers';
import type { FrameLevelMessage, FrameLevelVerdict } from '../../../lib/schema/frame-level';
import { FRAME_HELLO_TYPE } from '../../../lib/schema/frame-level';

afterEach(() => setInheritedLevel('none'));

function fakeWindow(props: Record<string, unknown>) {
  const listeners = new Set<(e: unknown) => void>();
  const posted: unknown[] = [];
  const win = {
    frames: [] as unknown[],
    document: { querySelectorAll: () => [] },
    location: { href: 'https://child.example/' },
    addEventListener: (_t: string, l: (e: unknown) => void) => listeners.add(l),
    removeEventListener: (_t: string, l: (e: unknown) => void) => listeners.delete(l),
    postMessage: (data: unknown) => posted.push(data),
    ...props,
  };
  return { win: win as unknown as Window, posted, listeners };
}

function fakeDeps(answer: unknown = { ok: true }) {
  const sent: FrameLevelMessage[] = [];
  let verdict: ((v: FrameLevelVerdict) => void) | undefined;
  const deps: FrameGateDeps = {
    send: async (m) => {
      sent.push(m);
      return answer;
    },
    onVerdict: (l) => {
      verdict = l;
      return () => (verdict = undefined);
    },
    isAlive: () => true,
  };
  return { deps, sent, verdict: (v: FrameLevelVerdict) => verdict?.(v), subscribed: () => verdict !== undefined };
}

function crossOriginChild() {
  const top = fakeWindow({ frameElement: null });
  (top.win as unknown as { parent: Window }).parent = top.win;
  const child = fakeWindow({ parent: top.win, frameElement: null });
  return { top, child };
}

const session = () => ({ stop: vi.fn() });

describe('lib/capture/frame-gate', () => {
  it('starts at once where every frame above is visible (top, same-origin chain)', () => {
    const { top } = crossOriginChild();
    const start = vi.fn(session);
    const f = fakeDeps();
    startGatedSession(top.win, [], start, f.deps).stop();
    expect(start).toHaveBeenCalledOnce();
    expect(f.sent).toEqual([]);
    expect(inheritedLevel()).toBe('none');
  });

  it('behind a cross-origin boundary: registers a nonce, says hello, and captures nothing until the verdict', async () => {
    const { top, child } = crossOriginChild();
    const start = vi.fn(session);
    const f = fakeDeps();
    const gate = startGatedSession(child.win, [], start, f.deps);
    await vi.waitFor(() => expect(top.posted).toHaveLength(1));
    const nonce = f.sent[0]?.nonce;
    expect(f.sent).toEqual([{ kind: 'frame-level-request', nonce }]);
    expect(top.posted).toEqual([{ type: FRAME_HELLO_TYPE, nonce }]);
    expect(start).not.toHaveBeenCalled();
    expect(inheritedLevel()).toBe('block'); // fail closed while unknown
    f.verdict({ kind: 'frame-level', nonce: 'f'.repeat(32), level: 'none' }); // not ours
    expect(start).not.toHaveBeenCalled();
    f.verdict({ kind: 'frame-level', nonce: nonce!, level: 'mask' });
    expect(start).toHaveBeenCalledOnce();
    expect(inheritedLevel()).toBe('mask');
    expect(f.subscribed()).toBe(false);
    expect(child.listeners.size).toBe(1); // the ping listener went; the responder for its own children came
    gate.stop();
    expect(child.listeners.size).toBe(0);
  });

  it('a blocked frame starts nothing and answers no child', async () => {
    const { top, child } = crossOriginChild();
    const start = vi.fn(session);
    const f = fakeDeps();
    startGatedSession(child.win, [], start, f.deps);
    await vi.waitFor(() => expect(top.posted).toHaveLength(1));
    f.verdict({ kind: 'frame-level', nonce: f.sent[0]!.nonce, level: 'block' });
    expect(start).not.toHaveBeenCalled();
    expect(child.listeners.size).toBe(0);
  });

  it('says no hello when the background refused the nonce, and a stop before the verdict leaves nothing behind', async () => {
    const { top, child } = crossOriginChild();
    const start = vi.fn(session);
    const f = fakeDeps({ ok: false });
    const gate = startGatedSession(child.win, [], start, f.deps);
    await vi.waitFor(() => expect(f.sent).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 5));
    expect(top.posted).toEqual([]);
    gate.stop();
    expect(f.subscribed()).toBe(false);
    expect(child.listeners.size).toBe(0);
    f.verdict({ kind: 'frame-level', nonce: f.sent[0]!.nonce, level: 'none' });
    expect(start).not.toHaveBeenCalled();
  });
});

describe('lib/capture/frame-gate (documents that are not web pages)', () => {
  it('an about:blank frame behind a cross-origin boundary stays silent without asking', () => {
    const top = { frameElement: null, location: { href: 'https://top.example/' } } as Record<string, unknown>;
    top.parent = top;
    const blank = { parent: top, frameElement: null, location: { href: 'about:blank' } };
    const start = vi.fn(session);
    const f = fakeDeps();
    startGatedSession(blank as never, [], start, f.deps).stop();
    expect(start).not.toHaveBeenCalled();
    expect(f.sent).toEqual([]);
    expect(f.subscribed()).toBe(false);
  });
});
