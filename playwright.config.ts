import { defineConfig } from '@playwright/test';

// One worker: each test launches its own Chromium, and these machines have two cores.
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
});
