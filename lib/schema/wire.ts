/**
 * The compact wire form of an upload batch, "compact-1" (specified in docs/wire.md). A collector that
 * accepts it says so in the `X-Workflow-Capture-Wire` header of its 2xx batch answers; only then does the
 * extension send it, declared by `encoding: "compact-1"` in the batch header. Every other collector keeps
 * getting plain schema-v1 NDJSON.
 *
 * A compact batch is the header line, one dictionary line (URLs, targets and event-id prefixes used by the
 * batch), then one line per event. An event line either holds the event verbatim (`{"$e": event}`) or
 * leaves out what the running context already says: the URL, tab, frame and frame path of the previous
 * event, seq and ts as differences, the id as a prefix from the dictionary and a counter difference, and
 * targets as dictionary indexes. Expansion is pure and gives back each event exactly as the extension
 * stored it, key order included, so `JSON.stringify` of an expanded event is the plain line.
 */
import { z } from 'zod';

/** Answer header by which a collector lists the encodings it accepts (comma-separated). */
export const WIRE_CAPABILITY_HEADER = 'X-Workflow-Capture-Wire';
export const COMPACT_1 = 'compact-1';
/** Encodings a batch header may declare; a batch without `encoding` is plain NDJSON. */
export const WIRE_ENCODINGS = [COMPACT_1] as const;
export type WireEncoding = (typeof WIRE_ENCODINGS)[number];

/** Event fields whose object value an event line may replace by an index into the dictionary's targets. */
export const DICTIONARY_TARGET_FIELDS: readonly string[] = ['target', 'source'];

/**
 * Selector chains that a dictionary target may write as a number (its index here): one-part chains
 * built from the target's own fields, which the Recorder-order selectors (lib/describe/selectors.ts)
 * mostly repeat. The id of 1 comes from the target's first chain that is exactly `["#<id>"]`.
 */
export const DERIVED_SELECTORS: ReadonlyArray<(target: JsonObject) => string | undefined> = [
  (t) => (typeof t.name === 'string' && typeof t.role === 'string' ? `aria/${t.name}[role="${t.role}"]` : undefined),
  (t) => {
    const id = cssIdOf(t);
    return id === undefined ? undefined : `xpath///*[@id="${id}"]`;
  },
  (t) => (typeof t.name === 'string' ? `text/${t.name}` : undefined),
];

const CSS_ID = /^#([A-Za-z0-9_-]+)$/;

function cssIdOf(target: JsonObject): string | undefined {
  if (!Array.isArray(target.selectors)) return undefined;
  for (const chain of target.selectors) {
    if (!Array.isArray(chain) || chain.length !== 1 || typeof chain[0] !== 'string') continue;
    const id = CSS_ID.exec(chain[0])?.[1];
    if (id !== undefined) return id;
  }
  return undefined;
}

/** `modifiers` as a number: these bits, in this key order. */
export const MODIFIER_BITS = { alt: 1, ctrl: 2, meta: 4, shift: 8 } as const;

/** Context keys of a compact event line. Body fields never start with `$`. */
export const CONTEXT_KEYS = {
  /** The whole event, verbatim (then the only key of the line). */
  verbatim: '$e',
  /** Id: a number is the counter difference for the current prefix (default 1), a string the literal id. */
  id: '$i',
  /** Index into `ids`: the id prefix from this line on. */
  prefix: '$p',
  /** ts minus the previous event's ts (default 0; the first event's is from 0). */
  ts: '$t',
  /** seq minus the previous event's seq (default 1; the first event's is from firstSeq − 1). */
  seq: '$s',
  /** Index into `urls`: the url from this line on. */
  url: '$u',
  /** tab from this line on. */
  tab: '$b',
  /** frame from this line on. */
  frame: '$f',
  /** framePath from this line on; null: none. */
  framePath: '$P',
} as const;

