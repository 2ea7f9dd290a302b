/**
 * Performance benchmarks: the extension against the same Chromium without it, side by side in one run.
 * Prints a table, writes bench/results/latest.json and (full runs) the results block of
 * docs/performance.md. Numbers only: the exit code says whether the benchmarks ran, never whether a
 * target was met.
 *
 *   npm run build:dev && npm run bench            full run (about 20 minutes)
 *   npm run bench -- --quick                      fewer repetitions, 15 s idle window
 *   npm run bench -- --no-rrweb --no-timing       leave out the rrweb arm / the handler-timing arm
 *   npm run bench -- --no-build                   use the release and handler-timing builds as they are
 *   npm run bench -- --only=inpage,idle           some scenarios (inpage, session, burst, pause, idle),
 *                                                 written to bench/results/only-<names>.json
 *   npm run bench -- --only=profile               where the extension's time goes (CPU profiles)
 *   npm run bench -- --reps=3 --idle-seconds=30   override repetitions / idle window
 *   npm run bench -- --docs | --no-docs           update docs/performance.md (default: complete full runs)
 *   npm run bench -- --report [--docs]            print the table of bench/results/latest.json again
 *
 * The benchmark builds what it needs besides the development build: the handler-timing variant
 * (`WC_HANDLER_TIMING=1 wxt build --mode development` → .output/chrome-mv3-dev-handler-timing) and the
 * release build whose content script size it reports (.output/chrome-mv3).
 *
 * On shared machines run it under the e2e lock: flock /tmp/wc-e2e.lock -c "npm run build:dev && npm run bench".
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startFixtureServer, type FixtureServer } from '../tests/fixtures/server';
import { closeAllBrowsers } from './cdp';
import { EXTENSION_DIR } from './extension';
import { buildHandlerTimingVariant, HANDLER_TIMING_DIR, startIsolatingProxy, type IsolatingProxy } from './handler-timing';
import { RRWEB_VERSION } from './rrweb';
import { buildRelease, contentScriptSize } from './size';
import { buildRows, describeMachine, renderTable, updateDocs, type Results } from './report';
import { runBurst } from './scenarios/burst';
import { runIdle } from './scenarios/idle';
import { runInpage } from './scenarios/inpage';
import { runPause } from './scenarios/pause';
import { runProfile } from './scenarios/profile';
import { runSession } from './scenarios/session';
import { startWire, type Wire } from './wire';
import { FORM, INTERACTION } from './workloads';

const SCENARIOS = ['inpage', 'session', 'burst', 'pause', 'idle'] as const;
/** Diagnostics, run only when named in --only. */
const EXTRA = ['profile'] as const;
type Scenario = (typeof SCENARIOS)[number] | (typeof EXTRA)[number];

function parseArgs(argv: string[]) {
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const quick = flag('quick');
  const onlyArg = value('only');
  const only = onlyArg?.split(',').filter(Boolean) ?? [...SCENARIOS];
  const known: readonly string[] = [...SCENARIOS, ...EXTRA];
  const unknown = only.filter((s) => !known.includes(s));
  if (unknown.length) throw new Error(`unknown scenario(s): ${unknown.join(', ')} (known: ${known.join(', ')})`);
  const reps = value('reps') ? Number(value('reps')) : undefined;
  return {
    quick,
    only: only as Scenario[],
    inpageReps: reps ?? (quick ? 2 : 5),
    rrweb: !flag('no-rrweb'),
    timing: !flag('no-timing'),
    build: !flag('no-build'),
    idleReps: reps ?? (quick ? 2 : 3),
    idleSeconds: Number(value('idle-seconds') ?? (quick ? 15 : 60)),
    pauseReps: reps ?? (quick ? 2 : 5),
    burstEvents: Number(value('burst-events') ?? 10_000),
    partial: onlyArg !== undefined,
    // The documented results are those of a complete full run, unless asked otherwise.
    docs: flag('docs') ? true : flag('no-docs') ? false : !quick && onlyArg === undefined,
  };
}

