/** The options page: participation (opt-out), the employee's data, site exclusions, diagnostics. */
import type { Status } from '../background/status';
import type { CaptureEvent } from '../schema/event';
import { ask, getStatus } from './client';
import { describeEvent, formatBytes, MODE_LABELS, WIRE_LABELS } from './plain-language';

const PENDING_SHOWN = 50;

export async function renderOptions(doc: Document): Promise<void> {
  const $ = <T extends HTMLElement = HTMLElement>(id: string) => doc.getElementById(id) as T;
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string) => {
    const node = doc.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const say = (text: string) => {
    $('action-result').textContent = text;
  };
  const button = (id: string, label: string, onClick: () => Promise<void>, danger = false) => {
    const b = el('button', label);
    b.type = 'button';
    b.id = id;
    if (danger) b.className = 'danger';
    b.addEventListener('click', () => void onClick().then(refresh));
    return b;
  };

  async function refresh(): Promise<void> {
    const s = await getStatus();
    const { events } = await ask<{ events: CaptureEvent[] }>({ kind: 'pending-events', limit: PENDING_SHOWN });
    renderStatus(s);
    renderData(s, events);
    renderSites(s);
    renderDiagnostics(s);
  }

  function renderStatus(s: Status) {
    $('mode').textContent = MODE_LABELS[s.mode] ?? s.mode;
    $('mode').dataset.mode = s.mode;
    const box = $('participation');
    box.replaceChildren();
    if (!s.policy.allowOptOut) {
      const contact = s.policy.supportContact || 'your IT or privacy team';
      box.append(
        el(
          'p',
          `Your organisation requires participation, so opting out is not available here. To ask for removal, or for your data to be deleted, contact ${contact}. You can still pause capture for up to ${s.policy.maxPauseMinutes} minutes at a time, and sensitive fields are never captured.`,
        ),
      );
      box.lastElementChild!.id = 'opt-out-unavailable';
    } else if (s.mode === 'opted-out') {
      box.append(
        el('p', 'You have opted out: nothing is captured, and what was waiting to upload was deleted.'),
        button('opt-in', 'Opt back in', async () => {
          await ask({ kind: 'opt-in' });
          say('You opted back in. Capture is on.');
        }),
      );
    } else {
      box.append(
        el('p', 'You can stop all capture at any time. What is waiting to upload is deleted and the collector is told to delete what it has from this browser.'),
        button(
          'opt-out',
          'Opt out of capture',
          async () => {
            const r = await ask<{ ok: boolean; purged?: number; error?: string }>({ kind: 'opt-out' });
            say(r.ok ? `You opted out. ${r.purged ?? 0} waiting events were deleted.` : `Could not opt out: ${r.error}`);
          },
          true,
        ),
      );
    }
  }

  function renderData(s: Status, events: CaptureEvent[]) {
    $('data-summary').textContent =
      `${s.outbox.pending} events (${formatBytes(s.outbox.bytes)}) are waiting to upload. ` +
      `Today: ${s.today.events} events captured, ${formatBytes(s.upload.usedTodayBytes)} of the ${formatBytes(s.upload.budgetBytes)} daily upload budget used.`;
    $('per-site').replaceChildren(
      ...Object.entries(s.today.perSite)
        .sort((a, b) => b[1] - a[1])
        .map(([site, n]) => el('li', `${site}: ${n}`)),
    );
    $('pending-list').replaceChildren(...events.map((e) => el('li', `${new Date(e.ts).toLocaleTimeString()} — ${describeEvent(e)}`)));
  }

  function renderSites(s: Status) {
    const allowed = s.policy.allowSiteExclusions;
    $('sites-note').textContent = allowed
      ? 'Nothing is captured on these sites; the data only shows that capture was off.'
      : 'Your organisation manages the list of captured sites.';
    ($('exclude-form') as HTMLFormElement).hidden = !allowed;
    $('excluded-list').replaceChildren(
      ...s.userExcludeSites.map((pattern) => {
        const li = el('li', `${pattern} `);
        li.append(
          button(`unexclude-${pattern}`, 'Remove', async () => {
            await ask({ kind: 'unexclude-site', pattern });
          }),
        );
        return li;
      }),
    );
  }

  function renderDiagnostics(s: Status) {
    const rows: [string, string][] = [
      ['Capture', s.mode],
      ['Build', s.development ? 'development (falls back to the local collector)' : 'release'],
      ['Version', s.extVersion],
      ['Install type', s.installType],
      ['Install id', s.installId],
      ['Collector', s.policy.collectorUrl || '(none)'],
      ['Events waiting', String(s.outbox.pending)],
      ['Outbox size', formatBytes(s.outbox.bytes)],
      ['Dropped by the buffer cap (total)', String(s.outbox.droppedTotal)],
      ['Quarantined (refused by the collector)', String(s.outbox.quarantined)],
      [
        'Last upload',
        s.upload.lastResult
          ? `${new Date(s.upload.lastResult.at).toLocaleString()}: ${s.upload.lastResult.ok ? 'ok' : 'failed'} — ${s.upload.lastResult.message}`
          : 'never',
      ],
      ['Next upload attempt', s.upload.nextAttemptAt ? new Date(s.upload.nextAttemptAt).toLocaleString() : 'none scheduled'],
      ['Uploads blocked', s.upload.blocked ? s.upload.blocked.message : 'no'],
      ['Uploaded in total', `${s.upload.totals.events} events in ${s.upload.totals.batches} batches, ${formatBytes(s.upload.totals.bytesCompressed)} compressed`],
      ['Upload format', WIRE_LABELS[s.upload.wire]],
      ['Keyboard shortcut', s.shortcut || '(none)'],
    ];
    $('diagnostics').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', k), el('dd', v)]));
    const body = ($('policy-table') as HTMLTableElement).tBodies[0]!;
    body.replaceChildren(
      ...Object.entries(s.policy).map(([key, value]) => {
        const tr = el('tr');
        tr.append(el('td', key), el('td', JSON.stringify(value)), el('td', s.sources[key as keyof Status['sources']] ?? ''));
        return tr;
      }),
    );
    $('policy-problems').replaceChildren(
      ...(s.problems.length
        ? s.problems.map((p) => {
            const li = el('li', `${p.key}: ${p.message}`);
            li.className = 'problem';
            return li;
          })
        : [el('li', 'none')]),
    );
  }

  $('upload-now').addEventListener('click', async () => {
    const r = await ask<{ outcome: string; status: Status }>({ kind: 'upload-now' });
    say(`Upload: ${r.outcome}${r.status.upload.lastResult ? ` — ${r.status.upload.lastResult.message}` : ''}`);
    await refresh();
  });
  $('delete-pending').addEventListener('click', async () => {
    const r = await ask<{ deleted: number }>({ kind: 'delete-pending' });
    say(`Deleted ${r.deleted} waiting events.`);
    await refresh();
  });
  $('delete-recent').addEventListener('click', async () => {
    const r = await ask<{ deleted: number; collector: { ok: boolean } }>({ kind: 'delete-recent', minutes: 15 });
    say(`Deleted ${r.deleted} waiting events from the last 15 minutes${r.collector.ok ? ' and asked the collector to delete what it received' : '; the collector could not be reached, try again later'}.`);
    await refresh();
  });
  $('exclude-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = $('exclude-input') as HTMLInputElement;
    const r = await ask<{ ok: boolean; error?: string }>({ kind: 'exclude-site', pattern: input.value.trim() });
    say(r.ok ? `${input.value.trim()} will never be captured.` : `Not added: ${r.error}`);
    if (r.ok) input.value = '';
    await refresh();
  });
  await refresh();
}
