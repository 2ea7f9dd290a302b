/** The upload protocol's batch: one header line, then one stored event a line (gzip NDJSON). */
import { z } from 'zod';
import { CaptureEvent } from './event';
import { WIRE_ENCODINGS } from './wire';

export const BatchHeader = z.object({
  batchId: z.string().min(8).max(64),
  installId: z.string().min(8).max(64),
  extVersion: z.string().max(32),
  schema: z.literal(1),
  firstSeq: z.number().int().nonnegative(),
  lastSeq: z.number().int().nonnegative(),
  /** Events dropped by the buffer cap since the previous batch. */
  dropped: z.number().int().nonnegative(),
  /**
   * How the lines after the header are written (lib/schema/wire.ts, docs/wire.md). Absent: plain, one
   * schema-v1 event a line. Sent only to a collector that advertised the encoding.
   */
  encoding: z.enum(WIRE_ENCODINGS).optional(),
});

export const OptOutRequest = z.object({
  installId: z.string().min(8).max(64),
  ts: z.number().int(),
  /** true: the employee opted out; false: they opted back in. */
  optedOut: z.boolean(),
});

export const DeletionRequest = z.object({
  installId: z.string().min(8).max(64),
  from: z.number().int(),
  to: z.number().int(),
  requestedAt: z.number().int(),
});

export type BatchHeader = z.infer<typeof BatchHeader>;
export type OptOutRequest = z.infer<typeof OptOutRequest>;
export type DeletionRequest = z.infer<typeof DeletionRequest>;
export { CaptureEvent };
