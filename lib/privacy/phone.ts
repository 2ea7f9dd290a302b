/**
 * Phone numbers written the national way, without a "+" ("030/12345678", "01.23.45.67.89",
 * "0171 / 123 4567"), confirmed with libphonenumber-js rather than grown by hand. Its metadata is cut
 * down to the countries in lib/privacy/phone-metadata.json (scripts/phone-metadata.mjs) to keep the
 * content script small; numbers with a "+" are phones for every country without asking it.
 *
 * Almost any 7–12 digit run is a valid number somewhere, so this is only asked about a span that is
 * already grouped like a phone and starts with a trunk or international prefix ("0…", "00…"), or is a
 * ten-digit North American number; a span with no digits never gets here (cost stays bounded).
 */
import { isValidPhoneNumber, type CountryCode, type MetadataJson } from 'libphonenumber-js/core';
import metadataJson from './phone-metadata.json';

const metadata = metadataJson as unknown as MetadataJson;
const COUNTRIES = Object.keys(metadataJson.countries) as CountryCode[];

/** Whether `span` (digits with separators, no "+") is a valid national phone number in a kept country. */
export function isNationalPhone(span: string): boolean {
  const digits = span.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return false;
  const trunk = digits.startsWith('0');
  const nanp = digits.length === 10 || (digits.length === 11 && digits.startsWith('1'));
  if (!trunk && !nanp) return false;
  const text = span.replace(/[^\d()\s.-]/g, ' ');
  for (const country of trunk ? COUNTRIES : (['US', 'CA'] as CountryCode[])) {
    try {
      if (isValidPhoneNumber(text, country, metadata)) return true;
    } catch {
      // An unparsable span for one country is simply not a number there.
    }
  }
  return false;
}
