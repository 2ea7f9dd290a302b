/**
 * The collector and the compact wire form (docs/wire.md): it advertises the form, expands compact batches
 * into exactly the events a plain batch would have carried (so /v1/events, both exports and stats do not
 * change), keeps taking plain batches from older extensions, and answers malformed compact input with a
 * clear 4xx without storing any of it.
 */
import { describe, expect, it } from 'vitest';
import { MASK } from '../../../lib/constants';
import type { BatchHeader } from '../../../lib/schema/batch';
import type { CaptureEvent } from '../../../lib/schema/event';
import { COMPACT_1, WIRE_CAPABILITY_HEADER } from '../../../lib/schema/wire';
import { toCompactNdjson } from '../../../lib/upload/encode';
import type { Collector } from '../../../collector/server';
import { click, event, getJson, header, INSTALL, ndjson, postBatch, postRaw, startCollector, target } from './helpers';
import { loginSession } from './session-fixture';

const PREFIX = '9f86d081884c7d659a2feaa0c55ad015';

/** The session with ids as the content script now makes them (a prefix per document and a counter). */
function countedSession(): CaptureEvent[] {
  let counter = 0;
  return loginSession().map((e) => ({ ...e, id: e.tab === -1 ? e.id : `${PREFIX}.${(counter += e.seq % 5 === 0 ? 2 : 1)}` }));
}

function compactText(events: readonly CaptureEvent[], overrides: Partial<BatchHeader> = {}): string {
  const text = toCompactNdjson(header(events, overrides), events);
  if (text === undefined) throw new Error('not encodable');
  return text;
}

function postCompact(c: Collector, text: string): Promise<Response> {
  const batchId = (JSON.parse(text.slice(0, text.indexOf('\n'))) as { batchId: string }).batchId;
  return postRaw(c, text, { headers: { 'Idempotency-Key': batchId } });
}

async function text(c: Collector, path: string): Promise<string> {
  const res = await fetch(`${c.url}${path}`);
  expect(res.status).toBe(200);
  return res.text();
}

/** A compact batch with the given event lines after a one-URL, one-prefix dictionary. */
function handWritten(lines: unknown[], firstSeq = 1, lastSeq = firstSeq + lines.length - 1): string {
  const h = { ...header([]), batchId: `hand-${firstSeq}-${lastSeq}`, firstSeq, lastSeq, encoding: COMPACT_1 };
  return ndjson([h, { urls: ['https://app.example.com/home'], targets: [target('Save')], ids: [PREFIX] }, ...lines]);
}

