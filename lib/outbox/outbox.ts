/**
 * The IndexedDB outbox: every captured event is stored here, with its per-install `seq`, before anything
 * is uploaded, and leaves only after the collector acknowledged the batch that carried it.
 *
 * Seq assignment and storage happen in one readwrite transaction, so seqs are gap-free: a gap downstream
 * means loss, except where the buffer cap dropped events, which is counted and reported in the next
 * batch header.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { CaptureEvent, EventBody } from '../schema/event';
import { RECENT_IDS_TTL_MS } from '../constants';

export interface InflightBatch {
  batchId: string;
  firstSeq: number;
  lastSeq: number;
  dropped: number;
  /** Upper bound on events in the batch; a split halves it. */
  maxEvents: number;
}

interface Meta {
  nextSeq: number;
  /** Approximate bytes of the stored events (JSON length). */
  bytes: number;
  /**
   * Seqs that will never reach the collector and are not yet reported in a batch header: events dropped
   * by the cap or for a full disk, and events quarantined after the collector refused them.
   */
  dropped: number;
  /** Dropped by the cap or for a full disk, ever (quarantine is counted in `quarantined`). */
  droppedTotal: number;
  quarantined: number;
  inflight: InflightBatch | null;
}

interface StoredRow {
  seq: number;
  id: string;
  ts: number;
  type: string;
  size: number;
  event: CaptureEvent;
}

interface OutboxDB extends DBSchema {
  events: { key: number; value: StoredRow; indexes: { id: string; ts: number; type: string } };
  recentIds: { key: string; value: { id: string; ts: number }; indexes: { ts: number } };
  quarantine: { key: number; value: StoredRow & { status: number; reason: string } };
  meta: { key: string; value: Meta };
  /** Small background state that must survive restarts (upload status, counters). */
  kv: { key: string; value: unknown };
}

const DB_NAME = 'workflow-capture';
const META_KEY = 'outbox';
const META_DEFAULTS: Meta = { nextSeq: 1, bytes: 0, dropped: 0, droppedTotal: 0, quarantined: 0, inflight: null };

export interface AppendResult {
  stored: number;
  duplicates: number;
  /** Events lost because storage was full even after the drop policy made room (counted as dropped). */
  lost: number;
  firstSeq?: number;
  lastSeq?: number;
}

/**
 * Whether an IndexedDB failure means "no space": the origin's quota or the disk. Chromium reports it on
 * the request or, at commit, on the transaction; both carry the name.
 */
export function isQuotaError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const { name, message } = err as { name?: unknown; message?: unknown };
  if (name === 'QuotaExceededError') return true;
  return typeof message === 'string' && /quota|disk is full|no space/i.test(message);
}

export interface OutboxStats {
  pending: number;
  bytes: number;
  droppedTotal: number;
  quarantined: number;
  nextSeq: number;
}

export class Outbox {
  private constructor(private readonly db: IDBPDatabase<OutboxDB>) {}

  static async open(name = DB_NAME): Promise<Outbox> {
    const db = await openDB<OutboxDB>(name, 1, {
      upgrade(db) {
        const events = db.createObjectStore('events', { keyPath: 'seq' });
        events.createIndex('id', 'id', { unique: true });
        events.createIndex('ts', 'ts');
        events.createIndex('type', 'type');
        const recent = db.createObjectStore('recentIds', { keyPath: 'id' });
        recent.createIndex('ts', 'ts');
        db.createObjectStore('quarantine', { keyPath: 'seq' });
        db.createObjectStore('meta');
        db.createObjectStore('kv');
      },
    });
    return new Outbox(db);
  }

  close(): void {
    this.db.close();
  }

  private async meta(tx: { objectStore(n: 'meta'): { get(k: string): Promise<Meta | undefined> } }): Promise<Meta> {
    return { ...META_DEFAULTS, ...((await tx.objectStore('meta').get(META_KEY)) ?? {}) };
  }

