/** Command-line flags and environment for `npm run collector`; flags win over the environment. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DB_PATH, DEFAULT_HOST, DEFAULT_PORT } from './constants';
import type { CollectorOptions } from './server';

export const USAGE = `Usage: npm run collector -- [options]

  --port <n>        listen port (env COLLECTOR_PORT, default ${DEFAULT_PORT}; 0 picks a free one)
  --host <addr>     listen address (default ${DEFAULT_HOST})
  --db <path>       SQLite file or :memory: (env COLLECTOR_DB, default collector/data/collector.sqlite)
  --token <t>       require "Authorization: Bearer <t>" on batches, opt-outs and deletions (env COLLECTOR_TOKEN)
  --enable-faults   enable /__faults and /__reset for tests (env COLLECTOR_FAULTS=1)
  --help            show this help
`;

export type CliResult = { help: true } | { help: false; options: CollectorOptions & { port: number; host: string; db: string } };

export class CliError extends Error {}

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): CliResult {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        db: { type: 'string' },
        token: { type: 'string' },
        'enable-faults': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  if (values.help) return { help: true };

  const portText = values.port ?? env.COLLECTOR_PORT ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) throw new CliError(`invalid port "${portText}"`);
  const db = values.db ?? env.COLLECTOR_DB ?? DEFAULT_DB_PATH;
  const token = values.token ?? env.COLLECTOR_TOKEN;
  const faults = values['enable-faults'] === true || env.COLLECTOR_FAULTS === '1';
  return {
    help: false,
    options: {
      port,
      host: values.host ?? DEFAULT_HOST,
      db: db === ':memory:' ? db : resolve(db),
      ...(token ? { token } : {}),
      faults,
    },
  };
}
