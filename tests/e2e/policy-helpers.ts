/**
 * Real enterprise policy for e2e tests: machine-wide Chromium policy files, the chrome://policy reload,
 * launching Chromium the way a force-install needs, and waiting for the background to apply a policy.
 *
 * Chromium reads /etc/chromium/policies/managed/*.json for EVERY Chromium on the machine (other people's
 * test runs included), so files written here are named workflow-capture-test-*, live only inside a test
 * (beforeAll/afterAll or try/finally) and are removed on the way out, even when a test fails.
 */
import { chromium, expect, type BrowserContext, type Page, type TestInfo, type Worker } from '@playwright/test';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Status } from '../../lib/background/status';
import type { PolicyKey } from '../../lib/schema/policy';
import { CHROMIUM, CHROMIUM_ARGS, DEV_BUILD, ExtensionPages, getServiceWorker, launchWithExtension } from './fixtures';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXTENSION_ID = readFileSync(path.join(ROOT, 'keys/id.txt'), 'utf8').trim();
export const DEV_KEY = path.join(ROOT, 'keys/dev-key.pem');
export const POLICY_DIR = process.env.CHROMIUM_POLICY_DIR ?? '/etc/chromium/policies/managed';
export const POLICY_FILE_PREFIX = 'workflow-capture-test-';

// ---- policy files -------------------------------------------------------------------------------

const written = new Set<string>();
const createdDirs: string[] = [];

/** Last line of defence: a worker that exits between write and cleanup still removes its files. */
process.on('exit', () => removeAllPolicyFiles());

/** `{"3rdparty": {"extensions": {"<id>": values}}}`: what reaches chrome.storage.managed. */
export function thirdParty(values: Record<string, unknown>, id = EXTENSION_ID): Record<string, unknown> {
  return { '3rdparty': { extensions: { [id]: values } } };
}

/**
 * Writes (or rewrites) one machine-wide policy file, atomically: Chromium's file watcher must never read
 * half a file. `name` must start with workflow-capture-test- and end in .json.
 */
export function writePolicyFile(name: string, policy: Record<string, unknown>): string {
  if (!name.startsWith(POLICY_FILE_PREFIX) || !name.endsWith('.json') || name.includes('/')) {
    throw new Error(`policy file name must look like ${POLICY_FILE_PREFIX}*.json, got ${name}`);
  }
  ensureDir(POLICY_DIR);
  const file = path.join(POLICY_DIR, name);
  const tmp = `${file}.tmp-${process.pid}`;
  written.add(file);
  written.add(tmp);
  writeFileSync(tmp, `${JSON.stringify(policy, null, 2)}\n`, { mode: 0o644 });
  renameSync(tmp, file);
  written.delete(tmp);
  return file;
}

export function removePolicyFile(name: string): void {
  const file = path.join(POLICY_DIR, name);
  rmSync(file, { force: true });
  written.delete(file);
}

/** Removes every file this process wrote, and the directories it had to create (when empty). */
export function removeAllPolicyFiles(): void {
  for (const file of written) rmSync(file, { force: true });
  written.clear();
  while (createdDirs.length) {
    const dir = createdDirs.pop()!;
    try {
      rmdirSync(dir); // only when empty: someone else's file stays, and so does its directory
    } catch {
      break;
    }
  }
}

function ensureDir(dir: string): void {
  if (existsSync(dir)) return;
  ensureDir(path.dirname(dir));
  mkdirSync(dir);
  createdDirs.push(dir);
}

/** Policy files on this machine that name our extension and were not written by this process. */
export function foreignPoliciesForExtension(): string[] {
  if (!existsSync(POLICY_DIR)) return [];
  return readdirSync(POLICY_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => path.join(POLICY_DIR, f))
    .filter((f) => !written.has(f))
    .filter((f) => {
      try {
        return readFileSync(f, 'utf8').includes(EXTENSION_ID);
      } catch {
        return false;
      }
    });
}

/** Skip-worthy reasons this machine cannot run real-policy tests. */
export function policyPreconditions(): string | undefined {
  if (typeof process.getuid === 'function' && process.getuid() !== 0 && !process.env.CHROMIUM_POLICY_DIR) {
    return `writing ${POLICY_DIR} needs root`;
  }
  return undefined;
}

// ---- chrome://policy ------------------------------------------------------------------------------

/**
 * Makes Chromium re-read the policy files now. Its file watcher would pick a change up by itself after
 * about five seconds; the "Reload policies" button on chrome://policy does it at once. The page renders
 * in shadow DOM, which Playwright's CSS locators pierce.
 */
export async function reloadPolicies(context: BrowserContext): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto('chrome://policy');
    await page.locator('#reload-policies').click();
  } finally {
    await page.close();
  }
}

// ---- waiting for the background ------------------------------------------------------------------

/** The install id the background generated (it is written during startup, so wait for it). */
export async function installIdOf(ext: ExtensionPages): Promise<string> {
  let id = '';
  await expect.poll(async () => (id = (await ext.installId()) ?? ''), { message: 'no install id' }).not.toBe('');
  return id;
}

export async function status(ext: ExtensionPages): Promise<Status> {
  return ext.send<Status>({ kind: 'status' });
}

/**
 * Polls the background's status until `accept` holds. Managed storage is `{}` for a few seconds after
 * Chromium starts (about 3.5 s here) and a policy change arrives through storage.onChanged, so every
 * policy assertion starts with this.
 */
