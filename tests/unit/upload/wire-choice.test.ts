import { describe, expect, it } from 'vitest';
import { WIRE_COMPACT_REFUSED_MS, WIRE_MEMORY_MAX_COLLECTORS } from '../../../lib/constants';
import { chooseWire, compactRefused, learnFromAnswer, parseWireHeader, refusesCompact, wireKnown, wireStatus } from '../../../lib/upload/wire-choice';

const URL_A = 'https://a.example.com';

describe('lib/upload/wire-choice', () => {
  it('is plain, and unknown, until the collector said something', () => {
    expect(wireKnown({}, URL_A)).toBe(false);
    expect(chooseWire({}, URL_A, 0)).toBe('plain');
    expect(wireStatus({}, URL_A, 0)).toBe('unknown');
    // A URL that is an Object.prototype key is just another unknown collector.
    expect(chooseWire({}, '__proto__', 0)).toBe('plain');
  });

  it('reads the header leniently, and only encodings this extension can write', () => {
    expect(parseWireHeader('compact-1')).toEqual(['compact-1']);
    expect(parseWireHeader(' Compact-1 , compact-2')).toEqual(['compact-1']);
    expect(parseWireHeader('compact-2')).toEqual([]);
    expect(parseWireHeader('')).toEqual([]);
    expect(parseWireHeader(null)).toEqual([]);
  });

  it('follows the latest answer', () => {
    let memory = learnFromAnswer({}, URL_A, 'compact-1', 1);
    expect(chooseWire(memory, URL_A, 2)).toBe('compact-1');
    memory = learnFromAnswer(memory, URL_A, null, 3);
    expect(chooseWire(memory, URL_A, 4)).toBe('plain');
    expect(wireStatus(memory, URL_A, 4)).toBe('plain');
  });

  it('stays plain for a while after the compact form was at fault, whatever the collector advertises', () => {
    let memory = compactRefused(learnFromAnswer({}, URL_A, 'compact-1', 0), URL_A, 10);
    memory = learnFromAnswer(memory, URL_A, 'compact-1', 20);
    expect(chooseWire(memory, URL_A, 10 + WIRE_COMPACT_REFUSED_MS - 1)).toBe('plain');
    expect(chooseWire(memory, URL_A, 10 + WIRE_COMPACT_REFUSED_MS)).toBe('compact-1');
  });

  it('treats 400, 415 and 422 as "cannot read this", nothing else', () => {
    expect([400, 415, 422].every(refusesCompact)).toBe(true);
    expect([undefined, 200, 401, 403, 413, 429, 500, 503].some(refusesCompact)).toBe(false);
  });

  it('remembers only the most recently heard collectors', () => {
    let memory = {};
    for (let i = 0; i < WIRE_MEMORY_MAX_COLLECTORS + 3; i++) memory = learnFromAnswer(memory, `https://c${i}.example.com`, 'compact-1', i);
    expect(Object.keys(memory)).toHaveLength(WIRE_MEMORY_MAX_COLLECTORS);
    expect(wireKnown(memory, 'https://c0.example.com')).toBe(false);
    expect(wireKnown(memory, `https://c${WIRE_MEMORY_MAX_COLLECTORS + 2}.example.com`)).toBe(true);
  });
});
