/**
 * The uploader: drains the outbox to the collector per the upload protocol. One run at a time; every
 * outcome is persisted (so diagnostics survive a worker restart) and ends with the next alarm set, or
 * cleared when there is nothing left, so an idle browser does no work at all.
 */
import { BATCH_MAX_EVENTS, BATCH_MAX_RAW_BYTES, SCHEMA_VERSION, UPLOAD_TIMEOUT_MS } from '../constants';
import type { Outbox } from '../outbox/outbox';
import type { BatchHeader } from '../schema/batch';
import type { Policy } from '../schema/policy';
import { COMPACT_1, WIRE_CAPABILITY_HEADER } from '../schema/wire';
import { parseRetryAfterMs, retryDelayMs } from './backoff';
import { fitsBudget, nextDayStart, rateDelayMs, usageToday, type DailyUsage } from './budget';
import { gzip, toCompactNdjson, toNdjson } from './encode';
import { chooseWire, compactRefused, learnFromAnswer, refusesCompact, wireKnown, type WireMemory } from './wire-choice';

/** Longest the uploader waits in-process for the rate limit before handing over to an alarm. */
const MAX_INLINE_RATE_WAIT_MS = 10_000;
/** Batches sent in one run before yielding to the next alarm. */
const MAX_BATCHES_PER_RUN = 40;
const CONTINUE_AFTER_MS = 1_000;

export type UploadOutcome =
  | 'done'
  | 'not-configured'
  | 'blocked'
  | 'offline'
  | 'metered'
  | 'budget'
  | 'retry-later'
  | 'continue';

export interface UploadResult {
  at: number;
  ok: boolean;
  status?: number;
  message: string;
}

export interface UploadState {
  /** Consecutive failed attempts (network errors, 5xx, 429, unreadable answers). */
  attempt: number;
  nextAttemptAt: number | null;
  /** Uploads wait for the connection: an `online` or connection change may resume them early. */
  deferred: 'offline' | 'metered' | null;
  /** 401/403: uploads stop until the collector URL or token in the policy change. */
  blocked: { status: number; message: string; credentials: string } | null;
  lastResult: UploadResult | null;
  lastSuccessAt: number | null;
  usage: DailyUsage;
  previousSend?: { start: number; bytes: number };
  /** What each collector URL said about the compact wire form (./wire-choice.ts). */
  wire: WireMemory;
  /** bytesCompressed: gzip bodies as sent; bytesRaw: the NDJSON before gzip (compact where it was). */
  totals: {
    batches: number;
    events: number;
    bytesCompressed: number;
    bytesRaw: number;
    rejected: number;
    /** Acknowledged batches that were sent in the compact form. */
    compactBatches: number;
  };
}

export const UPLOAD_STATE_DEFAULTS: UploadState = {
  attempt: 0,
  nextAttemptAt: null,
  deferred: null,
  blocked: null,
  lastResult: null,
  lastSuccessAt: null,
  usage: { day: '', bytes: 0 },
  wire: {},
  totals: { batches: 0, events: 0, bytesCompressed: 0, bytesRaw: 0, rejected: 0, compactBatches: 0 },
};

export interface UploaderDeps {
  outbox: Outbox;
  policy: () => Policy;
  installId: () => string;
  extVersion: string;
  fetch: typeof fetch;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  newId: () => string;
  /** Set the upload alarm for `when` (epoch ms), or clear it with null. */
  schedule: (when: number | null) => Promise<void>;
  network: () => { online: boolean; metered: boolean };
}

const STATE_KEY = 'uploadState';

function credentialsOf(policy: Policy): string {
  return `${policy.collectorUrl}\n${policy.authToken}`;
}

export class Uploader {
  private running: Promise<UploadOutcome> | null = null;
  private again = false;

  constructor(private readonly deps: UploaderDeps) {}

