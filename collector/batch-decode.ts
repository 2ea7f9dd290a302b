/**
 * Turns a decoded batch body (NDJSON: header line, then one event a line) into validated records,
 * or a precise rejection naming the first bad line. Validation uses the extension's own schemas, so
 * the collector can never drift from what the extension sends.
 *
 * A compact batch (header `encoding: "compact-1"`, lib/schema/wire.ts) is expanded line by line first;
 * the expanded events then go through exactly the same checks, and each is stored as its plain line.
 */
import type { z } from 'zod';
import { BatchHeader, CaptureEvent } from '../lib/schema/batch';
import { COMPACT_1, CompactDictionary, CompactExpander, WIRE_ENCODINGS, WireFormatError } from '../lib/schema/wire';
import { MAX_REPORTED_ISSUES } from './constants';
import { HttpError } from './http';

export interface DecodedEvent {
  event: CaptureEvent;
  /**
   * The event's line: exactly as received for a plain batch (stored verbatim so fields added by newer
   * extensions survive), the expanded plain line for a compact one.
   */
  json: string;
  line: number;
}

export interface DecodedBatch {
  header: BatchHeader;
  events: DecodedEvent[];
}

export interface DecodeOptions {
  /**
   * Largest total of the expanded event lines of a compact batch (a line naming a large dictionary
   * target many times must not make the collector build gigabytes). Plain batches are bounded by their
   * inflated size already.
   */
  maxExpandedBytes?: number;
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

/**
 * 400 when a line is not JSON, 415 when the header declares an encoding this collector does not know,
 * 422 when a line is JSON of the wrong shape (or a compact line cannot be expanded) or the batch is
 * inconsistent, 413 when a compact batch expands beyond `maxExpandedBytes`.
 */
export function decodeBatch(text: string, idempotencyKey: string | undefined, options: DecodeOptions = {}): DecodedBatch {
  const lines = text.split('\n');
  let header: BatchHeader | undefined;
  /** Set once the dictionary line of a compact batch has been read. */
  let expander: CompactExpander | undefined;
  let expandedBytes = 0;
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
      checkEncoding(value, line);
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
    if (header.encoding === COMPACT_1 && expander === undefined) {
      const dictionary = CompactDictionary.safeParse(value);
      if (!dictionary.success) {
        throw new HttpError(422, `compact batch: the dictionary (line ${line}) does not match the schema`, {
          line,
          issues: reportIssues(dictionary.error),
        });
      }
      expander = new CompactExpander(dictionary.data, header.firstSeq);
      continue;
    }
    if (expander) value = expandLine(expander, value, line);
    const parsed = CaptureEvent.safeParse(value);
    if (!parsed.success) {
      throw new HttpError(422, `event on line ${line} does not match the schema`, {
        line,
        issues: reportIssues(parsed.error),
      });
    }
    if (!expander) {
      events.push({ event: parsed.data, json, line });
      continue;
    }
    const expanded = JSON.stringify(value);
    expandedBytes += expanded.length;
    if (options.maxExpandedBytes !== undefined && expandedBytes > options.maxExpandedBytes) {
      throw new HttpError(413, `compact batch expands beyond ${options.maxExpandedBytes} bytes`, {
        line,
        limitBytes: options.maxExpandedBytes,
      });
    }
    events.push({ event: parsed.data, json: expanded, line });
  }

  if (header === undefined) throw new HttpError(400, 'empty batch: expected a header line', { line: 1, issues: [] });
  if (header.encoding === COMPACT_1 && expander === undefined) {
    throw inconsistent('compact batch has no dictionary line', 1, 'encoding');
  }
  checkConsistency(header, events, idempotencyKey);
  return { header, events };
}

/**
 * An encoding this collector does not know is a 415, not a 422: a client that sent it because it took
 * the collector for another one can tell, and send plain NDJSON instead.
 */
function checkEncoding(value: unknown, line: number): void {
  if (typeof value !== 'object' || value === null || !('encoding' in value)) return;
  const { encoding } = value as { encoding: unknown };
  if ((WIRE_ENCODINGS as readonly unknown[]).includes(encoding)) return;
  throw new HttpError(415, `unsupported batch encoding ${JSON.stringify(encoding)}: send plain NDJSON (no "encoding")`, {
    line,
    issues: [{ path: 'encoding', code: 'unsupported_encoding', message: `supported: ${WIRE_ENCODINGS.join(', ')}` }],
  });
}

function expandLine(expander: CompactExpander, value: unknown, line: number): unknown {
  try {
    return expander.expand(value, line);
  } catch (err) {
    if (!(err instanceof WireFormatError)) throw err;
    throw new HttpError(422, `compact line ${line} cannot be expanded: ${err.message}`, {
      line,
      issues: [{ path: err.path, code: 'invalid_compact_line', message: err.message }],
    });
  }
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
