/**
 * Last line of defence for masked fields. The content script must never send a secret; if a buggy
 * or foreign client does, the collector refuses to persist it rather than trusting the `masked`
 * flag downstream. Only events that break the contract are rewritten, so everything else is stored
 * byte for byte as received.
 */
import { MASK } from '../lib/constants';
import { CaptureEvent } from '../lib/schema/event';
import type { Target } from '../lib/schema/event';

export interface Sanitized {
  event: CaptureEvent;
  json: string;
  /** True when something had to be removed (counted in /v1/stats as strippedMaskedValues). */
  stripped: boolean;
}

const TARGET_FIELDS = ['target', 'source'] as const;

/** ARIA and text selectors are built from the accessible name or the text: a masked element has neither. */
const NAME_SELECTOR_PREFIXES = ['aria/', 'text/'] as const;

function isNameSelector(chain: readonly string[]): boolean {
  return chain.some((part) => NAME_SELECTOR_PREFIXES.some((prefix) => part.startsWith(prefix)));
}

/** Selectors safe to keep for a target: all of them, or for a masked one those not built from its name. */
export function safeSelectors(target: Pick<Target, 'masked' | 'selectors'>): string[][] {
  return target.masked ? target.selectors.filter((chain) => !isNameSelector(chain)) : target.selectors;
}

function maskedTargetLeaks(target: Target | undefined): boolean {
  return target?.masked === true && (target.name !== undefined || target.selectors.some(isNameSelector));
}

function carriesMaskedSecret(event: CaptureEvent): boolean {
  if ((event.type === 'input' || event.type === 'change') && event.masked && event.value !== undefined) return true;
  if (event.type === 'key' && event.masked) {
    if (event.key !== MASK || event.code !== undefined || event.chord !== undefined) return true;
  }
  return TARGET_FIELDS.some((field) => maskedTargetLeaks((event as Partial<Record<typeof field, Target>>)[field]));
}

export function stripMaskedSecrets(event: CaptureEvent, json: string): Sanitized {
  if (!carriesMaskedSecret(event)) return { event, json, stripped: false };
  // Edit the raw object rather than the parsed one so unknown (newer) fields survive; only secrets go.
  const raw = JSON.parse(json) as Record<string, unknown>;
  if (event.type === 'input' || event.type === 'change') {
    if (event.masked) delete raw.value;
  }
  if (event.type === 'key' && event.masked) {
    raw.key = MASK;
    delete raw.code;
    delete raw.chord;
  }
  for (const field of TARGET_FIELDS) {
    const target = raw[field] as { masked?: unknown; name?: unknown; selectors?: string[][] } | undefined;
    if (target?.masked !== true) continue;
    delete target.name;
    if (Array.isArray(target.selectors)) target.selectors = safeSelectors({ masked: true, selectors: target.selectors });
  }
  // Only optional fields were removed, so the event still matches the schema.
  return { event: CaptureEvent.parse(raw), json: JSON.stringify(raw), stripped: true };
}
