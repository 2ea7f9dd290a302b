/**
 * Starts the reference collector on 127.0.0.1:8787 (where development builds upload) for the whole run,
 * with fault scripting enabled for the fault-injection tests. Tests tell their data apart by install id:
 * every test launches a fresh browser profile, so a fresh install.
 */
import { createCollector } from '../../collector/server';

export default async function globalSetup() {
  const collector = await createCollector({ port: 8787, host: '127.0.0.1', db: ':memory:', faults: true });
  return async () => {
    await collector.close();
  };
}
