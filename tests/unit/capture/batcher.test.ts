import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_FLUSH_DELAY_MS, CONTENT_FLUSH_MAX_EVENTS, CONTENT_SEND_RETRIES } from '../../../lib/constants';
import { Batcher, CONTENT_SEND_TIMEOUT_MS } from '../../../lib/capture/batcher';
import type { EventBody } from '../../../lib/schema/event';

let n = 0;
const ev = (): EventBody => ({
  v: 1, id: `ev-${++n}-xxxxxxxxxx`, ts: n, url: 'https://a.example/', type: 'key', key: '[text]',
  modifiers: { alt: false, ctrl: false, meta: false, shift: false }, masked: false,
});
const ids = (batches: EventBody[][]) => batches.map((b) => b.map((e) => e.id));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('lib/capture/batcher', () => {
  it('hands over what was buffered after a quiet moment, and holds no timer while empty', async () => {
    const sent: EventBody[][] = [];
    const b = new Batcher(async (events) => void sent.push(events), () => true);
    expect(vi.getTimerCount()).toBe(0);
    const [a, c] = [ev(), ev()];
    b.push(a);
    b.push(c);
    await vi.advanceTimersByTimeAsync(CONTENT_FLUSH_DELAY_MS);
    expect(ids(sent)).toEqual([[a.id, c.id]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('flushes at once when the buffer is full', async () => {
    const sent: EventBody[][] = [];
    const b = new Batcher(async (events) => void sent.push(events), () => true);
    for (let i = 0; i < CONTENT_FLUSH_MAX_EVENTS; i++) b.push(ev());
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toHaveLength(CONTENT_FLUSH_MAX_EVENTS);
  });

  it('retries a send that did not reach the background, keeping later flushes in order behind it', async () => {
    const sent: EventBody[][] = [];
    let failures = 2;
    const b = new Batcher(async (events) => {
      if (failures-- > 0) throw new Error('Could not establish connection. Receiving end does not exist.');
      sent.push(events);
    }, () => true);
    const [first, second] = [ev(), ev()];
    b.push(first);
    void b.flush();
    b.push(second);
    void b.flush();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ids(sent)).toEqual([[first.id], [second.id]]);
  });

  it('gives up after the retries, so a dead background cannot keep timers running forever', async () => {
    let attempts = 0;
    const b = new Batcher(async () => {
      attempts++;
      throw new Error('Receiving end does not exist');
    }, () => true);
    b.push(ev());
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(attempts).toBe(CONTENT_SEND_RETRIES + 1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a send that never settles (back/forward cache) times out and is retried', async () => {
    const sent: EventBody[][] = [];
    let calls = 0;
    const b = new Batcher((events) => {
      if (calls++ === 0) return new Promise(() => undefined);
      sent.push(events);
      return Promise.resolve();
    }, () => true);
    const [a, c] = [ev(), ev()];
    b.push(a);
    void b.flush();
    b.push(c);
    void b.flush();
    await vi.advanceTimersByTimeAsync(CONTENT_SEND_TIMEOUT_MS - 1);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(ids(sent)).toEqual([[a.id], [c.id]]);
  });

  it('an urgent flush (page hidden) does not wait behind a delivery still waiting for its answer', async () => {
    const sent: EventBody[][] = [];
    let hidden = false;
    const stuck = ev();
    const b = new Batcher(
      (events) => {
        if (events[0] === stuck) return new Promise(() => undefined);
        sent.push(events);
        return Promise.resolve();
      },
      () => true,
      { urgent: () => hidden },
    );
    b.push(stuck);
    void b.flush();
    await vi.advanceTimersByTimeAsync(0);
    const last = ev();
    b.push(last);
    hidden = true;
    void b.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(ids(sent)).toEqual([[last.id]]);
  });

  it('goes quiet for good once the extension context is invalidated', async () => {
    let alive = true;
    let attempts = 0;
    const b = new Batcher(async () => {
      attempts++;
      throw new Error('Extension context invalidated.');
    }, () => alive);
    b.push(ev());
    await vi.advanceTimersByTimeAsync(CONTENT_FLUSH_DELAY_MS);
    expect(attempts).toBe(1);
    alive = false;
    b.close(false);
    b.push(ev());
    await vi.advanceTimersByTimeAsync(60_000);
    expect(attempts).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an urgent flush (page being left) also sends the batches queued behind an unanswered send', async () => {
    // The cause of #13's lost navigation: a batch flushed by the timer waited behind a send the
    // background had not answered yet, and died with the page.
    const sent: EventBody[][] = [];
    const stuck = ev();
    const b = new Batcher((events) => {
      sent.push(events);
      return events[0] === stuck ? new Promise(() => undefined) : Promise.resolve();
    }, () => true);
    b.push(stuck);
    void b.flush();
    const queued = ev();
    b.push(queued);
    void b.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(ids(sent)).toEqual([[stuck.id]]);
    const last = ev();
    b.push(last);
    void b.flush({ urgent: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(ids(sent)).toEqual([[stuck.id], [queued.id, last.id]]);
  });

  it('holds events in the page until released (kept) or dropped, with no timer meanwhile', async () => {
    const sent: EventBody[][] = [];
    const b = new Batcher(async (events) => void sent.push(events), () => true);
    b.hold();
    const [a, c] = [ev(), ev()];
    b.push(a);
    b.push(c);
    void b.flush({ urgent: true });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent).toEqual([]);
    b.release((e) => e.id === c.id);
    await vi.advanceTimersByTimeAsync(CONTENT_FLUSH_DELAY_MS);
    expect(ids(sent)).toEqual([[c.id]]);

    b.hold();
    b.push(ev());
    b.drop();
    const after = ev();
    b.push(after);
    await vi.advanceTimersByTimeAsync(CONTENT_FLUSH_DELAY_MS);
    expect(ids(sent)).toEqual([[c.id], [after.id]]);
  });

  it('closing: a superseded copy sends what it has; an orphaned one, or held events, are handed back', async () => {
    const sent: EventBody[][] = [];
    const live = new Batcher(async (events) => void sent.push(events), () => true);
    const a = ev();
    live.push(a);
    expect(live.close(true)).toEqual({ held: [], unsent: [] });
    await vi.advanceTimersByTimeAsync(0);
    expect(ids(sent)).toEqual([[a.id]]);

    const orphan = new Batcher(async () => new Promise(() => undefined), () => false);
    const o = ev();
    orphan.push(o);
    expect(ids([orphan.close(false).unsent])).toEqual([[o.id]]);

    const holding = new Batcher(async (events) => void sent.push(events), () => true);
    holding.hold();
    const h = ev();
    holding.push(h);
    expect(ids([holding.close(true).held])).toEqual([[h.id]]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent).toHaveLength(1);
  });

  it('a flush with nothing to send (a session stopping) leaves later sends working', async () => {
    const sent: EventBody[][] = [];
    const b = new Batcher(async (events) => void sent.push(events), () => true);
    await b.flush();
    const a = ev();
    b.push(a);
    await vi.advanceTimersByTimeAsync(CONTENT_FLUSH_DELAY_MS);
    const c = ev();
    b.push(c);
    void b.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(ids(sent)).toEqual([[a.id], [c.id]]);
  });
});
