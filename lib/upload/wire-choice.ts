/**
 * Which wire form a batch takes (plain NDJSON, or the compact form of lib/schema/wire.ts), decided per
 * collector URL from what the collector said in `X-Workflow-Capture-Wire`: on every acknowledged batch,
 * and, for a collector not heard from yet, on one `OPTIONS /v1/batches` asked before its first batch.
 * Plain unless the latest word advertised the compact form. A compact batch refused as unreadable (400,
 * 415, 422) is sent again plain, so nothing is lost; when that plain copy is acknowledged, the compact
 * form was at fault and batches to that collector stay plain for a while. Pure: the uploader persists
 * the memory with its state.
 */
import { WIRE_COMPACT_REFUSED_MS, WIRE_MEMORY_MAX_COLLECTORS } from '../constants';
import { COMPACT_1, WIRE_ENCODINGS, type WireEncoding } from '../schema/wire';

export interface WireKnowledge {
  /** Encodings the collector's latest answer listed (those this extension can write). */
  accepts: WireEncoding[];
  /** When that answer came (epoch ms). */
  at: number;
  /** When the collector last refused a compact batch as unreadable (epoch ms). */
  refusedAt?: number;
}

/** Keyed by collector URL. */
export type WireMemory = Record<string, WireKnowledge>;

function knowledgeOf(memory: WireMemory, url: string): WireKnowledge | undefined {
  return Object.hasOwn(memory, url) ? memory[url] : undefined;
}

/** Whether the collector at `url` has said anything yet (else ask it first). */
export function wireKnown(memory: WireMemory, url: string): boolean {
  return knowledgeOf(memory, url) !== undefined;
}

/** How the next batch to `url` is written. */
export function chooseWire(memory: WireMemory, url: string, now: number): 'plain' | WireEncoding {
  const known = knowledgeOf(memory, url);
  if (!known) return 'plain';
  const refused = known.refusedAt !== undefined && now - known.refusedAt < WIRE_COMPACT_REFUSED_MS;
  return !refused && known.accepts.includes(COMPACT_1) ? COMPACT_1 : 'plain';
}

/** For diagnostics: as chooseWire, and 'unknown' before the collector said anything. */
export function wireStatus(memory: WireMemory, url: string, now: number): 'plain' | WireEncoding | 'unknown' {
  return wireKnown(memory, url) ? chooseWire(memory, url, now) : 'unknown';
}

/** The encodings an `X-Workflow-Capture-Wire` value lists, of those this extension can write. */
export function parseWireHeader(value: string | null): WireEncoding[] {
  if (!value) return [];
  const listed = value.split(',').map((token) => token.trim().toLowerCase());
  return WIRE_ENCODINGS.filter((encoding) => listed.includes(encoding));
}

function remember(memory: WireMemory, url: string, knowledge: WireKnowledge): WireMemory {
  const entries = Object.entries({ ...memory, [url]: knowledge })
    .sort((a, b) => b[1].at - a[1].at)
    .slice(0, WIRE_MEMORY_MAX_COLLECTORS);
  return Object.fromEntries(entries);
}

/**
 * A collector's answer to a batch (2xx) or to the capability question: what it advertised — nothing,
 * for a collector that does not know the header.
 */
export function learnFromAnswer(memory: WireMemory, url: string, header: string | null, now: number): WireMemory {
  const previous = knowledgeOf(memory, url);
  return remember(memory, url, {
    accepts: parseWireHeader(header),
    at: now,
    ...(previous?.refusedAt !== undefined ? { refusedAt: previous.refusedAt } : {}),
  });
}

/** Answers to a compact batch that may mean "cannot read this": the batch is sent again, plain. */
export function refusesCompact(status: number | undefined): boolean {
  return status === 400 || status === 415 || status === 422;
}

/** The plain copy of a refused compact batch was acknowledged: the compact form was at fault. */
export function compactRefused(memory: WireMemory, url: string, now: number): WireMemory {
  return remember(memory, url, { accepts: knowledgeOf(memory, url)?.accepts ?? [], at: now, refusedAt: now });
}