export async function waitForStatus(ext: ExtensionPages, accept: (s: Status) => boolean, what: string, timeout = 20_000): Promise<Status> {
  let last: Status | undefined;
  await expect
    .poll(
      async () => {
        last = await status(ext);
        return accept(last);
      },
      { message: `status never showed ${what}; last: ${JSON.stringify(last && { mode: last.mode, sources: last.sources, problems: last.problems })}`, timeout, intervals: [200, 300, 500] },
    )
    .toBe(true);
  return last!;
}

export const fromManaged = (s: Status, ...keys: PolicyKey[]) => keys.every((k) => s.sources[k] === 'managed');

// ---- pages ---------------------------------------------------------------------------------------

export const APP_ORIGIN = 'http://policy.test';
export const APP_PAGE = `<!doctype html><html lang="en"><head><title>Orders — Policy Test</title></head><body>
<main>
  <h1>Orders</h1>
  <label for="q">Search orders</label><input id="q" name="q">
  <button id="export" type="button" onclick="document.getElementById('out').textContent='exported'">Export orders</button>
  <p id="out"></p>
</main></body></html>`;

/** Serves the small test app at http://policy.test/ (no DNS involved: the route answers). */
export async function serveTestApp(context: BrowserContext): Promise<void> {
  await context.route(`${APP_ORIGIN}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: APP_PAGE }));
}

/** Opens the test app and clicks "Export orders" like a person would. */
export async function clickExport(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${APP_ORIGIN}/orders`);
  await page.waitForLoadState('domcontentloaded');
  // The content script reads its configuration from storage at document_start; give it a moment.
  await page.waitForTimeout(500);
  await page.click('#export');
  await expect(page.locator('#out')).toHaveText('exported');
  return page;
}

/** A full-page screenshot kept in the test's output directory and attached to the report. */
export async function screenshot(testInfo: TestInfo, page: Page, name: string): Promise<void> {
  const file = testInfo.outputPath(name);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

export async function openExtensionPage(context: BrowserContext, file: 'popup.html' | 'options.html', viewport?: { width: number; height: number }): Promise<Page> {
  const page = await context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  await page.goto(`chrome-extension://${EXTENSION_ID}/${file}`);
  await expect(page.locator('#mode')).not.toHaveText('Loading…');
  return page;
}

// ---- launching -----------------------------------------------------------------------------------

/**
 * Chromium with no extension loaded on the command line, as a managed browser: the force-install
 * policy brings the extension. Playwright's default --disable-extensions would block every install and
 * --disable-background-networking turns off the extension updater; everything but 127.0.0.1 resolves
 * to nothing so the rest of background networking stays local.
 */
export async function launchManagedBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'wc-e2e-fi-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    ignoreDefaultArgs: ['--disable-extensions', '--disable-background-networking'],
    args: [...CHROMIUM_ARGS.filter((a) => a !== '--disable-background-networking'), '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'],
  });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The extension's worker, once the force-install has happened (it downloads the CRX first). */
export async function waitForExtensionWorker(context: BrowserContext, timeout = 60_000): Promise<Worker> {
  const ours = (w: Worker) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`);
  return context.serviceWorkers().find(ours) ?? context.waitForEvent('serviceworker', { predicate: ours, timeout });
}

export { getServiceWorker };

// ---- packing -------------------------------------------------------------------------------------

export interface PackResult {
  id: string;
  version: string;
  crx: string;
  updatesXml: string;
  codebase: string;
  updateUrl: string;
  bytes: number;
  sha256: string;
  warnings: string[];
}

/** Runs scripts/pack-crx.mjs the way an admin would and returns its --json result. */
export function packCrx(args: { dir: string; out: string; baseUrl: string; key?: string }): Promise<PackResult> {
  const argv = [path.join(ROOT, 'scripts/pack-crx.mjs'), '--dir', args.dir, '--key', args.key ?? DEV_KEY, '--out', args.out, '--base-url', args.baseUrl, '--json'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, argv, { cwd: ROOT, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`pack-crx failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as PackResult);
    });
  });
}

/** What a test gets from `withManagedPolicy`: the browser launched under the machine policy, ready to capture. */
export interface ManagedRun {
  context: BrowserContext;
  sw: Worker;
  ext: ExtensionPages;
  installId: string;
}

/**
 * Runs `body` in the development build launched under a machine policy file holding `values` for the
 * extension, once the background reports `key` as managed and applied (`applied`) and the content
 * configuration it publishes satisfies `published`. The policy file is removed and the browser closed
 * on the way out, also when the test fails.
 */
export async function withManagedPolicy(
  file: string,
  values: Record<string, unknown>,
  ready: { key: PolicyKey; applied: (s: Status) => boolean; published: (config: Record<string, unknown>) => boolean },
  body: (run: ManagedRun) => Promise<void>,
): Promise<void> {
  expect(foreignPoliciesForExtension(), 'policy files on this machine that already configure the extension').toEqual([]);
  let launched: Awaited<ReturnType<typeof launchWithExtension>> | undefined;
  try {
    writePolicyFile(file, thirdParty(values));
    launched = await launchWithExtension(DEV_BUILD);
    const { context } = launched;
    const sw = await getServiceWorker(context);
    const ext = new ExtensionPages(context, EXTENSION_ID);
    await waitForStatus(ext, (s) => s.sources[ready.key] === 'managed' && ready.applied(s), `the managed ${ready.key}`);
    await expect
      .poll(async () => {
        const cfg = (await ext.contentConfig()) as Record<string, unknown> | undefined;
        return cfg?.mode === 'recording' && ready.published(cfg);
      })
      .toBe(true);
    await body({ context, sw, ext, installId: await ext.installId() });
  } finally {
    removeAllPolicyFiles();
    await launched?.close();
  }
}