  /**
   * Store events from one frame, assigning seqs. Events whose id was stored before (a content-script
   * retry after a lost reply) are skipped, so a retry can never store an event twice.
   *
   * When storage is full, the drop policy first makes room (pointer paths, then the oldest events, down
   * to half of what is stored) and the append is tried once more. If that fails too, the events are lost:
   * their seqs are used up and counted as dropped, so the hole the collector sees is explained by the next
   * batch header. Nothing throws into the caller for a full disk.
   */
  async append(bodies: EventBody[], tab: number, frame: number): Promise<AppendResult> {
    try {
      return await this.appendOnce(bodies, tab, frame);
    } catch (err) {
      if (!isQuotaError(err)) throw err;
    }
    const { bytes } = await this.stats();
    await this.enforceCap(Math.floor(bytes / 2));
    try {
      return await this.appendOnce(bodies, tab, frame);
    } catch (err) {
      if (!isQuotaError(err)) throw err;
    }
    return this.recordLost(bodies);
  }

  private async appendOnce(bodies: EventBody[], tab: number, frame: number): Promise<AppendResult> {
    const tx = this.db.transaction(['events', 'recentIds', 'meta'], 'readwrite', { durability: 'strict' });
    // A failed request aborts the transaction; its rejection is handled by whoever awaits it below
    // (here and in every write: `done` would otherwise reject unhandled when a request fails first).
    tx.done.catch(() => undefined);
    try {
      const meta = await this.meta(tx);
      const result: AppendResult = { stored: 0, duplicates: 0, lost: 0 };
      const seen = new Set<string>();
      for (const body of bodies) {
        if (seen.has(body.id) || (await tx.objectStore('recentIds').get(body.id))) {
          result.duplicates++;
          continue;
        }
        seen.add(body.id);
        const seq = meta.nextSeq++;
        const event = { ...body, seq, tab, frame } as CaptureEvent;
        const size = JSON.stringify(event).length;
        await tx.objectStore('events').put({ seq, id: body.id, ts: body.ts, type: body.type, size, event });
        await tx.objectStore('recentIds').put({ id: body.id, ts: Date.now() });
        meta.bytes += size;
        result.stored++;
        result.firstSeq ??= seq;
        result.lastSeq = seq;
      }
      await tx.objectStore('meta').put(meta, META_KEY);
      await tx.done;
      return result;
    } catch (err) {
      try {
        tx.abort();
      } catch {
        /* already finished or aborted */
      }
      throw err;
    }
  }

  /** Storage is full: use up seqs for the events that could not be stored and count them as dropped. */
  private async recordLost(bodies: EventBody[]): Promise<AppendResult> {
    const tx = this.db.transaction(['recentIds', 'meta'], 'readwrite', { durability: 'strict' });
    tx.done.catch(() => undefined);
    const meta = await this.meta(tx);
    const result: AppendResult = { stored: 0, duplicates: 0, lost: 0 };
    const seen = new Set<string>();
    for (const body of bodies) {
      if (seen.has(body.id) || (await tx.objectStore('recentIds').get(body.id))) result.duplicates++;
      else result.lost++;
      seen.add(body.id);
    }
    meta.nextSeq += result.lost;
    meta.dropped += result.lost;
    meta.droppedTotal += result.lost;
    await tx.objectStore('meta').put(meta, META_KEY);
    await tx.done;
    return result;
  }

