/**
 * The admin kit end to end, the way IT deploys it: the release build packed into a CRX3 with
 * scripts/pack-crx.mjs, served with its updates.xml from a local web server, force-installed by the
 * machine policy ExtensionInstallForcelist, configured through "3rdparty" policy to upload to a collector
 * that requires a token. Then a new version is rolled out through updates.xml.
 *
 * Chromium is launched as a managed browser (see launchManagedBrowser): no --load-extension, the
 * extension arrives only through policy. DeveloperToolsAvailability: 1 lets Playwright attach to the
 * force-installed worker (the default, 0, forbids DevTools on policy-installed extensions).
 */
import { expect, test, type BrowserContext, type Worker } from '@playwright/test';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCollector, type Collector } from '../../collector/server';
import type { Status } from '../../lib/background/status';
import { CollectorClient, ExtensionPages, RELEASE_BUILD } from './fixtures';
import {
  APP_ORIGIN,
  clickExport,
  EXTENSION_ID,
  foreignPoliciesForExtension,
  fromManaged,
  installIdOf,
  launchManagedBrowser,
  openExtensionPage,
  packCrx,
  policyPreconditions,
  removeAllPolicyFiles,
  screenshot,
  serveTestApp,
  thirdParty,
  waitForExtensionWorker,
  waitForStatus,
  writePolicyFile,
  type PackResult,
} from './policy-helpers';

const POLICY_FILE = 'workflow-capture-test-force-install.json';
const TOKEN = `wc-e2e-${process.pid}-${Date.now()}`;
const CONTACT = 'IT service desk, it@acme.example';

test.describe.configure({ mode: 'serial' });

/** Serves the CRX files and whichever updates.xml is current, and remembers what was asked for. */
class UpdateServer {
  readonly requests: string[] = [];
  updatesXml = '';
  private server?: http.Server;
  constructor(private readonly dir: string) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      this.requests.push(`${url.pathname}${url.search}`);
      if (url.pathname === '/updates.xml') {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(this.updatesXml);
        return;
      }
      const file = path.join(this.dir, path.basename(url.pathname));
      if (url.pathname.endsWith('.crx') && existsSync(file)) {
        res.writeHead(200, { 'content-type': 'application/x-chrome-extension' });
        res.end(readFileSync(file));
        return;
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    if (this.server) await new Promise((resolve) => this.server!.close(resolve));
  }
}

/** "0.1.0" -> "0.1.1": the next version for the rollout. */
function nextVersion(version: string): string {
  const parts = version.split('.').map(Number);
  while (parts.length < 3) parts.push(0);
  parts[parts.length - 1]! += 1;
  return parts.join('.');
}

let work = '';
let updates: UpdateServer;
let collector: Collector;
let current: PackResult;
let next: PackResult;
let nextXml = '';
let context: BrowserContext | undefined;
let closeBrowser: (() => Promise<void>) | undefined;
let worker: Worker;
let ext: ExtensionPages;

