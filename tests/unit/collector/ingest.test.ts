import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MASK } from '../../../lib/constants';
import { gzip, toNdjson } from '../../../lib/upload/encode';
import {
  click,
  event,
  getJson,
  getNdjson,
  header,
  INSTALL,
  ndjson,
  NO_MODIFIERS,
  postBatch,
  postRaw,
  startCollector,
  target,
} from './helpers';

describe('collector/routes POST /v1/batches', () => {
  it('stores a valid gzip batch and serves the events back exactly as sent', async () => {
    const c = await startCollector();
    const events = [click(1, 'Save'), click(2, 'Open'), event('visibility', 3, { state: 'hidden' })];
    const res = await postBatch(c, events);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, batchId: 'batch-1-3', stored: 3, duplicates: 0, discarded: 0 });

    const stored = await fetch(`${c.url}/v1/events?installId=${INSTALL}`).then((r) => r.text());
    expect(stored).toBe(events.map((e) => JSON.stringify(e) + '\n').join(''));
    const batch = c.store.db.prepare('SELECT * FROM batches').get() as Record<string, unknown>;
    expect(batch).toMatchObject({ batch_id: 'batch-1-3', install_id: INSTALL, first_seq: 1, last_seq: 3, count: 3 });
    expect(batch.bytes_raw).toBeGreaterThan(batch.bytes_compressed as number);
  });

  it('accepts a batch encoded by the extension itself (lib/upload/encode)', async () => {
    const c = await startCollector();
    const events = [click(1, 'Save'), click(2, 'Open')];
    const h = header(events);
    const res = await fetch(`${c.url}/v1/batches`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-ndjson', 'Content-Encoding': 'gzip', 'Idempotency-Key': h.batchId },
      body: await gzip(toNdjson(h, events)),
    });
    expect(res.status).toBe(200);
    expect((await res.json()) as unknown).toMatchObject({ stored: 2 });
  });

  it('accepts an uncompressed (identity) body', async () => {
    const c = await startCollector();
    const events = [click(1, 'Save')];
    const res = await postRaw(c, ndjson([header(events), ...events]), { identity: true });
    expect(res.status).toBe(200);
    expect((await res.json()) as unknown).toMatchObject({ stored: 1 });
  });

  it('acknowledges a duplicate batch without storing it again', async () => {
    const c = await startCollector();
    const events = [click(1, 'Save'), click(2, 'Open')];
    await postBatch(c, events);
    const again = await postBatch(c, events);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, duplicate: true, batchId: 'batch-1-2' });
    const stats = await getJson(c, '/v1/stats');
    expect(stats).toMatchObject({ batches: 1, events: 2, duplicateBatches: 1, duplicateEvents: 0 });
  });

  it('removes events already stored by another batch and counts them', async () => {
    const c = await startCollector();
    await postBatch(c, [click(1, 'A'), click(2, 'B'), click(3, 'C')]);
    // A re-batched retry: same events under a new batch id, plus new ones.
    const res = await postBatch(c, [click(2, 'B'), click(3, 'C'), click(4, 'D')], { batchId: 'batch-rebatched' });
    expect(await res.json()).toMatchObject({ stored: 1, duplicates: 2 });
    const stats = await getJson(c, '/v1/stats');
    expect(stats).toMatchObject({ batches: 2, events: 4, duplicateEvents: 2 });
    expect((await getNdjson(c, '/v1/events')).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('keeps the same event id from two installs apart', async () => {
    const c = await startCollector();
    await postBatch(c, [click(1, 'A')]);
    const res = await postBatch(c, [click(1, 'A')], { installId: 'install-other-1', batchId: 'batch-other' });
    expect(await res.json()).toMatchObject({ stored: 1, duplicates: 0 });
  });

  it('answers 400 to a body that is not gzip', async () => {
    const c = await startCollector();
    const res = await fetch(`${c.url}/v1/batches`, {
      method: 'POST',
      headers: { 'Content-Encoding': 'gzip' },
      body: 'definitely not gzip',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/gzip/);
  });

  it('hints at the missing Content-Encoding when a gzip body is sent as identity', async () => {
    const c = await startCollector();
    const events = [click(1, 'A')];
    const res = await postRaw(c, gzipSync(ndjson([header(events), ...events])), { identity: true });
    expect(res.status).toBe(400);
    expect((await res.json()) as unknown).toMatchObject({ line: 1, error: expect.stringMatching(/Content-Encoding/) });
  });

  it('answers 400 naming the line that is not JSON', async () => {
    const c = await startCollector();
    const events = [click(1, 'A'), click(2, 'B')];
    const res = await postRaw(c, ndjson([header(events), events[0], '{"v":1,', events[1]]));
    expect(res.status).toBe(400);
    expect((await res.json()) as unknown).toMatchObject({ line: 3, issues: [{ code: 'invalid_json' }] });
  });

  it('answers 422 naming the first event that does not match the schema, and stores nothing', async () => {
    const c = await startCollector();
    const good = click(1, 'A');
    const bad = { ...click(2, 'B'), button: 'left' };
    const res = await postRaw(c, ndjson([header([good, click(3, 'C')]), good, bad, click(3, 'C')]));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: string; line: number; issues: Array<{ path: string }> };
    expect(body.line).toBe(3);
    expect(body.error).toMatch(/line 3/);
    expect(body.issues.map((i) => i.path)).toContain('button');
    expect(await getJson(c, '/v1/stats')).toMatchObject({ events: 0, batches: 0, rejectedBatches: 1 });
  });

  it('answers 422 for a bad header, naming line 1', async () => {
    const c = await startCollector();
    const events = [click(1, 'A')];
    const res = await postRaw(c, ndjson([{ ...header(events), schema: 2 }, ...events]));
    expect(res.status).toBe(422);
    expect((await res.json()) as unknown).toMatchObject({ line: 1, issues: [{ path: 'schema' }] });
  });

  it('answers 422 when firstSeq/lastSeq disagree with the events or seqs do not rise', async () => {
    const c = await startCollector();
    const events = [click(1, 'A'), click(2, 'B')];
    const wrongFirst = await postBatch(c, events, { firstSeq: 0 });
    expect(wrongFirst.status).toBe(422);
    expect((await wrongFirst.json()) as unknown).toMatchObject({ line: 2 });
    const wrongLast = await postBatch(c, events, { lastSeq: 7 });
    expect(wrongLast.status).toBe(422);
    expect((await wrongLast.json()) as unknown).toMatchObject({ line: 3 });
    const backwardsHeader = header([click(2, 'B')], { firstSeq: 2, lastSeq: 2 });
    const backwards = await postRaw(c, ndjson([backwardsHeader, click(2, 'B'), click(1, 'A')]));
    expect(backwards.status).toBe(422);
    const empty = await postRaw(c, ndjson([header([])]));
    expect(empty.status).toBe(422);
  });

  it('answers 422 when Idempotency-Key is not the batch id', async () => {
    const c = await startCollector();
    const res = await postBatch(c, [click(1, 'A')], {}, { headers: { 'Idempotency-Key': 'some-other-id' } });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toMatch(/Idempotency-Key/);
  });

  it('answers 413 to a compressed body over 5 MB', async () => {
    const c = await startCollector();
    const res = await fetch(`${c.url}/v1/batches`, {
      method: 'POST',
      headers: { 'Content-Encoding': 'gzip' },
      body: new Uint8Array(randomBytes(5 * 1024 * 1024 + 1)),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/larger than/);
    expect((await fetch(`${c.url}/healthz`)).status).toBe(200);
  });

  it('answers 413 to a gzip bomb (a small body that inflates past 20 MB)', async () => {
    const c = await startCollector();
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)); // ~64 KB on the wire
    const res = await fetch(`${c.url}/v1/batches`, {
      method: 'POST',
      headers: { 'Content-Encoding': 'gzip' },
      body: new Uint8Array(bomb),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/decompressed/);
  });

  it('answers 400 (not retryable) to an encoding it does not speak', async () => {
    const c = await startCollector();
    const res = await fetch(`${c.url}/v1/batches`, { method: 'POST', headers: { 'Content-Encoding': 'br' }, body: 'x' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/Content-Encoding "br"/);
  });

  it('never persists a value, key or name that a masked field should not have sent', async () => {
    const c = await startCollector();
    const password = target('Password', { tag: 'input', role: 'textbox', masked: true });
    const events = [
      event('input', 1, { target: password, masked: true, value: 'hunter2' }),
      event('key', 2, { key: 'h', code: 'KeyH', modifiers: NO_MODIFIERS, masked: true, target: password }),
      event('change', 3, { target: password, masked: true, value: 'hunter2', futureField: 'kept' }),
    ];
    expect((await postBatch(c, events)).status).toBe(200);
    const text = await fetch(`${c.url}/v1/events`).then((r) => r.text());
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('KeyH');
    expect(text).not.toContain('"Password"');
    expect(text).not.toContain('aria/Password'); // built from the name a masked field must not have
    expect(text).toContain('#password');
    const stored = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(stored[1]).toMatchObject({ key: MASK });
    expect(await getJson(c, '/v1/stats')).toMatchObject({ strippedMaskedValues: 3 });
  });

  it('stores fields unknown to this schema version verbatim', async () => {
    const c = await startCollector();
    const e = { ...click(1, 'A'), experimental: { note: 'from a newer extension' } };
    const res = await postRaw(c, ndjson([header([click(1, 'A')]), e]));
    expect(res.status).toBe(200);
    expect(await getNdjson(c, '/v1/events')).toEqual([e]);
  });
});
