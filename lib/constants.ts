/**
 * Every tunable of the extension in one place. Units are in the names.
 * Policy can override the ones it names (see lib/schema/policy.ts); the rest are fixed by design.
 */

export const SCHEMA_VERSION = 1;

/** Collector used by development builds (`npm run build:dev`, the demo) when no managed policy is set. */
export const DEV_COLLECTOR_URL = 'http://127.0.0.1:8787';

// Content script batching: flush what was captured after this quiet time or this many events.
export const CONTENT_FLUSH_DELAY_MS = 250;
export const CONTENT_FLUSH_MAX_EVENTS = 100;
/** Retries of a batch the background did not take (worker restarting, "Receiving end does not exist"). */
export const CONTENT_SEND_RETRIES = 8;
export const CONTENT_SEND_RETRY_BASE_MS = 50;
/**
 * Events a page captures before the extension has published any capture configuration (the first
 * seconds after an install, while the browser answers the managed policy). They stay in the page until
 * the configuration says whether they may be sent; past this many, newer ones are not kept.
 */
export const CONTENT_HELD_MAX_EVENTS = 1_000;

/** Pointer paths: sampling interval (policy `pointerSampleMs`) and the longest path segment per event. */
export const POINTER_SAMPLE_MS_DEFAULT = 75;
export const POINTER_SEGMENT_MAX_POINTS = 64;
/** Scroll events per container are coalesced over this window. */
export const SCROLL_COALESCE_MS = 150;

/** Longest text kept for an accessible name, a selector or a value (characters). */
export const MAX_NAME_CHARS = 120;
export const MAX_VALUE_CHARS = 1_000;
export const MAX_SELECTOR_CHARS = 400;

/** The fixed stand-in for every masked key and value: the same whatever was typed. */
export const MASK = '•';

// Uploads.
export const UPLOAD_INTERVAL_MINUTES_DEFAULT = 5;
/** Start an upload early once this many events are pending. */
export const UPLOAD_EARLY_EVENTS = 500;
export const BATCH_MAX_EVENTS = 500;
export const BATCH_MAX_RAW_BYTES = 512 * 1024;
export const UPLOAD_TIMEOUT_MS = 20_000;
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 60 * 60_000;
/** Chrome never fires alarms sooner than 30 s after they are set (packed extensions). */
export const ALARM_MIN_DELAY_MS = 30_000;
export const MAX_UPLOAD_KB_PER_DAY_DEFAULT = 20_480;
export const MAX_UPLOAD_KBPS_DEFAULT = 64;
export const MAX_BUFFER_MB_DEFAULT = 50;
/** Compact wire form (lib/schema/wire.ts): after a collector refused a compact batch as unreadable, batches to it stay plain this long. */
export const WIRE_COMPACT_REFUSED_MS = 24 * 60 * 60_000;
/** Collector URLs whose wire capability is remembered (the most recently answered ones). */
export const WIRE_MEMORY_MAX_COLLECTORS = 8;

/** Ids of events already stored are remembered this long so a content retry cannot store them twice. */
export const RECENT_IDS_TTL_MS = 60 * 60_000;

// Pause.
export const MAX_PAUSE_MINUTES_DEFAULT = 30;
export const PAUSE_CHOICES_MINUTES = [5, 15, 30] as const;

// Frame levels (markers on a cross-origin <iframe>, lib/background/frame-privacy.ts).
/** Child frames waiting for their parent's verdict, remembered at most (oldest forgotten first). */
export const FRAME_LEVEL_MAX_PENDING = 256;
/** A child's request older than this is forgotten (its frame is gone or its parent is not capturing). */
export const FRAME_LEVEL_REQUEST_TTL_MS = 10 * 60_000;

// Privacy: value-level redaction (lib/privacy/redact.ts).
/** Random-looking runs this long (characters) or longer are tokens in free text (API keys, invite codes). */
export const SHORT_TOKEN_MIN_CHARS = 16;
/** Shorter runs (characters, from this length) are tokens only with all three classes well mixed ("x7Kp2mQ9rT4w"). */
export const STRONG_TOKEN_MIN_CHARS = 10;
/** In a URL path segment or plain fragment, random-looking runs from this length (characters) are tokens. */
export const URL_SEGMENT_TOKEN_MIN_CHARS = 10;
/**
 * Query and fragment parameters whose values are kept (after the detectors): paging, sorting, tabs,
 * views and languages. Every other parameter's value is redacted; policy `safeUrlParams` adds names.
 * Search parameters ("q", "query", "search") are not here: what they hold was typed.
 */
export const SAFE_URL_PARAMS: readonly string[] = [
  'page', 'per_page', 'page_size', 'limit', 'offset', 'start', 'sort', 'sort_by', 'order', 'order_by',
  'dir', 'direction', 'tab', 'view', 'mode', 'layout', 'display', 'section', 'panel', 'step', 'format',
  'zoom', 'density', 'theme', 'lang', 'language', 'locale', 'hl', 'country', 'country_code', 'currency',
  'region', 'timezone', 'utm_source', 'utm_medium', 'utm_campaign',
];
/** A safe parameter's value longer than this (characters, encoded) is redacted anyway: enums are short. */
export const MAX_SAFE_URL_PARAM_VALUE_CHARS = 64;
/** Typed values remembered per document to keep them out of URLs (fields × values per field, chars each). */
export const TYPED_MEMORY_FIELDS = 8;
export const TYPED_MEMORY_VALUES_PER_FIELD = 3;
export const TYPED_MEMORY_MAX_CHARS = 256;
