/** The popup: state at a glance, pause (never past the policy maximum), resume, today's counters. */
import { browser } from 'wxt/browser';
import { PAUSE_CHOICES_MINUTES } from '../constants';
import type { Status } from '../background/status';
import { ask, getStatus } from './client';
import { formatBytes, formatCountdown, MODE_LABELS } from './plain-language';

export async function renderPopup(doc: Document): Promise<void> {
  const $ = (id: string) => doc.getElementById(id)!;
  let countdown: ReturnType<typeof setTimeout> | undefined;

  const render = (s: Status) => {
    clearTimeout(countdown);
    $('mode').textContent = MODE_LABELS[s.mode] ?? s.mode;
    $('mode').dataset.mode = s.mode;
    const detail = $('detail');
    detail.textContent = '';
    if (s.mode === 'recording') {
      detail.textContent = 'Clicks, keys and navigation on work sites are recorded. Passwords and sensitive fields never are.';
    } else if (s.mode === 'not-configured') {
      detail.textContent = 'No collector is configured, so nothing is captured. Your IT team sets this up through browser policy.';
    } else if (s.mode === 'opted-out') {
      detail.textContent = 'Nothing is captured. You can opt back in from the settings page.';
    }
    if (s.upload.blocked) detail.textContent += ` Uploads stopped: ${s.upload.blocked.message}.`;
    else if (s.upload.lastResult && !s.upload.lastResult.ok && s.outbox.pending > 0) {
      detail.textContent += ` Upload waiting: ${s.upload.lastResult.message}.`;
    }

    const controls = $('pause-controls');
    controls.replaceChildren();
    if (s.mode === 'recording' || s.mode === 'paused') {
      const choices = PAUSE_CHOICES_MINUTES.filter((m) => m <= s.policy.maxPauseMinutes);
      if (choices.length === 0) choices.push(s.policy.maxPauseMinutes as never);
      for (const minutes of choices) {
        const b = doc.createElement('button');
        b.type = 'button';
        b.textContent = `Pause ${minutes} min`;
        b.dataset.minutes = String(minutes);
        b.setAttribute('aria-label', `Pause capture for ${minutes} minutes`);
        b.addEventListener('click', async () => render(await ask<Status>({ kind: 'pause', minutes })));
        controls.append(b);
      }
    }
    const resume = $('resume') as HTMLButtonElement;
    resume.hidden = s.mode !== 'paused';
    if (s.mode === 'paused' && s.pausedUntil) {
      const until = s.pausedUntil;
      const tick = () => {
        const left = until - Date.now();
        detail.textContent = `Nothing is captured. Capture resumes in ${formatCountdown(left)}.`;
        // A once-a-second timer only while the popup is open and paused.
        if (left > 0) countdown = setTimeout(tick, 1000);
        else void getStatus().then(render);
      };
      tick();
    }
    $('events-today').textContent = String(s.today.events);
    $('uploaded-today').textContent = `${formatBytes(s.upload.usedTodayBytes)} of ${formatBytes(s.upload.budgetBytes)}`;
    $('pending').textContent = `${s.outbox.pending} events`;
    $('shortcut').textContent = s.shortcut
      ? `Shortcut: ${s.shortcut} pauses or resumes (change it at chrome://extensions/shortcuts).`
      : 'No keyboard shortcut is assigned (set one at chrome://extensions/shortcuts).';
  };

  $('resume').addEventListener('click', async () => render(await ask<Status>({ kind: 'resume' })));
  $('options').addEventListener('click', (e) => {
    e.preventDefault();
    void browser.runtime.openOptionsPage();
  });
  render(await getStatus());
}
