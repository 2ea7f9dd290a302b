/**
 * The compact wire form round trip: whatever the extension stores, encode then expand gives back each
 * event byte for byte as its plain line (same id, seq, ts, every field, key order included). Seeded
 * random batches cover every event type, masked targets, frames, menu paths and pointer paths, ids of
 * every shape, and layouts the compact form cannot carry (sent verbatim).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { BatchHeader } from '../../../lib/schema/batch';
import { CaptureEvent, EventBody, type Target } from '../../../lib/schema/event';
import { COMPACT_1, expandCompactNdjson, WireFormatError } from '../../../lib/schema/wire';
import { gzip, toCompactNdjson, toNdjson } from '../../../lib/upload/encode';
import { newEventId } from '../../../lib/capture/ids';

/** mulberry32: a small seeded generator, so a failing case can be replayed from its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T,>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
type Rng = ReturnType<typeof rng>;

const WORDS = ['Save', 'File', 'Export', 'PDF', 'Name', 'Full name', 'Ünïcødé ✓', 'quote "q"', 'back\\slash', 'new\nline', '', '[text]', '•'];
const TYPES = EventBody.options.map((o) => o.shape.type.value);

function target(r: Rng, masked = r.chance(0.2)): Target {
  const name = r.pick(WORDS);
  const role = r.pick(['button', 'textbox', 'menuitem', 'link', 'checkbox']);
  const id = r.pick(['save', 'mb-file', 'x_1', 'a.b', 'with space']);
  const selectors: string[][] = [];
  if (!masked && r.chance(0.8)) selectors.push([`aria/${name}[role="${role}"]`]);
  if (r.chance(0.8)) selectors.push([`#${id}`]);
  if (r.chance(0.3)) selectors.push(['my-host', 'button.inner']);
  if (r.chance(0.7)) selectors.push([`xpath///*[@id="${id}"]`]);
  if (!masked && r.chance(0.5)) selectors.push([`text/${name}`]);
  return {
    tag: r.pick(['button', 'input', 'span', 'div']),
    ...(r.chance(0.8) ? { role } : {}),
    ...(!masked && r.chance(0.8) ? { name } : {}),
    selectors,
    box: { x: r.int(0, 1200) / 10, y: r.int(-50, 900), w: r.int(0, 500) + 0.5, h: r.int(0, 60) },
    masked,
    ...(r.chance(0.3) ? { attrs: { type: r.pick(['text', 'password', 'checkbox']), ...(r.chance(0.5) ? { checked: String(r.chance(0.5)) } : {}) } } : {}),
  };
}

const modifiers = (r: Rng) => ({ alt: r.chance(0.1), ctrl: r.chance(0.2), meta: r.chance(0.05), shift: r.chance(0.2) });

function body(r: Rng, type: string, targets: Target[]): Record<string, unknown> {
  const t = () => (r.chance(0.7) && targets.length ? r.pick(targets) : target(r));
  const pointing = () => ({
    target: t(), button: r.int(-1, 2), modifiers: modifiers(r), x: r.int(0, 1280), y: r.int(0, 800),
    offsetX: r.int(0, 400) / 10, offsetY: r.int(0, 300) / 10, ...(r.chance(0.8) ? { detail: r.int(0, 3) } : {}),
  });
  switch (type) {
    case 'click': case 'dblclick': case 'contextmenu': case 'auxclick':
      return pointing();
    case 'key': {
      const masked = r.chance(0.2);
      return {
        key: masked ? '•' : r.pick(['[text]', 'Enter', 'Tab', 'ArrowDown', 'a']),
        ...(!masked && r.chance(0.3) ? { code: r.pick(['KeyA', 'Enter']) } : {}),
        modifiers: masked ? { alt: false, ctrl: false, meta: false, shift: false } : modifiers(r),
        ...(!masked && r.chance(0.2) ? { chord: 'Ctrl+C' } : {}),
        ...(r.chance(0.1) ? { repeat: true } : {}),
        masked,
        ...(r.chance(0.9) ? { target: t() } : {}),
      };
    }
    case 'input': {
      const masked = r.chance(0.2);
      return { target: masked ? target(r, true) : t(), ...(!masked && r.chance(0.9) ? { value: r.pick(WORDS) } : {}), masked, ...(r.chance(0.7) ? { inputType: 'insertText' } : {}) };
    }
    case 'change':
      return { target: t(), ...(r.chance(0.5) ? { value: r.pick(WORDS) } : {}), ...(r.chance(0.3) ? { checked: r.chance(0.5) } : {}), ...(r.chance(0.1) ? { files: r.int(0, 3) } : {}), masked: r.chance(0.2) };
    case 'submit': case 'focus':
      return { target: t() };
    case 'clipboard':
      return { action: r.pick(['copy', 'cut', 'paste']), ...(r.chance(0.7) ? { target: t() } : {}) };
    case 'pointer': {
      const floats = r.chance(0.2);
      let ms = 0;
      const points = Array.from({ length: r.int(1, 64) }, () => [
        floats ? r.int(0, 12800) / 10 : r.int(0, 1280),
        floats ? r.int(-10, 8000) / 10 : r.int(-10, 800),
        (ms += r.int(0, 120)),
      ]);
      return { points, ...(r.chance(0.3) ? { target: t() } : {}) };
    }
    case 'drag':
      return { action: r.pick(['start', 'drop', 'end']), target: t(), ...(r.chance(0.5) ? { source: t() } : {}), x: r.int(0, 1280), y: r.int(0, 800) };
    case 'scroll':
      return { ...(r.chance(0.5) ? { target: t() } : {}), x: r.int(0, 500), y: r.int(0, 9000), dx: r.int(-300, 300), dy: r.int(-900, 900) };
    case 'navigation':
      return {
        kind: r.pick(['load', 'reload', 'push', 'replace', 'traverse', 'hash', 'prerender']),
        ...(r.chance(0.7) ? { title: r.pick(WORDS) } : {}),
        ...(r.chance(0.5) ? { viewport: { width: 1280, height: r.int(600, 900), dpr: r.pick([1, 1.5, 2]) } } : {}),
      };
    case 'menu':
      return {
        action: r.pick(['open', 'close', 'select']),
        widget: r.pick(['menu', 'menubar', 'listbox', 'select']),
        path: Array.from({ length: r.int(0, 4) }, () => r.pick(WORDS)),
        target: t(),
        ...(r.chance(0.6) ? { trigger: r.pick(['click', 'key', 'hover']) } : {}),
      };
    case 'visibility':
      return { state: r.pick(['visible', 'hidden']) };
    case 'capture':
      return { state: r.pick(['recording', 'paused', 'resumed', 'opted-out']), ...(r.chance(0.3) ? { reason: 'why' } : {}), ...(r.chance(0.3) ? { until: r.int(0, 2e12) } : {}) };
    default:
      throw new Error(`no generator for ${type}`);
  }
}

/** A batch as the outbox holds it: schema-valid, zod-ordered, seqs rising with holes, several documents. */
function storedBatch(r: Rng, size: number): CaptureEvent[] {
  const documents = Array.from({ length: r.int(1, 4) }, (_, d) => ({
    prefix: r.pick(['0123456789abcdef0123456789abcdef', 'fedcba9876543210fedcba9876543210', `doc${d}-${r.int(0, 1e6)}`, 'dotted.prefix']),
    counter: r.int(0, 50),
    tab: r.pick([-1, 7, 1_420_411_828]),
    frame: r.pick([0, 0, 3]),
    framePath: r.pick([undefined, [], [2], [0, 1]]),
    url: r.pick(['https://app.example.com/a', 'https://app.example.com/b?page=2', '', 'http://127.0.0.1:1/form/#x']),
  }));
  const targets = Array.from({ length: r.int(1, 6) }, () => target(r));
  let seq = r.int(1, 1000);
  let ts = 1_796_000_000_000 + r.int(0, 1e6);
  const out: CaptureEvent[] = [];
  for (let i = 0; i < size; i++) {
    const doc = r.pick(documents);
    if (r.chance(0.05)) doc.url = r.pick(['https://app.example.com/c', 'https://other.example/']);
    doc.counter += r.chance(0.9) ? 1 : r.int(-3, 5);
    const id = r.chance(0.1) ? crypto.randomUUID() : r.chance(0.03) ? `${doc.prefix}.0${r.int(1, 9)}` : `${doc.prefix}.${Math.max(0, doc.counter)}`;
    seq += r.chance(0.9) ? 1 : r.int(2, 5);
    ts += r.chance(0.1) ? -r.int(0, 500) : r.int(0, 2000);
    const type = r.pick(TYPES);
    out.push(
      CaptureEvent.parse({
        v: 1, id, ts, url: doc.url, ...(doc.framePath ? { framePath: doc.framePath } : {}), type, ...body(r, type, targets),
        seq, tab: doc.tab, frame: doc.frame,
      }),
    );
  }
  return out;
}

