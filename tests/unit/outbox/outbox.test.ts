import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isQuotaError, Outbox } from '../../../lib/outbox/outbox';
import type { EventBody } from '../../../lib/schema/event';

let n = 0;
const body = (type: 'key' | 'pointer' = 'key', ts = Date.now()): EventBody =>
  type === 'key'
    ? { v: 1, id: `event-${++n}-xxxxxxxx`, ts, url: 'https://a.example/', type: 'key', key: 'Enter', modifiers: { alt: false, ctrl: false, meta: false, shift: false }, masked: false }
    : { v: 1, id: `event-${++n}-xxxxxxxx`, ts, url: 'https://a.example/', type: 'pointer', points: Array.from({ length: 50 }, (_, i) => [i, i, i * 75] as [number, number, number]) };

let outbox: Outbox;
let ids = 0;
const newId = () => `batch-${++ids}-xxxxxxxx`;

beforeEach(async () => {
  outbox = await Outbox.open(`test-${Math.random()}`);
});
afterEach(() => outbox.close());

describe('lib/outbox/outbox', () => {
  it('assigns gap-free seqs across appends and frames', async () => {
    await outbox.append([body(), body()], 1, 0);
    await outbox.append([body()], 2, 3);
    const { events } = (await outbox.nextBatch(100, 1e9, newId))!;
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events.map((e) => [e.tab, e.frame])).toEqual([[1, 0], [1, 0], [2, 3]]);
  });

  it('never stores the same event id twice (a content retry after a lost reply)', async () => {
    const a = body();
    await outbox.append([a, body()], 1, 0);
    const again = await outbox.append([a], 1, 0);
    expect(again).toMatchObject({ stored: 0, duplicates: 1 });
    expect((await outbox.stats()).pending).toBe(2);
  });

  it('keeps the same batch id and range until acknowledged', async () => {
    await outbox.append([body(), body(), body()], 1, 0);
    const first = (await outbox.nextBatch(2, 1e9, newId))!;
    await outbox.append([body()], 1, 0);
    const retry = (await outbox.nextBatch(2, 1e9, newId))!;
    expect(retry.batch).toEqual(first.batch);
    expect(retry.events.map((e) => e.seq)).toEqual([1, 2]);
    await outbox.ack(first.batch);
    const next = (await outbox.nextBatch(10, 1e9, newId))!;
    expect(next.batch.batchId).not.toBe(first.batch.batchId);
    expect(next.events.map((e) => e.seq)).toEqual([3, 4]);
    await outbox.ack(next.batch);
    expect(await outbox.nextBatch(10, 1e9, newId)).toBeNull();
    expect((await outbox.stats()).bytes).toBe(0);
  });

  it('drops pointer paths before other events under the cap, and reports the count in the next batch', async () => {
    await outbox.append([body('key'), body('pointer'), body('key'), body('pointer')], 1, 0);
    const before = await outbox.stats();
    const dropped = await outbox.enforceCap(before.bytes - 10);
    expect(dropped).toBe(1);
    const { batch, events } = (await outbox.nextBatch(10, 1e9, newId))!;
    expect(events.map((e) => e.type)).toEqual(['key', 'key', 'pointer']);
    expect(batch.dropped).toBe(1);
    expect((await outbox.stats()).droppedTotal).toBe(1);
  });

  it('splits a refused batch, then quarantines a single refused event, keeping the dropped count', async () => {
    await outbox.append([body(), body(), body()], 1, 0);
    const { batch } = (await outbox.nextBatch(10, 1e9, newId))!;
    expect(await outbox.reject(batch, 422, 'bad', newId)).toBe('split');
    const half = (await outbox.nextBatch(10, 1e9, newId))!;
    expect(half.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(await outbox.reject(half.batch, 422, 'bad', newId)).toBe('split');
    const one = (await outbox.nextBatch(10, 1e9, newId))!;
    expect(one.events.map((e) => e.seq)).toEqual([1]);
    expect(await outbox.reject(one.batch, 422, 'bad', newId)).toBe('quarantined');
    const rest = (await outbox.nextBatch(10, 1e9, newId))!;
    expect(rest.events.map((e) => e.seq)).toEqual([2, 3]);
    expect((await outbox.stats()).quarantined).toBe(1);
    // Seq 1 will never reach the collector: the next header says so.
    expect(rest.batch.dropped).toBe(1);
    expect((await outbox.stats()).droppedTotal).toBe(0);
  });

  it('a refused batch always ends: every refusal halves it or quarantines one event', async () => {
    await outbox.append(Array.from({ length: 37 }, () => body()), 1, 0);
    let refusals = 0;
    for (let next = await outbox.nextBatch(100, 1e9, newId); next; next = await outbox.nextBatch(100, 1e9, newId)) {
      await outbox.reject(next.batch, 413, 'too large', newId);
      refusals++;
      expect(refusals).toBeLessThan(200);
    }
    expect(await outbox.stats()).toMatchObject({ pending: 0, quarantined: 37, bytes: 0 });
  });

  it('deletes pending events since a time, and starts a fresh batch afterwards', async () => {
    const now = Date.now();
    await outbox.append([body('key', now - 60 * 60_000), body('key', now - 1000), body('key', now)], 1, 0);
    const { batch } = (await outbox.nextBatch(10, 1e9, newId))!;
    expect(await outbox.deletePending(now - 15 * 60_000)).toBe(2);
    const next = (await outbox.nextBatch(10, 1e9, newId))!;
    expect(next.batch.batchId).not.toBe(batch.batchId);
    expect(next.events).toHaveLength(1);
  });
});

