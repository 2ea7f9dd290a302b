/**
 * Every tunable of the reference collector in one place. Units are in the names.
 * The upload-side limits live in lib/constants.ts; these are the collector's own.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';
/** Resolved from this file, so the default database does not depend on the working directory. */
export const DEFAULT_DB_PATH = fileURLToPath(new URL('./data/collector.sqlite', import.meta.url));

// Request limits. The extension's batches are far smaller (lib/constants.ts BATCH_MAX_RAW_BYTES);
// these only bound what a buggy or hostile client can make the collector hold in memory.
export const MAX_BATCH_COMPRESSED_BYTES = 5 * 1024 * 1024;
export const MAX_BATCH_RAW_BYTES = 20 * 1024 * 1024;
/** Opt-out, deletion and fault-script bodies are tiny JSON objects. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;
/**
 * After a body is known to be too large we keep reading (and discarding) up to this much, so the
 * client gets to read the 413 instead of a connection reset; beyond it the socket is destroyed.
 */
export const MAX_DISCARD_BYTES = 64 * 1024 * 1024;
/**
 * A whole request (headers and body) must arrive within this time: well beyond the extension's own
 * UPLOAD_TIMEOUT_MS, so only a stalled or deliberately slow client is cut off.
 */
export const REQUEST_TIMEOUT_MS = 60_000;

/** Schema issues reported per rejected line: enough to fix the client, small enough to log. */
export const MAX_REPORTED_ISSUES = 20;
/** Missing seq values listed per install in /v1/stats (the count is always exact). */
export const MAX_REPORTED_MISSING_SEQS = 100;

export const EVENTS_QUERY_LIMIT_DEFAULT = 100_000;
export const EVENTS_QUERY_LIMIT_MAX = 1_000_000;
/** NDJSON responses are written in chunks of about this size, honouring backpressure. */
export const RESPONSE_CHUNK_CHARS = 64 * 1024;

/**
 * A page load this soon after a click, submit or Enter in the same tab is taken to be caused by it.
 * A slower load is treated as independent, which replays as one extra (harmless) navigate step;
 * a longer window would risk swallowing a navigation the person typed into the address bar.
 */
export const NAVIGATION_CAUSE_WINDOW_MS = 1_000;
/** A right click can arrive as both `contextmenu` and `auxclick`; within this window it is one step. */
export const DUPLICATE_CLICK_WINDOW_MS = 1_000;
/** Used for the Recorder's setViewport step when no navigation event carried a viewport. */
export const FALLBACK_VIEWPORT = { width: 1280, height: 720, dpr: 1 } as const;

// Fault injection (tests only, off unless started with --enable-faults).
export const FAULT_LOG_MAX_ENTRIES = 200;
export const MAX_FAULT_DELAY_MS = 120_000;
export const MAX_FAULT_RULES = 1_000;

/** Grace period for open connections on SIGINT/SIGTERM before they are cut. */
export const SHUTDOWN_GRACE_MS = 5_000;

export const COLLECTOR_VERSION = readPackageVersion();

function readPackageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