function headerFor(events: readonly { seq: number }[]): BatchHeader {
  return { batchId: 'batch-0000-0001', installId: 'install-0000-0001', extVersion: '0.1.0', schema: 1, firstSeq: events[0]!.seq, lastSeq: events[events.length - 1]!.seq, dropped: 0 };
}

/** The property: the expanded compact batch is, line for line, the plain batch. */
function expectRoundTrip(events: readonly CaptureEvent[]) {
  const header = headerFor(events);
  const compact = toCompactNdjson(header, events);
  expect(compact).toBeDefined();
  const expanded = expandCompactNdjson(compact!);
  expect(expanded.header).toEqual({ ...header, encoding: COMPACT_1 });
  const plainLines = toNdjson(header, events).trim().split('\n').slice(1);
  expect(expanded.events.map((e) => JSON.stringify(e))).toEqual(plainLines);
  return compact!;
}

describe('lib/upload/encode + lib/schema/wire: compact-1', () => {
  it('round-trips seeded random batches of every event type, byte for byte', () => {
    const seen = new Set<string>();
    let lines = 0;
    let verbatim = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const events = storedBatch(r, r.int(1, 120));
      for (const e of events) seen.add(e.type);
      try {
        const compact = expectRoundTrip(events).trim().split('\n').slice(2);
        lines += compact.length;
        verbatim += compact.filter((l) => l.startsWith('{"$e"')).length;
      } catch (err) {
        throw new Error(`seed ${seed}: ${(err as Error).message}`);
      }
    }
    expect([...seen].sort()).toEqual([...TYPES].sort());
    // What the extension stores always fits the compact layout: nothing here needs the verbatim escape.
    expect(verbatim / lines).toBe(0);
  }, 30_000);

  it('carries masked targets, frame paths, menu paths and pointer paths unchanged', () => {
    const r = rng(7);
    const masked = target(r, true);
    const events = [
      CaptureEvent.parse({ v: 1, id: 'prefix-0.1', ts: 5, url: 'https://a.example/', framePath: [1, 0], type: 'input', target: masked, masked: true, seq: 1, tab: 2, frame: 9 }),
      CaptureEvent.parse({ v: 1, id: 'prefix-0.2', ts: 6, url: 'https://a.example/', framePath: [1, 0], type: 'menu', action: 'select', widget: 'menubar', path: ['File', 'Export', 'PDF'], target: target(r, false), trigger: 'hover', seq: 2, tab: 2, frame: 9 }),
      CaptureEvent.parse({ v: 1, id: 'prefix-0.3', ts: 7, url: 'https://a.example/', type: 'pointer', points: [[1, 2, 0], [3.5, -4, 16], [3.5, -4, 33]], seq: 3, tab: 2, frame: 0 }),
      CaptureEvent.parse({ v: 1, id: 'prefix-0.4', ts: 8, url: 'https://a.example/', type: 'pointer', points: [[10, 20, 0], [13, 18, 16]], seq: 4, tab: 2, frame: 0 }),
    ];
    const compact = expectRoundTrip(events);
    // The integer path travels as differences; the one with fractions as it is.
    expect(compact).toContain('"points":[10,20,0,3,-2,16]');
    expect(compact).toContain('"points":[[1,2,0],[3.5,-4,16],[3.5,-4,33]]');
  });

  it('encodes the example in docs/wire.md to its compact form, and back', () => {
    const doc = readFileSync(new URL('../../../docs/wire.md', import.meta.url), 'utf8');
    const blocks = [...doc.matchAll(/```ndjson\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(2);
    const [plain, compact] = blocks as [string, string];
    const [head, ...lines] = plain.split('\n').map((l) => JSON.parse(l));
    const events = lines.map((l) => CaptureEvent.parse(l));
    expect(toCompactNdjson(head, events)).toBe(compact + '\n');
    expect(expandCompactNdjson(compact).events.map((e) => JSON.stringify(e))).toEqual(plain.split('\n').slice(1));
  });

  it('sends verbatim what its layout does not allow, and still round-trips', () => {
    const odd = [
      // Keys in another order than the background stores them.
      { id: 'x.1', v: 1, ts: 1, url: 'u', type: 'visibility', state: 'hidden', seq: 1, tab: 1, frame: 0 },
      // A body field that looks like a context key.
      { v: 1, id: 'x.2', ts: 2, url: 'u', type: 'visibility', $t: 5, seq: 2, tab: 1, frame: 0 },
      // Modifiers with an extra key, a numeric target.
      { v: 1, id: 'x.3', ts: 3, url: 'u', type: 'key', key: 'a', modifiers: { alt: false, ctrl: false, meta: false, shift: false, fn: true }, masked: false, seq: 3, tab: 1, frame: 0 },
      { v: 1, id: 'x.4', ts: 4, url: 'u', type: 'focus', target: 3, seq: 4, tab: 1, frame: 0 },
      // A counter that would not survive as a number.
      { v: 1, id: 'x.99999999999999999', ts: 5, url: 'u', type: 'visibility', state: 'visible', seq: 5, tab: 1, frame: 0 },
    ] as unknown as CaptureEvent[];
    const compact = expectRoundTrip(odd);
    expect(compact.split('\n').filter((l) => l.startsWith('{"$e"'))).toHaveLength(4);
    expect(compact).toContain('{"$i":"x.99999999999999999",');
  });

  it('gives up on the compact form for a batch it cannot carry at all', () => {
    const broken = [{ v: 1, id: 'x.1', ts: 1.5, url: 'u', type: 'visibility', state: 'hidden', seq: 1, tab: 1, frame: 0 }] as unknown as CaptureEvent[];
    expect(toCompactNdjson(headerFor(broken), broken)).toBeUndefined();
  });

  it('is smaller than plain NDJSON, gzipped, for a typing session with the content script ids', async () => {
    const r = rng(11);
    const t = target(r, false);
    const events: CaptureEvent[] = [];
    for (let i = 1; i <= 300; i++) {
      const type = i % 3 === 0 ? 'input' : 'key';
      events.push(CaptureEvent.parse({ v: 1, id: newEventId(), ts: 1_796_000_000_000 + i * 190, url: 'https://app.example.com/form', type, ...(type === 'key' ? { key: '[text]', modifiers: modifiers(r), masked: false } : { value: 'abc'.repeat(i % 7), masked: false }), target: t, seq: i, tab: 4, frame: 0 }));
    }
    const header = headerFor(events);
    const plain = (await gzip(toNdjson(header, events))).length;
    const compact = await gzip(expectRoundTrip(events));
    expect(gunzipSync(compact).toString()).toBe(toCompactNdjson(header, events));
    expect(compact.length).toBeLessThan(plain / 2);
  });

  it('rejects compact lines that cannot be expanded, naming the line and the key', () => {
    const head = JSON.stringify({ ...headerFor([{ seq: 1 }]), encoding: COMPACT_1 });
    const dict = JSON.stringify({ urls: ['u'], targets: [{ tag: 'a', selectors: [7], box: { x: 0, y: 0, w: 0, h: 0 }, masked: false }], ids: ['p'] });
    const fails = (line: string, path: string) => {
      try {
        expandCompactNdjson([head, dict, line].join('\n'));
      } catch (err) {
        expect(err).toBeInstanceOf(WireFormatError);
        expect((err as WireFormatError).line).toBe(3);
        expect((err as WireFormatError).path).toBe(path);
        return;
      }
      throw new Error(`expanded: ${line}`);
    };
    fails('{"type":"visibility","state":"hidden"}', '$i'); // no prefix yet
    fails('{"$p":0,"type":"visibility"}', '$u'); // no url yet
    fails('{"$p":0,"$u":0,"$b":1,"type":"visibility"}', '$f');
    fails('{"$p":1,"$u":0,"$b":1,"$f":0}', '$p');
    fails('{"$p":0,"$u":3,"$b":1,"$f":0}', '$u');
    fails('{"$p":0,"$u":0,"$b":1.5,"$f":0}', '$b');
    fails('{"$p":0,"$i":-5,"$u":0,"$b":1,"$f":0}', '$i');
    fails('{"$p":0,"$t":1e300,"$u":0,"$b":1,"$f":0}', '$t');
    fails('{"$p":0,"$u":0,"$b":1,"$f":0,"$z":1}', '$z');
    fails('{"$p":0,"$u":0,"$b":1,"$f":0,"seq":4}', 'seq');
    fails('{"$p":0,"$u":0,"$b":1,"$f":0,"target":0}', 'target'); // selector 7 is not derivable
    fails('{"$p":0,"$u":0,"$b":1,"$f":0,"target":1}', 'target');
    fails('{"$p":0,"$u":0,"$b":1,"$f":0,"modifiers":16}', 'modifiers');
    fails('{"$p":0,"$u":0,"$b":1,"$f":0,"points":[1,2]}', 'points');
    fails('{"$p":0,"$u":0,"$b":1,"$f":0,"$P":3}', '$P');
    fails('{"$e":{"v":1},"$t":1}', '$e');
    fails('{"$e":{"v":1,"id":"x","ts":1,"url":"u","type":"visibility","state":"hidden","seq":1,"tab":1}}', '$e.frame');
    fails('[1,2]', '');
  });

  it('keeps a JSON key named __proto__ an ordinary field', () => {
    const head = JSON.stringify({ ...headerFor([{ seq: 1 }]), encoding: COMPACT_1 });
    const dict = JSON.stringify({ urls: ['u'], targets: [], ids: ['p'] });
    const { events } = expandCompactNdjson([head, dict, '{"$p":0,"$u":0,"$b":1,"$f":0,"type":"visibility","__proto__":{"polluted":true}}'].join('\n'));
    expect(Object.getPrototypeOf(events[0])).toBe(Object.prototype);
    expect(JSON.stringify(events[0])).toBe('{"v":1,"id":"p.1","ts":0,"url":"u","type":"visibility","__proto__":{"polluted":true},"seq":1,"tab":1,"frame":0}');
  });
});
