import 'fake-indexeddb/auto';
import { gunzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Outbox } from '../../../lib/outbox/outbox';
import { POLICY_DEFAULTS, type Policy } from '../../../lib/schema/policy';
import type { EventBody } from '../../../lib/schema/event';
import { classify, Uploader } from '../../../lib/upload/uploader';
import { BACKOFF_BASE_MS } from '../../../lib/constants';
import { RETRY_AFTER_TRUSTED_ATTEMPTS } from '../../../lib/upload/backoff';
import { WIRE_COMPACT_REFUSED_MS } from '../../../lib/constants';
import { expandCompactNdjson } from '../../../lib/schema/wire';

type Reply = { status: number; body?: string; headers?: Record<string, string> } | 'network-error';

let outbox: Outbox;
let replies: Reply[];
let requests: { url: string; headers: Record<string, string>; lines: unknown[]; bytes: number; raw: string; encoding: string; events: number }[];
/** `X-Workflow-Capture-Wire` of the fake collector's answers to OPTIONS (none: it does not know the compact form). */
let advertised: string | undefined;
let asked: number;
let scheduled: (number | null)[];
let policy: Policy;
let clock: number;
let net: { online: boolean; metered: boolean };
let n = 0;
/** Called on every schedule(), before it is recorded (to interleave work the way the worker can). */
let onSchedule: ((when: number | null) => Promise<void>) | undefined;

const event = (): EventBody => ({
  v: 1, id: `ev-${++n}-xxxxxxxxxx`, ts: 1, url: 'https://a.example/', type: 'key', key: 'Tab',
  modifiers: { alt: false, ctrl: false, meta: false, shift: false }, masked: false,
});

function uploader() {
  return new Uploader(deps());
}

function deps(): ConstructorParameters<typeof Uploader>[0] {
  return {
    outbox,
    policy: () => policy,
    installId: () => 'install-1234',
    extVersion: '0.1.0',
    now: () => clock,
    sleep: async (ms) => void (clock += ms),
    newId: () => `batch-${++n}-xxxxxxxx`,
    schedule: async (when) => {
      await onSchedule?.(when);
      scheduled.push(when);
    },
    network: () => net,
    fetch: fakeFetch,
  };
}

async function fakeFetch(url: string | URL | Request, init?: RequestInit): Promise<Response> {
  if (init?.method === 'OPTIONS') {
    asked++;
    return new Response(null, { status: 204, headers: advertised ? { 'X-Workflow-Capture-Wire': advertised } : {} });
  }
  const reply = replies.shift() ?? { status: 200, body: '{"ok":true}' };
  const sent = Buffer.from(init!.body as Uint8Array);
  const body = gunzipSync(sent).toString();
  const lines = body.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const encoding = (lines[0]!.encoding as string | undefined) ?? 'plain';
  // A compact batch has a dictionary line after the header.
  const events = lines.length - (encoding === 'plain' ? 1 : 2);
  requests.push({ url: String(url), headers: init!.headers as Record<string, string>, lines, bytes: sent.length, raw: body, encoding, events });
  if (reply === 'network-error') throw new TypeError('Failed to fetch');
  return new Response(reply.body ?? '', { status: reply.status, headers: reply.headers });
}

beforeEach(async () => {
  outbox = await Outbox.open(`up-${Math.random()}`);
  replies = [];
  requests = [];
  advertised = undefined;
  asked = 0;
  scheduled = [];
  clock = Date.parse('2026-11-27T10:00:00Z');
  net = { online: true, metered: false };
  policy = { ...POLICY_DEFAULTS, collectorUrl: 'https://c.example.com', authToken: 'tok' };
  onSchedule = undefined;
});

