import { describe, expect, it } from 'vitest';
import { click, getJson, postBatch, postJson, startCollector } from './helpers';
import type { Collector } from '../../../collector/server';

async function script(c: Collector, rules: unknown[]): Promise<void> {
  const res = await postJson(c, '/__faults', { rules });
  if (res.status !== 200) throw new Error(`fault script rejected: ${res.status} ${await res.text()}`);
}

describe('collector/faults (--enable-faults)', () => {
  it('answers the scripted status with Retry-After, for `times` requests, then normally', async () => {
    const c = await startCollector({ faults: true });
    const httpDate = new Date(Date.now() + 60_000).toUTCString();
    await script(c, [
      { path: '/v1/batches', times: 2, status: 503, retryAfter: '5' },
      { path: '/v1/batches', status: 429, retryAfter: httpDate },
    ]);
    const events = [click(1, 'A')];
    for (const expected of [
      [503, '5'],
      [503, '5'],
      [429, httpDate],
    ] as const) {
      const res = await postBatch(c, events);
      expect([res.status, res.headers.get('retry-after')]).toEqual(expected);
      expect(res.headers.get('access-control-expose-headers')).toMatch(/Retry-After/);
    }
    expect((await postBatch(c, events)).status).toBe(200);
    expect(await getJson(c, '/v1/stats')).toMatchObject({ batches: 1, events: 1 });
  });

  it('answers a garbage body when asked to', async () => {
    const c = await startCollector({ faults: true });
    await script(c, [{ path: '/v1/batches', status: 200, body: '<html>proxy says hi' }]);
    const res = await postBatch(c, [click(1, 'A')]);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<html>proxy says hi');
    expect(await getJson(c, '/v1/stats')).toMatchObject({ batches: 0 });
  });

  it('drops the connection without answering', async () => {
    const c = await startCollector({ faults: true });
    await script(c, [{ path: '/v1/batches', drop: true }]);
    await expect(postBatch(c, [click(1, 'A')])).rejects.toThrow();
    expect((await postBatch(c, [click(1, 'A')])).status).toBe(200);
  });

  it('acceptThenFail stores the batch, answers 500, and the retry is acknowledged as a duplicate', async () => {
    const c = await startCollector({ faults: true });
    await script(c, [{ path: '/v1/batches', acceptThenFail: true }]);
    const events = [click(1, 'A'), click(2, 'B')];
    const first = await postBatch(c, events);
    expect(first.status).toBe(500);
    const retry = await postBatch(c, events);
    expect(await retry.json()).toEqual({ ok: true, duplicate: true, batchId: 'batch-1-2' });
    expect(await getJson(c, '/v1/stats')).toMatchObject({ batches: 1, events: 2, duplicateBatches: 1 });
  });

  it('acceptThenFail with drop stores the batch and loses the answer', async () => {
    const c = await startCollector({ faults: true });
    await script(c, [{ path: '/v1/batches', acceptThenFail: true, drop: true }]);
    await expect(postBatch(c, [click(1, 'A')])).rejects.toThrow();
    expect(await getJson(c, '/v1/stats')).toMatchObject({ batches: 1, events: 1 });
  });

  it('delays an answer without changing it', async () => {
    const c = await startCollector({ faults: true });
    await script(c, [{ path: '/healthz', delayMs: 50 }]);
    const res = await fetch(`${c.url}/healthz`);
    expect(res.status).toBe(200);
    const { log } = await getJson<{ log: Array<{ path: string; fault?: string }> }>(c, '/__faults');
    expect(log.at(-1)).toMatchObject({ path: '/healthz', fault: 'delay' });
  });

  it('shows the remaining rules and a log of requests; DELETE clears the rules', async () => {
    const c = await startCollector({ faults: true });
    await script(c, [{ path: '/v1/batches', times: 3, status: 500 }]);
    await postBatch(c, [click(1, 'A')]);
    const state = await getJson<{ rules: Array<{ times: number }>; log: unknown[] }>(c, '/__faults');
    expect(state.rules).toEqual([{ path: '/v1/batches', times: 2, status: 500 }]);
    expect(state.log).toEqual([
      { time: expect.any(Number), method: 'POST', path: '/v1/batches', status: 500, batchId: 'batch-1-1', fault: 'status' },
    ]);
    expect((await fetch(`${c.url}/__faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await postBatch(c, [click(1, 'A')])).status).toBe(200);
    const after = await getJson<{ rules: unknown[]; log: Array<{ status: number }> }>(c, '/__faults');
    expect(after.rules).toEqual([]);
    expect(after.log.map((e) => e.status)).toEqual([500, 200]);
  });

  it('rejects a malformed script with 422 and keeps the old one', async () => {
    const c = await startCollector({ faults: true });
    await script(c, [{ path: '/v1/batches', status: 503 }]);
    expect((await postJson(c, '/__faults', { rules: [{ path: '/v1/batches', retry_after: '5' }] })).status).toBe(422);
    expect((await postJson(c, '/__faults', { rules: [{ path: 'v1/batches' }] })).status).toBe(422);
    expect((await postBatch(c, [click(1, 'A')])).status).toBe(503);
  });

  it('POST /__reset wipes the store', async () => {
    const c = await startCollector({ faults: true });
    await postBatch(c, [click(1, 'A')]);
    expect((await fetch(`${c.url}/__reset`, { method: 'POST' })).status).toBe(200);
    expect(await getJson(c, '/v1/stats')).toMatchObject({ batches: 0, events: 0 });
  });

  it('does not exist unless enabled', async () => {
    const c = await startCollector();
    expect((await fetch(`${c.url}/__faults`)).status).toBe(404);
    expect((await postJson(c, '/__faults', { rules: [] })).status).toBe(404);
    expect((await fetch(`${c.url}/__reset`, { method: 'POST' })).status).toBe(404);
  });
});
