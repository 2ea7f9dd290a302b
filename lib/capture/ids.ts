/** Event ids: random, unique per event; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function newEventId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
