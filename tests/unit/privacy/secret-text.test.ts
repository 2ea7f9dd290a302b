import { describe, expect, it } from 'vitest';
import {
  isSecretKey,
  keyWords,
  redactCommandLine,
  redactKeyValueSecrets,
  redactSecretProse,
  redactUrlCredentials,
} from '../../../lib/privacy/secret-text';

describe('lib/privacy/secret-text', () => {
  describe('isSecretKey: a key names a secret in any casing or separator', () => {
    it.each(['NAME_PASSWORD', 'DB_PASS', 'db-pass', 'dbPassword', 'apiKey', 'API_KEY', 'x-api-key', 'client_secret', 'clientSecret', 'AWS_SECRET_ACCESS_KEY', 'auth.token', 'PGPASSWORD', 'pw', 'psw', 'Authorization', 'verification_code', 'license-key', 'Passwort'])('%s', (k) => {
      expect(isSecretKey(k)).toBe(true);
    });
    it.each(['APP_NAME', 'username', 'passenger', 'keyboard', 'monkey', 'primary_key', 'country_code', 'postal_code', 'code', 'compass', 'bypass_cache', 'pinned', 'tokenizer_model', 'author'])('not %s', (k) => {
      expect(isSecretKey(k)).toBe(false);
    });
    it('splits keys into words', () => {
      expect(keyWords('AWSSecretAccessKey')).toEqual(['aws', 'secret', 'access', 'key']);
      expect(keyWords('NAME_PASSWORD')).toEqual(['name', 'password']);
    });
  });

  describe('redactKeyValueSecrets', () => {
    it.each([
      ['NAME_PASSWORD=hunter2', 'NAME_PASSWORD=[redacted]'],
      ['export DB_PASS="s3 cr3t"', 'export DB_PASS="[redacted]"'],
      ['APP=demo\nDB_PASSWORD: correct horse battery\nPORT=80', 'APP=demo\nDB_PASSWORD: [redacted]\nPORT=80'],
      ['{"user": "bob", "password": "hunter2"}', '{"user": "bob", "password": "[redacted]"}'],
      ["{'apiKey': 'k-1'}", "{'apiKey': '[redacted]'}"],
      ['client_id=app&client_secret=xyz&grant_type=client_credentials', 'client_id=app&client_secret=[redacted]&grant_type=client_credentials'],
      ['Authorization: Basic dXNlcjpw', 'Authorization: Basic [redacted]'],
      ['Cookie: sid=abc; theme=dark', 'Cookie: [redacted]'],
      ['config: password=abc', 'config: password=[redacted]'],
      ['Server=db;Password=Sql2024pw;Database=app', 'Server=db;Password=[redacted];Database=app'],
    ])('%s', (s, out) => expect(redactKeyValueSecrets(s)).toBe(out));

    it.each(['APP_NAME=demo', 'time: 12:30', 'https://example.com/a', 'Status: shipped', 'ratio = 3:4', 'key: value'])('keeps %s', (s) => {
      expect(redactKeyValueSecrets(s)).toBe(s);
    });
  });

  describe('redactUrlCredentials: any scheme', () => {
    it.each([
      ['postgres://app:Tr0ub4dor@db:5432/prod', 'postgres://[redacted]@db:5432/prod'],
      ['mongodb+srv://u:p@cluster0.x.net/db', 'mongodb+srv://[redacted]@cluster0.x.net/db'],
      ['redis://:hunter2@cache:6379', 'redis://[redacted]@cache:6379'],
      ['amqp://guest:guest@rabbit/', 'amqp://[redacted]@rabbit/'],
      ['smb://CORP;jdoe:Welcome1@fs/share', 'smb://[redacted]@fs/share'],
      ['postgres://u:p@ss@db/x', 'postgres://[redacted]@db/x'],
    ])('%s', (s, out) => expect(redactUrlCredentials(s)).toBe(out));

    it.each(['smb://fileserver/share', 'ssh://git@github.com/x.git', 'http://host:8080/path@x', 'mailto:a@b.c'])('keeps %s', (s) => {
      expect(redactUrlCredentials(s)).toBe(s);
    });
  });

  describe('redactCommandLine', () => {
    it.each([
      ['curl -u admin:hunter2 https://api', 'curl -u [redacted] https://api'],
      ['curl --user=deploy:pw https://ci', 'curl --user=[redacted] https://ci'],
      ['psql --password=pgpass -h db', 'psql --password=[redacted] -h db'],
      ['app login --token 7c1d9e0f', 'app login --token [redacted]'],
      ['mysql -u root -pS3cret app', 'mysql -u root -p[redacted] app'],
    ])('%s', (s, out) => expect(redactCommandLine(s)).toBe(out));

    it.each(['npm install --save-dev vitest', 'ls -la /tmp', 'git commit -m "fix password reset copy"', 'docker run -p 8080:80 nginx'])('keeps %s', (s) => {
      expect(redactCommandLine(s)).toBe(s);
    });
  });

  describe('redactSecretProse', () => {
    it.each([
      ['the password is hunter2', 'the password is [redacted]'],
      ['The password for the VPN is Summer2024!', 'The password for the VPN is [redacted]'],
      ['my pin is 1234.', 'my pin is [redacted].'],
      ['pw: blue-Monkey', 'pw: [redacted]'],
      ['pw hunter22', 'pw [redacted]'],
      ['code: 123456', 'code: [redacted]'],
      ['Your verification code is 482913.', 'Your verification code is [redacted].'],
      ['my password was changed to Autumn42', 'my password was changed to [redacted]'],
      ['la contraseña es Madrid2024', 'la contraseña es [redacted]'],
      ['das Passwort ist Geheim123', 'das Passwort ist [redacted]'],
    ])('%s', (s, out) => expect(redactSecretProse(s)).toBe(out));

    it.each([
      'Password is required',
      'The password is too short',
      'Your password must be at least 12 characters long.',
      'Postal code: 94107',
      'Error code: 404',
      'Use discount code SUMMER at checkout.',
      'The code is clean',
      'Pin it to the board',
      'token authentication is deprecated',
      'Enter your PIN to continue.',
    ])('keeps %s', (s) => expect(redactSecretProse(s)).toBe(s));
  });
});

describe('lib/privacy/secret-text (values with punctuation)', () => {
  it('hides an unquoted secret up to the next space, not the first comma or bracket', () => {
    expect(redactKeyValueSecrets('then pin=12,34) ok')).toBe('then pin=[redacted] ok');
    expect(redactKeyValueSecrets('x password=pa,ss}word y')).toBe('x password=[redacted] y');
    expect(redactKeyValueSecrets('Server=db;Password=a,b;Database=app')).toBe('Server=db;Password=[redacted];Database=app');
  });
});