/**
 * A full disk, as Chromium reports it: a put fails with a QuotaExceededError (and the transaction aborts).
 * The next `times` puts into the events store fail; returns the undo.
 */
function failEventPuts(times: number): () => void {
  const proto = IDBObjectStore.prototype;
  const realPut = proto.put;
  let left = times;
  proto.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    if (this.name === 'events' && left > 0) {
      left--;
      throw new DOMException('The disk is full', 'QuotaExceededError');
    }
    return realPut.apply(this, args);
  } as IDBObjectStore['put'];
  return () => {
    proto.put = realPut;
  };
}

describe('lib/outbox/outbox when storage is full', () => {
  it('recognises quota errors by name or message', () => {
    expect(isQuotaError(new DOMException('x', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError(new Error('Quota exceeded'))).toBe(true);
    expect(isQuotaError(new DOMException('x', 'AbortError'))).toBe(false);
    expect(isQuotaError(undefined)).toBe(false);
  });

  it('makes room by the drop policy and stores the new events, counting what it dropped', async () => {
    await outbox.append([body('pointer'), body('key'), body('pointer'), body('key')], 1, 0);
    const restore = failEventPuts(1);
    try {
      expect(await outbox.append([body('key')], 1, 0)).toMatchObject({ stored: 1, lost: 0, firstSeq: 5, lastSeq: 5 });
    } finally {
      restore();
    }
    const { batch, events } = (await outbox.nextBatch(100, 1e9, newId))!;
    // Pointer paths went first; what is left plus what was dropped accounts for every seq.
    expect(events.some((e) => e.type === 'pointer')).toBe(false);
    expect(events.map((e) => e.seq)).toEqual([2, 4, 5]);
    expect(batch.dropped).toBe(2);
    expect((await outbox.stats()).droppedTotal).toBe(2);
  });

  it('when nothing helps, the events are lost but counted: their seqs become a reported hole', async () => {
    await outbox.append([body()], 1, 0);
    const { batch } = (await outbox.nextBatch(100, 1e9, newId))!;
    const restore = failEventPuts(Infinity);
    let result;
    try {
      result = await outbox.append([body(), body()], 1, 0);
    } finally {
      restore();
    }
    expect(result).toMatchObject({ stored: 0, lost: 2 });
    await outbox.ack(batch);
    const later = await outbox.append([body()], 1, 0);
    expect(later.firstSeq).toBe(4);
    const next = (await outbox.nextBatch(100, 1e9, newId))!;
    expect(next.events.map((e) => e.seq)).toEqual([4]);
    expect(next.batch.dropped).toBe(2);
    expect((await outbox.stats()).droppedTotal).toBe(2);
  });

  it('a retry of events already stored is still a duplicate, not a loss, on a full disk', async () => {
    const a = body();
    await outbox.append([a], 1, 0);
    const restore = failEventPuts(Infinity);
    try {
      expect(await outbox.append([a], 1, 0)).toMatchObject({ stored: 0, duplicates: 1, lost: 0 });
    } finally {
      restore();
    }
  });
});