describe('collector: the compact wire form (compact-1)', () => {
  it('says it accepts the compact form on OPTIONS /v1/batches and on every acknowledged batch', async () => {
    const c = await startCollector();
    const options = await fetch(`${c.url}/v1/batches`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get(WIRE_CAPABILITY_HEADER)).toBe(COMPACT_1);
    expect(options.headers.get('Access-Control-Expose-Headers')).toContain(WIRE_CAPABILITY_HEADER);
    // Closed after: the batch that follows gets a fresh connection (see collector/server.ts).
    expect(options.headers.get('Connection')).toBe('close');
    const events = [click(1, 'Save')];
    const plain = await postBatch(c, events);
    expect(plain.headers.get(WIRE_CAPABILITY_HEADER)).toBe(COMPACT_1);
    const duplicate = await postBatch(c, events);
    expect(await duplicate.json()).toMatchObject({ duplicate: true });
    expect(duplicate.headers.get(WIRE_CAPABILITY_HEADER)).toBe(COMPACT_1);
    // Not on other routes, and not on a refusal.
    expect((await fetch(`${c.url}/v1/events`, { method: 'OPTIONS' })).headers.get(WIRE_CAPABILITY_HEADER)).toBeNull();
    expect((await postRaw(c, 'not json\n')).headers.get(WIRE_CAPABILITY_HEADER)).toBeNull();
  });

  it('serves a compact batch back exactly as the same batch sent plain: events, both exports, stats', async () => {
    const plain = await startCollector({ now: () => 1 });
    const compact = await startCollector({ now: () => 1 });
    const events = countedSession();
    const res = await postBatch(plain, events);
    expect(res.status).toBe(200);
    const body = compactText(events);
    expect(body.split('\n')[0]).toContain('"encoding":"compact-1"');
    expect(body).not.toContain('"$e"');
    const answer = await postCompact(compact, body);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ ok: true, batchId: header(events).batchId, stored: events.length, duplicates: 0, discarded: 0 });

    const stored = await text(compact, `/v1/events?installId=${INSTALL}`);
    expect(stored).toBe(events.map((e) => JSON.stringify(e) + '\n').join(''));
    for (const path of ['/v1/events', '/v1/events?type=key', '/v1/export?format=jsonl', '/v1/export?format=recorder']) {
      expect(await text(compact, path)).toBe(await text(plain, path));
    }
    expect(await getJson(compact, '/v1/stats')).toEqual(await getJson(plain, '/v1/stats'));
    // What was sent is what the batch row counts.
    const row = compact.store.db.prepare('SELECT bytes_raw FROM batches').get() as { bytes_raw: number };
    expect(row.bytes_raw).toBe(Buffer.byteLength(body));
  });

  it('removes duplicates exactly as for plain batches: by batch id, then by event id', async () => {
    const c = await startCollector();
    const events = countedSession();
    const body = compactText(events);
    expect((await postCompact(c, body)).status).toBe(200);
    expect(await (await postCompact(c, body)).json()).toMatchObject({ ok: true, duplicate: true });
    // The same events again, plain, under another batch id (a retry after a split, say): all duplicates.
    const again = await postBatch(c, events, { batchId: 'batch-plain-again' });
    expect(await again.json()).toMatchObject({ stored: 0, duplicates: events.length });
    // And events first sent plain, then compact.
    const more = [click(40, 'More'), click(41, 'Less')].map((e, i) => ({ ...e, id: `${PREFIX}.${900 + i}` }));
    await postBatch(c, more.slice(0, 1), { batchId: 'batch-more-plain' });
    const mixed = await postCompact(c, compactText(more, { batchId: 'batch-more-compact' }));
    expect(await mixed.json()).toMatchObject({ stored: 1, duplicates: 1 });
    const stats = await getJson<{ events: number; duplicateBatches: number; duplicateEvents: number }>(c, '/v1/stats');
    expect(stats).toMatchObject({ events: events.length + 2, duplicateBatches: 1, duplicateEvents: events.length + 1 });
  });

  it('still takes plain batches from older extensions, with their random ids', async () => {
    const c = await startCollector();
    const events = [click(1, 'Save'), click(2, 'Open')].map((e, i) => ({ ...e, id: ['7f1d193ad1f49fa7de155e49b1935634', '9ad3f91fb656dc1f38ece465961d98b6'][i]! }));
    const res = await postBatch(c, events);
    expect(await res.json()).toMatchObject({ ok: true, stored: 2 });
    expect(await text(c, `/v1/events?installId=${INSTALL}`)).toBe(events.map((e) => JSON.stringify(e) + '\n').join(''));
  });

  it('applies the masked-field guard to expanded events too', async () => {
    const c = await startCollector();
    const secret = target('Password', { masked: true, selectors: [['aria/Password'], ['#pw']] });
    const events = [event('input', 1, { target: secret, value: 'hunter2', masked: true }), event('key', 2, { key: 'x', modifiers: { alt: false, ctrl: false, meta: false, shift: false }, masked: true, target: secret })];
    expect((await postCompact(c, compactText(events))).status).toBe(200);
    const stored = await text(c, '/v1/events');
    expect(stored).not.toContain('hunter2');
    expect(stored).not.toContain('aria/Password');
    expect(stored).toContain(`"key":"${MASK}"`);
    expect(await getJson(c, '/v1/stats')).toMatchObject({ strippedMaskedValues: 2 });
  });

  it('answers an encoding it does not know with 415, so the client can send plain instead', async () => {
    const c = await startCollector();
    const events = [click(1, 'Save')];
    const res = await postRaw(c, ndjson([{ ...header(events), encoding: 'compact-9' }, ...events]));
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ line: 1, issues: [{ path: 'encoding', code: 'unsupported_encoding' }] });
    expect(await getJson(c, '/v1/stats')).toMatchObject({ events: 0, batches: 0, rejectedBatches: 1 });
  });

  it('answers malformed compact input with a clear 4xx naming the line, and stores none of the batch', async () => {
    const c = await startCollector();
    const good = { $p: 0, $t: 1_700_000_000_000, $u: 0, $b: 1, $f: 0, type: 'click', target: 0, button: 0, modifiers: 0, x: 1, y: 2, offsetX: 0, offsetY: 0 };
    const cases: Array<[string, number, number, string?]> = [
      [ndjson([{ ...header([]), batchId: 'hand-nodict', firstSeq: 1, lastSeq: 1, encoding: COMPACT_1 }]), 422, 1], // no dictionary
      [handWritten([good]).replace('"ids":', '"idz":'), 422, 2], // a dictionary of the wrong shape
      [handWritten([good, { ...good, $u: 5 }]), 422, 4, '$u'], // an index outside the dictionary
      [handWritten([good, { ...good, target: 9 }]), 422, 4, 'target'],
      [handWritten([good, { $t: 'soon', type: 'visibility', state: 'hidden' }]), 422, 4, '$t'],
      [handWritten([good, { type: 'visibility', state: 'hidden', $zz: 1 }]), 422, 4, '$zz'],
      [handWritten([good, { type: 'visibility', state: 'sideways' }]), 422, 4, 'state'], // expands, fails the event schema
      [handWritten([good, { $e: { v: 1, id: 'x' } }]), 422, 4, '$e.ts'],
      [handWritten([good, 'not json']), 400, 4],
      [handWritten([good, { type: 'visibility', state: 'hidden' }], 1, 3), 422, 4, 'seq'], // lastSeq disagrees
      [handWritten([{ ...good, $s: 5 }]), 422, 3, 'seq'], // firstSeq disagrees
    ];
    for (const [body, status, line, path] of cases) {
      const res = await postRaw(c, body);
      const answer = (await res.json()) as { error: string; line: number; issues: { path: string }[] };
      expect({ status: res.status, line: answer.line }, answer.error).toEqual({ status, line });
      if (path) expect(answer.issues.map((i) => i.path)).toContain(path);
      expect(answer.error).toMatch(/\w/);
    }
    expect(await getJson(c, '/v1/stats')).toMatchObject({ events: 0, batches: 0, rejectedBatches: cases.length });
    // The collector still takes a good one afterwards.
    expect((await postRaw(c, handWritten([good]))).status).toBe(200);
  });

  it('refuses a compact batch that would expand beyond the inflated-size limit (413), building nothing big', async () => {
    const c = await startCollector({ limits: { batchRawBytes: 64 * 1024 } });
    const big = target('Big', { selectors: Array.from({ length: 8 }, (_, i) => [`#${'x'.repeat(380)}${i}`]) });
    const line = (seq: number) => ({ $t: 1, type: 'focus', target: 0, ...(seq === 1 ? { $p: 0, $u: 0, $b: 1, $f: 0 } : {}) });
    const lines = Array.from({ length: 400 }, (_, i) => line(i + 1));
    const h = { ...header([]), batchId: 'hand-bomb', firstSeq: 1, lastSeq: 400, encoding: COMPACT_1 };
    const body = ndjson([h, { urls: ['u'], targets: [big], ids: [PREFIX] }, ...lines]);
    expect(Buffer.byteLength(body)).toBeLessThan(64 * 1024);
    const res = await postRaw(c, body);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ limitBytes: 64 * 1024 });
    expect(await getJson(c, '/v1/stats')).toMatchObject({ events: 0, batches: 0 });
  });
});
