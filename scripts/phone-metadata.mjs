#!/usr/bin/env node
/**
 * Writes lib/privacy/phone-metadata.json: libphonenumber-js's "min" metadata cut down to the countries
 * whose national number formats redaction recognises without a "+" (numbers written with a "+" are
 * recognised for every country without metadata). The whole-world metadata is ~83 kB and the content
 * script runs in every frame, so only the countries where most business software is used are kept.
 * Re-run after upgrading libphonenumber-js:  node scripts/phone-metadata.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** ISO 3166 codes: North America, Western/Northern/Central Europe, and the largest other markets. */
const COUNTRIES = [
  'US', 'CA', 'GB', 'IE', 'DE', 'AT', 'CH', 'FR', 'BE', 'NL', 'LU', 'ES', 'PT', 'IT', 'SE', 'NO', 'DK',
  'FI', 'PL', 'CZ', 'AU', 'NZ', 'IN', 'SG', 'HK', 'JP', 'KR', 'CN', 'BR', 'MX', 'ZA', 'AE',
];

const require = createRequire(import.meta.url);
const full = JSON.parse(readFileSync(require.resolve('libphonenumber-js/metadata.min.json'), 'utf8'));
const keep = new Set(COUNTRIES);
const countries = Object.fromEntries(Object.entries(full.countries).filter(([cc]) => keep.has(cc)));
const callingCodes = {};
for (const [code, list] of Object.entries(full.country_calling_codes)) {
  const kept = list.filter((cc) => keep.has(cc));
  if (kept.length > 0) callingCodes[code] = kept;
}
const missing = COUNTRIES.filter((cc) => !countries[cc]);
if (missing.length > 0) throw new Error(`not in libphonenumber-js metadata: ${missing.join(', ')}`);
const out = { version: full.version, country_calling_codes: callingCodes, countries };
const target = new URL('../lib/privacy/phone-metadata.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(out)}\n`);
console.log(`${target.pathname}: ${COUNTRIES.length} countries, ${JSON.stringify(out).length} bytes`);
