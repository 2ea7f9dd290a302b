import { describe, expect, it } from 'vitest';
import { MAX_VALUE_CHARS } from '../../../lib/constants';
import { ibanValid, isSecretParamName, isTokenLike, luhnValid, redactText, redactUrl } from '../../../lib/privacy/redact';

describe('lib/privacy/redact', () => {
  describe('redactText keeps ordinary text readable', () => {
    it.each([
      'Order 42 shipped on 2026-11-27 at 10:30',
      'Meeting 10:30-11:45 on 27.11.2026',
      'Due 11-27-2026, 3 items left',
      '2026-11-27 12 items',
      '© 2019-2024 Example Inc.',
      'Chrome 131.0.6778.85 and v10.15.7',
      'TypeScript 5.9.3 released',
      'Server 192.168.100.200 is up',
      'Total 1 234 567 € and $1,234,567,890',
      'Page 1 2 3 4 5 6 7 8',
      'The quick brown fox jumps over the lazy dog 3 times in 2024.',
      'tokens of appreciation',
      'Pneumonoultramicroscopicsilicovolcanoconiosis',
      'internationalization-and-localization',
      'how-to-build-a-browser-extension-in-2024',
      'user_profile_settings_v2_2024_final',
      '/api/v1/users/12345/profile',
      'Password is required',
      'Reset your password',
      'Contact us @ the front desk',
      'npm i typescript@next',
      'The basic functionality works with token authentication',
      'Bearer tokens expire hourly',
    ])('%s', (s) => {
      expect(redactText(s)).toBe(s);
    });
  });

  describe('emails', () => {
    it.each([
      ['Contact jane.doe@example.co.uk for details.', 'Contact [email] for details.'],
      ['My email is JOHN.DOE@GMAIL.COM, call me', 'My email is [email], call me'],
      ['cc: a+tag@sub.example.org;b_c@ex.io', 'cc: [email];[email]'],
      ['jörg@müller.de', '[email]'],
    ])('%s', (s, out) => expect(redactText(s)).toBe(out));
  });

  describe('phone numbers', () => {
    it.each([
      ['call +1 (415) 555-2671 now', 'call [phone] now'],
      ['(415) 555-2671', '[phone]'],
      ['415-555-2671', '[phone]'],
      ['415.555.2671', '[phone]'],
      ['1-800-555-1234', '[phone]'],
      ['+44 20 7946 0958', '[phone]'],
      ['020 7946 0958', '[phone]'],
      ['06 12 34 56 78', '[phone]'],
      ['+49 30 1234567', '[phone]'],
      ['Tel: 030 12345678', 'Tel: [phone]'],
      ['555-2671', '[phone]'],
      ['Call 555-123-4567 on 2026-11-27', 'Call [phone] on 2026-11-27'],
    ])('%s', (s, out) => expect(redactText(s)).toBe(out));

    it.each(['2026-11-27', '27.11.2026', '10:30:15', '1.2.3', '2019-2024', 'v2.14.1023.5', '123456'])('not a phone: %s', (s) => {
      expect(redactText(s)).toBe(s);
    });
  });

  describe('card numbers (Luhn)', () => {
    it.each([
      ['card 4111 1111 1111 1111 thanks', 'card [card] thanks'],
      ['4111-1111-1111-1111', '[card]'],
      ['5555555555554444', '[card]'],
      ['Amex 378282246310005', 'Amex [card]'],
      ['4111 1111 1111 1111 12 28', '[card] 12 28'],
    ])('%s', (s, out) => expect(redactText(s)).toBe(out));

    it('a Luhn-invalid 16-digit number is still masked, as a number', () => {
      expect(redactText('card 4111 1111 1111 1112 thanks')).toBe('card [number] thanks');
    });

    it('luhnValid', () => {
      expect(luhnValid('4111111111111111')).toBe(true);
      expect(luhnValid('4111111111111112')).toBe(false);
      expect(luhnValid('41a1')).toBe(false);
    });
  });

  describe('SSNs', () => {
    it.each([
      ['SSN 123-45-6789', 'SSN [ssn]'],
      ['SSN: 123 45 6789', 'SSN: [ssn]'],
    ])('%s', (s, out) => expect(redactText(s)).toBe(out));
  });

  describe('IBANs (mod-97)', () => {
    it.each([
      ['IBAN DE89 3704 0044 0532 0130 00 is mine', 'IBAN [iban] is mine'],
      ['GB82 WEST 1234 5698 7654 32', '[iban]'],
      ['FR1420041010050500013M02606', '[iban]'],
      ['lowercase de89370400440532013000.', 'lowercase [iban].'],
    ])('%s', (s, out) => expect(redactText(s)).toBe(out));

    it('a random IBAN-shaped string is not an IBAN (its digits are still masked)', () => {
      expect(redactText('DE89 3704 0044 0532 0130 01')).toBe('DE[number]');
      expect(redactText('AB12 cdef ghij klmn')).toBe('AB12 cdef ghij klmn');
      expect(ibanValid('DE89370400440532013000')).toBe(true);
      expect(ibanValid('DE89370400440532013001')).toBe(false);
      expect(ibanValid('DE8937040044053201300')).toBe(false); // wrong length for DE
    });
  });

  describe('JWTs, keys and tokens', () => {
    const jwt =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
    it.each([
      [`token ${jwt} end`, 'token [jwt] end'],
      ['key sk_live_51H8XkEZvKYlo2C0aBcDeFgH', 'key [token]'],
      ['ghp_16C7e42F292c6912E7710c838347Ae178B4a', '[token]'],
      ['AKIAIOSFODNN7EXAMPLE', '[token]'],
      ['AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe', '[token]'],
      ['xoxb-123456789012-abcdefghij', '[token]'],
      ['Authorization: Bearer abc.def-ghi_jkl123', 'Authorization: Bearer [redacted]'],
      ['Authorization: Basic dXNlcjpwYXNzd29yZA==', 'Authorization: Basic [redacted]'],
      ['sha a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6', 'sha [token]'],
      ['0x71C7656EC7ab88b098defB751B7401B5f6d8976F', '[token]'],
      ['aGVsbG8gd29ybGQgdGhpcyBpcyBhIHNlY3JldCBrZXk=', '[token]'],
      ['session 9fK2mQ7xL0pR4tY8wE1uI6oP3sD5', 'session [token]'],
      ['id 550e8400-e29b-41d4-a716-446655440000', 'id [uuid]'],
      ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----', '[token]'],
    ])('%s', (s, out) => expect(redactText(s)).toBe(out));

    it('isTokenLike tells keys from long words and slugs', () => {
      expect(isTokenLike('9fK2mQ7xL0pR4tY8wE1uI6oP3sD5')).toBe(true);
      expect(isTokenLike('Pneumonoultramicroscopicsilicovolcanoconiosis')).toBe(false);
      expect(isTokenLike('how-to-build-a-browser-extension-in-2024')).toBe(false);
      expect(isTokenLike('short1234')).toBe(false);
    });
  });

  describe('labelled secrets and long numbers', () => {
    it.each([
      ['password: hunter2', 'password: [redacted]'],
      ['my pin=1234', 'my pin=[redacted]'],
      ['API_KEY = abcdef', 'API_KEY = [redacted]'],
      ['ref 1234567890', 'ref [number]'],
      ['ORDER-2024-000123456', 'ORDER-[number]'],
      ['1234 5678 9012 3456', '[number]'],
    ])('%s', (s, out) => expect(redactText(s)).toBe(out));
  });

  describe('evasions', () => {
    it('sees through full-width digits and zero-width characters', () => {
      expect(redactText('４１１１ １１１１ １１１１ １１１１')).toBe('[card]');
      expect(redactText('4111\u200b1111\u200b1111\u200b1111')).toBe('[card]');
      expect(redactText('jane\u200b@example.com')).toBe('[email]');
    });
  });

  describe('URLs inside text', () => {
    it('redacts their secret parameters and keeps sentence punctuation', () => {
      expect(redactText('see https://example.com/reset?token=abc123&lang=en.')).toBe(
        'see https://example.com/reset?token=[redacted]&lang=en.',
      );
    });
  });

  describe('length', () => {
    it('cuts to the max length and marks the cut', () => {
      const out = redactText('a'.repeat(2000), 10);
      expect(out).toBe(`${'a'.repeat(9)}…`);
      expect(redactText('x'.repeat(5000)).length).toBe(MAX_VALUE_CHARS);
    });

    it('never cuts a placeholder in half', () => {
      expect(redactText('call 415-555-2671 now', 9)).toBe('call …');
    });

    it('a secret straddling the look-ahead limit does not leak half of itself', () => {
      const s = `${'word '.repeat(1000)}4111 1111 1111 1111`;
      expect(redactText(s, 20_000)).not.toMatch(/4111/);
      const e = `${'w '.repeat(2046)}jane.doe@example.com`;
      expect(redactText(e, 100_000)).not.toMatch(/jane/);
    });
  });

  it('never throws, whatever it is given', () => {
    for (const bad of [undefined, null, 42, {}, [], '\uD800', '+('.repeat(3000), 'a@'.repeat(3000), '1 '.repeat(3000)]) {
      expect(() => redactText(bad as unknown as string)).not.toThrow();
    }
    expect(redactText(undefined as unknown as string)).toBe('');
  });

  describe('redactUrl', () => {
    it.each([
      [
        'https://user:pw@example.com/a/b?token=xyz&q=hello&email=a%40b.com#access_token=abc&state=1&x=2',
        'https://example.com/a/b?token=[redacted]&q=[redacted]&email=[redacted]#access_token=[redacted]&state=[redacted]&x=[redacted]',
      ],
      ['https://app.example.com/#/users/7?code=abc&tab=x', 'https://app.example.com/#/users/7?code=[redacted]&tab=x'],
      ['https://login.example.com/cb?code=4/0AX4&state=af0ifjsldkj&scope=email', 'https://login.example.com/cb?code=[redacted]&state=[redacted]&scope=[redacted]'],
      [
        'https://b.s3.amazonaws.com/k?X-Amz-Signature=abc&X-Amz-Credential=AK&X-Amz-Security-Token=t',
        'https://b.s3.amazonaws.com/k?X-Amz-Signature=[redacted]&X-Amz-Credential=[redacted]&X-Amz-Security-Token=[redacted]',
      ],
      ['https://storage.googleapis.com/b/o?X-Goog-Signature=ab12', 'https://storage.googleapis.com/b/o?X-Goog-Signature=[redacted]'],
      ['https://ex.com/p?sid=1&session_id=2&apiKey=3&sig=4&password=5&jwt=6&otp=7&ticket=8&auth=9', 'https://ex.com/p?sid=[redacted]&session_id=[redacted]&apiKey=[redacted]&sig=[redacted]&password=[redacted]&jwt=[redacted]&otp=[redacted]&ticket=[redacted]&auth=[redacted]'],
      ['https://ex.com/u/jane@ex.com/p', 'https://ex.com/u/[email]/p'],
      ['https://ex.com/reset/a8Fk2LmQ9xZ0pR7tY4wE1uI6oP3sD5', 'https://ex.com/reset/[token]'],
      ['https://ex.com/invite/550e8400-e29b-41d4-a716-446655440000', 'https://ex.com/invite/[uuid]'],
      ['https://ex.com/x#:~:text=jane%40ex.com', 'https://ex.com/x#:~:text=[redacted]'],
      ['https://ex.com/x#id_token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sig', 'https://ex.com/x#id_token=[redacted]'],
      [
        'https://ex.com/p?redirect=https%3A%2F%2Fother.com%2Fcb%3Fcode%3Dsecret123',
        'https://ex.com/p?redirect=[redacted]',
      ],
      ['blob:https://ex.com/550e8400-e29b-41d4-a716-446655440000', 'blob:https://ex.com/[uuid]'],
      ['/relative/path?sid=1', '/relative/path?sid=[redacted]'],
    ])('%s', (url, out) => expect(redactUrl(url)).toBe(out));

    it.each([
      'https://docs.example.com/guide/getting-started?lang=en&page=2#section-2',
      'https://shop.example.com/orders/42?country_code=US&sort=asc',
      'http://127.0.0.1:8787/v1/events',
      'about:blank',
    ])('keeps %s', (url) => expect(redactUrl(url)).toBe(url));

    it('keeps only the scheme of opaque URLs', () => {
      expect(redactUrl('javascript:alert(document.cookie)')).toBe('javascript:[redacted]');
      expect(redactUrl('data:text/html;base64,PHNjcmlwdD4=')).toBe('data:[redacted]');
      expect(redactUrl('mailto:jane@example.com')).toBe('mailto:[redacted]');
    });

    it('never throws on garbage', () => {
      for (const bad of ['', 'garbage', 'http://', '::::', 'http://[bad', undefined, null, 7]) {
        expect(() => redactUrl(bad as unknown as string)).not.toThrow();
        expect(redactUrl(bad as unknown as string)).toBe('[invalid-url]');
      }
    });

    it('stays within the schema limit', () => {
      expect(redactUrl(`https://ex.com/?${'a=b&'.repeat(2000)}`).length).toBeLessThanOrEqual(2048);
    });

    it('isSecretParamName', () => {
      for (const n of ['token', 'access_token', 'refresh_token', 'id_token', 'code', 'state', 'session', 'sid', 'key', 'api_key', 'apikey', 'password', 'pass', 'pwd', 'auth', 'Authorization', 'sig', 'signature', 'secret', 'client_secret', 'jwt', 'otp', 'ticket', 'credential', 'x-amz-date', 'X-Goog-Algorithm', 'SAMLResponse', 'oobCode', 'nonce']) {
        expect(isSecretParamName(n), n).toBe(true);
      }
      for (const n of ['q', 'page', 'lang', 'sort', 'country_code', 'utm_source', 'author', 'passenger', 'status']) {
        expect(isSecretParamName(n), n).toBe(false);
      }
    });
  });
});

describe('lib/privacy/redact (path parameters)', () => {
  it('redacts secret matrix parameters in a path segment', () => {
    expect(redactUrl('https://ex.com/app/login;jsessionid=ABC123?x=1')).toBe('https://ex.com/app/login;jsessionid=[redacted]?x=[redacted]');
    expect(redactUrl('https://ex.com/a;v=2/b')).toBe('https://ex.com/a;v=2/b');
  });
});
