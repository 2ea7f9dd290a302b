/**
 * The collector's endpoints. Each handler validates its input with the shared schemas, does one
 * store call, and returns a Reply; the server adds CORS, auth, fault injection and error handling.
 */
import type { IncomingMessage } from 'node:http';
import { DeletionRequest, OptOutRequest } from '../lib/schema/batch';
import { COMPACT_1, WIRE_CAPABILITY_HEADER, WIRE_ENCODINGS } from '../lib/schema/wire';
import { decodeBatch, reportIssues } from './batch-decode';
import { COLLECTOR_VERSION, EVENTS_QUERY_LIMIT_DEFAULT, EVENTS_QUERY_LIMIT_MAX } from './constants';
import { actionRecordsNdjson, buildActionRecords } from './export-jsonl';
import { buildRecorderFlow } from './export-recorder';
import type { FaultInjector } from './faults';
import { FaultScript } from './faults';
import {
  decodeBody,
  decodeUtf8,
  HttpError,
  intParam,
  looksGzipped,
  readBody,
  readJsonBody,
  stringParam,
  type Reply,
} from './http';
import { stripMaskedSecrets } from './sanitize';
import type { Store } from './store';

export interface CollectorLimits {
  /** Largest accepted batch body as sent (gzip). */
  batchCompressedBytes: number;
  /** Largest accepted batch once inflated. */
  batchRawBytes: number;
  /** Largest opt-out, deletion or fault-script body. */
  jsonBodyBytes: number;
}

export interface RouteContext {
  req: IncomingMessage;
  url: URL;
  store: Store;
  limits: CollectorLimits;
  now: () => number;
  faults: FaultInjector | undefined;
  /** Set once known, so the fault log can name the batch a request carried. */
  batchId?: string;
  /** Set once a batch header was read: its install and how its lines were written. */
  installId?: string;
  encoding?: 'plain' | typeof COMPACT_1;
}

export type Handler = (ctx: RouteContext) => Promise<Reply>;

const NDJSON = 'application/x-ndjson; charset=utf-8';

/** On every acknowledged batch and on OPTIONS /v1/batches: the compact encodings this collector accepts (docs/wire.md). */
export const WIRE_HEADERS: Readonly<Record<string, string>> = { [WIRE_CAPABILITY_HEADER]: WIRE_ENCODINGS.join(', ') };

/** The install a rejected batch claims, when its header line can be read at all (for the counters). */
function claimedInstallId(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const end = text.indexOf('\n');
  try {
    const header = JSON.parse(end === -1 ? text : text.slice(0, end)) as { installId?: unknown };
    return typeof header.installId === 'string' ? header.installId.slice(0, 64) : undefined;
  } catch {
    return undefined;
  }
}

export const postBatch: Handler = async (ctx) => {
  const idempotencyKey = ctx.req.headers['idempotency-key'];
  const key = Array.isArray(idempotencyKey) ? idempotencyKey[0] : idempotencyKey;
  if (key !== undefined) ctx.batchId = key;
  let text: string | undefined;
  try {
    const compressed = await readBody(ctx.req, ctx.limits.batchCompressedBytes);
    const raw = await decodeBody(ctx.req, compressed, ctx.limits.batchRawBytes);
    if (looksGzipped(raw)) {
      throw new HttpError(400, 'line 1 is not valid JSON: the body looks gzip-compressed; send Content-Encoding: gzip', {
        line: 1,
        issues: [],
      });
    }
    text = decodeUtf8(raw);
    const batch = decodeBatch(text, key, { maxExpandedBytes: ctx.limits.batchRawBytes });
    ctx.batchId = batch.header.batchId;
    ctx.installId = batch.header.installId;
    ctx.encoding = batch.header.encoding ?? 'plain';

    let strippedMaskedValues = 0;
    const events = batch.events.map(({ event, json }) => {
      const clean = stripMaskedSecrets(event, json);
      if (clean.stripped) strippedMaskedValues++;
      return clean;
    });
    const result = ctx.store.ingestBatch({
      header: batch.header,
      events,
      bytesCompressed: compressed.length,
      bytesRaw: raw.length,
      receivedAt: ctx.now(),
      strippedMaskedValues,
    });
    if (result.duplicateBatch) {
      return { status: 200, json: { ok: true, duplicate: true, batchId: batch.header.batchId }, headers: WIRE_HEADERS };
    }
    return {
      status: 200,
      headers: WIRE_HEADERS,
      json: {
        ok: true,
        batchId: batch.header.batchId,
        stored: result.stored,
        duplicates: result.duplicates,
        discarded: result.discarded,
        ...(result.optedOut ? { optedOut: true } : {}),
      },
    };
  } catch (err) {
    if (err instanceof HttpError && err.status >= 400 && err.status < 500) {
      ctx.store.recordRejectedBatch(claimedInstallId(text));
    }
    throw err;
  }
};

function schemaError(what: string, error: Parameters<typeof reportIssues>[0]): HttpError {
  return new HttpError(422, `${what} does not match the schema`, { issues: reportIssues(error) });
}

