/**
 * Phone numbers written the national way, without a "+" ("030/12345678", "01.23.45.67.89",
 * "0171 / 123 4567", "415.555.2671"), recognised by the numbering plans' prefixes rather than validated
 * against per-country metadata: the content script runs in every frame, and a validator would have to
 * carry the numbering plans of every country to be right everywhere. This fails closed instead: a span
 * that could be a national number is one. Numbers with a "+" are phones for every country without
 * asking here (lib/privacy/redact.ts).
 *
 * Almost any 7–12 digit run is a valid number somewhere, so this is only asked about a span that is
 * already grouped like a phone (two or more digit groups) that the shape rules in redact.ts did not
 * settle; a span with no digits never gets here (cost stays bounded). It answers yes for:
 * - a trunk or international prefix: the digits start with "0" ("0…" in most of Europe, the UK,
 *   Australia, New Zealand, India, Japan, Korea, China, Brazil, South Africa; Italian landlines;
 *   "00…", "010…", "011…" before a country code), 7–15 digits, 17 with "00" (E.164 allows 15 after it);
 * - the North American plan: ten digits NXX NXX XXXX (area code and exchange never start with 0 or 1),
 *   optionally after the country code 1.
 * Everything libphonenumber-js (the validator this replaced) accepted for the 32 countries it carried is
 * accepted here too; what it rejected with such a prefix (a number too short or unassigned there) is
 * masked now.
 */

/** North American Numbering Plan: [1] NXX NXX XXXX. */
const NANP = /^1?[2-9]\d\d[2-9]\d{6}$/;

/** Whether `span` (digits with separators, no "+") could be a phone number written the national way. */
export function isNationalPhone(span: string): boolean {
  const digits = span.replace(/\D/g, '');
  const max = digits.startsWith('00') ? 17 : 15;
  if (digits.length < 7 || digits.length > max) return false;
  return digits.startsWith('0') || NANP.test(digits);
}