  async state(): Promise<UploadState> {
    const defaults = structuredClone(UPLOAD_STATE_DEFAULTS);
    const saved = (await this.deps.outbox.getKv<Partial<UploadState>>(STATE_KEY)) ?? {};
    // A state saved by an older version lacks newer totals: they start at zero.
    return { ...defaults, ...saved, totals: { ...defaults.totals, ...saved.totals } };
  }

  private save(state: UploadState): Promise<void> {
    return this.deps.outbox.setKv(STATE_KEY, state);
  }

  /** Run now (an alarm, or the person asked), or once more right after the run in progress. Never rejects. */
  run(): Promise<UploadOutcome> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let outcome: UploadOutcome;
      do {
        this.again = false;
        outcome = await this.runSafely();
      } while (this.again && outcome === 'done');
      return outcome;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * Run early (many events pending), unless a wait is in force: a backoff or Retry-After, the daily
   * budget, a block, or a deferral for the network. Those end with their alarm, not with more events.
   */
  async runIfDue(): Promise<UploadOutcome | 'not-due'> {
    if (this.running) return this.running;
    const state = await this.state();
    if (state.blocked || state.deferred || (state.nextAttemptAt !== null && state.nextAttemptAt > this.deps.now())) return 'not-due';
    return this.run();
  }

  /** The network came back or changed: resume uploads that were waiting for it, at once. */
  async networkChanged(): Promise<UploadOutcome | 'not-due'> {
    const state = await this.state();
    if (!state.deferred) return 'not-due';
    const net = this.deps.network();
    if (!net.online || (net.metered && !this.deps.policy().uploadOnMetered)) return 'not-due';
    return this.run();
  }

  /** Policy changed: a block caused by old credentials no longer applies. True when uploads may resume. */
  async policyChanged(): Promise<boolean> {
    const state = await this.state();
    if (state.blocked && state.blocked.credentials !== credentialsOf(this.deps.policy())) {
      state.blocked = null;
      state.attempt = 0;
      state.nextAttemptAt = null;
      await this.save(state);
      return true;
    }
    return false;
  }

  /** One run; an unexpected failure (storage, encoding) is recorded and retried later, never thrown. */
  private async runSafely(): Promise<UploadOutcome> {
    try {
      return await this.runOnce();
    } catch (err) {
      console.error('Workflow Capture: upload run failed', err);
      try {
        const state = await this.state();
        state.attempt++;
        const next = this.deps.now() + retryDelayMs(state.attempt, undefined);
        state.nextAttemptAt = next;
        state.lastResult = { at: this.deps.now(), ok: false, message: `upload failed: ${errorMessage(err)}` };
        await this.save(state);
        await this.deps.schedule(next);
      } catch {
        /* storage itself is failing: the next captured event sets the alarm again */
      }
      return 'retry-later';
    }
  }

