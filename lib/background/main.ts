/**
 * The background orchestrator. Every listener is registered synchronously when the worker starts (so an
 * event that woke the worker is not missed); handlers then await the one `ready` promise.
 */
import { browser, type Browser } from 'wxt/browser';
import { config as zodConfig } from 'zod';
import { MAX_BUFFER_MB_DEFAULT, UPLOAD_EARLY_EVENTS } from '../constants';
import { Outbox } from '../outbox/outbox';
import { redactUrl } from '../privacy/redact';
import { siteVerdict } from '../privacy/sites';
import type { EventBody } from '../schema/event';
import { PageMessage } from '../schema/messages';
import type { ResolvedPolicy } from '../schema/policy';
import {
  captureMode,
  clampPauseMinutes,
  CONTENT_CONFIG_KEY,
  contentConfig,
  type CaptureMode,
  type UserState,
} from '../state/capture-state';
import { loadUserState, saveUserState } from '../state/user-store';
import { localDay } from '../upload/budget';
import { Uploader } from '../upload/uploader';
import { wireStatus } from '../upload/wire-choice';
import { showMode } from './badge';
import { isDevelopmentBuild, readManagedPolicy, resolveManaged } from './policy-source';
import type { DayCounters, Status } from './status';
import { classifySender, senderPageUrl } from '../messaging/sender';
import { isValidPattern } from '../privacy/sites';
import { parseContentEvents } from './content-events';
import { injectIntoOpenTabs } from './inject';
import { FrameLevelBroker, handleFrameLevelMessage, parseFrameLevelMessage } from './frame-privacy';

const ALARM_UPLOAD = 'upload';
const ALARM_RESUME = 'resume';
const ALARM_BADGE = 'badge';
const INSTALL_ID_KEY = 'installId';
const COUNTERS_KEY = 'counters';
const MANAGED_CACHE_KEY = 'managedPolicy';
const COMMAND_TOGGLE_PAUSE = 'toggle-pause';
const INVALID_EVENTS_KEY = 'invalidEvents';

type NetworkInformationLike = EventTarget & { saveData?: boolean; type?: string };
const connection = (): NetworkInformationLike | undefined =>
  (navigator as Navigator & { connection?: NetworkInformationLike }).connection;

interface Core {
  outbox: Outbox;
  uploader: Uploader;
  installId: string;
}

