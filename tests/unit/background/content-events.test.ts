import { describe, expect, it } from 'vitest';
import { parseContentEvents } from '../../../lib/background/content-events';

const key = (id: string) => ({
  v: 1, id, ts: 1, url: 'https://a.example/', type: 'key', key: 'Tab',
  modifiers: { alt: false, ctrl: false, meta: false, shift: false }, masked: false,
});

describe('lib/background/content-events', () => {
  it('takes a valid batch whole', () => {
    expect(parseContentEvents({ kind: 'events', events: [key('aaaaaaaaaa1'), key('aaaaaaaaaa2')] })).toMatchObject({ invalid: 0, events: [{ id: 'aaaaaaaaaa1' }, { id: 'aaaaaaaaaa2' }] });
  });

  it('keeps the valid events of a batch with a bad one, and counts the bad', () => {
    const parsed = parseContentEvents({ kind: 'events', events: [key('aaaaaaaaaa1'), { ...key('aaaaaaaaaa2'), type: 'telepathy' }, key('aaaaaaaaaa3')] });
    expect(parsed?.invalid).toBe(1);
    expect(parsed?.events.map((e) => e.id)).toEqual(['aaaaaaaaaa1', 'aaaaaaaaaa3']);
  });

  it('refuses what is not a batch of events at all', () => {
    expect(parseContentEvents({ kind: 'pause', minutes: 5 })).toBeUndefined();
    expect(parseContentEvents({ kind: 'events', events: [] })).toBeUndefined();
    expect(parseContentEvents({ kind: 'events', events: Array.from({ length: 1000 }, (_, i) => key(`aaaaaaaaaa${i}`)) })).toBeUndefined();
    expect(parseContentEvents('events')).toBeUndefined();
  });
});