  /**
   * Keep the outbox under `maxBytes`: drop pointer paths first (the least valuable signal), then the
   * oldest events. Never drops the batch in flight. Returns how many events were dropped.
   */
  async enforceCap(maxBytes: number): Promise<number> {
    const tx = this.db.transaction(['events', 'meta'], 'readwrite', { durability: 'strict' });
    tx.done.catch(() => undefined);
    const meta = await this.meta(tx);
    if (meta.bytes <= maxBytes) {
      await tx.done;
      return 0;
    }
    let dropped = 0;
    const inflightLast = meta.inflight?.lastSeq ?? 0;
    const drop = async (row: StoredRow) => {
      if (row.seq <= inflightLast) return;
      await tx.objectStore('events').delete(row.seq);
      meta.bytes -= row.size;
      dropped++;
    };
    let cursor = await tx.objectStore('events').index('type').openCursor('pointer');
    while (cursor && meta.bytes > maxBytes) {
      await drop(cursor.value);
      cursor = await cursor.continue();
    }
    let oldest = await tx.objectStore('events').openCursor();
    while (oldest && meta.bytes > maxBytes) {
      await drop(oldest.value);
      oldest = await oldest.continue();
    }
    meta.dropped += dropped;
    meta.droppedTotal += dropped;
    await tx.objectStore('meta').put(meta, META_KEY);
    await tx.done;
    return dropped;
  }

  /**
   * The batch to upload next: the one in flight if there is one (same id and range, so a retry is
   * idempotent at the collector), else a new one of at most `maxEvents` events and about `maxBytes`.
   */
  async nextBatch(
    maxEvents: number,
    maxBytes: number,
    newId: () => string,
  ): Promise<{ batch: InflightBatch; events: CaptureEvent[] } | null> {
    const tx = this.db.transaction(['events', 'meta'], 'readwrite', { durability: 'strict' });
    tx.done.catch(() => undefined);
    const meta = await this.meta(tx);
    const store = tx.objectStore('events');
    const events: CaptureEvent[] = [];
    if (meta.inflight) {
      const { firstSeq, lastSeq } = meta.inflight;
      for (const row of await store.getAll(IDBKeyRange.bound(firstSeq, lastSeq))) events.push(row.event);
      if (events.length > 0) {
        await tx.done;
        return { batch: meta.inflight, events };
      }
      meta.dropped += meta.inflight.dropped;
      meta.inflight = null;
    }
    let bytes = 0;
    let cursor = await store.openCursor();
    while (cursor && events.length < maxEvents && (events.length === 0 || bytes + cursor.value.size <= maxBytes)) {
      events.push(cursor.value.event);
      bytes += cursor.value.size;
      cursor = await cursor.continue();
    }
    if (events.length === 0) {
      await tx.objectStore('meta').put(meta, META_KEY);
      await tx.done;
      return null;
    }
    meta.inflight = {
      batchId: newId(),
      firstSeq: events[0]!.seq,
      lastSeq: events[events.length - 1]!.seq,
      dropped: meta.dropped,
      maxEvents,
    };
    meta.dropped = 0;
    await tx.objectStore('meta').put(meta, META_KEY);
    await tx.done;
    return { batch: meta.inflight, events };
  }

  /** The collector acknowledged the batch: its events leave the outbox. */
  async ack(batch: InflightBatch): Promise<void> {
    const tx = this.db.transaction(['events', 'recentIds', 'meta'], 'readwrite', { durability: 'strict' });
    tx.done.catch(() => undefined);
    const meta = await this.meta(tx);
    const range = IDBKeyRange.bound(batch.firstSeq, batch.lastSeq);
    for (const row of await tx.objectStore('events').getAll(range)) meta.bytes -= row.size;
    await tx.objectStore('events').delete(range);
    if (meta.inflight?.batchId === batch.batchId) meta.inflight = null;
    meta.bytes = Math.max(0, meta.bytes);
    // Remembered ids only need to outlive a content script's retries.
    const stale = IDBKeyRange.upperBound(Date.now() - RECENT_IDS_TTL_MS);
    let cursor = await tx.objectStore('recentIds').index('ts').openCursor(stale);
    while (cursor) {
      await cursor.delete();
      cursor = await cursor.continue();
    }
    await tx.objectStore('meta').put(meta, META_KEY);
    await tx.done;
  }