  private async runOnce(): Promise<UploadOutcome> {
    const { outbox, now } = this.deps;
    const policy = this.deps.policy();
    const state = await this.state();
    state.usage = usageToday(state.usage, now());
    const finish = async (outcome: UploadOutcome, next: number | null, result?: Omit<UploadResult, 'at'>) => {
      state.nextAttemptAt = next;
      state.deferred = outcome === 'offline' || outcome === 'metered' ? outcome : null;
      if (result) state.lastResult = { at: now(), ...result };
      await this.save(state);
      await this.deps.schedule(next);
      // Events stored after the outbox looked empty, but before the alarm was cleared, set an alarm that
      // the clear just removed: look once more, after the clear, so they are never left without one.
      if (outcome === 'done' && (await outbox.stats()).pending > 0) {
        await this.deps.schedule(now() + policy.uploadIntervalMinutes * 60_000);
      }
      return outcome;
    };

    if (!policy.collectorUrl) return finish('not-configured', null);
    if (state.blocked) {
      if (state.blocked.credentials === credentialsOf(policy)) return finish('blocked', null);
      state.blocked = null;
      state.attempt = 0;
    }
    const retryAt = now() + policy.uploadIntervalMinutes * 60_000;
    const net = this.deps.network();
    if (!net.online) return finish('offline', retryAt, { ok: false, message: 'offline: waiting for the network' });
    if (net.metered && !policy.uploadOnMetered) {
      return finish('metered', retryAt, { ok: false, message: 'metered or data-saver connection: uploads deferred' });
    }

    const url = policy.collectorUrl;
    if (!wireKnown(state.wire, url) && (await outbox.stats()).pending > 0) {
      const advertised = await this.askWire(url);
      if (advertised !== undefined) state.wire = learnFromAnswer(state.wire, url, advertised, now());
    }
    /**
     * A compact batch was refused as unreadable: the rest of this run is plain, starting with that same
     * batch. Only if its plain copy is then acknowledged was the compact form at fault (remembered for a
     * while, wire-choice.ts); if the plain copy is refused too, the batch was, and it is split as usual.
     */
    let plainThisRun = false;
    let plainAfterRefusal: string | undefined;
    for (let sent = 0; sent < MAX_BATCHES_PER_RUN; sent++) {
      const next = await outbox.nextBatch(BATCH_MAX_EVENTS, BATCH_MAX_RAW_BYTES, this.deps.newId);
      if (!next) {
        state.attempt = 0;
        return finish('done', null);
      }
      const { batch, events } = next;
      const header: BatchHeader = {
        batchId: batch.batchId,
        installId: this.deps.installId(),
        extVersion: this.deps.extVersion,
        schema: SCHEMA_VERSION,
        firstSeq: batch.firstSeq,
        lastSeq: batch.lastSeq,
        dropped: batch.dropped,
      };
      const compact = !plainThisRun && chooseWire(state.wire, url, now()) === COMPACT_1 ? toCompactNdjson(header, events) : undefined;
      const raw = compact ?? toNdjson(header, events);
      const body = await gzip(raw);
      // The plain copy of a batch whose compact form was refused is the same send, already let through.
      const resend = plainAfterRefusal === batch.batchId;
      if (!resend && !fitsBudget(state.usage, body.length, policy.maxUploadKBPerDay)) {
        return finish('budget', nextDayStart(now()), {
          ok: false,
          message: `daily upload budget of ${policy.maxUploadKBPerDay} KB used: uploads wait until tomorrow`,
        });
      }
      const wait = rateDelayMs(state.previousSend, policy.maxUploadKBps, now());
      if (wait > MAX_INLINE_RATE_WAIT_MS) return finish('retry-later', now() + wait);
      if (wait > 0) await this.deps.sleep(wait);

      state.previousSend = { start: now(), bytes: body.length };
      // Every attempt counts against the day's budget, answered or not: the bytes went over the link.
      state.usage.bytes += body.length;
      const answer = await this.post(policy, batch.batchId, body);
      if (compact !== undefined && refusesCompact(answer.status)) {
        // Perhaps the collector cannot read the compact form after all: the same batch goes again, plain.
        plainThisRun = true;
        plainAfterRefusal = batch.batchId;
        state.lastResult = { at: now(), ok: false, status: answer.status, message: `collector refused a compact batch (${answer.status}): sending it as plain NDJSON` };
        await this.save(state);
        continue;
      }
      if (answer.kind === 'ok') {
        await outbox.ack(batch);
        state.wire = learnFromAnswer(state.wire, url, answer.wire ?? null, now());
        if (plainAfterRefusal === batch.batchId) state.wire = compactRefused(state.wire, url, now());
        state.attempt = 0;
        state.lastSuccessAt = now();
        state.lastResult = { at: now(), ok: true, status: answer.status, message: `uploaded ${events.length} events` };
        state.totals.batches++;
        state.totals.events += events.length;
        state.totals.bytesCompressed += body.length;
        state.totals.bytesRaw += raw.length;
        if (compact !== undefined) state.totals.compactBatches++;
        // Saved per batch: a worker stopped mid-run must not forget bytes already counted against the budget.
        await this.save(state);
        continue;
      }
      if (answer.kind === 'unauthorized') {
        state.blocked = { status: answer.status, message: answer.message, credentials: credentialsOf(policy) };
        return finish('blocked', null, { ok: false, status: answer.status, message: answer.message });
      }
      if (answer.kind === 'rejected') {
        const how = await outbox.reject(batch, answer.status, answer.message, this.deps.newId);
        state.totals.rejected++;
        state.lastResult = { at: now(), ok: false, status: answer.status, message: `${answer.message} (batch ${how})` };
        await this.save(state);
        continue;
      }
      state.attempt++;
      const delay = retryDelayMs(state.attempt, answer.retryAfterMs);
      return finish('retry-later', now() + delay, { ok: false, status: answer.status, message: answer.message });
    }
    return finish('continue', now() + CONTINUE_AFTER_MS);
  }

