import { describe, expect, it, vi } from 'vitest';
import { EventBody } from '../../../lib/schema/event';
import { FrameNonce } from '../../../lib/schema/frame-level';

async function freshIds() {
  vi.resetModules();
  return import('../../../lib/capture/ids');
}

describe('lib/capture/ids', () => {
  it('makes ids of a per-copy random prefix and a counter from 1, valid event ids', async () => {
    const { newEventId } = await freshIds();
    const ids = [newEventId(), newEventId(), newEventId()];
    const [prefix] = ids[0]!.split('.');
    expect(prefix).toMatch(/^[0-9a-f]{32}$/);
    expect(ids).toEqual([`${prefix}.1`, `${prefix}.2`, `${prefix}.3`]);
    for (const id of ids) {
      expect(EventBody.safeParse({ v: 1, id, ts: 1, url: '', type: 'visibility', state: 'hidden' }).success).toBe(true);
    }
  });

  it('gives another copy of the content script (another document) another prefix', async () => {
    const a = (await freshIds()).newEventId();
    const b = (await freshIds()).newEventId();
    expect(a.endsWith('.1') && b.endsWith('.1')).toBe(true);
    expect(a).not.toBe(b);
  });

  it('keeps frame nonces unguessable: 128 random bits, never a counter', async () => {
    const { randomHex128, newEventId } = await freshIds();
    newEventId();
    const nonces = new Set(Array.from({ length: 100 }, randomHex128));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(FrameNonce.safeParse(nonce).success).toBe(true);
  });
});
