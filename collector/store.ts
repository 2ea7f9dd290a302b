/**
 * The collector's SQLite store (better-sqlite3, WAL). Every write that must be all-or-nothing (a
 * batch, an opt-out, a deletion) runs in one transaction, and better-sqlite3 being synchronous means
 * two requests can never interleave inside one: dedupe by batch id and event id is exact.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { BatchHeader, DeletionRequest, OptOutRequest } from '../lib/schema/batch';
import type { CaptureEvent } from '../lib/schema/event';
import { MAX_REPORTED_MISSING_SEQS } from './constants';

export const STORE_SCHEMA_VERSION = 1;

/** Rows fetched per page when streaming events, so no SQLite cursor stays open across an await. */
const EVENTS_PAGE_ROWS = 1_000;

const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS events (
  install_id TEXT NOT NULL,
  id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  type TEXT NOT NULL,
  url TEXT NOT NULL,
  tab INTEGER NOT NULL,
  batch_id TEXT NOT NULL,
  json TEXT NOT NULL,
  PRIMARY KEY (install_id, id)
);
CREATE INDEX IF NOT EXISTS events_by_install_seq ON events (install_id, seq);
CREATE INDEX IF NOT EXISTS events_by_install_ts ON events (install_id, ts);
CREATE INDEX IF NOT EXISTS events_by_ts ON events (ts);

