import { describe, expect, it } from 'vitest';
import {
  click,
  getJson,
  getNdjson,
  INSTALL,
  OTHER_INSTALL,
  postBatch,
  storeBatch,
  postJson,
  seqs,
  startCollector,
  T0,
} from './helpers';

const clicks = (from: number, to: number) => seqs(from, to).map((s) => click(s, `B${s}`));

describe('collector/store opt-out (POST /v1/opt-out)', () => {
  it('deletes everything stored for the install and discards its later batches', async () => {
    const c = await startCollector();
    await storeBatch(c, clicks(1, 3));
    await storeBatch(c, clicks(1, 2), { installId: OTHER_INSTALL, batchId: 'other-batch-1' });

    const res = await postJson(c, '/v1/opt-out', { installId: INSTALL, ts: T0 + 1_000, optedOut: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, deleted: 3, applied: true, optedOut: true });

    const late = await postBatch(c, clicks(4, 5));
    expect(late.status).toBe(200);
    expect(await late.json()).toMatchObject({ ok: true, stored: 0, discarded: 2, optedOut: true });

    expect(await getNdjson(c, `/v1/events?installId=${INSTALL}`)).toEqual([]);
    expect(await getNdjson(c, `/v1/events?installId=${OTHER_INSTALL}`)).toHaveLength(2);
    type Stats = { discardedOptedOut: number; installs: Array<{ installId: string; optedOut: boolean; events: number }> };
    const stats = await getJson<Stats>(c, '/v1/stats');
    expect(stats.discardedOptedOut).toBe(2);
    expect(stats.installs.find((i) => i.installId === INSTALL)).toMatchObject({ optedOut: true, events: 0 });
  });

  it('stores again after an opt-in with a later ts, but never events from before the opt-out', async () => {
    const c = await startCollector();
    await postJson(c, '/v1/opt-out', { installId: INSTALL, ts: T0 + 500, optedOut: true });
    // A stale opt-in (older than the opt-out) changes nothing.
    const stale = await postJson(c, '/v1/opt-out', { installId: INSTALL, ts: T0 + 100, optedOut: false });
    expect(await stale.json()).toMatchObject({ applied: false, optedOut: true });
    await postJson(c, '/v1/opt-out', { installId: INSTALL, ts: T0 + 2_000, optedOut: false });

    // seq 1..4 have ts T0+100..T0+400 (before the opt-out); 6 and 7 come after it.
    const res = await postBatch(c, [...clicks(1, 4), click(6, 'B6'), click(7, 'B7')]);
    expect(await res.json()).toMatchObject({ stored: 2, discarded: 4 });
    expect((await getNdjson(c, '/v1/events')).map((e) => e.seq)).toEqual([6, 7]);
  });

  it('applies a late opt-out (older than a newer opt-in) to the events up to its own ts', async () => {
    const c = await startCollector();
    await postJson(c, '/v1/opt-out', { installId: INSTALL, ts: T0 + 5_000, optedOut: false });
    await storeBatch(c, clicks(1, 6));
    const res = await postJson(c, '/v1/opt-out', { installId: INSTALL, ts: T0 + 300, optedOut: true });
    expect(await res.json()).toEqual({ ok: true, deleted: 3, applied: false, optedOut: false });
    expect((await getNdjson(c, '/v1/events')).map((e) => e.seq)).toEqual([4, 5, 6]);
  });

  it('rejects a malformed request with 422 and non-JSON with 400', async () => {
    const c = await startCollector();
    expect((await postJson(c, '/v1/opt-out', { installId: INSTALL, optedOut: 'yes' })).status).toBe(422);
    expect((await postJson(c, '/v1/opt-out', 'not json')).status).toBe(400);
  });
});

describe('collector/store deletions (POST /v1/deletions)', () => {
  it('deletes the install events with ts in [from, to], inclusive, and records the request', async () => {
    const c = await startCollector();
    await storeBatch(c, clicks(1, 6));
    await storeBatch(c, clicks(1, 6), { installId: OTHER_INSTALL, batchId: 'other-batch-1' });
    const res = await postJson(c, '/v1/deletions', {
      installId: INSTALL,
      from: T0 + 200,
      to: T0 + 400,
      requestedAt: T0 + 10_000,
    });
    expect(await res.json()).toEqual({ ok: true, deleted: 3 });
    expect((await getNdjson(c, `/v1/events?installId=${INSTALL}`)).map((e) => e.seq)).toEqual([1, 5, 6]);
    expect(await getNdjson(c, `/v1/events?installId=${OTHER_INSTALL}`)).toHaveLength(6);
    const row = c.store.db.prepare('SELECT * FROM deletions').get();
    expect(row).toMatchObject({ install_id: INSTALL, from_ts: T0 + 200, to_ts: T0 + 400, deleted: 3 });
  });

  it('does not let a retried batch bring deleted events back', async () => {
    const c = await startCollector();
    await storeBatch(c, clicks(1, 4));
    await postJson(c, '/v1/deletions', { installId: INSTALL, from: T0, to: T0 + 250, requestedAt: T0 + 9_000 });
    // The same events again under another batch id (the uploader re-batched after a lost answer).
    const res = await postBatch(c, clicks(1, 4), { batchId: 'retry-after-deletion' });
    expect(await res.json()).toMatchObject({ stored: 0, duplicates: 2, discarded: 2 });
    expect((await getNdjson(c, '/v1/events')).map((e) => e.seq)).toEqual([3, 4]);
    expect(await getJson(c, '/v1/stats')).toMatchObject({ discardedDeleted: 2 });
  });

  it('rejects from > to with 422', async () => {
    const c = await startCollector();
    const res = await postJson(c, '/v1/deletions', { installId: INSTALL, from: 10, to: 5, requestedAt: 1 });
    expect(res.status).toBe(422);
  });
});