export function startBackground(): void {
  // MV3 forbids eval: keep zod from even trying to compile validators with `new Function`.
  zodConfig({ jitless: true });
  let resolved: ResolvedPolicy;
  let user: UserState;
  /** When the mode last changed: events captured before it are still accepted after a pause. */
  let modeSince = Date.now();
  let uploadAlarmAt: number | null | undefined;

  const extVersion = browser.runtime.getManifest().version;
  /** Child frames waiting for the markers on their <iframe> (in memory: a handshake takes milliseconds). */
  const frameLevels = new FrameLevelBroker();
  const now = () => Date.now();
  const mode = (): CaptureMode => captureMode(resolved.policy, user, now());
  const pauseIsOver = () => user.pausedUntil !== null && user.pausedUntil <= now();

  const ready: Promise<Core> = (async () => {
    const managed = readManagedPolicy();
    const [outbox, userState, installId] = await Promise.all([Outbox.open(), loadUserState(), loadInstallId()]);
    // Chromium can take seconds to answer storage.managed after a browser start. The policy seen last
    // time applies meanwhile (a fresh install has none and waits), then the fresh one replaces it.
    const cached = await outbox.getKv<{ managed: unknown }>(MANAGED_CACHE_KEY);
    const fresh = managed.then(async (m) => {
      await outbox.setKv(MANAGED_CACHE_KEY, { managed: m.managed });
      return resolveManaged(m);
    });
    resolved = cached ? resolveManaged(cached) : await fresh;
    user = userState;
    const uploader = new Uploader({
      outbox,
      policy: () => resolved.policy,
      installId: () => installId,
      extVersion,
      fetch: (...args) => fetch(...args),
      now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      newId: () => crypto.randomUUID(),
      schedule: scheduleUpload,
      network: () => {
        const conn = connection();
        return { online: navigator.onLine !== false, metered: Boolean(conn?.saveData) || conn?.type === 'cellular' };
      },
    });
    const core = { outbox, uploader, installId };
    await applyState(core);
    await restoreUploadAlarm(core);
    if (cached) void fresh.then((policy) => policyUpdated(core, policy));
    return core;
  })();
  ready.catch((err) => console.error('Workflow Capture failed to start', err));

  async function loadInstallId(): Promise<string> {
    const stored = (await browser.storage.local.get(INSTALL_ID_KEY))[INSTALL_ID_KEY];
    if (typeof stored === 'string' && stored.length >= 8) return stored;
    const id = crypto.randomUUID();
    await browser.storage.local.set({ [INSTALL_ID_KEY]: id });
    return id;
  }

  async function scheduleUpload(when: number | null): Promise<void> {
    if (when === null) {
      if (uploadAlarmAt !== null) await browser.alarms.clear(ALARM_UPLOAD);
      uploadAlarmAt = null;
      return;
    }
    await browser.alarms.create(ALARM_UPLOAD, { when: Math.max(when, now() + 1000) });
    uploadAlarmAt = when;
  }

  /**
   * On every worker start: events pending but no upload alarm (Chromium does not promise to keep alarms
   * across browser restarts, and reloads clear them) — set it again, for the time the uploader had
   * planned (a backoff, Retry-After or the budget's next day), else the policy interval.
   */
  async function restoreUploadAlarm(core: Core): Promise<void> {
    if ((await core.outbox.stats()).pending === 0) return;
    const existing = await browser.alarms.get(ALARM_UPLOAD);
    if (existing) {
      uploadAlarmAt = existing.scheduledTime;
      return;
    }
    const planned = (await core.uploader.state()).nextAttemptAt;
    await scheduleUpload(planned ?? now() + resolved.policy.uploadIntervalMinutes * 60_000);
  }

  /**
   * Make sure an upload is due within the policy interval (idempotent, cheap: no alarm churn).
   *
   * Battery: this is the only thing that arms the upload alarm besides the uploader's own retry plans,
   * and it runs only when events are stored — that is, while the person is using a web page. So uploads
   * happen within one interval of activity, while the device is awake and in use, and an idle browser has
   * no alarm at all. `chrome.idle` (an extra permission) would add little to that; power state is not
   * available to an extension service worker (the Battery Status API is window-only), so it is not used.
   */
  async function ensureUploadDue(): Promise<void> {
    if (uploadAlarmAt === undefined) {
      const existing = await browser.alarms.get(ALARM_UPLOAD);
      uploadAlarmAt = existing ? existing.scheduledTime : null;
    }
    if (uploadAlarmAt === null) await scheduleUpload(now() + resolved.policy.uploadIntervalMinutes * 60_000);
  }

  /**
   * Bring everything in line with the current policy and user state: end a pause that is over,
   * publish the content configuration (only when it changed, so tabs are not woken for nothing),
   * badge, pause alarms.
   */
  async function applyState(core: Core): Promise<void> {
    // Whatever brought us here (the resume alarm, a worker start, a policy read that came late), a pause
    // that is over ends through its marker: capture must never come back without its "resumed" event
    // ahead of what it captures.
    if (pauseIsOver()) {
      await resumeCapture(core, 'pause ended', true);
      return;
    }
    const config = contentConfig(resolved.policy, user, now());
    const current = (await browser.storage.local.get(CONTENT_CONFIG_KEY))[CONTENT_CONFIG_KEY];
    if (JSON.stringify(current) !== JSON.stringify(config)) {
      await browser.storage.local.set({ [CONTENT_CONFIG_KEY]: config });
    }
    const m = mode();
    await showMode(m, user.pausedUntil, now());
    if (m === 'paused' && user.pausedUntil) {
      await browser.alarms.create(ALARM_RESUME, { when: user.pausedUntil });
      await browser.alarms.create(ALARM_BADGE, { periodInMinutes: 1 });
    } else {
      await browser.alarms.clear(ALARM_RESUME);
      await browser.alarms.clear(ALARM_BADGE);
    }
  }

  async function recordMarker(core: Core, body: Omit<Extract<EventBody, { type: 'capture' }>, 'v' | 'id' | 'ts' | 'url' | 'type'>) {
    await store(core, [{ v: 1, id: crypto.randomUUID(), ts: now(), url: '', type: 'capture', ...body }], -1, -1);
  }

  async function setUser(core: Core, next: UserState, marker?: Parameters<typeof recordMarker>[1]) {
    const before = mode();
    user = next;
    await saveUserState(user);
    if (mode() !== before) modeSince = now();
    if (marker) await recordMarker(core, marker);
    await applyState(core);
  }

  async function resumeCapture(core: Core, reason: string, automatic: boolean) {
    if (user.pausedUntil === null) return;
    await setUser(core, { ...user, pausedUntil: null }, { state: 'resumed', reason });
    if (automatic) {
      await browser.notifications
        .create('resumed', {
          type: 'basic',
          iconUrl: browser.runtime.getURL('/icon/128.png'),
          title: 'Workflow Capture resumed',
          message: 'Your pause has ended and capture is on again. Pause again from the toolbar button.',
        })
        .catch(() => undefined);
    }
  }

  async function pause(core: Core, minutes: number) {
    const until = now() + clampPauseMinutes(resolved.policy, minutes) * 60_000;
    await setUser(core, { ...user, pausedUntil: until }, { state: 'paused', until, reason: `paused for ${Math.round((until - now()) / 60_000)} min` });
  }

  async function store(core: Core, bodies: EventBody[], tab: number, frame: number) {
    const result = await core.outbox.append(bodies, tab, frame);
    if (result.stored === 0 && result.lost === 0) return result;
    if (result.lost > 0) console.warn(`Workflow Capture: storage is full, ${result.lost} events dropped (reported to the collector)`);
    await bumpCounters(core, bodies);
    const maxBytes = (resolved.policy.maxBufferMB || MAX_BUFFER_MB_DEFAULT) * 1024 * 1024;
    const stats = await core.outbox.stats();
    if (stats.bytes > maxBytes) await core.outbox.enforceCap(maxBytes);
    // Many events pending: upload early, unless a backoff, budget or deferral is in force.
    if (stats.pending >= UPLOAD_EARLY_EVENTS) void core.uploader.runIfDue();
    await ensureUploadDue();
    return result;
  }

  /** Today's counters for the popup: best effort, they must never cost an event (a full disk, say). */
  async function bumpCounters(core: Core, bodies: EventBody[]) {
    try {
      const day = localDay(now());
      const stored = await core.outbox.getKv<DayCounters>(COUNTERS_KEY);
      const counters: DayCounters = stored?.day === day ? stored : { day, events: 0, perSite: {} };
      for (const body of bodies) {
        if (body.type === 'capture') continue;
        counters.events++;
        let host = '';
        try {
          host = new URL(body.url).hostname;
        } catch {
          /* markers and odd URLs count under no site */
        }
        if (host) counters.perSite[host] = (counters.perSite[host] ?? 0) + 1;
      }
      await core.outbox.setKv(COUNTERS_KEY, counters);
    } catch (err) {
      console.warn('Workflow Capture: could not update the day counters', err);
    }
  }

  /** Store what a content script sent; events that fail the schema are counted (diagnostics), not stored. */
  async function acceptContent(core: Core, parsed: { events: EventBody[]; invalid: number }, sender: Browser.runtime.MessageSender) {
    if (parsed.invalid > 0) {
      console.warn(`Workflow Capture: ${parsed.invalid} captured events failed validation and were not stored`);
      try {
        await core.outbox.setKv(INVALID_EVENTS_KEY, ((await core.outbox.getKv<number>(INVALID_EVENTS_KEY)) ?? 0) + parsed.invalid);
      } catch {
        /* a counter only */
      }
    }
    if (parsed.events.length === 0) return { ok: true, stored: 0, invalid: parsed.invalid };
    return { ...(await acceptEvents(core, parsed.events, sender)), invalid: parsed.invalid };
  }

  async function acceptEvents(core: Core, events: EventBody[], sender: Browser.runtime.MessageSender) {
    const tab = sender.tab;
    if (!tab || tab.incognito || tab.id === undefined) return { ok: false, error: 'no tab' };
    const senderUrl = senderPageUrl(sender) ?? tab.url ?? '';
    // The content script decides per site too; this is the second line of defence.
    const rules = contentConfig(resolved.policy, user, now());
    if (siteVerdict(rules, senderUrl) !== 'capture') {
      const markerOnly = events.filter((e) => e.type === 'capture' && e.state === 'excluded-site');
      if (markerOnly.length === 0) return { ok: true, stored: 0 };
      events = markerOnly.map((e) => ({ ...e, url: '' }));
    }
    const recording = mode() === 'recording';
    const accepted = events
      .filter((e) => recording || e.ts <= modeSince)
      .map((e) => ({ ...e, url: e.url ? redactUrl(e.url, { safeParams: resolved.policy.safeUrlParams }) : e.url }));
    if (accepted.length === 0) return { ok: true, stored: 0 };
    const result = await store(core, accepted, tab.id, sender.frameId ?? 0);
    return { ok: true, stored: result.stored, duplicates: result.duplicates };
  }

  async function status(core: Core): Promise<Status> {
    const [outboxStats, upload, counters, invalidEvents, self, commands, alarm] = await Promise.all([
      core.outbox.stats(),
      core.uploader.state(),
      core.outbox.getKv<DayCounters>(COUNTERS_KEY),
      core.outbox.getKv<number>(INVALID_EVENTS_KEY),
      browser.management.getSelf().catch(() => undefined),
      browser.commands.getAll().catch(() => []),
      browser.alarms.get(ALARM_UPLOAD),
    ]);
    const day = localDay(now());
    const { authToken, ...policy } = resolved.policy;
    return {
      mode: mode(),
      pausedUntil: user.pausedUntil,
      development: isDevelopmentBuild(),
      installId: core.installId,
      extVersion,
      policy: { ...policy, authToken: authToken ? 'set' : 'not set' },
      sources: resolved.sources,
      problems: resolved.problems,
      userExcludeSites: user.excludeSites,
      outbox: outboxStats,
      invalidEvents: invalidEvents ?? 0,
      upload: {
        lastResult: upload.lastResult,
        lastSuccessAt: upload.lastSuccessAt,
        nextAttemptAt: alarm?.scheduledTime ?? null,
        blocked: upload.blocked ? { status: upload.blocked.status, message: upload.blocked.message } : null,
        usedTodayBytes: upload.usage.day === day ? upload.usage.bytes : 0,
        budgetBytes: resolved.policy.maxUploadKBPerDay * 1024,
        totals: upload.totals,
        wire: wireStatus(upload.wire, resolved.policy.collectorUrl, now()),
      },
      today: counters?.day === day ? counters : { day, events: 0, perSite: {} },
      installType: self?.installType ?? 'unknown',
      shortcut: commands.find((c) => c.name === COMMAND_TOGGLE_PAUSE)?.shortcut ?? '',
    };
  }

  async function postToCollector(path: string, body: unknown): Promise<{ ok: boolean; status?: number; error?: string }> {
    const { collectorUrl, authToken } = resolved.policy;
    if (!collectorUrl) return { ok: false, error: 'no collector configured' };
    try {
      const res = await fetch(`${collectorUrl}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(authToken ? { Authorization: `Bearer ${authToken}` } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
        credentials: 'omit',
      });
      return { ok: res.ok, status: res.status };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  async function handlePage(core: Core, msg: PageMessage): Promise<unknown> {
    switch (msg.kind) {
      case 'status':
        return status(core);
      case 'pause':
        if (mode() !== 'recording' && mode() !== 'paused') return { ok: false, error: `cannot pause while ${mode()}` };
        await pause(core, msg.minutes);
        return status(core);
      case 'resume':
        await resumeCapture(core, 'resumed by the employee', false);
        return status(core);
      case 'toggle-pause':
        await togglePause(core);
        return status(core);
      case 'opt-out': {
        if (!resolved.policy.allowOptOut) return { ok: false, error: 'your organisation requires participation' };
        await setUser(core, { ...user, optedOut: true, pausedUntil: null });
        const purged = await core.outbox.deletePending();
        await scheduleUpload(null);
        const told = await postToCollector('/v1/opt-out', { installId: core.installId, ts: now(), optedOut: true });
        return { ok: true, purged, collector: told };
      }
      case 'opt-in': {
        await setUser(core, { ...user, optedOut: false }, { state: 'recording', reason: 'opted back in' });
        const told = await postToCollector('/v1/opt-out', { installId: core.installId, ts: now(), optedOut: false });
        return { ok: true, collector: told };
      }
      case 'upload-now':
        return { ok: true, outcome: await core.uploader.run(), status: await status(core) };
      case 'pending-events':
        return { ok: true, events: await core.outbox.recent(msg.limit) };
      case 'delete-pending':
        return { ok: true, deleted: await core.outbox.deletePending() };
      case 'delete-recent': {
        const from = now() - msg.minutes * 60_000;
        const deleted = await core.outbox.deletePending(from);
        const told = await postToCollector('/v1/deletions', { installId: core.installId, from, to: now(), requestedAt: now() });
        return { ok: true, deleted, collector: told };
      }
      case 'exclude-site':
        if (!resolved.policy.allowSiteExclusions) return { ok: false, error: 'your organisation manages the site list' };
        if (!isValidPattern(msg.pattern)) return { ok: false, error: 'not a site pattern (try example.com or *://*.example.com/*)' };
        if (!user.excludeSites.includes(msg.pattern)) {
          await setUser(core, { ...user, excludeSites: [...user.excludeSites, msg.pattern] });
        }
        return { ok: true };
      case 'unexclude-site':
        await setUser(core, { ...user, excludeSites: user.excludeSites.filter((p) => p !== msg.pattern) });
        return { ok: true };
    }
  }

  async function policyUpdated(core: Core, policy: ResolvedPolicy) {
    const before = mode();
    resolved = policy;
    if (mode() !== before) modeSince = now();
    const unblocked = await core.uploader.policyChanged();
    await applyState(core);
    if (unblocked && (await core.outbox.stats()).pending > 0) void core.uploader.run();
  }

  async function togglePause(core: Core) {
    // A pause whose end was not yet processed ends first (else the toggle would pause again at once).
    if (pauseIsOver()) {
      await resumeCapture(core, 'pause ended', true);
      return;
    }
    if (mode() === 'paused') await resumeCapture(core, 'resumed by the employee', false);
    else if (mode() === 'recording') await pause(core, resolved.policy.maxPauseMinutes);
  }

  // ---- listeners: all registered synchronously, right here ----

  browser.runtime.onMessage.addListener((message: unknown, sender: Browser.runtime.MessageSender) => {
    const tier = classifySender(sender, browser.runtime.id, browser.runtime.getURL('/'));
    if (tier === 'content') {
      const frameMessage = parseFrameLevelMessage(message);
      if (frameMessage) {
        return Promise.resolve(
          handleFrameLevelMessage(frameLevels, frameMessage, sender, (tab, frameId, verdict) => {
            browser.tabs.sendMessage(tab, verdict, { frameId }).catch(() => undefined);
          }),
        );
      }
      const parsed = parseContentEvents(message);
      if (!parsed) return Promise.resolve({ ok: false, error: 'invalid message' });
      return ready.then((core) => acceptContent(core, parsed, sender));
    }
    if (tier === 'page') {
      const parsed = PageMessage.safeParse(message);
      if (!parsed.success) return Promise.resolve({ ok: false, error: 'invalid message' });
      return ready.then((core) => handlePage(core, parsed.data));
    }
    return undefined;
  });

  browser.alarms.onAlarm.addListener((alarm) => {
    void ready
      .then(async (core) => {
        if (alarm.name === ALARM_UPLOAD) {
          uploadAlarmAt = null;
          await core.uploader.run();
        } else if (alarm.name === ALARM_RESUME || alarm.name === ALARM_BADGE) {
          await applyState(core);
        }
      })
      .catch((err) => console.error(`Workflow Capture: alarm ${alarm.name} failed`, err));
  });

  // Back online (or off a metered link) while the worker runs: resume deferred uploads now. A stopped
  // worker is not woken by these; the alarm the deferral set does it then. No listener does any work
  // unless an upload is waiting for the network.
  const networkChanged = () => void ready.then((core) => core.uploader.networkChanged()).catch(() => undefined);
  globalThis.addEventListener?.('online', networkChanged);
  connection()?.addEventListener?.('change', networkChanged);

  browser.commands.onCommand.addListener((command) => {
    if (command === COMMAND_TOGGLE_PAUSE) void ready.then(togglePause);
  });

  browser.storage.onChanged.addListener((_changes, area) => {
    if (area !== 'managed') return;
    void ready.then(async (core) => {
      const managed = await readManagedPolicy();
      await core.outbox.setKv(MANAGED_CACHE_KEY, { managed: managed.managed });
      await policyUpdated(core, resolveManaged(managed));
    });
  });

  browser.runtime.onStartup.addListener(() => void ready);
  browser.runtime.onInstalled.addListener((details) => {
    void ready
      .then(async () => {
        if (details.reason !== 'install' && details.reason !== 'update') return;
        // The configuration is published (ready), so the injected scripts start capturing right away.
        const report = await injectIntoOpenTabs();
        if (report.tabs > 0) console.info(`Workflow Capture: content script injected into ${report.injected} of ${report.tabs} open tabs`);
      })
      .catch((err) => console.error('Workflow Capture: could not inject into open tabs', err));
  });
}
