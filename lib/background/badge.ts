/** The toolbar badge: recording (no text), paused (minutes left), off. */
import { browser } from 'wxt/browser';
import type { CaptureMode } from '../state/capture-state';

export async function showMode(mode: CaptureMode, pausedUntil: number | null, now: number): Promise<void> {
  const action = browser.action ?? (browser as unknown as { browserAction: typeof browser.action }).browserAction;
  let text = '';
  let color = '#2e7d32';
  let title = 'Workflow Capture: recording';
  if (mode === 'paused' && pausedUntil) {
    const minutes = Math.max(1, Math.ceil((pausedUntil - now) / 60_000));
    text = `${minutes}m`;
    color = '#ef6c00';
    title = `Workflow Capture: paused, resumes in ${minutes} min`;
  } else if (mode !== 'recording') {
    text = 'off';
    color = '#757575';
    title = `Workflow Capture: ${mode.replace('-', ' ')}`;
  }
  await Promise.all([
    action.setBadgeText({ text }),
    action.setBadgeBackgroundColor({ color }),
    action.setTitle({ title }),
  ]);
}