test.beforeAll(async () => {
  const reason = policyPreconditions();
  test.skip(Boolean(reason), reason);
  if (!existsSync(path.join(RELEASE_BUILD, 'manifest.json'))) throw new Error(`no release build at ${RELEASE_BUILD}: run \`npm run build\` first`);
  expect(foreignPoliciesForExtension(), 'policy files on this machine that already configure the extension').toEqual([]);

  // Snapshot the build: someone rebuilding .output meanwhile must not change what is packed.
  work = mkdtempSync(path.join(tmpdir(), 'wc-e2e-crx-'));
  const build = path.join(work, 'build');
  cpSync(RELEASE_BUILD, build, { recursive: true });
  const dist = path.join(work, 'dist');
  updates = new UpdateServer(dist);
  const baseUrl = await updates.start();

  const manifest = JSON.parse(readFileSync(path.join(build, 'manifest.json'), 'utf8')) as { version: string };
  const nextBuild = path.join(work, 'build-next');
  cpSync(build, nextBuild, { recursive: true });
  writeFileSync(path.join(nextBuild, 'manifest.json'), JSON.stringify({ ...manifest, version: nextVersion(manifest.version) }));

  next = await packCrx({ dir: nextBuild, out: dist, baseUrl });
  nextXml = readFileSync(next.updatesXml, 'utf8');
  current = await packCrx({ dir: build, out: dist, baseUrl }); // written last: dist/updates.xml is the current version's
  updates.updatesXml = readFileSync(current.updatesXml, 'utf8');

  expect(current.id).toBe(EXTENSION_ID);
  expect(current.version).toBe(manifest.version);
  expect(path.basename(current.crx)).toBe(`workflow-capture-${manifest.version}.crx`);
  expect(current.warnings).toEqual([]);
  expect(updates.updatesXml).toContain(`appid='${EXTENSION_ID}'`);
  expect(updates.updatesXml).toContain(`codebase='${baseUrl}/workflow-capture-${manifest.version}.crx'`);

  collector = await createCollector({ port: 0, host: '127.0.0.1', db: ':memory:', token: TOKEN, log: () => undefined });

  // The whole machine policy an admin would deploy (docs/admin/chrome-linux.json), pointed at this run.
  writePolicyFile(POLICY_FILE, {
    ExtensionInstallForcelist: [`${EXTENSION_ID};${current.updateUrl}`],
    // Without it, later updates are looked for at the manifest's update_url (none: the Web Store).
    ExtensionSettings: { [EXTENSION_ID]: { override_update_url: true } },
    DeveloperToolsAvailability: 1,
    ...thirdParty({ collectorUrl: collector.url, authToken: TOKEN, allowOptOut: false, supportContact: CONTACT, maxPauseMinutes: 15 }),
  });
  const launched = await launchManagedBrowser();
  context = launched.context;
  closeBrowser = launched.close;
  worker = await waitForExtensionWorker(context);
  ext = new ExtensionPages(context, EXTENSION_ID);
});

test.afterAll(async () => {
  removeAllPolicyFiles();
  await closeBrowser?.();
  await updates?.close();
  await collector?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the packed CRX force-installs from updates.xml as an admin extension that cannot be disabled', async ({}, testInfo) => {
  expect(new URL(worker.url()).host).toBe(EXTENSION_ID);
  expect(updates.requests.some((r) => r.startsWith('/updates.xml?') && r.includes('installedby%3Dpolicy'))).toBe(true);
  expect(updates.requests).toContain(`/workflow-capture-${current.version}.crx`);

  const self = await worker.evaluate(() => chrome.management.getSelf());
  expect(self).toMatchObject({ id: EXTENSION_ID, installType: 'admin', mayDisable: false, enabled: true, version: current.version });

  // What the employee sees: no Remove button, an on/off switch they cannot use.
  const page = await context!.newPage();
  await page.goto('chrome://extensions');
  const card = page.locator(`extensions-item#${EXTENSION_ID}`);
  await expect(card).toContainText('Workflow Capture');
  await expect(card.locator('#enableToggle')).toBeDisabled();
  await expect(card.getByRole('button', { name: 'Remove' })).toBeHidden();
  await screenshot(testInfo, page, 'force-installed-chrome-extensions.png');
  await page.close();
});

