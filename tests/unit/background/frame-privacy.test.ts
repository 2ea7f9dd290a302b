import { describe, expect, it, vi } from 'vitest';
import { FrameLevelBroker, handleFrameLevelMessage, parseFrameLevelMessage } from '../../../lib/background/frame-privacy';

const N1 = 'a'.repeat(32);
const N2 = 'b'.repeat(32);
const N3 = 'c'.repeat(32);

function sender(tab: number, frameId: number, url = 'https://parent.example/page', extra: Record<string, unknown> = {}) {
  return { id: 'ext', url, frameId, tab: { id: tab, incognito: false }, ...extra } as never;
}

describe('lib/background/frame-privacy', () => {
  describe('FrameLevelBroker', () => {
    it('matches a report to the waiting child by tab and nonce, once', () => {
      const b = new FrameLevelBroker();
      b.request(1, 7, N1);
      expect(b.report(1, 0, 'https://parent.example', N1, 'mask')).toEqual({ tab: 1, frame: 7, level: 'mask' });
      expect(b.report(1, 0, 'https://parent.example', N1, 'none')).toBeUndefined(); // used up
      expect(b.size).toBe(0);
    });

    it('never matches across tabs, a frame vouching for itself, or an unknown nonce', () => {
      const b = new FrameLevelBroker();
      b.request(1, 7, N1);
      expect(b.report(2, 0, undefined, N1, 'none')).toBeUndefined();
      expect(b.report(1, 7, undefined, N1, 'none')).toBeUndefined();
      expect(b.report(1, 0, undefined, N2, 'none')).toBeUndefined();
      expect(b.report(1, 3, undefined, N1, 'block')).toEqual({ tab: 1, frame: 7, level: 'block' });
    });

    it('takes a report only from the parent origin the child named', () => {
      const b = new FrameLevelBroker();
      b.request(1, 7, N1, 'https://parent.example');
      expect(b.report(1, 4, 'https://sibling.example', N1, 'none')).toBeUndefined();
      expect(b.report(1, 0, 'https://parent.example', N1, 'ignore')).toEqual({ tab: 1, frame: 7, level: 'ignore' });
    });

    it('keeps one request per frame: a frame asking again replaces its earlier nonce', () => {
      const b = new FrameLevelBroker();
      b.request(1, 7, N1);
      b.request(1, 7, N2);
      expect(b.size).toBe(1);
      expect(b.report(1, 0, undefined, N1, 'none')).toBeUndefined();
      expect(b.report(1, 0, undefined, N2, 'none')).toEqual({ tab: 1, frame: 7, level: 'none' });
    });

    it('does not let another frame take over a nonce', () => {
      const b = new FrameLevelBroker();
      b.request(1, 7, N1);
      b.request(1, 8, N1);
      expect(b.report(1, 0, undefined, N1, 'mask')).toEqual({ tab: 1, frame: 7, level: 'mask' });
    });

    it('is bounded: the oldest request goes first', () => {
      const b = new FrameLevelBroker(Date.now, { maxPending: 2, ttlMs: 60_000 });
      b.request(1, 1, N1);
      b.request(1, 2, N2);
      b.request(1, 3, N3);
      expect(b.size).toBe(2);
      expect(b.report(1, 0, undefined, N1, 'none')).toBeUndefined();
      expect(b.report(1, 0, undefined, N3, 'none')).toMatchObject({ frame: 3 });
    });

    it('forgets requests older than the age limit, without a timer', () => {
      let now = 1_000;
      const b = new FrameLevelBroker(() => now, { maxPending: 10, ttlMs: 5_000 });
      b.request(1, 1, N1);
      now += 3_000;
      b.request(1, 2, N2);
      now += 3_000;
      expect(b.report(1, 0, undefined, N1, 'none')).toBeUndefined();
      expect(b.report(1, 0, undefined, N2, 'none')).toMatchObject({ frame: 2 });
    });
  });

  describe('handleFrameLevelMessage', () => {
    it('registers a child, then delivers the parent\'s level to that frame only', () => {
      const b = new FrameLevelBroker();
      const deliver = vi.fn();
      const req = parseFrameLevelMessage({ kind: 'frame-level-request', nonce: N1, parentOrigin: 'https://parent.example' })!;
      expect(handleFrameLevelMessage(b, req, sender(5, 9, 'https://child.example/x'), deliver)).toEqual({ ok: true });
      const rep = parseFrameLevelMessage({ kind: 'frame-level-report', nonce: N1, level: 'mask' })!;
      expect(handleFrameLevelMessage(b, rep, sender(5, 0), deliver)).toEqual({ ok: true, matched: true });
      expect(deliver).toHaveBeenCalledExactlyOnceWith(5, 9, { kind: 'frame-level', nonce: N1, level: 'mask' });
    });

    it('uses the sender origin Chrome declares over the URL', () => {
      const b = new FrameLevelBroker();
      const deliver = vi.fn();
      handleFrameLevelMessage(b, { kind: 'frame-level-request', nonce: N1, parentOrigin: 'https://parent.example' }, sender(5, 9), deliver);
      handleFrameLevelMessage(b, { kind: 'frame-level-report', nonce: N1, level: 'none' }, sender(5, 2, 'https://parent.example/', { origin: 'https://other.example' }), deliver);
      expect(deliver).not.toHaveBeenCalled();
    });

    it('refuses the top frame asking, and senders without a tab or frame', () => {
      const b = new FrameLevelBroker();
      const req = { kind: 'frame-level-request', nonce: N1 } as const;
      expect(handleFrameLevelMessage(b, req, sender(5, 0), vi.fn()).ok).toBe(false);
      expect(handleFrameLevelMessage(b, req, { id: 'ext', frameId: 3 } as never, vi.fn()).ok).toBe(false);
      expect(handleFrameLevelMessage(b, req, { id: 'ext', frameId: 3, tab: { id: 1, incognito: true } } as never, vi.fn()).ok).toBe(false);
      expect(b.size).toBe(0);
    });
  });

  describe('parseFrameLevelMessage (lib/schema/frame-level)', () => {
    it('accepts the two content messages and nothing else', () => {
      expect(parseFrameLevelMessage({ kind: 'frame-level-request', nonce: N1 })).toBeDefined();
      expect(parseFrameLevelMessage({ kind: 'frame-level-report', nonce: N1, level: 'block' })).toBeDefined();
      expect(parseFrameLevelMessage({ kind: 'frame-level-report', nonce: N1, level: 'secret' })).toBeUndefined();
      expect(parseFrameLevelMessage({ kind: 'frame-level-report', nonce: 'short', level: 'none' })).toBeUndefined();
      expect(parseFrameLevelMessage({ kind: 'frame-level', nonce: N1, level: 'none' })).toBeUndefined(); // background → child only
      expect(parseFrameLevelMessage({ kind: 'events', events: [] })).toBeUndefined();
    });
  });
});