describe('lib/upload/uploader', () => {
  it('sends a gzip NDJSON batch with header, auth and idempotency key, and empties the outbox on 2xx', async () => {
    await outbox.append([event(), event()], 3, 0);
    expect(await uploader().run()).toBe('done');
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req!.url).toBe('https://c.example.com/v1/batches');
    expect(req!.headers.Authorization).toBe('Bearer tok');
    const header = req!.lines[0] as Record<string, unknown>;
    expect(header).toMatchObject({ installId: 'install-1234', schema: 1, firstSeq: 1, lastSeq: 2, dropped: 0 });
    expect(req!.headers['Idempotency-Key']).toBe(header.batchId);
    expect(req!.lines).toHaveLength(3);
    expect((await outbox.stats()).pending).toBe(0);
    expect(scheduled.at(-1)).toBeNull();
  });

  it('keeps the batch and honours Retry-After on 429, resending the same batch id', async () => {
    await outbox.append([event()], 1, 0);
    replies = [{ status: 429, headers: { 'Retry-After': '120' } }];
    const up = uploader();
    expect(await up.run()).toBe('retry-later');
    expect(scheduled.at(-1)).toBe(clock + 120_000);
    expect((await outbox.stats()).pending).toBe(1);
    expect(await up.run()).toBe('done');
    expect((requests[0]!.lines[0] as { batchId: string }).batchId).toBe((requests[1]!.lines[0] as { batchId: string }).batchId);
  });

  it('treats a 2xx with a garbage body as not acknowledged', async () => {
    await outbox.append([event()], 1, 0);
    replies = [{ status: 200, body: '<html>captive portal</html>' }];
    expect(await uploader().run()).toBe('retry-later');
    expect((await outbox.stats()).pending).toBe(1);
  });

  it('backs off on network errors and 500s', async () => {
    await outbox.append([event()], 1, 0);
    replies = ['network-error', { status: 500 }];
    const up = uploader();
    expect(await up.run()).toBe('retry-later');
    const first = scheduled.at(-1)! - clock;
    expect(await up.run()).toBe('retry-later');
    expect((await up.state()).attempt).toBe(2);
    expect(first).toBeGreaterThan(0);
    expect((await outbox.stats()).pending).toBe(1);
  });

  it('stops on 401 until the policy credentials change', async () => {
    await outbox.append([event()], 1, 0);
    replies = [{ status: 401 }];
    const up = uploader();
    expect(await up.run()).toBe('blocked');
    expect(await up.run()).toBe('blocked');
    expect(requests).toHaveLength(1);
    policy = { ...policy, authToken: 'new-token' };
    await up.policyChanged();
    expect(await up.run()).toBe('done');
  });

  it('splits a 422 batch and quarantines the one bad event, delivering the rest', async () => {
    await outbox.append([event(), event(), event(), event()], 1, 0);
    // whole batch refused, first half refused, first quarter refused, then all accepted
    replies = [{ status: 422 }, { status: 422 }, { status: 422 }];
    const up = uploader();
    expect(await up.run()).toBe('done');
    expect((await outbox.stats()).quarantined).toBe(1);
    expect((await outbox.stats()).pending).toBe(0);
    expect(requests.map((r) => r.lines.length - 1)).toEqual([4, 2, 1, 3]);
    expect((await up.state()).totals.events).toBe(3);
  });

  it('waits for the next day once the daily budget is used', async () => {
    policy = { ...policy, maxUploadKBPerDay: 1 };
    const up = uploader();
    await outbox.append([event()], 1, 0);
    expect(await up.run()).toBe('done');
    await outbox.append(Array.from({ length: 300 }, event), 1, 0);
    replies = [];
    const outcome = await up.run();
    expect(outcome).toBe('budget');
    expect(scheduled.at(-1)).toBeGreaterThan(clock);
    expect((await up.state()).lastResult?.message).toMatch(/daily upload budget/);
  });

  it('defers on metered connections unless policy allows, and sends nothing offline', async () => {
    await outbox.append([event()], 1, 0);
    net = { online: true, metered: true };
    expect(await uploader().run()).toBe('metered');
    net = { online: false, metered: false };
    expect(await uploader().run()).toBe('offline');
    expect(requests).toHaveLength(0);
    net = { online: true, metered: true };
    policy = { ...policy, uploadOnMetered: true };
    expect(await uploader().run()).toBe('done');
  });

  it('classifies collector answers per the upload protocol', () => {
    expect(classify(204, '', null, 0).kind).toBe('ok');
    expect(classify(200, '{"ok":false}', null, 0).kind).toBe('retry');
    expect(classify(403, '', null, 0).kind).toBe('unauthorized');
    expect(classify(413, '', null, 0).kind).toBe('rejected');
    expect(classify(503, '', '5', 0)).toMatchObject({ kind: 'retry', retryAfterMs: 5000 });
    expect(classify(502, '', '5', 0)).toMatchObject({ kind: 'retry', retryAfterMs: undefined });
  });

  it('counts every attempt against the daily budget, answered or not', async () => {
    await outbox.append([event()], 1, 0);
    replies = [{ status: 500 }, { status: 503 }];
    const up = uploader();
    await up.run();
    const afterOne = (await up.state()).usage.bytes;
    expect(afterOne).toBeGreaterThan(0);
    await up.run();
    await up.run();
    expect((await up.state()).usage.bytes).toBe(afterOne * 3);
  });

  it('does not let a collector that keeps sending "Retry-After: 1" make it spin', async () => {
    await outbox.append([event()], 1, 0);
    replies = Array.from({ length: 6 }, () => ({ status: 503, headers: { 'Retry-After': '1' } }));
    const up = uploader();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      await up.run();
      delays.push(scheduled.at(-1)! - clock);
    }
    expect(delays.slice(0, RETRY_AFTER_TRUSTED_ATTEMPTS)).toEqual([1000, 1000, 1000]);
    for (const d of delays.slice(RETRY_AFTER_TRUSTED_ATTEMPTS)) expect(d).toBeGreaterThanOrEqual(BACKOFF_BASE_MS / 2);
  });

  it('uploads early only when no wait is in force (backoff, block, deferral)', async () => {
    await outbox.append([event()], 1, 0);
    replies = [{ status: 500 }];
    const up = uploader();
    expect(await up.run()).toBe('retry-later');
    expect(await up.runIfDue()).toBe('not-due');
    expect(requests).toHaveLength(1);
    clock = (await up.state()).nextAttemptAt!;
    expect(await up.runIfDue()).toBe('done');
    expect(requests).toHaveLength(2);
  });

  it('resumes an offline deferral as soon as the network is back, and only then', async () => {
    await outbox.append([event()], 1, 0);
    net = { online: false, metered: false };
    const up = uploader();
    expect(await up.run()).toBe('offline');
    expect(await up.runIfDue()).toBe('not-due');
    expect(await up.networkChanged()).toBe('not-due');
    net = { online: true, metered: false };
    expect(await up.networkChanged()).toBe('done');
    expect(requests).toHaveLength(1);
    // Nothing was waiting for the network: a change does nothing at all.
    expect(await up.networkChanged()).toBe('not-due');
    expect(requests).toHaveLength(1);
  });

  it('never leaves events stored during the end of a run without an alarm', async () => {
    await outbox.append([event()], 1, 0);
    // An event arrives after the outbox looked empty, while the alarm is being cleared.
    onSchedule = async (when) => {
      if (when === null && onSchedule) {
        onSchedule = undefined;
        await outbox.append([event()], 1, 0);
      }
    };
    expect(await uploader().run()).toBe('done');
    expect(scheduled).toEqual([null, clock + policy.uploadIntervalMinutes * 60_000]);
  });

  it('records a failure of its own (storage, say) and tries again later instead of throwing', async () => {
    await outbox.append([event()], 1, 0);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const up = uploader();
    const real = outbox.nextBatch.bind(outbox);
    outbox.nextBatch = async () => {
      throw new Error('IndexedDB went away');
    };
    expect(await up.run()).toBe('retry-later');
    expect((await up.state()).lastResult).toMatchObject({ ok: false, message: 'upload failed: IndexedDB went away' });
    expect(scheduled.at(-1)).toBeGreaterThan(clock);
    outbox.nextBatch = real;
    expect(await up.run()).toBe('done');
  });

  it('says when new credentials lift a block, so uploads can resume at once', async () => {
    await outbox.append([event()], 1, 0);
    replies = [{ status: 403 }];
    const up = uploader();
    expect(await up.run()).toBe('blocked');
    expect(await up.policyChanged()).toBe(false);
    policy = { ...policy, collectorUrl: 'https://other.example.com' };
    expect(await up.policyChanged()).toBe(true);
    expect((await up.state()).blocked).toBeNull();
    expect(await up.run()).toBe('done');
    expect(requests.at(-1)!.url).toBe('https://other.example.com/v1/batches');
  });

  describe('the compact wire form, negotiated per collector', () => {
    const WIRE = { 'X-Workflow-Capture-Wire': 'compact-1' };
    const ok = (headers: Record<string, string> = WIRE): Reply => ({ status: 200, body: '{"ok":true}', headers });

    it('asks a collector not heard from yet once, and sends plain NDJSON to one that does not advertise it', async () => {
      const up = uploader();
      await outbox.append([event(), event()], 1, 0);
      expect(await up.run()).toBe('done');
      await outbox.append([event()], 1, 0);
      expect(await up.run()).toBe('done');
      expect(asked).toBe(1);
      expect(requests.map((r) => r.encoding)).toEqual(['plain', 'plain']);
      expect((await up.state()).wire[policy.collectorUrl]).toMatchObject({ accepts: [] });
    });

    it('asks nothing while there is nothing to send', async () => {
      expect(await uploader().run()).toBe('done');
      expect(asked).toBe(0);
    });

    it('sends compact batches once the collector advertised compact-1, and counts the bytes actually sent', async () => {
      advertised = 'compact-1';
      replies = [ok()];
      const up = uploader();
      const events = [event(), event(), event()];
      await outbox.append(events, 1, 0);
      expect(await up.run()).toBe('done');
      const [req] = requests;
      expect(req!.encoding).toBe('compact-1');
      // The collector gets back exactly what was stored.
      expect(expandCompactNdjson(req!.raw).events).toEqual(events.map((e, i) => ({ ...e, seq: i + 1, tab: 1, frame: 0 })));
      const state = await up.state();
      expect(state.totals).toMatchObject({ batches: 1, events: 3, compactBatches: 1, bytesCompressed: req!.bytes, bytesRaw: req!.raw.length });
      expect(state.usage.bytes).toBe(req!.bytes);
    });

    it('follows the latest acknowledged answer: no header, plain from the next batch; the header again, compact again', async () => {
      advertised = 'compact-1';
      const up = uploader();
      replies = [ok({}), ok(), ok()];
      for (let i = 0; i < 3; i++) {
        await outbox.append([event()], 1, 0);
        expect(await up.run()).toBe('done');
      }
      expect(requests.map((r) => r.encoding)).toEqual(['compact-1', 'plain', 'compact-1']);
      expect(asked).toBe(1);
    });

    for (const status of [400, 415, 422]) {
      it(`sends a compact batch refused with ${status} again at once, plain, under the same batch id, and stays plain for a day`, async () => {
        advertised = 'compact-1';
        replies = [{ status, body: '{"error":"what is this"}' }, ok()];
        const up = uploader();
        await outbox.append([event(), event()], 1, 0);
        expect(await up.run()).toBe('done');
        expect(requests.map((r) => [r.encoding, r.events])).toEqual([['compact-1', 2], ['plain', 2]]);
        expect(requests[1]!.headers['Idempotency-Key']).toBe(requests[0]!.headers['Idempotency-Key']);
        const state = await up.state();
        expect(state.totals).toMatchObject({ batches: 1, events: 2, rejected: 0, compactBatches: 0 });
        expect((await outbox.stats()).quarantined).toBe(0);
        // Both attempts went over the link.
        expect(state.usage.bytes).toBe(requests[0]!.bytes + requests[1]!.bytes);

        await outbox.append([event()], 1, 0);
        replies = [ok()];
        expect(await up.run()).toBe('done');
        expect(requests.at(-1)!.encoding).toBe('plain');
        clock += WIRE_COMPACT_REFUSED_MS + 1;
        await outbox.append([event()], 1, 0);
        replies = [ok()];
        expect(await up.run()).toBe('done');
        expect(requests.at(-1)!.encoding).toBe('compact-1');
      });
    }

    it('the plain copy of a refused compact batch goes even when the refused attempt used up the daily budget', async () => {
      advertised = 'compact-1';
      policy = { ...policy, maxUploadKBPerDay: 1 };
      replies = [{ status: 415 }, ok()];
      const up = uploader();
      // The first batch of a day goes whatever its size; its plain copy is the same send.
      await outbox.append(Array.from({ length: 300 }, () => event()), 1, 0);
      expect(await up.run()).toBe('done');
      expect(requests.map((r) => r.encoding)).toEqual(['compact-1', 'plain']);
      expect((await up.state()).usage.bytes).toBeGreaterThan(1024);
      await outbox.append([event()], 1, 0);
      expect(await up.run()).toBe('budget');
      expect(requests).toHaveLength(2);
    });

    it('a batch refused plain as well was at fault, not the compact form: split as usual, compact again next run', async () => {
      advertised = 'compact-1';
      replies = [{ status: 422 }, { status: 422 }, ok(), ok()];
      const up = uploader();
      await outbox.append([event(), event(), event(), event()], 1, 0);
      expect(await up.run()).toBe('done');
      expect(requests.map((r) => [r.encoding, r.events])).toEqual([['compact-1', 4], ['plain', 4], ['plain', 2], ['plain', 2]]);
      expect((await outbox.stats()).pending).toBe(0);
      await outbox.append([event()], 1, 0);
      replies = [ok()];
      expect(await up.run()).toBe('done');
      expect(requests.at(-1)!.encoding).toBe('compact-1');
    });

    it('remembers each collector URL on its own', async () => {
      advertised = 'compact-1';
      replies = [ok()];
      const up = uploader();
      await outbox.append([event()], 1, 0);
      await up.run();
      policy = { ...policy, collectorUrl: 'https://old.example.com' };
      advertised = undefined;
      replies = [ok({})];
      await outbox.append([event()], 1, 0);
      await up.run();
      expect(requests.map((r) => [r.url, r.encoding])).toEqual([
        ['https://c.example.com/v1/batches', 'compact-1'],
        ['https://old.example.com/v1/batches', 'plain'],
      ]);
      expect(asked).toBe(2);
      expect(Object.keys((await up.state()).wire).sort()).toEqual(['https://c.example.com', 'https://old.example.com']);
    });

    it('reads a state saved by the version before: no wire memory, totals without compact batches', async () => {
      await outbox.setKv('uploadState', { attempt: 0, totals: { batches: 3, events: 10, bytesCompressed: 100, bytesRaw: 500, rejected: 0 } });
      const state = await uploader().state();
      expect(state.wire).toEqual({});
      expect(state.totals).toEqual({ batches: 3, events: 10, bytesCompressed: 100, bytesRaw: 500, rejected: 0, compactBatches: 0 });
    });

    it('sends plain when the capability question goes unanswered, and learns from the batch answer', async () => {
      const up = new Uploader({
        ...deps(),
        fetch: async (url, init) => {
          if (init?.method === 'OPTIONS') throw new TypeError('Failed to fetch');
          return fakeFetch(url, init);
        },
      });
      replies = [ok(), ok()];
      await outbox.append([event()], 1, 0);
      await up.run();
      await outbox.append([event()], 1, 0);
      await up.run();
      expect(requests.map((r) => r.encoding)).toEqual(['plain', 'compact-1']);
    });
  });
});