/** The stored event's own fields that the context carries: they lead (v, id, ts, url, framePath) and end (seq, tab, frame) every event. */
export const LEADING_FIELDS = ['v', 'id', 'ts', 'url'] as const;
export const TRAILING_FIELDS = ['seq', 'tab', 'frame'] as const;
const CONTEXT_FIELDS = new Set<string>([...LEADING_FIELDS, 'framePath', ...TRAILING_FIELDS]);
const KNOWN_CONTEXT_KEYS = new Set<string>(Object.values(CONTEXT_KEYS));

/** Line 2 of a compact batch. Entries are referenced by their index (0-based). */
export const CompactDictionary = z.strictObject({
  urls: z.array(z.string()),
  targets: z.array(z.record(z.string(), z.unknown())),
  ids: z.array(z.string().min(1)),
});
export type CompactDictionary = z.infer<typeof CompactDictionary>;

/** A dictionary target as the event holds it: numbers in its selectors replaced by the chains they stand for. */
export function withDerivedSelectors(target: JsonObject, fail: (message: string) => Error): JsonObject {
  const { selectors } = target;
  if (!Array.isArray(selectors) || !selectors.some((chain) => typeof chain === 'number')) return target;
  const written = selectors.map((chain) => {
    if (typeof chain !== 'number') return chain;
    const derived = Number.isInteger(chain) ? DERIVED_SELECTORS[chain]?.(target) : undefined;
    if (derived === undefined) throw fail(`selector ${chain} cannot be derived from this target`);
    return [derived];
  });
  return Object.fromEntries(Object.entries(target).map(([key, value]) => [key, key === 'selectors' ? written : value]));
}

