import { defineConfig } from '@playwright/test';

/**
 * Two phases (see package.json `test:e2e`). Most tests own everything they touch — a fresh browser
 * profile, their own fixture server, their own install id at the shared collector — and run two at a
 * time, one per core. Tests that change what every browser on the machine sees run alone afterwards:
 * machine policy files (`/etc/chromium/policies/managed`: the policy and force-install suites, and tests
 * tagged @serial) and the collector's fault script (the faults suite).
 */
const MACHINE_WIDE = [/faults\.spec\.ts/, /policy\.spec\.ts/, /force-install\.spec\.ts/];

export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  outputDir: 'test-results',
  use: { trace: 'retain-on-failure' },
  globalSetup: './tests/e2e/global-setup.ts',
  projects: [
    { name: 'shared', testIgnore: MACHINE_WIDE, grepInvert: /@serial/, fullyParallel: true },
    { name: 'alone', testMatch: MACHINE_WIDE },
    { name: 'alone-tagged', testIgnore: MACHINE_WIDE, grep: /@serial/ },
  ],
});
