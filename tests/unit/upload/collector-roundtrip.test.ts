/**
 * The outbox and the uploader against the real reference collector (in-process, real HTTP, real gzip):
 * every seq the extension gives up on — the buffer cap, a full disk, a quarantined event — is reported in
 * a batch header's `dropped` and shows up as exactly that many holes in the collector's stats; answers
 * lost after storing never store twice.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCollector, type Collector } from '../../../collector/server';
import { Outbox } from '../../../lib/outbox/outbox';
import type { EventBody } from '../../../lib/schema/event';
import { POLICY_DEFAULTS } from '../../../lib/schema/policy';
import { Uploader } from '../../../lib/upload/uploader';

const INSTALL = 'install-roundtrip-0001';
let collector: Collector;
let outbox: Outbox;
let n = 0;

const target = { tag: 'input', role: 'textbox', name: 'Notes', selectors: [['#notes']], box: { x: 1, y: 2, w: 3, h: 4 }, masked: false };
const key = (): EventBody => ({
  v: 1, id: `rt-${++n}-xxxxxxxxxx`, ts: 1_700_000_000_000 + n, url: 'https://a.example/', type: 'key', key: '[text]',
  modifiers: { alt: false, ctrl: false, meta: false, shift: false }, masked: false, target,
});
const pointer = (): EventBody => ({
  v: 1, id: `rt-${++n}-xxxxxxxxxx`, ts: 1_700_000_000_000 + n, url: 'https://a.example/', type: 'pointer',
  points: Array.from({ length: 60 }, (_, i) => [i, i, i * 75] as [number, number, number]),
});

function uploader() {
  return new Uploader({
    outbox,
    policy: () => ({ ...POLICY_DEFAULTS, collectorUrl: collector.url }),
    installId: () => INSTALL,
    extVersion: '0.1.0',
    fetch: (...args) => fetch(...args),
    now: () => Date.now(),
    sleep: async () => undefined,
    newId: () => crypto.randomUUID(),
    schedule: async () => undefined,
    network: () => ({ online: true, metered: false }),
  });
}

async function faults(rules: unknown[]) {
  const res = await fetch(`${collector.url}/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
  expect(res.ok).toBe(true);
}

async function installStats() {
  const stats = (await (await fetch(`${collector.url}/v1/stats?installId=${INSTALL}`)).json()) as {
    duplicateBatches: number;
    installs: { events: number; minSeq: number; maxSeq: number; seqGaps: number; missingSeqs: number[]; dropped: number }[];
  };
  return { ...stats, install: stats.installs[0]! };
}

beforeEach(async () => {
  collector = await createCollector({ port: 0, db: ':memory:', faults: true, log: () => undefined });
  outbox = await Outbox.open(`rt-${Math.random()}`);
});
afterEach(async () => {
  outbox.close();
  await collector.close();
});

describe('lib/upload with the reference collector', () => {
  it('events dropped by the buffer cap reach the collector as `dropped`, matching the seq holes', async () => {
    await outbox.append([key(), pointer(), key(), pointer(), key(), pointer(), key()], 1, 0);
    const { bytes } = await outbox.stats();
    const dropped = await outbox.enforceCap(bytes - 100);
    expect(dropped).toBeGreaterThanOrEqual(1);
    expect(await uploader().run()).toBe('done');
    const { install } = await installStats();
    // Pointer paths went first: the holes are where they were.
    expect(install).toMatchObject({ dropped, seqGaps: dropped, minSeq: 1, maxSeq: 7 });
    expect(install.missingSeqs.every((s) => s % 2 === 0)).toBe(true);
  });

  it('events lost to a full disk are reported as dropped too', async () => {
    await outbox.append([key()], 1, 0);
    // In flight, so the drop policy cannot make room with it: the new events are lost.
    await outbox.nextBatch(100, 1e9, () => crypto.randomUUID());
    const realPut = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'events') throw new DOMException('The disk is full', 'QuotaExceededError');
      return realPut.apply(this, args);
    } as IDBObjectStore['put'];
    try {
      expect(await outbox.append([key(), key()], 1, 0)).toMatchObject({ stored: 0, lost: 2 });
    } finally {
      IDBObjectStore.prototype.put = realPut;
    }
    await outbox.append([key()], 1, 0);
    expect(await uploader().run()).toBe('done');
    const { install } = await installStats();
    expect(install).toMatchObject({ events: 2, minSeq: 1, maxSeq: 4, seqGaps: 2, missingSeqs: [2, 3], dropped: 2 });
  });

  it('a quarantined event is reported as dropped, so the collector can tell the hole from loss', async () => {
    await outbox.append(Array.from({ length: 8 }, key), 1, 0);
    // The collector accepts the compact form: the first refusal is of the compact batch, which then goes
    // plain (refused again: 8 events), then the halves (4, 2, then 1 event, quarantined).
    await faults([{ path: '/v1/batches', status: 422, times: 5 }]);
    expect(await uploader().run()).toBe('done');
    expect((await outbox.stats()).quarantined).toBe(1);
    const { install } = await installStats();
    // Seq 1 is the hole (the collector counts gaps from the lowest seq it holds, so it shows as minSeq 2).
    expect(install).toMatchObject({ events: 7, minSeq: 2, maxSeq: 8, seqGaps: 0, dropped: 1 });
  });

  it('an answer lost after the collector stored the batch: resent with the same id, stored once', async () => {
    await outbox.append(Array.from({ length: 5 }, key), 1, 0);
    await faults([
      { path: '/v1/batches', acceptThenFail: true, status: 500 },
      { path: '/v1/batches', acceptThenFail: true, status: 200, body: '<html>portal</html>' },
    ]);
    const up = uploader();
    expect(await up.run()).toBe('retry-later');
    expect(await up.run()).toBe('retry-later');
    expect(await up.run()).toBe('done');
    const { install, duplicateBatches } = await installStats();
    expect(duplicateBatches).toBe(2);
    expect(install).toMatchObject({ events: 5, seqGaps: 0, dropped: 0, minSeq: 1, maxSeq: 5 });
  });
});
