import { describe, expect, it } from 'vitest';
import {
  click,
  event,
  getJson,
  getNdjson,
  INSTALL,
  OTHER_INSTALL,
  storeBatch,
  postJson,
  seqs,
  startCollector,
  T0,
} from './helpers';

interface InstallRow {
  installId: string;
  events: number;
  minSeq: number | null;
  maxSeq: number | null;
  seqGaps: number;
  missingSeqs: number[];
  deletedRanges: number;
  dropped: number;
  lastBatchAt: number | null;
}

describe('collector/routes GET /v1/stats', () => {
  it('reports seq gaps, the missing seqs, drops and deleted ranges per install', async () => {
    const c = await startCollector({ now: () => 1_234 });
    await storeBatch(c, seqs(1, 5).map((s) => click(s, 'A')));
    // seq 6 and 7 never arrive (a lost batch); this batch reports 3 events dropped by the buffer cap.
    await storeBatch(c, seqs(8, 10).map((s) => click(s, 'A')), { dropped: 3 });
    await storeBatch(c, [click(1, 'A')], { installId: OTHER_INSTALL, batchId: 'other-batch-1' });

    const stats = await getJson<{ batches: number; events: number; installs: InstallRow[] }>(c, '/v1/stats');
    expect(stats).toMatchObject({ batches: 3, events: 9 });
    expect(stats.installs.find((i) => i.installId === INSTALL)).toMatchObject({
      events: 8,
      minSeq: 1,
      maxSeq: 10,
      seqGaps: 2,
      missingSeqs: [6, 7],
      deletedRanges: 0,
      dropped: 3,
      lastBatchAt: 1_234,
    });

    // A deletion makes a legitimate hole; deletedRanges lets a reader tell it from loss.
    await postJson(c, '/v1/deletions', { installId: INSTALL, from: T0 + 200, to: T0 + 300, requestedAt: T0 });
    const after = await getJson<{ events: number; installs: InstallRow[] }>(c, `/v1/stats?installId=${INSTALL}`);
    expect(after.events).toBe(6);
    expect(after.installs).toHaveLength(1);
    expect(after.installs[0]).toMatchObject({ seqGaps: 4, missingSeqs: [2, 3, 6, 7], deletedRanges: 1 });
  });

  it('lists at most 100 missing seqs but counts them all', async () => {
    const c = await startCollector();
    await storeBatch(c, [click(1, 'A'), click(500, 'B')]);
    const stats = await getJson<{ installs: InstallRow[] }>(c, '/v1/stats');
    const install = stats.installs[0];
    expect(install?.seqGaps).toBe(498);
    expect(install?.missingSeqs).toHaveLength(100);
    expect(install?.missingSeqs[0]).toBe(2);
  });
});

describe('collector/routes GET /v1/events', () => {
  it('filters by install, time range, type and limit, ordered by install then seq', async () => {
    const c = await startCollector();
    await storeBatch(c, [click(1, 'A'), event('visibility', 2, { state: 'hidden' }), click(3, 'B'), click(4, 'C')]);
    await storeBatch(c, [click(1, 'A')], { installId: 'install-0000-first', batchId: 'first-batch-1' });

    const all = await getNdjson(c, '/v1/events');
    expect(all.map((e) => e.seq)).toEqual([1, 1, 2, 3, 4]); // 'install-0000-first' sorts before INSTALL
    expect((await getNdjson(c, `/v1/events?installId=${INSTALL}&type=click`)).map((e) => e.seq)).toEqual([1, 3, 4]);
    expect(
      (await getNdjson(c, `/v1/events?installId=${INSTALL}&from=${T0 + 200}&to=${T0 + 300}`)).map((e) => e.seq),
    ).toEqual([2, 3]);
    expect((await getNdjson(c, `/v1/events?installId=${INSTALL}&limit=2`)).map((e) => e.seq)).toEqual([1, 2]);
    expect(await getNdjson(c, `/v1/events?installId=${OTHER_INSTALL}`)).toEqual([]);
    const res = await fetch(`${c.url}/v1/events`);
    expect(res.headers.get('content-type')).toMatch(/application\/x-ndjson/);
  });

  it('streams more events than one page', async () => {
    const c = await startCollector();
    const many = seqs(1, 2_500).map((s) => click(s, 'A'));
    for (let i = 0; i < many.length; i += 500) {
      const part = many.slice(i, i + 500);
      await storeBatch(c, part);
    }
    const events = await getNdjson(c, `/v1/events?installId=${INSTALL}`);
    expect(events).toHaveLength(2_500);
    expect(events.map((e) => e.seq)).toEqual(seqs(1, 2_500));
  });

  it('answers 400 to a malformed filter', async () => {
    const c = await startCollector();
    expect((await fetch(`${c.url}/v1/events?from=yesterday`)).status).toBe(400);
    expect((await fetch(`${c.url}/v1/events?limit=0`)).status).toBe(400);
  });
});