/** A compact line that cannot be expanded; `path` names the offending key. */
export class WireFormatError extends Error {
  constructor(
    readonly line: number,
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What an event line leaves out is taken from here; every expanded line, verbatim ones too, updates it. */
export interface WireContext {
  ts: number;
  seq: number;
  url: string | undefined;
  tab: number | undefined;
  frame: number | undefined;
  /** undefined: the event has no framePath. */
  framePath: unknown[] | undefined;
  /** Index into `ids` of the current prefix. */
  prefix: number | undefined;
  /** Last counter per prefix index (0 before its first use). */
  counters: number[];
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function safeInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/**
 * Expands the event lines of one compact batch, in order. Pure apart from its own context: the same
 * dictionary, firstSeq and lines always give the same events.
 */
export class CompactExpander {
  readonly context: WireContext;
  /** Dictionary targets with their derived selectors written out, by index. */
  private readonly targets: Map<number, JsonObject>;

  constructor(
    readonly dictionary: CompactDictionary,
    firstSeq: number,
    context?: WireContext,
  ) {
    this.context = context ?? {
      ts: 0,
      seq: firstSeq - 1,
      url: undefined,
      tab: undefined,
      frame: undefined,
      framePath: undefined,
      prefix: undefined,
      counters: [],
    };
    this.targets = new Map();
  }

  /** An independent copy (same dictionary), to try a line without committing to it. */
  clone(): CompactExpander {
    return new CompactExpander(this.dictionary, 0, { ...this.context, counters: [...this.context.counters] });
  }

  /**
   * The schema-v1 event a line stands for. Events that name the same dictionary target (or frame path)
   * share one frozen object. Throws WireFormatError; the context is then unusable.
   */
  expand(value: unknown, line: number): JsonObject {
    if (!isJsonObject(value)) throw new WireFormatError(line, '', 'an event line must be a JSON object');
    const fail = (path: string, message: string) => new WireFormatError(line, path, message);
    const K = CONTEXT_KEYS;
    if (Object.hasOwn(value, K.verbatim)) {
      const event = value[K.verbatim];
      if (Object.keys(value).length !== 1) throw fail(K.verbatim, `"${K.verbatim}" must be the only key of its line`);
      if (!isJsonObject(event)) throw fail(K.verbatim, `"${K.verbatim}" must hold an event object`);
      this.adopt(event, fail);
      return event;
    }

    const c = this.context;
    const given = new Map<string, unknown>();
    const body: Array<[string, unknown]> = [];
    for (const [key, raw] of Object.entries(value)) {
      if (key.startsWith('$')) {
        if (!KNOWN_CONTEXT_KEYS.has(key)) throw fail(key, `unknown context key "${key}"`);
        given.set(key, raw);
        continue;
      }
      if (CONTEXT_FIELDS.has(key)) throw fail(key, `"${key}" is carried by the context, not by an event line`);
      body.push([key, this.field(key, raw, fail)]);
    }

    if (given.has(K.prefix)) c.prefix = this.index(given.get(K.prefix), this.dictionary.ids.length, K.prefix, fail);
    let id: string;
    const idValue = given.get(K.id);
    if (typeof idValue === 'string') {
      id = idValue;
    } else {
      if (idValue !== undefined && !safeInt(idValue)) throw fail(K.id, `"${K.id}" must be an integer or a string`);
      if (c.prefix === undefined) throw fail(K.id, `an id counter needs a prefix ("${K.prefix}") first`);
      const counter = (c.counters[c.prefix] ?? 0) + (idValue ?? 1);
      if (!safeInt(counter) || counter < 0) throw fail(K.id, `id counter ${counter} out of range`);
      c.counters[c.prefix] = counter;
      id = `${this.dictionary.ids[c.prefix]}.${counter}`;
    }
    c.ts = this.step(c.ts, given.get(K.ts), 0, K.ts, fail);
    c.seq = this.step(c.seq, given.get(K.seq), 1, K.seq, fail);
    if (given.has(K.url)) c.url = this.dictionary.urls[this.index(given.get(K.url), this.dictionary.urls.length, K.url, fail)];
    if (given.has(K.tab)) c.tab = this.integer(given.get(K.tab), K.tab, fail);
    if (given.has(K.frame)) c.frame = this.integer(given.get(K.frame), K.frame, fail);
    if (given.has(K.framePath)) {
      const path = given.get(K.framePath);
      if (path !== null && !Array.isArray(path)) throw fail(K.framePath, `"${K.framePath}" must be an array or null`);
      c.framePath = path === null ? undefined : deepFreeze(path);
    }
    if (c.url === undefined) throw fail(K.url, `no url yet: the first event needs "${K.url}"`);
    if (c.tab === undefined) throw fail(K.tab, `no tab yet: the first event needs "${K.tab}"`);
    if (c.frame === undefined) throw fail(K.frame, `no frame yet: the first event needs "${K.frame}"`);

    return Object.fromEntries([
      ['v', 1],
      ['id', id],
      ['ts', c.ts],
      ['url', c.url],
      ...(c.framePath !== undefined ? [['framePath', c.framePath] as const] : []),
      ...body,
      ['seq', c.seq],
      ['tab', c.tab],
      ['frame', c.frame],
    ]) as JsonObject;
  }

  /** A verbatim event sets the context as a compact one would. */
  private adopt(event: JsonObject, fail: (path: string, message: string) => WireFormatError): void {
    const c = this.context;
    const { ts, seq, url, tab, frame, framePath } = event;
    if (!safeInt(ts)) throw fail(`${CONTEXT_KEYS.verbatim}.ts`, 'a verbatim event needs an integer ts');
    if (!safeInt(seq)) throw fail(`${CONTEXT_KEYS.verbatim}.seq`, 'a verbatim event needs an integer seq');
    if (typeof url !== 'string') throw fail(`${CONTEXT_KEYS.verbatim}.url`, 'a verbatim event needs a url');
    if (!safeInt(tab)) throw fail(`${CONTEXT_KEYS.verbatim}.tab`, 'a verbatim event needs an integer tab');
    if (!safeInt(frame)) throw fail(`${CONTEXT_KEYS.verbatim}.frame`, 'a verbatim event needs an integer frame');
    if (framePath !== undefined && !Array.isArray(framePath)) {
      throw fail(`${CONTEXT_KEYS.verbatim}.framePath`, 'a verbatim event framePath must be an array');
    }
    Object.assign(c, { ts, seq, url, tab, frame, framePath });
  }

  /** A body field as the event holds it: the short forms of targets, modifiers and pointer paths expanded. */
  private field(key: string, value: unknown, fail: (path: string, message: string) => WireFormatError): unknown {
    if (typeof value === 'number' && DICTIONARY_TARGET_FIELDS.includes(key)) return this.target(value, key, fail);
    if (key === 'modifiers' && typeof value === 'number') {
      if (!safeInt(value) || value < 0 || value > 15) throw fail(key, '"modifiers" as a number must be 0 to 15');
      return Object.fromEntries(Object.entries(MODIFIER_BITS).map(([name, bit]) => [name, (value & bit) !== 0]));
    }
    if (key === 'points' && Array.isArray(value) && value.every((n) => typeof n === 'number')) {
      if (value.length % 3 !== 0) throw fail(key, '"points" as numbers must come in threes (x, y, ms)');
      const points: number[][] = [];
      let previous = [0, 0, 0];
      for (let i = 0; i < value.length; i += 3) {
        previous = previous.map((n, j) => n + (value[i + j] as number));
        points.push(previous);
      }
      return points;
    }
    return value;
  }

  private target(index: number, key: string, fail: (path: string, message: string) => WireFormatError): JsonObject {
    const i = this.index(index, this.dictionary.targets.length, key, fail);
    let target = this.targets.get(i);
    if (!target) {
      target = deepFreeze(withDerivedSelectors(this.dictionary.targets[i]!, (message) => fail(key, `dictionary target ${i}: ${message}`)));
      this.targets.set(i, target);
    }
    return target;
  }

  private index(value: unknown, length: number, key: string, fail: (path: string, message: string) => WireFormatError): number {
    if (!safeInt(value) || value < 0 || value >= length) {
      throw fail(key, `"${key}" must be an index into the dictionary (0 to ${length - 1}), got ${JSON.stringify(value)}`);
    }
    return value;
  }

  private integer(value: unknown, key: string, fail: (path: string, message: string) => WireFormatError): number {
    if (!safeInt(value)) throw fail(key, `"${key}" must be an integer`);
    return value;
  }

  private step(
    previous: number,
    delta: unknown,
    fallback: number,
    key: string,
    fail: (path: string, message: string) => WireFormatError,
  ): number {
    if (delta !== undefined && !safeInt(delta)) throw fail(key, `"${key}" must be an integer`);
    const next = previous + ((delta as number | undefined) ?? fallback);
    if (!safeInt(next)) throw fail(key, `"${key}" leads out of the integer range`);
    return next;
  }
}

/**
 * A whole compact batch body (after gunzip) back in plain form: the header line as sent, and each event
 * exactly as the extension stored it. Throws WireFormatError (line numbers are 1-based, the header is
 * line 1); the events are not checked against the event schema here (the collector does that).
 */
export function expandCompactNdjson(text: string): { header: JsonObject; events: JsonObject[] } {
  const lines: Array<{ line: number; value: unknown }> = [];
  for (const [i, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue;
    try {
      lines.push({ line: i + 1, value: JSON.parse(raw) });
    } catch (err) {
      throw new WireFormatError(i + 1, '', `not JSON: ${(err as Error).message}`);
    }
  }
  const [head, dictionaryLine, ...eventLines] = lines;
  if (!head || !isJsonObject(head.value) || head.value.encoding !== COMPACT_1) {
    throw new WireFormatError(1, 'encoding', `the header must declare encoding "${COMPACT_1}"`);
  }
  const firstSeq = head.value.firstSeq;
  if (!safeInt(firstSeq)) throw new WireFormatError(head.line, 'firstSeq', 'the header needs an integer firstSeq');
  const dictionary = CompactDictionary.safeParse(dictionaryLine?.value);
  if (!dictionaryLine || !dictionary.success) throw new WireFormatError(dictionaryLine?.line ?? 2, '', 'line 2 must be the dictionary');
  const expander = new CompactExpander(dictionary.data, firstSeq);
  return { header: head.value, events: eventLines.map(({ line, value }) => expander.expand(value, line)) };
}
