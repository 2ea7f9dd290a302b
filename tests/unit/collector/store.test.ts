import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../collector/store';
import { click, header } from './helpers';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('collector/store on disk', () => {
  it('creates its schema in WAL mode and keeps data across a reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'collector-store-'));
    dirs.push(dir);
    const path = join(dir, 'nested', 'collector.sqlite');
    const store = openStore(path);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const events = [click(1, 'A'), click(2, 'B')];
    const result = store.ingestBatch({
      header: header(events),
      events: events.map((event) => ({ event, json: JSON.stringify(event) })),
      bytesCompressed: 10,
      bytesRaw: 20,
      receivedAt: 1,
    });
    expect(result).toEqual({ duplicateBatch: false, optedOut: false, stored: 2, duplicates: 0, discarded: 0 });
    store.close();

    const reopened = openStore(path);
    expect(reopened.stats()).toMatchObject({ batches: 1, events: 2 });
    expect([...reopened.iterateEvents({})].map((row) => row.seq)).toEqual([1, 2]);
    reopened.close();
  });
});
