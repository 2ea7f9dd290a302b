/**
 * Turns a decoded batch body (NDJSON: header line, then one event a line) into validated records,
 * or a precise rejection naming the first bad line. Validation uses the extension's own schemas, so
 * the collector can never drift from what the extension sends.
 */
import type { z } from 'zod';
import { BatchHeader, CaptureEvent } from '../lib/schema/batch';
import { MAX_REPORTED_ISSUES } from './constants';
import { HttpError } from './http';

export interface DecodedEvent {
  event: CaptureEvent;
  /** The line exactly as received: stored verbatim so fields added by newer extensions survive. */
  json: string;
  line: number;
}

export interface DecodedBatch {
  header: BatchHeader;
  events: DecodedEvent[];
}

export interface ReportedIssue {
  path: string;
  code: string;
  message: string;
}

export function reportIssues(error: z.ZodError): ReportedIssue[] {
  return error.issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => ({
    path: issue.path.map(String).join('.'),
    code: issue.code,
    message: issue.message,
  }));
}

/** 400 when a line is not JSON, 422 when it is JSON of the wrong shape or the batch is inconsistent. */
export function decodeBatch(text: string, idempotencyKey: string | undefined): DecodedBatch {
  const lines = text.split('\n');
  let header: BatchHeader | undefined;
  const events: DecodedEvent[] = [];

  for (const [index, rawLine] of lines.entries()) {
    const line = index + 1;
    const json = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (json.trim() === '') continue; // a trailing newline (or a blank line) carries nothing
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (err) {
      throw new HttpError(400, `line ${line} is not valid JSON`, {
        line,
        issues: [{ path: '', code: 'invalid_json', message: (err as Error).message }],
      });
    }
    if (header === undefined) {
      const parsed = BatchHeader.safeParse(value);
      if (!parsed.success) {
        throw new HttpError(422, 'batch header (line 1) does not match the schema', {
          line,
          issues: reportIssues(parsed.error),
        });
      }
      header = parsed.data;
      continue;
    }
    const parsed = CaptureEvent.safeParse(value);
    if (!parsed.success) {
      throw new HttpError(422, `event on line ${line} does not match the schema`, {
        line,
        issues: reportIssues(parsed.error),
      });
    }
    events.push({ event: parsed.data, json, line });
  }

  if (header === undefined) throw new HttpError(400, 'empty batch: expected a header line', { line: 1, issues: [] });
  checkConsistency(header, events, idempotencyKey);
  return { header, events };
}

function inconsistent(message: string, line: number, path: string): HttpError {
  return new HttpError(422, message, { line, issues: [{ path, code: 'inconsistent_batch', message }] });
}

function checkConsistency(header: BatchHeader, events: DecodedEvent[], idempotencyKey: string | undefined): void {
  if (idempotencyKey !== undefined && idempotencyKey !== header.batchId) {
    throw inconsistent(`Idempotency-Key "${idempotencyKey}" does not match batchId "${header.batchId}"`, 1, 'batchId');
  }
  const first = events[0];
  const last = events[events.length - 1];
  if (first === undefined || last === undefined) {
    throw inconsistent('batch has a header but no events', 1, 'firstSeq');
  }
  if (first.event.seq !== header.firstSeq) {
    throw inconsistent(`firstSeq ${header.firstSeq} but the first event has seq ${first.event.seq}`, first.line, 'seq');
  }
  // Seqs must rise; holes are allowed (the buffer cap may have dropped events, counted in `dropped`).
  for (let i = 1; i < events.length; i++) {
    const prev = events[i - 1];
    const cur = events[i];
    if (prev && cur && cur.event.seq <= prev.event.seq) {
      throw inconsistent(`seq ${cur.event.seq} does not follow seq ${prev.event.seq}`, cur.line, 'seq');
    }
  }
  if (last.event.seq !== header.lastSeq) {
    throw inconsistent(`lastSeq ${header.lastSeq} but the last event has seq ${last.event.seq}`, last.line, 'seq');
  }
}