  /**
   * Asks a collector not heard from yet which wire forms it accepts, before its first batch: the
   * `X-Workflow-Capture-Wire` header of its answer to `OPTIONS /v1/batches` (null when absent: plain).
   * Undefined when there was no answer at all; the first acknowledged batch then tells instead.
   */
  private async askWire(url: string): Promise<string | null | undefined> {
    try {
      const res = await this.deps.fetch(`${url}/v1/batches`, {
        method: 'OPTIONS',
        signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
        credentials: 'omit',
        cache: 'no-store',
      });
      res.body?.cancel().catch(() => undefined);
      return res.headers.get(WIRE_CAPABILITY_HEADER);
    } catch {
      return undefined;
    }
  }

  private async post(policy: Policy, batchId: string, body: Uint8Array<ArrayBuffer>): Promise<Answer> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-ndjson',
      'Content-Encoding': 'gzip',
      'Idempotency-Key': batchId,
    };
    if (policy.authToken) headers.Authorization = `Bearer ${policy.authToken}`;
    let res: Response;
    let text: string;
    try {
      res = await this.deps.fetch(`${policy.collectorUrl}/v1/batches`, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
        credentials: 'omit',
        cache: 'no-store',
      });
      text = await res.text();
    } catch (err) {
      return { kind: 'retry', message: `network error: ${errorMessage(err)}` };
    }
    const answer = classify(res.status, text, res.headers.get('Retry-After'), this.deps.now());
    return answer.kind === 'ok' ? { ...answer, wire: res.headers.get(WIRE_CAPABILITY_HEADER) } : answer;
  }
}

type Answer =
  | { kind: 'ok'; status: number; wire?: string | null }
  | { kind: 'unauthorized'; status: number; message: string }
  | { kind: 'rejected'; status: number; message: string }
  | { kind: 'retry'; status?: number; message: string; retryAfterMs?: number };

/** Map a collector answer to what the uploader does next (the upload protocol's response rules). */
export function classify(status: number, text: string, retryAfter: string | null, now: number): Answer {
  const detail = text.slice(0, 200).replace(/\s+/g, ' ').trim();
  if (status >= 200 && status < 300) {
    // An answer that is neither empty nor JSON did not come from a collector (a captive portal, a
    // proxy): the batch is kept and sent again; the collector removes duplicates.
    if (text.trim() === '') return { kind: 'ok', status };
    try {
      const json = JSON.parse(text) as { ok?: unknown };
      if (json && typeof json === 'object' && json.ok !== false) return { kind: 'ok', status };
    } catch {
      /* fall through */
    }
    return { kind: 'retry', status, message: `collector answered ${status} with an unreadable body` };
  }
  if (status === 401 || status === 403) {
    return { kind: 'unauthorized', status, message: `collector refused the credentials (${status}): uploads stopped until the policy changes` };
  }
  if (status === 400 || status === 413 || status === 422) {
    return { kind: 'rejected', status, message: `collector rejected a batch (${status}${detail ? `: ${detail}` : ''})` };
  }
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfterMs(retryAfter, now) : undefined;
  return { kind: 'retry', status, message: `collector answered ${status}`, retryAfterMs };
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.name === 'TimeoutError' ? 'timed out' : err.message;
  return String(err);
}