test('it reads its managed configuration and captures to the configured collector with the token', async ({}, testInfo) => {
  const s = await waitForStatus(ext, (st) => fromManaged(st, 'collectorUrl', 'authToken', 'allowOptOut', 'supportContact', 'maxPauseMinutes') && st.mode === 'recording', 'the managed configuration');
  expect(s.installType).toBe('admin');
  expect(s.development).toBe(false);
  expect(s.policy.collectorUrl).toBe(collector.url);
  expect(s.policy.authToken).toBe('set'); // the token itself never leaves the background
  expect(JSON.stringify(s)).not.toContain(TOKEN);
  expect(s.problems).toEqual([]);

  const popup = await openExtensionPage(context!, 'popup.html', { width: 420, height: 640 });
  await expect(popup.locator('#mode')).toHaveText('Recording');
  await expect(popup.locator('#pause-controls button')).toHaveText(['Pause 5 min', 'Pause 15 min']);
  await screenshot(testInfo, popup, 'force-installed-popup.png');

  const options = await openExtensionPage(context!, 'options.html');
  await expect(options.locator('#diagnostics')).toContainText('Install typeadmin');
  await expect(options.locator('#opt-out-unavailable')).toContainText(CONTACT);
  await expect(options.locator('#policy-problems')).toHaveText('none');
  await screenshot(testInfo, options, 'force-installed-options.png');

  const installId = await installIdOf(ext);
  const client = new CollectorClient(collector.url);
  await serveTestApp(context!);
  await clickExport(context!);
  let events: Awaited<ReturnType<CollectorClient['events']>> = [];
  await expect
    .poll(
      async () => {
        const r = await ext.send<{ outcome: string; status: Status }>({ kind: 'upload-now' });
        expect(r.status.upload.blocked, 'the collector refused the token').toBeNull();
        events = await client.events(installId);
        return events.some((e) => e.type === 'click' && e.target.name === 'Export orders');
      },
      { message: 'the click never reached the configured collector', timeout: 20_000, intervals: [300, 500, 1000] },
    )
    .toBe(true);
  const click = events.find((e) => e.type === 'click' && e.target.name === 'Export orders');
  expect(click?.url).toBe(`${APP_ORIGIN}/orders`);
  const stats = await client.stats(installId);
  expect(stats.installs[0]).toMatchObject({ installId, seqGaps: 0 });

  // The collector really does require the token: the same upload without it is refused.
  const unauthorised = await fetch(`${collector.url}/v1/batches`, { method: 'POST', body: '' });
  expect(unauthorised.status).toBe(401);
});

test('a new version rolls out through updates.xml and keeps the install and its policy', async () => {
  const installId = await installIdOf(ext);
  updates.updatesXml = nextXml;
  // runtime.onUpdateAvailable fires once the new version is downloaded, verified and unpacked, ready to
  // replace the running one.
  await worker.evaluate(() => {
    (globalThis as { updateReady?: Promise<string> }).updateReady = new Promise((resolve) => chrome.runtime.onUpdateAvailable.addListener((d) => resolve(d.version)));
  });
  const check = await worker.evaluate(() => chrome.runtime.requestUpdateCheck());
  expect(check).toMatchObject({ status: 'update_available', version: next.version });
  expect(await worker.evaluate(() => (globalThis as { updateReady?: Promise<string> }).updateReady)).toBe(next.version);
  expect(updates.requests).toContain(`/workflow-capture-${next.version}.crx`);

  // Chrome applies a ready update when the worker is idle or the browser restarts; Playwright keeps the
  // worker busy, so restart the extension the way a runtime.onUpdateAvailable handler would.
  const restarted = context!.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`), timeout: 30_000 });
  await worker.evaluate(() => chrome.runtime.reload()).catch(() => undefined); // the worker goes away mid-call
  worker = await restarted;
  await expect.poll(() => worker.evaluate(() => chrome.runtime.getManifest().version), { timeout: 20_000 }).toBe(next.version);

  const self = await worker.evaluate(() => chrome.management.getSelf());
  expect(self).toMatchObject({ installType: 'admin', mayDisable: false, version: next.version });
  ext = new ExtensionPages(context!, EXTENSION_ID);
  const s = await waitForStatus(ext, (st) => st.extVersion === next.version && fromManaged(st, 'collectorUrl', 'authToken') && st.mode === 'recording', 'the new version with its policy');
  expect(s.installId, 'local state survives the update').toBe(installId);
});
