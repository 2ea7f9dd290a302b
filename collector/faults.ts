/**
 * Scripted failures for tests of the extension's uploader (only with --enable-faults). A script is a
 * queue of rules; each request to a rule's path consumes the first matching rule, which then answers
 * (status, Retry-After, garbage body), stalls, drops the connection, or lets the request succeed and
 * then answers 500 anyway, so retries and idempotency can be shown end to end.
 */
import { z } from 'zod';
import { FAULT_LOG_MAX_ENTRIES, MAX_FAULT_DELAY_MS, MAX_FAULT_RULES } from './constants';

export const FaultRule = z
  .object({
    /** Exact request path, e.g. "/v1/batches". */
    path: z.string().startsWith('/').max(200),
    /** Limit the rule to one method; any method when absent. */
    method: z.string().max(10).optional(),
    /** How many matching requests this rule answers before the next rule takes over. */
    times: z.number().int().positive().max(1_000_000).default(1),
    status: z.number().int().min(100).max(599).optional(),
    /** Sent verbatim as Retry-After: delta seconds ("5") or an HTTP date. */
    retryAfter: z.string().max(100).optional(),
    /** Sent verbatim as text/plain instead of the JSON error (for clients that must survive garbage). */
    body: z.string().max(1_000_000).optional(),
    delayMs: z.number().int().nonnegative().max(MAX_FAULT_DELAY_MS).optional(),
    /** Destroy the socket without answering (after the request is processed, with acceptThenFail). */
    drop: z.boolean().optional(),
    /** Process the request for real (a batch is stored), then answer `status` (default 500) or drop. */
    acceptThenFail: z.boolean().optional(),
  })
  .strict();

export const FaultScript = z.object({ rules: z.array(FaultRule).max(MAX_FAULT_RULES) }).strict();

export type FaultRule = z.infer<typeof FaultRule>;

export interface FaultLogEntry {
  time: number;
  method: string;
  path: string;
  /** 0 when the connection was dropped without an answer. */
  status: number;
  batchId?: string;
  /** For a batch whose header was read: its install, and how its lines were written. */
  installId?: string;
  encoding?: 'plain' | 'compact-1';
  /** What the injected rule did, when one applied. */
  fault?: 'status' | 'delay' | 'drop' | 'acceptThenFail';
}

/** What the server must do for one request. */
export interface FaultAction {
  delayMs: number;
  drop: boolean;
  acceptThenFail: boolean;
  /** Answer this instead of handling the request (or after handling it, with acceptThenFail). */
  reply?: { status: number; retryAfter?: string; body?: string };
  kind: NonNullable<FaultLogEntry['fault']>;
}

/** Status when a rule answers without naming one: 503 pairs with Retry-After, else a plain 500. */
function defaultStatus(rule: FaultRule): number {
  return rule.retryAfter !== undefined ? 503 : 500;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private readonly log: FaultLogEntry[] = [];

  replace(rules: FaultRule[]): void {
    this.rules = rules.map((rule) => ({ ...rule }));
  }

  clear(): void {
    this.rules = [];
  }

  /** Consumes one use of the first rule matching the request, if any. */
  take(method: string, path: string): FaultAction | undefined {
    const index = this.rules.findIndex(
      (rule) => rule.path === path && (rule.method === undefined || rule.method.toUpperCase() === method),
    );
    const rule = this.rules[index];
    if (rule === undefined) return undefined;
    rule.times -= 1;
    if (rule.times <= 0) this.rules.splice(index, 1);

    const answers = rule.status !== undefined || rule.body !== undefined || rule.retryAfter !== undefined;
    const reply =
      answers || rule.acceptThenFail
        ? {
            status: rule.status ?? defaultStatus(rule),
            ...(rule.retryAfter !== undefined ? { retryAfter: rule.retryAfter } : {}),
            ...(rule.body !== undefined ? { body: rule.body } : {}),
          }
        : undefined;
    const kind = rule.acceptThenFail ? 'acceptThenFail' : rule.drop ? 'drop' : reply ? 'status' : 'delay';
    return {
      delayMs: rule.delayMs ?? 0,
      drop: rule.drop ?? false,
      acceptThenFail: rule.acceptThenFail ?? false,
      ...(reply ? { reply } : {}),
      kind,
    };
  }

  record(entry: FaultLogEntry): void {
    this.log.push(entry);
    if (this.log.length > FAULT_LOG_MAX_ENTRIES) this.log.splice(0, this.log.length - FAULT_LOG_MAX_ENTRIES);
  }

  snapshot(): { rules: FaultRule[]; log: FaultLogEntry[] } {
    return { rules: this.rules.map((rule) => ({ ...rule })), log: [...this.log] };
  }
}
