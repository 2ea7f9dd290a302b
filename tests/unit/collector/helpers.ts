/** Shared fixtures for the collector tests: an in-process collector, valid events, gzip batches. */
import { gzipSync } from 'node:zlib';
import { afterEach } from 'vitest';
import type { BatchHeader } from '../../../lib/schema/batch';
import { CaptureEvent } from '../../../lib/schema/event';
import type { Target } from '../../../lib/schema/event';
import { createCollector, type Collector, type CollectorOptions } from '../../../collector/server';

export const INSTALL = 'install-aaaa-0001';
export const OTHER_INSTALL = 'install-bbbb-0002';
/** Event timestamps are T0 + seq * 100 ms unless a test says otherwise. */
export const T0 = 1_700_000_000_000;

const running: Collector[] = [];

/** Starts a collector on a free port with an in-memory store; stopped after each test. */
export async function startCollector(options: CollectorOptions = {}): Promise<Collector> {
  const collector = await createCollector({ port: 0, db: ':memory:', log: () => {}, ...options });
  running.push(collector);
  return collector;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.close()));
});

export function target(name: string, overrides: Partial<Target> = {}): Target {
  return {
    tag: 'button',
    role: 'button',
    name,
    selectors: [[`aria/${name}`], [`#${name.toLowerCase().replace(/\W+/g, '-')}`]],
    box: { x: 10, y: 20, w: 100, h: 30 },
    masked: false,
    ...overrides,
  };
}

export const NO_MODIFIERS = { alt: false, ctrl: false, meta: false, shift: false };

/**
 * A schema-valid event (validated here, so a fixture can never drift from lib/schema/event.ts).
 * `fields` supplies the type-specific part; seq, id, ts, tab and url have defaults.
 */
export function event(type: CaptureEvent['type'], seq: number, fields: Record<string, unknown> = {}): CaptureEvent {
  return CaptureEvent.parse({
    v: 1,
    id: `evt-${String(seq).padStart(6, '0')}`,
    seq,
    ts: T0 + seq * 100,
    tab: 1,
    frame: 0,
    url: 'https://app.example.com/home',
    type,
    ...fields,
  });
}

export function click(seq: number, name: string, fields: Record<string, unknown> = {}): CaptureEvent {
  return event('click', seq, {
    target: target(name),
    button: 0,
    modifiers: NO_MODIFIERS,
    x: 50,
    y: 35,
    offsetX: 40,
    offsetY: 15,
    ...fields,
  });
}

export function header(events: readonly CaptureEvent[], overrides: Partial<BatchHeader> = {}): BatchHeader {
  return {
    batchId: `batch-${events[0]?.seq ?? 0}-${events[events.length - 1]?.seq ?? 0}`,
    installId: INSTALL,
    extVersion: '0.1.0',
    schema: 1,
    firstSeq: events[0]?.seq ?? 0,
    lastSeq: events[events.length - 1]?.seq ?? 0,
    dropped: 0,
    ...overrides,
  };
}

export function ndjson(lines: readonly unknown[]): string {
  return lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n';
}

export interface PostOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Send the body uncompressed (Content-Encoding: identity). */
  identity?: boolean;
}

/** POSTs raw NDJSON text (gzipped unless `identity`) to /v1/batches. */
export function postRaw(collector: Collector, text: string | Buffer, options: PostOptions = {}): Promise<Response> {
  const raw = typeof text === 'string' ? Buffer.from(text) : text;
  return fetch(`${collector.url}/v1/batches`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-ndjson',
      ...(options.identity ? {} : { 'Content-Encoding': 'gzip' }),
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    // Copied into a plain Uint8Array: the DOM typings reject Buffer<ArrayBufferLike> as a body.
    body: new Uint8Array(options.identity ? raw : gzipSync(raw)),
  });
}

/** POSTs a well-formed batch, as the extension's uploader would. */
export function postBatch(
  collector: Collector,
  events: readonly CaptureEvent[],
  overrides: Partial<BatchHeader> = {},
  options: PostOptions = {},
): Promise<Response> {
  const h = header(events, overrides);
  return postRaw(collector, ndjson([h, ...events]), {
    ...options,
    headers: { 'Idempotency-Key': h.batchId, ...options.headers },
  });
}

export function postJson(collector: Collector, path: string, body: unknown, token?: string): Promise<Response> {
  return fetch(`${collector.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function getJson<T = Record<string, unknown>>(collector: Collector, path: string): Promise<T> {
  const res = await fetch(`${collector.url}${path}`);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** GETs an NDJSON endpoint and parses each line. */
export async function getNdjson<T = Record<string, unknown>>(collector: Collector, path: string): Promise<T[]> {
  const res = await fetch(`${collector.url}${path}`);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);
}

export function seqs(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** postBatch for test setup: fails the test at once if the collector did not take the batch. */
export async function storeBatch(
  collector: Collector,
  events: readonly CaptureEvent[],
  overrides: Partial<BatchHeader> = {},
): Promise<void> {
  const res = await postBatch(collector, events, overrides);
  if (res.status !== 200) throw new Error(`setup batch rejected: ${res.status} ${await res.text()}`);
}
