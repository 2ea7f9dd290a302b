/**
 * `npm run collector`: the reference collector on 127.0.0.1:8787 with a SQLite file under
 * collector/data/. See collector/README.md for the endpoints and `--help` for the flags.
 */
import { CliError, parseCli, USAGE } from './cli-options';
import { createCollector } from './server';

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseCli(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    process.stderr.write(`collector: ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { options } = parsed;
  const collector = await createCollector(options);
  const extras = [options.token ? 'token required' : '', options.faults ? 'FAULT INJECTION ON' : '']
    .filter(Boolean)
    .join(', ');
  process.stdout.write(`collector listening on ${collector.url} (db ${options.db}${extras ? `; ${extras}` : ''})\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C means "now".
      process.exit(130);
    }
    stopping = true;
    process.stdout.write(`collector: ${signal}, shutting down\n`);
    collector.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`collector: shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code;
  const hint = code === 'EADDRINUSE' ? ' (is another collector running? use --port)' : '';
  process.stderr.write(`collector: failed to start: ${(err as Error).message ?? String(err)}${hint}\n`);
  process.exit(1);
});