CREATE TABLE IF NOT EXISTS batches (
  batch_id TEXT PRIMARY KEY,
  install_id TEXT NOT NULL,
  ext_version TEXT NOT NULL,
  first_seq INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  dropped INTEGER NOT NULL,
  count INTEGER NOT NULL,
  stored INTEGER NOT NULL,
  duplicates INTEGER NOT NULL,
  discarded INTEGER NOT NULL,
  bytes_compressed INTEGER NOT NULL,
  bytes_raw INTEGER NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS batches_by_install ON batches (install_id);

-- ts: the latest request applied (last writer wins by the client's clock).
-- last_opt_out_ts: the latest opt-out ever seen; events up to it are never stored again.
CREATE TABLE IF NOT EXISTS opt_outs (
  install_id TEXT PRIMARY KEY,
  opted_out INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  last_opt_out_ts INTEGER,
  updated_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS deletions (
  id INTEGER PRIMARY KEY,
  install_id TEXT NOT NULL,
  from_ts INTEGER NOT NULL,
  to_ts INTEGER NOT NULL,
  requested_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  deleted INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS deletions_by_install ON deletions (install_id);

-- install_id is '' when a rejected batch was too broken to name its install.
CREATE TABLE IF NOT EXISTS counters (
  install_id TEXT NOT NULL,
  name TEXT NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (install_id, name)
);
`;

export const COUNTER_NAMES = [
  'duplicateBatches',
  'duplicateEvents',
  'rejectedBatches',
  'discardedOptedOut',
  'discardedDeleted',
  'strippedMaskedValues',
] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];

export interface IngestInput {
  header: BatchHeader;
  events: ReadonlyArray<{ event: CaptureEvent; json: string }>;
  bytesCompressed: number;
  bytesRaw: number;
  receivedAt: number;
  /** Events whose masked secrets the server removed before storing. */
  strippedMaskedValues?: number;
}

export interface IngestResult {
  duplicateBatch: boolean;
  /** The install is opted out: nothing was stored, not even the batch row. */
  optedOut: boolean;
  stored: number;
  duplicates: number;
  /** Events dropped because they fall before an opt-out or inside a deleted range. */
  discarded: number;
}

export interface EventFilter {
  installId?: string;
  from?: number;
  to?: number;
  type?: string;
  tab?: number;
  limit?: number;
}

export interface EventRow {
  installId: string;
  seq: number;
  json: string;
}

export interface InstallStats {
  installId: string;
  events: number;
  batches: number;
  minSeq: number | null;
  maxSeq: number | null;
  /** Seq values missing between minSeq and maxSeq: lost batches, buffer drops or deletions. */
  seqGaps: number;
  missingSeqs: number[];
  /** Deletion requests applied; each can explain a run of missing seqs. */
  deletedRanges: number;
  /** Sum of the headers' `dropped`: events the extension's buffer cap threw away. */
  dropped: number;
  lastBatchAt: number | null;
  optedOut: boolean;
}

export type Stats = { batches: number; events: number } & Record<CounterName, number> & { installs: InstallStats[] };

export interface OptOutResult {
  deleted: number;
  /** False when a newer request for the install was already applied (the state did not change). */
  applied: boolean;
  optedOut: boolean;
}

interface OptOutRow {
  opted_out: number;
  ts: number;
  last_opt_out_ts: number | null;
}

export class Store {
  readonly db: Database.Database;

  constructor(readonly path: string) {
    if (path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    // WAL lets the read endpoints run while a batch is being written; NORMAL is durable enough in WAL.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA_SQL);
    this.db.pragma(`user_version = ${STORE_SCHEMA_VERSION}`);
  }

  private bump(installId: string, name: CounterName, by = 1): void {
    if (by === 0) return;
    this.db
      .prepare(
        `INSERT INTO counters (install_id, name, value) VALUES (?, ?, ?)
         ON CONFLICT (install_id, name) DO UPDATE SET value = value + excluded.value`,
      )
      .run(installId, name, by);
  }

  private optOutRow(installId: string): OptOutRow | undefined {
    return this.db
      .prepare('SELECT opted_out, ts, last_opt_out_ts FROM opt_outs WHERE install_id = ?')
      .get(installId) as OptOutRow | undefined;
  }

  ingestBatch(input: IngestInput): IngestResult {
    const { header } = input;
    const run = this.db.transaction((): IngestResult => {
      const known = this.db.prepare('SELECT 1 FROM batches WHERE batch_id = ?').get(header.batchId);
      if (known) {
        this.bump(header.installId, 'duplicateBatches');
        return { duplicateBatch: true, optedOut: false, stored: 0, duplicates: 0, discarded: 0 };
      }
      const privacy = this.optOutRow(header.installId);
      if (privacy?.opted_out) {
        this.bump(header.installId, 'discardedOptedOut', input.events.length);
        return { duplicateBatch: false, optedOut: true, stored: 0, duplicates: 0, discarded: input.events.length };
      }
      const deleted = this.db
        .prepare('SELECT from_ts AS "from", to_ts AS "to" FROM deletions WHERE install_id = ?')
        .all(header.installId) as Array<{ from: number; to: number }>;
      const insert = this.db.prepare(
        `INSERT OR IGNORE INTO events (install_id, id, seq, ts, type, url, tab, batch_id, json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      let stored = 0;
      let duplicates = 0;
      let discardedOptedOut = 0;
      let discardedDeleted = 0;
      for (const { event, json } of input.events) {
        // A retried batch can carry events from before an opt-out or inside a deleted range: the
        // employee asked for those to be gone, so they are not stored again.
        if (privacy?.last_opt_out_ts != null && event.ts <= privacy.last_opt_out_ts) {
          discardedOptedOut++;
          continue;
        }
        if (deleted.some((range) => event.ts >= range.from && event.ts <= range.to)) {
          discardedDeleted++;
          continue;
        }
        const { changes } = insert.run(
          header.installId,
          event.id,
          event.seq,
          event.ts,
          event.type,
          event.url,
          event.tab,
          header.batchId,
          json,
        );
        if (changes > 0) stored++;
        else duplicates++;
      }
      const discarded = discardedOptedOut + discardedDeleted;
      this.db
        .prepare(
          `INSERT INTO batches (batch_id, install_id, ext_version, first_seq, last_seq, dropped, count, stored,
             duplicates, discarded, bytes_compressed, bytes_raw, received_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          header.batchId,
          header.installId,
          header.extVersion,
          header.firstSeq,
          header.lastSeq,
          header.dropped,
          input.events.length,
          stored,
          duplicates,
          discarded,
          input.bytesCompressed,
          input.bytesRaw,
          input.receivedAt,
        );
      this.bump(header.installId, 'duplicateEvents', duplicates);
      this.bump(header.installId, 'discardedOptedOut', discardedOptedOut);
      this.bump(header.installId, 'discardedDeleted', discardedDeleted);
      this.bump(header.installId, 'strippedMaskedValues', input.strippedMaskedValues ?? 0);
      return { duplicateBatch: false, optedOut: false, stored, duplicates, discarded };
    });
    return run.immediate();
  }

  recordRejectedBatch(installId: string | undefined): void {
    this.bump(installId ?? '', 'rejectedBatches');
  }

  /**
   * Applies an opt-out or opt-in, last writer wins by the client's `ts`. An opt-out always deletes:
   * everything when it is the newest request, or (arriving late, after a newer opt-in) the events
   * up to its own ts.
   */
  optOut(request: OptOutRequest, receivedAt: number): OptOutResult {
    const run = this.db.transaction((): OptOutResult => {
      const { installId } = request;
      const row = this.optOutRow(installId);
      const applied = row === undefined || request.ts >= row.ts;
      const optedOut = applied ? request.optedOut : row.opted_out === 1;
      let deleted = 0;
      if (request.optedOut) {
        if (applied) {
          deleted = this.db.prepare('DELETE FROM events WHERE install_id = ?').run(installId).changes;
          this.db.prepare('DELETE FROM batches WHERE install_id = ?').run(installId);
          this.db.prepare('DELETE FROM deletions WHERE install_id = ?').run(installId);
        } else {
          deleted = this.db
            .prepare('DELETE FROM events WHERE install_id = ? AND ts <= ?')
            .run(installId, request.ts).changes;
        }
      }
      const lastOptOutTs = request.optedOut
        ? Math.max(row?.last_opt_out_ts ?? request.ts, request.ts)
        : (row?.last_opt_out_ts ?? null);
      this.db
        .prepare(
          `INSERT INTO opt_outs (install_id, opted_out, ts, last_opt_out_ts, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (install_id) DO UPDATE SET opted_out = excluded.opted_out, ts = excluded.ts,
             last_opt_out_ts = excluded.last_opt_out_ts, updated_at = excluded.updated_at`,
        )
        .run(installId, optedOut ? 1 : 0, applied ? request.ts : (row?.ts ?? request.ts), lastOptOutTs, receivedAt);
      return { deleted, applied, optedOut };
    });
    return run.immediate();
  }

  /** Deletes the install's events with ts in [from, to] and remembers the range (see ingestBatch). */
  deleteRange(request: DeletionRequest, receivedAt: number): number {
    const run = this.db.transaction((): number => {
      const { changes } = this.db
        .prepare('DELETE FROM events WHERE install_id = ? AND ts BETWEEN ? AND ?')
        .run(request.installId, request.from, request.to);
      this.db
        .prepare(
          `INSERT INTO deletions (install_id, from_ts, to_ts, requested_at, received_at, deleted)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(request.installId, request.from, request.to, request.requestedAt, receivedAt, changes);
      return changes;
    });
    return run.immediate();
  }

  /**
   * Stored events ordered by install and seq, fetched a page at a time (keyset pagination) so the
   * caller may await between pages without holding the connection busy.
   */
  *iterateEvents(filter: EventFilter): Generator<EventRow> {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (filter.installId !== undefined) {
      where.push('install_id = ?');
      params.push(filter.installId);
    }
    if (filter.from !== undefined) {
      where.push('ts >= ?');
      params.push(filter.from);
    }
    if (filter.to !== undefined) {
      where.push('ts <= ?');
      params.push(filter.to);
    }
    if (filter.type !== undefined) {
      where.push('type = ?');
      params.push(filter.type);
    }
    if (filter.tab !== undefined) {
      where.push('tab = ?');
      params.push(filter.tab);
    }
    let remaining = filter.limit ?? Number.MAX_SAFE_INTEGER;
    let after: EventRow & { id: string } | undefined;
    while (remaining > 0) {
      const pageWhere = [...where];
      const pageParams = [...params];
      if (after) {
        pageWhere.push('(install_id, seq, id) > (?, ?, ?)');
        pageParams.push(after.installId, after.seq, after.id);
      }
      const pageSize = Math.min(EVENTS_PAGE_ROWS, remaining);
      const sql = `SELECT install_id AS installId, seq, id, json FROM events
        ${pageWhere.length ? `WHERE ${pageWhere.join(' AND ')}` : ''}
        ORDER BY install_id, seq, id LIMIT ?`;
      const page = this.db.prepare(sql).all(...pageParams, pageSize) as Array<EventRow & { id: string }>;
      for (const row of page) yield { installId: row.installId, seq: row.seq, json: row.json };
      if (page.length < pageSize) return;
      after = page[page.length - 1];
      remaining -= page.length;
    }
  }

  /** Parsed events for the exports (the JSON was validated on the way in). */
  events(filter: EventFilter): Array<{ installId: string; event: CaptureEvent }> {
    return Array.from(this.iterateEvents(filter), (row) => ({
      installId: row.installId,
      event: JSON.parse(row.json) as CaptureEvent,
    }));
  }

  installWithMostEvents(): string | undefined {
    const row = this.db
      .prepare('SELECT install_id AS installId FROM events GROUP BY install_id ORDER BY COUNT(*) DESC, install_id LIMIT 1')
      .get() as { installId: string } | undefined;
    return row?.installId;
  }

  /** Background-recorded events carry tab -1; they never make a replayable tab. */
  tabWithMostEvents(installId: string, from?: number, to?: number): number | undefined {
    const row = this.db
      .prepare(
        `SELECT tab FROM events WHERE install_id = ? AND tab >= 0 AND ts >= ? AND ts <= ?
         GROUP BY tab ORDER BY COUNT(*) DESC, MIN(seq) LIMIT 1`,
      )
      .get(installId, from ?? Number.MIN_SAFE_INTEGER, to ?? Number.MAX_SAFE_INTEGER) as { tab: number } | undefined;
    return row?.tab;
  }

  stats(installId?: string): Stats {
    const only = installId === undefined ? '' : 'WHERE install_id = ?';
    const args = installId === undefined ? [] : [installId];
    const totals = {
      batches: (this.db.prepare(`SELECT COUNT(*) AS n FROM batches ${only}`).get(...args) as { n: number }).n,
      events: (this.db.prepare(`SELECT COUNT(*) AS n FROM events ${only}`).get(...args) as { n: number }).n,
    };
    const counters = Object.fromEntries(COUNTER_NAMES.map((name) => [name, 0])) as Record<CounterName, number>;
    const counterRows = this.db
      .prepare(`SELECT name, SUM(value) AS value FROM counters ${only} GROUP BY name`)
      .all(...args) as Array<{ name: CounterName; value: number }>;
    for (const row of counterRows) if (row.name in counters) counters[row.name] = row.value;

    const installIds = (
      this.db
        .prepare(
          `SELECT install_id AS installId FROM (
             SELECT install_id FROM events UNION SELECT install_id FROM batches
             UNION SELECT install_id FROM opt_outs UNION SELECT install_id FROM deletions)
           ${only} ORDER BY install_id`,
        )
        .all(...args) as Array<{ installId: string }>
    ).map((row) => row.installId);

    return { ...totals, ...counters, installs: installIds.map((id) => this.installStats(id)) };
  }

  private installStats(installId: string): InstallStats {
    const events = this.db
      .prepare(
        `SELECT COUNT(*) AS events, MIN(seq) AS minSeq, MAX(seq) AS maxSeq, COUNT(DISTINCT seq) AS distinctSeqs
         FROM events WHERE install_id = ?`,
      )
      .get(installId) as { events: number; minSeq: number | null; maxSeq: number | null; distinctSeqs: number };
    const batches = this.db
      .prepare(
        `SELECT COUNT(*) AS batches, COALESCE(SUM(dropped), 0) AS dropped, MAX(received_at) AS lastBatchAt
         FROM batches WHERE install_id = ?`,
      )
      .get(installId) as { batches: number; dropped: number; lastBatchAt: number | null };
    const deletedRanges = (
      this.db.prepare('SELECT COUNT(*) AS n FROM deletions WHERE install_id = ?').get(installId) as { n: number }
    ).n;
    const seqGaps =
      events.minSeq === null || events.maxSeq === null ? 0 : events.maxSeq - events.minSeq + 1 - events.distinctSeqs;
    return {
      installId,
      events: events.events,
      batches: batches.batches,
      minSeq: events.minSeq,
      maxSeq: events.maxSeq,
      seqGaps,
      missingSeqs: seqGaps > 0 ? this.missingSeqs(installId) : [],
      deletedRanges,
      dropped: batches.dropped,
      lastBatchAt: batches.lastBatchAt,
      optedOut: this.optOutRow(installId)?.opted_out === 1,
    };
  }

  /** The first missing seq values, from the holes between consecutive stored seqs. */
  private missingSeqs(installId: string): number[] {
    const holes = this.db
      .prepare(
        `SELECT prev, seq FROM (
           SELECT seq, LAG(seq) OVER (ORDER BY seq) AS prev FROM (SELECT DISTINCT seq FROM events WHERE install_id = ?)
         ) WHERE seq - prev > 1 ORDER BY seq LIMIT ?`,
      )
      .all(installId, MAX_REPORTED_MISSING_SEQS) as Array<{ prev: number; seq: number }>;
    const missing: number[] = [];
    for (const hole of holes) {
      for (let seq = hole.prev + 1; seq < hole.seq && missing.length < MAX_REPORTED_MISSING_SEQS; seq++) missing.push(seq);
    }
    return missing;
  }

  /** Liveness check for /healthz. */
  ping(): boolean {
    return (this.db.prepare('SELECT 1 AS ok').get() as { ok: number }).ok === 1;
  }

  /** Wipes everything (fault-injection mode's POST /__reset). */
  reset(): void {
    this.db.exec(
      'DELETE FROM events; DELETE FROM batches; DELETE FROM opt_outs; DELETE FROM deletions; DELETE FROM counters;',
    );
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export function openStore(path: string): Store {
  return new Store(path);
}
