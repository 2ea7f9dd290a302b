/**
 * Batch encoding for the upload protocol: NDJSON (header line, then one event a line), gzipped. Plain
 * schema-v1 lines for every collector; the compact form (lib/schema/wire.ts, docs/wire.md) only for a
 * collector that said it accepts it.
 */
import type { BatchHeader } from '../schema/batch';
import type { CaptureEvent } from '../schema/event';
import {
  COMPACT_1,
  CompactExpander,
  CONTEXT_KEYS,
  DERIVED_SELECTORS,
  DICTIONARY_TARGET_FIELDS,
  isJsonObject,
  LEADING_FIELDS,
  MODIFIER_BITS,
  TRAILING_FIELDS,
  type CompactDictionary,
  type JsonObject,
} from '../schema/wire';

export function toNdjson(header: BatchHeader, events: readonly CaptureEvent[]): string {
  return [header, ...events].map((line) => JSON.stringify(line)).join('\n') + '\n';
}

/** An id the content script made: a per-document prefix, a dot, and a counter (lib/capture/ids.ts). */
const COUNTED_ID = /^(.+)\.(0|[1-9][0-9]{0,15})$/;

/** Assigns dictionary indexes in order of first use. */
class Table<T> {
  private readonly index = new Map<string, number>();
  constructor(readonly entries: T[]) {}
  indexOf(key: string, entry: T): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.entries.push(entry) - 1;
      this.index.set(key, i);
    }
    return i;
  }
}

/**
 * The compact line for one stored event, or undefined when its fields are not laid out as every stored
 * event's are (v, id, ts, url, framePath?, body…, seq, tab, frame): such an event goes verbatim.
 */
function compactLine(
  event: JsonObject,
  ctx: CompactExpander['context'],
  tables: { urls: Table<string>; targets: Table<JsonObject>; ids: Table<string> },
): JsonObject | undefined {
  const keys = Object.keys(event);
  if (LEADING_FIELDS.some((field, i) => keys[i] !== field)) return undefined;
  const hasPath = keys[LEADING_FIELDS.length] === 'framePath';
  const bodyStart = LEADING_FIELDS.length + (hasPath ? 1 : 0);
  const bodyEnd = keys.length - TRAILING_FIELDS.length;
  if (bodyEnd < bodyStart || TRAILING_FIELDS.some((field, i) => keys[bodyEnd + i] !== field)) return undefined;
  const { v, id, ts, url, framePath, seq, tab, frame } = event;
  if (v !== 1 || typeof id !== 'string' || typeof url !== 'string') return undefined;
  if (typeof ts !== 'number' || typeof seq !== 'number' || typeof tab !== 'number' || typeof frame !== 'number') return undefined;
  if (hasPath && !Array.isArray(framePath)) return undefined;

  const K = CONTEXT_KEYS;
  const line: Array<[string, unknown]> = [];
  const counted = COUNTED_ID.exec(id);
  if (counted && Number.isSafeInteger(Number(counted[2]))) {
    const prefix = tables.ids.indexOf(counted[1]!, counted[1]!);
    if (prefix !== ctx.prefix) line.push([K.prefix, prefix]);
    const delta = Number(counted[2]) - (ctx.counters[prefix] ?? 0);
    if (delta !== 1) line.push([K.id, delta]);
  } else {
    line.push([K.id, id]);
  }
  if (ts !== ctx.ts) line.push([K.ts, ts - ctx.ts]);
  if (seq !== ctx.seq + 1) line.push([K.seq, seq - ctx.seq]);
  if (url !== ctx.url) line.push([K.url, tables.urls.indexOf(url, url)]);
  if (tab !== ctx.tab) line.push([K.tab, tab]);
  if (frame !== ctx.frame) line.push([K.frame, frame]);
  if (JSON.stringify(framePath) !== JSON.stringify(ctx.framePath)) line.push([K.framePath, framePath ?? null]);
  for (const key of keys.slice(bodyStart, bodyEnd)) {
    if (key.startsWith('$')) return undefined;
    const value = event[key];
    if (DICTIONARY_TARGET_FIELDS.includes(key) && isJsonObject(value)) {
      line.push([key, tables.targets.indexOf(JSON.stringify(value), withNumberedSelectors(value))]);
    } else {
      line.push([key, shortForm(key, value)]);
    }
  }
  return Object.fromEntries(line) as JsonObject;
}

/** A target for the dictionary: selector chains its own fields say written as numbers (DERIVED_SELECTORS). */
function withNumberedSelectors(target: JsonObject): JsonObject {
  const { selectors } = target;
  if (!Array.isArray(selectors)) return target;
  const derived = DERIVED_SELECTORS.map((derive) => derive(target));
  const written = selectors.map((chain: unknown) => {
    if (!Array.isArray(chain) || chain.length !== 1) return chain;
    const i = derived.indexOf(chain[0] as string);
    return i >= 0 ? i : chain;
  });
  return Object.fromEntries(Object.entries(target).map(([key, value]) => [key, key === 'selectors' ? written : value]));
}

/** Modifiers as bits, a pointer path as differences; anything else as it is (the round trip checks). */
function shortForm(key: string, value: unknown): unknown {
  if (key === 'modifiers' && isJsonObject(value)) {
    let bits = 0;
    for (const [name, bit] of Object.entries(MODIFIER_BITS)) if (value[name] === true) bits |= bit;
    return bits;
  }
  if (key === 'points' && Array.isArray(value)) {
    const flat: unknown[] = [];
    let previous: unknown[] = [0, 0, 0];
    for (const point of value) {
      if (!Array.isArray(point) || point.length !== 3 || !point.every(Number.isSafeInteger)) return value;
      flat.push(...point.map((n: number, i) => n - (previous[i] as number)));
      previous = point;
    }
    return flat;
  }
  return value;
}

/**
 * The compact form of a batch (docs/wire.md). Every line is checked by expanding it again: an event
 * whose compact line would not come back byte for byte as its plain line is sent verbatim instead, so
 * the collector always stores exactly what plain NDJSON would have carried. Undefined when the batch
 * holds an event the compact form cannot carry at all (it then goes plain).
 */
export function toCompactNdjson(header: BatchHeader, events: readonly CaptureEvent[]): string | undefined {
  const dictionary: CompactDictionary = { urls: [], targets: [], ids: [] };
  const tables = { urls: new Table(dictionary.urls), targets: new Table(dictionary.targets), ids: new Table(dictionary.ids) };
  let expander = new CompactExpander(dictionary, header.firstSeq);
  const lines: string[] = [];
  for (const stored of events) {
    const plain = JSON.stringify(stored);
    const event = JSON.parse(plain) as JsonObject;
    const line = compactLine(event, expander.context, tables);
    if (line) {
      const trial = expander.clone();
      try {
        if (JSON.stringify(trial.expand(line, 0)) === plain) {
          expander = trial;
          lines.push(JSON.stringify(line));
          continue;
        }
      } catch {
        /* sent verbatim below */
      }
    }
    const verbatim = { [CONTEXT_KEYS.verbatim]: event };
    try {
      expander.expand(verbatim, 0);
    } catch {
      // Not even verbatim (no integer seq, say): this batch goes plain, where the collector can say why.
      return undefined;
    }
    lines.push(JSON.stringify(verbatim));
  }
  const head = JSON.stringify({ ...header, encoding: COMPACT_1 });
  return [head, JSON.stringify(dictionary), ...lines].join('\n') + '\n';
}

export async function gzip(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