/** `--report`: rebuild the table (and with --docs the documentation block) from the last results. */
function reportOnly(docs: boolean): number {
  const outDir = fileURLToPath(new URL('./results/', import.meta.url));
  const results = JSON.parse(readFileSync(`${outDir}latest.json`, 'utf8')) as Results;
  const rows = buildRows(results);
  const table = renderTable(rows);
  console.log(table);
  if (docs) {
    const doc = fileURLToPath(new URL('../docs/performance.md', import.meta.url));
    console.log(updateDocs(doc, results, table) ? 'updated docs/performance.md' : 'docs/performance.md has no results markers; not updated');
  }
  return 0;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (process.argv.includes('--report')) return reportOnly(process.argv.includes('--docs'));
  if (!existsSync(`${EXTENSION_DIR}/manifest.json`)) {
    console.error(`bench: no development build at ${EXTENSION_DIR}; run \`npm run build:dev\` first`);
    return 2;
  }
  const log = (s: string) => console.log(s);
  const results: Results = {
    date: new Date().toISOString(),
    mode: args.quick ? 'quick' : 'full',
    machine: describeMachine(),
    config: {
      inpageReps: args.inpageReps,
      idleReps: args.idleReps,
      idleSeconds: args.idleSeconds,
      pauseReps: args.pauseReps,
      burstEvents: args.burstEvents,
      session: args.quick ? [FORM.name] : INTERACTION.map((w) => w.name),
      arms: ['with', 'without', ...(args.rrweb ? [`rrweb ${RRWEB_VERSION}`] : []), ...(args.timing ? ['handler timing'] : [])],
    },
    errors: {},
  };
  log(`Workflow Capture benchmarks (${results.mode}): ${args.only.join(', ')}`);
  log(`  ${results.machine.chromium}; ${results.machine.cpu} × ${results.machine.cores}; extension ${results.machine.extensionVersion}`);

  let apps: FixtureServer | undefined;
  let wire: Wire | undefined;
  let isolated: IsolatingProxy | undefined;
  const started = Date.now();
  if (args.build) {
    // Both from the sources as they are now, like the development build the user just made.
    try {
      buildRelease();
    } catch (err) {
      console.error('bench: the release build failed; the size is read from what exists', err);
    }
    if (args.timing && args.only.includes('inpage')) {
      log('  building the handler-timing variant…');
      buildHandlerTimingVariant();
    }
  }
  results.size = contentScriptSize();
  if (args.timing && args.only.includes('inpage') && !existsSync(`${HANDLER_TIMING_DIR}/manifest.json`)) {
    console.error(`bench: no handler-timing build at ${HANDLER_TIMING_DIR}; run without --no-build, or with --no-timing`);
    return 2;
  }
  try {
    wire = await startWire();
    apps = await startFixtureServer();
    if (args.timing) isolated = await startIsolatingProxy(apps.url);
    const baseUrl = apps.url;
    const collectorUrl = wire.collectorUrl;
    const step = async (name: Scenario, fn: () => Promise<void>) => {
      if (!args.only.includes(name)) return;
      const t = Date.now();
      log(`${name}…`);
      try {
        await fn();
      } catch (err) {
        results.errors[name] = err instanceof Error ? err.message : String(err);
        console.error(`bench: ${name} failed:`, err);
      } finally {
        await closeAllBrowsers();
        log(`  (${Math.round((Date.now() - t) / 1000)} s)`);
      }
    };
    await step('inpage', async () => {
      results.inpage = await runInpage({
        reps: args.inpageReps,
        baseUrl,
        ...(isolated ? { isolatedBaseUrl: isolated.url } : {}),
        noRrweb: !args.rrweb,
        log,
      });
    });
    await step('session', async () => {
      results.session = await runSession({ workloads: args.quick ? [FORM] : INTERACTION, baseUrl, wire: wire!, log });
    });
    await step('burst', async () => {
      results.burst = await runBurst({ events: args.burstEvents, baseUrl, collectorUrl, log });
    });
    await step('pause', async () => {
      results.pause = await runPause({ reps: args.pauseReps, baseUrl, collectorUrl, log });
    });
    await step('profile', async () => {
      results.profile = await runProfile({ baseUrl, log });
    });
    await step('idle', async () => {
      results.idle = await runIdle({ reps: args.idleReps, windowS: args.idleSeconds, baseUrl, log });
    });
  } finally {
    await closeAllBrowsers();
    await isolated?.close();
    await apps?.close();
    await wire?.close();
  }

  const rows = buildRows(results);
  results.table = rows;
  const table = renderTable(rows);
  log('');
  log(table);
  log('');
  log(`(${Math.round((Date.now() - started) / 1000)} s; targets are design goals: this run passes or fails on errors only)`);
  const outDir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(outDir, { recursive: true });
  // A partial run (--only) must not replace the last complete results.
  const name = args.partial ? `only-${args.only.join('-')}.json` : 'latest.json';
  writeFileSync(`${outDir}${name}`, JSON.stringify(results, null, 2) + '\n');
  log(`wrote bench/results/${name}`);
  if (args.docs) {
    const doc = fileURLToPath(new URL('../docs/performance.md', import.meta.url));
    log(updateDocs(doc, results, table) ? 'updated docs/performance.md' : 'docs/performance.md has no results markers; not updated');
  }
  return Object.keys(results.errors).length ? 1 : 0;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`bench: interrupted by ${signal}; closing browsers`);
    void closeAllBrowsers().finally(() => process.exit(130));
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (err: unknown) => {
    console.error('bench:', err);
    await closeAllBrowsers();
    process.exitCode = 1;
  },
);
