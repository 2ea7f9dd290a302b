import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError, parseCli } from '../../../collector/cli-options';
import { DEFAULT_DB_PATH } from '../../../collector/constants';

describe('collector/cli-options parseCli', () => {
  it('defaults to 127.0.0.1:8787 with the project database and no token or faults', () => {
    expect(parseCli([], {})).toEqual({
      help: false,
      options: { port: 8787, host: '127.0.0.1', db: DEFAULT_DB_PATH, faults: false },
    });
  });

  it('reads the environment, and flags win over it', () => {
    const env = { COLLECTOR_PORT: '9000', COLLECTOR_DB: ':memory:', COLLECTOR_TOKEN: 'tok', COLLECTOR_FAULTS: '1' };
    expect(parseCli([], env)).toEqual({
      help: false,
      options: { port: 9000, host: '127.0.0.1', db: ':memory:', token: 'tok', faults: true },
    });
    const flags = ['--port', '0', '--host', '0.0.0.0', '--db', 'x/y.sqlite', '--token', 'flag-tok', '--enable-faults'];
    expect(parseCli(flags, env)).toEqual({
      help: false,
      options: { port: 0, host: '0.0.0.0', db: resolve('x/y.sqlite'), token: 'flag-tok', faults: true },
    });
  });

  it('rejects a bad port or an unknown flag', () => {
    expect(() => parseCli(['--port', '80a'], {})).toThrow(CliError);
    expect(() => parseCli(['--port', '70000'], {})).toThrow(CliError);
    expect(() => parseCli(['--verbose'], {})).toThrow(CliError);
    expect(parseCli(['--help'], {})).toEqual({ help: true });
  });
});

describe('collector/main', () => {
  it('prints one listening line, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'collector/main.ts', '--port', '0', '--db', ':memory:'], {
      cwd: resolve(import.meta.dirname, '../../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolveUrl, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /^collector listening on (http:\/\/\S+) \(db :memory:\)$/m.exec(out);
        if (match?.[1]) resolveUrl(match[1]);
      });
      child.on('exit', () => reject(new Error(`exited early: ${stderr}`)));
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const code = await new Promise<number | null>((done) => {
      child.on('exit', (exitCode) => done(exitCode));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  }, 20_000);
});