export const postOptOut: Handler = async (ctx) => {
  const parsed = OptOutRequest.safeParse(await readJsonBody(ctx.req, ctx.limits.jsonBodyBytes));
  if (!parsed.success) throw schemaError('opt-out request', parsed.error);
  const result = ctx.store.optOut(parsed.data, ctx.now());
  return { status: 200, json: { ok: true, ...result } };
};

export const postDeletion: Handler = async (ctx) => {
  const parsed = DeletionRequest.safeParse(await readJsonBody(ctx.req, ctx.limits.jsonBodyBytes));
  if (!parsed.success) throw schemaError('deletion request', parsed.error);
  if (parsed.data.from > parsed.data.to) {
    throw new HttpError(422, 'deletion request has from > to', {
      issues: [{ path: 'from', code: 'invalid_range', message: 'from must not be after to' }],
    });
  }
  return { status: 200, json: { ok: true, deleted: ctx.store.deleteRange(parsed.data, ctx.now()) } };
};

function limitParam(params: URLSearchParams): number {
  const limit = intParam(params, 'limit') ?? EVENTS_QUERY_LIMIT_DEFAULT;
  if (limit < 1 || limit > EVENTS_QUERY_LIMIT_MAX) {
    throw new HttpError(400, `query parameter "limit" must be between 1 and ${EVENTS_QUERY_LIMIT_MAX}`);
  }
  return limit;
}

export const getEvents: Handler = async (ctx) => {
  const params = ctx.url.searchParams;
  const filter = {
    installId: stringParam(params, 'installId'),
    from: intParam(params, 'from'),
    to: intParam(params, 'to'),
    type: stringParam(params, 'type'),
    tab: intParam(params, 'tab'),
    limit: limitParam(params),
  };
  const rows = ctx.store.iterateEvents(filter);
  function* lines() {
    for (const row of rows) yield row.json + '\n';
  }
  return { status: 200, contentType: NDJSON, text: lines() };
};

export const getStats: Handler = async (ctx) => ({
  status: 200,
  json: ctx.store.stats(stringParam(ctx.url.searchParams, 'installId')),
});

/** ISO time for a title; the schema allows timestamps beyond what Date can print, so never throw. */
function isoTime(ts: number | undefined): string {
  const date = new Date(ts ?? Number.NaN);
  return Number.isNaN(date.getTime()) ? String(ts) : date.toISOString();
}

export const getExport: Handler = async (ctx) => {
  const params = ctx.url.searchParams;
  const format = stringParam(params, 'format') ?? 'jsonl';
  const from = intParam(params, 'from');
  const to = intParam(params, 'to');
  const tab = intParam(params, 'tab');
  if (format === 'jsonl') {
    const rows = ctx.store.events({ installId: stringParam(params, 'installId'), from, to, tab });
    return { status: 200, contentType: NDJSON, text: actionRecordsNdjson(buildActionRecords(rows)) };
  }
  if (format !== 'recorder') throw new HttpError(400, 'query parameter "format" must be "jsonl" or "recorder"');
  // A Recorder flow replays one tab of one install; default to the busiest of each.
  const installId = stringParam(params, 'installId') ?? ctx.store.installWithMostEvents();
  const chosenTab = installId === undefined ? undefined : (tab ?? ctx.store.tabWithMostEvents(installId, from, to));
  if (installId === undefined || chosenTab === undefined) throw new HttpError(404, 'no events to export');
  const events = ctx.store.events({ installId, tab: chosenTab, from, to }).map((row) => row.event);
  if (events.length === 0) throw new HttpError(404, 'no events to export');
  const span = `${isoTime(events[0]?.ts)} to ${isoTime(events[events.length - 1]?.ts)}`;
  const flow = buildRecorderFlow(events, { title: `Workflow Capture: install ${installId}, tab ${chosenTab}, ${span}` });
  return { status: 200, json: flow };
};

export const getHealth: Handler = async (ctx) => {
  try {
    ctx.store.ping();
    return { status: 200, json: { ok: true, db: 'ok', version: COLLECTOR_VERSION } };
  } catch (err) {
    return { status: 503, json: { ok: false, db: 'error', detail: (err as Error).message, version: COLLECTOR_VERSION } };
  }
};

// Fault-injection endpoints (registered only with --enable-faults).

function injector(ctx: RouteContext): FaultInjector {
  if (!ctx.faults) throw new HttpError(404, 'not found');
  return ctx.faults;
}

export const postFaults: Handler = async (ctx) => {
  const faults = injector(ctx);
  const parsed = FaultScript.safeParse(await readJsonBody(ctx.req, ctx.limits.jsonBodyBytes));
  if (!parsed.success) throw schemaError('fault script', parsed.error);
  faults.replace(parsed.data.rules);
  return { status: 200, json: { ok: true, rules: parsed.data.rules.length } };
};

export const deleteFaults: Handler = async (ctx) => {
  injector(ctx).clear();
  return { status: 200, json: { ok: true } };
};

export const getFaults: Handler = async (ctx) => ({ status: 200, json: injector(ctx).snapshot() });

export const postReset: Handler = async (ctx) => {
  injector(ctx);
  ctx.store.reset();
  return { status: 200, json: { ok: true } };
};
