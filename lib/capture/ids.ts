/**
 * Event ids: `<prefix>.<counter>`. The prefix is 128 random bits (hex) drawn once per copy of the content
 * script — each document, and each copy injected into it, has its own — and the counter counts that copy's
 * events from 1. So ids are unique across documents, tabs and installs, an event keeps its id through
 * every retry, and the upload wire can carry the prefix once per batch and the counter as a difference
 * (lib/schema/wire.ts). The counter says how many events the copy made, never anything about their content:
 * the observers decide whether an event exists (one masked key per focus session, say) before it gets an id.
 *
 * crypto.randomUUID needs a secure context, getRandomValues does not.
 */
export function randomHex128(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

let prefix: string | undefined;
let counter = 0;

export function newEventId(): string {
  prefix ??= randomHex128();
  return `${prefix}.${++counter}`;
}