  /**
   * The collector refused the batch as malformed or too large. Split it in two (a new batch id for the
   * first half); a single event that is still refused goes to quarantine, counted (and reported as
   * dropped in the next header, since its seq will be missing downstream), so the queue moves on. Each
   * refusal either halves the batch or quarantines one event, so refusals can never loop.
   */
  async reject(batch: InflightBatch, status: number, reason: string, newId: () => string): Promise<'split' | 'quarantined'> {
    const tx = this.db.transaction(['events', 'quarantine', 'meta'], 'readwrite', { durability: 'strict' });
    tx.done.catch(() => undefined);
    const meta = await this.meta(tx);
    const rows = await tx.objectStore('events').getAll(IDBKeyRange.bound(batch.firstSeq, batch.lastSeq));
    let outcome: 'split' | 'quarantined';
    if (rows.length > 1) {
      const half = rows.slice(0, Math.ceil(rows.length / 2));
      meta.inflight = {
        batchId: newId(),
        firstSeq: half[0]!.seq,
        lastSeq: half[half.length - 1]!.seq,
        dropped: batch.dropped,
        maxEvents: half.length,
      };
      outcome = 'split';
    } else {
      for (const row of rows) {
        await tx.objectStore('quarantine').put({ ...row, status, reason: reason.slice(0, 300) });
        await tx.objectStore('events').delete(row.seq);
        meta.bytes -= row.size;
        meta.quarantined++;
        // The collector will never hold it: its seq is a hole, explained by the next header's `dropped`.
        meta.dropped++;
      }
      meta.bytes = Math.max(0, meta.bytes);
      // The dropped count still has to reach the collector with the next batch.
      meta.dropped += batch.dropped;
      meta.inflight = null;
      outcome = 'quarantined';
    }
    await tx.objectStore('meta').put(meta, META_KEY);
    await tx.done;
    return outcome;
  }

  async getKv<T>(key: string): Promise<T | undefined> {
    return (await this.db.get('kv', key)) as T | undefined;
  }

  async setKv(key: string, value: unknown): Promise<void> {
    const tx = this.db.transaction('kv', 'readwrite', { durability: 'strict' });
    tx.done.catch(() => undefined);
    await tx.store.put(value, key);
    await tx.done;
  }

  async stats(): Promise<OutboxStats> {
    const tx = this.db.transaction(['events', 'meta'], 'readonly');
    const meta = await this.meta(tx);
    const pending = await tx.objectStore('events').count();
    await tx.done;
    return { pending, bytes: meta.bytes, droppedTotal: meta.droppedTotal, quarantined: meta.quarantined, nextSeq: meta.nextSeq };
  }

  /** Most recent pending events first, for the "your data" view. */
  async recent(limit: number): Promise<CaptureEvent[]> {
    const out: CaptureEvent[] = [];
    let cursor = await this.db.transaction('events').store.openCursor(null, 'prev');
    while (cursor && out.length < limit) {
      out.push(cursor.value.event);
      cursor = await cursor.continue();
    }
    return out;
  }

  /**
   * Delete pending events (all, or those captured at or after `sinceTs`). The seqs they held become a
   * gap the collector reports; the deletion itself is recorded by the caller as a capture event.
   */
  async deletePending(sinceTs = 0): Promise<number> {
    const tx = this.db.transaction(['events', 'meta'], 'readwrite', { durability: 'strict' });
    tx.done.catch(() => undefined);
    const meta = await this.meta(tx);
    let deleted = 0;
    let cursor = await tx.objectStore('events').index('ts').openCursor(IDBKeyRange.lowerBound(sinceTs));
    while (cursor) {
      meta.bytes -= cursor.value.size;
      await cursor.delete();
      deleted++;
      cursor = await cursor.continue();
    }
    meta.bytes = Math.max(0, meta.bytes);
    // The batch in flight may have lost events: start a new one with a new id.
    meta.dropped += meta.inflight?.dropped ?? 0;
    meta.inflight = null;
    await tx.objectStore('meta').put(meta, META_KEY);
    await tx.done;
    return deleted;
  }
}
