import { describe, expect, it } from 'vitest';
import { isNationalPhone } from '../../../lib/privacy/phone';
import { isShortSecret, redactText } from '../../../lib/privacy/redact';

describe('lib/privacy/phone (national formats by prefix, failing closed)', () => {
  it.each(['030/61837294', '0171 / 1234567', '01.47.82.19.36', '020 7946 0958', '415.555.2671', '0049 30 1234567', '089 / 123 456 78'])('%s is a phone', (s) => {
    expect(isNationalPhone(s)).toBe(true);
  });
  // These mask more than the libphonenumber-js validator this replaced, which found them unassigned or
  // too short in its 32 countries: a trunk or international prefix is enough now.
  it.each(['008-59-62', '00097 2628', '0005-532.329', '049/360-2878 29 186', '0 12 34 56', '00 44 20 7946 0958 12'])('%s could be a phone (masks more than a validator)', (s) => {
    expect(isNationalPhone(s)).toBe(true);
  });
  it.each(['212-555-0123', '1 212 555 0123', '(212) 555 0123'])('%s fits the North American plan', (s) => {
    expect(isNationalPhone(s)).toBe(true);
  });
  // Outside the plans: an area code or exchange starting with 0 or 1, no prefix, or too few digits.
  it.each(['131.0.6778.85', '1.2.3.4567', '2024.05.01', '12345678', '555-0100', '1234 5678 9012', '123.456.7890', '212.155.0123', '0 12 34'])('%s is not asked about or not a phone', (s) => {
    expect(isNationalPhone(s)).toBe(false);
  });
});

describe('lib/privacy/redact (value formats of #11)', () => {
  it.each([
    ['call 030/61837294 today', 'call [phone] today'],
    ['Tel. 01.47.82.19.36', 'Tel. [phone]'],
    ["o'brien@example.com", '[email]'],
    ['Mail O’Neil@example.ie', 'Mail [email]'],
    ['NI number AB 12 34 56 C', 'NI number [ni-number]'],
    ['nino: ce123456d', 'nino: [ni-number]'],
    ['sort code 12-34-56', 'sort code [sort-code]'],
    ['12-34-56', '[sort-code]'],
    ['account 71936048, sort code 40-47-84', 'account [account], sort code [sort-code]'],
    ['Acct no. 31926819', 'Acct no. [account]'],
    ['invite k3J9xQ2mPz7LwR4t', 'invite [token]'],
    ['temp pass x7Kp2mQ9rT4w', 'temp pass [token]'],
    ['license AB12-CD34-EF56-GH78', 'license [token]'],
    ['postgres://app:Tr0ub4dor@db.internal:5432/prod', 'postgres://[redacted]@db.internal:5432/prod'],
    ['NAME_PASSWORD=hunter2', 'NAME_PASSWORD=[redacted]'],
    ['the password is hunter2, ok?', 'the password is [redacted], ok?'],
    ['whsec_abcdefghijklmnop1234', '[token]'],
  ])('%s', (s, out) => expect(redactText(s)).toBe(out));

  it.each([
    'Meet on 01-02-24',
    'Order ORD-2024-00123 has shipped',
    'Invoice INV-2024-000456',
    'Ticket JIRA-12345',
    'Room 4.12, build 4521',
    'Flight BA 283 at 18:45',
    'Total 1,234,567 units',
    'logo@2x.png',
    'getElementById and customerAccountSettings',
    'iPhone15ProMax256GB',
    'Q3Report2024',
    'Windows 11 23H2',
    'quarterly-report-2024',
    'Sony WH-1000XM5',
    'the account team meets at 10:30',
  ])('keeps %s', (s) => expect(redactText(s)).toBe(s));

  it('isShortSecret tells random strings from identifiers', () => {
    for (const s of ['k3J9xQ2mPz7LwR4t', 'Rt5vB8nQ2wXz4Lk7Mp9s', 'x7Kp2mQ9rT4w']) expect(isShortSecret(s, 10), s).toBe(true);
    for (const s of ['customerAccountSettings', 'HTTP_TIMEOUT_MS', 'iPhone15ProMax256GB', 'IMG_4521', 'v2024-05-01', 'abc123']) expect(isShortSecret(s, 10), s).toBe(false);
  });
});
