/**
 * The peer arm: rrweb's `record()` (the `rrweb` npm package, its own minified UMD bundle as shipped, with
 * `maskAllInputs: true`), injected at document start in every frame like the content script, in a fresh
 * profile without the extension. Its events are kept in the page as JSON strings — what a deployment
 * does before sending them — and counted; the benchmark reads them after each workload to count bytes
 * (raw JSON, and gzip of the page's events as one NDJSON stream).
 *
 * rrweb records the DOM (a full snapshot of the page at load, then every mutation) as well as input,
 * so its bytes include the page itself; the extension records actions with element descriptions only.
 * The comparison is what each costs a page while a person works in it, not equal output.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Session } from './cdp';

const BUNDLE = fileURLToPath(new URL('../node_modules/rrweb/dist/rrweb.umd.min.cjs', import.meta.url));
export const RRWEB_VERSION = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../node_modules/rrweb/package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

/** Where the page keeps what rrweb emitted (main world). */
const STORE = '__wcBenchRrweb';

/** rrweb's EventType.FullSnapshot: the serialised DOM. */
const FULL_SNAPSHOT = 2;

let script: string | undefined;

/**
 * The bundle and the call that starts recording, as one document-start script for every frame. rrweb
 * records same-origin frames from their parent (and makes an about:blank frame of its own to borrow
 * untouched DOM prototypes from), so `record()` starts in the top frame and in cross-origin frames only,
 * which hand their events to the top frame (`recordCrossOriginIframes`) — rrweb's own set-up for pages
 * with frames. Starting it in every same-origin frame too would record them twice, and its helper frame
 * would start a recorder that makes a helper frame, without end.
 */
export function rrwebPageScript(): string {
  script ??= `${readFileSync(BUNDLE, 'utf8')}
;(() => {
  const rr = globalThis.rrweb;
  if (!rr || globalThis.${STORE}) return;
  let crossOrigin = false;
  try {
    void window.parent.document;
  } catch {
    crossOrigin = true;
  }
  if (window !== window.top && !crossOrigin) return;
  const store = (globalThis.${STORE} = { lines: [], snapshotChars: 0, mark: 0 });
  rr.record({
    emit(event) {
      const line = JSON.stringify(event);
      store.lines.push(line);
      if (event.type === ${FULL_SNAPSHOT}) store.snapshotChars += line.length;
    },
    maskAllInputs: true,
    recordCrossOriginIframes: true,
  });
})();`;
  return script;
}

export interface RrwebBytes {
  /** rrweb events emitted in the page since it loaded (the full snapshot at load included). */
  events: number;
  /** Bytes of their JSON, one event a line (UTF-8), and of that NDJSON gzip-compressed (level 6). */
  rawBytes: number;
  gzipBytes: number;
  /** Of the raw bytes: the full DOM snapshot(s). */
  snapshotRawBytes: number;
  /** Events emitted from `markWindow` on (during the workload). */
  eventsInWindow: number;
}

/** Remember where the measured window starts. */
export async function markWindow(s: Session): Promise<void> {
  await s.evaluate(`void (globalThis.${STORE} && (globalThis.${STORE}.mark = globalThis.${STORE}.lines.length))`);
}

/** What rrweb emitted in the page's top frame so far (undefined: rrweb did not run there). */
export async function readRrwebBytes(s: Session): Promise<RrwebBytes | undefined> {
  const r = await s.evaluate<{ ndjson: string; events: number; mark: number; snapshotChars: number } | null>(
    `(() => { const r = globalThis.${STORE}; return r ? { ndjson: r.lines.join('\\n'), events: r.lines.length, mark: r.mark, snapshotChars: r.snapshotChars } : null; })()`,
  );
  if (!r) return undefined;
  const ndjson = r.ndjson + '\n';
  return {
    events: r.events,
    rawBytes: Buffer.byteLength(ndjson),
    gzipBytes: gzipSync(ndjson).length,
    // Snapshot JSON is ASCII apart from page text; characters are close enough to bytes for this split.
    snapshotRawBytes: r.snapshotChars,
    eventsInWindow: r.events - r.mark,
  };
}
