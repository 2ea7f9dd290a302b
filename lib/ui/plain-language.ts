/** Captured events told in plain language, for the employee's "your data" view. */
import type { Status } from '../background/status';
import type { CaptureEvent } from '../schema/event';

function site(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return 'this browser';
  }
}

function quoted(name: string | undefined, fallback: string): string {
  return name ? `'${name}'` : fallback;
}

export function describeEvent(e: CaptureEvent): string {
  const where = site(e.url);
  switch (e.type) {
    case 'click':
    case 'dblclick':
    case 'auxclick':
    case 'contextmenu': {
      const verb = { click: 'Clicked', dblclick: 'Double-clicked', auxclick: 'Middle-clicked', contextmenu: 'Right-clicked' }[e.type];
      return `${verb} ${quoted(e.target.name, `a ${e.target.role ?? e.target.tag}`)} on ${where}`;
    }
    case 'key':
      if (e.masked) return `Typed in a protected field on ${where} (nothing recorded)`;
      if (e.key === '[text]') return `Typed a character on ${where} (which one is not recorded)`;
      if (e.key === '[digit]') return `Pressed a number key on ${where} (which one is not recorded)`;
      if (e.key === '[key]') return `Pressed a key on ${where} (which one is not recorded)`;
      return `Pressed ${e.chord ?? e.key} on ${where}`;
    case 'input':
    case 'change':
      return e.masked
        ? `Filled a protected field on ${where} (value not recorded)`
        : `Entered a value in ${quoted(e.target.name, 'a field')} on ${where}`;
    case 'submit':
      return `Submitted a form on ${where}`;
    case 'clipboard':
      return `Used ${e.action} on ${where} (clipboard content not recorded)`;
    case 'pointer':
      return `Moved the pointer on ${where}`;
    case 'drag':
      return `Drag and drop (${e.action}) on ${where}`;
    case 'scroll':
      return `Scrolled on ${where}`;
    case 'focus':
      return `Moved focus to ${quoted(e.target.name, `a ${e.target.role ?? e.target.tag}`)} on ${where}`;
    case 'navigation':
      return `Opened ${where}${e.title ? ` (${e.title})` : ''}`;
    case 'menu':
      return e.action === 'select'
        ? `Chose ${e.path.length ? e.path.join(' › ') : 'a menu item'} on ${where}`
        : `${e.action === 'open' ? 'Opened' : 'Closed'} a ${e.widget} on ${where}`;
    case 'visibility':
      return `Page ${e.state === 'hidden' ? 'hidden' : 'shown again'} on ${where}`;
    case 'capture':
      return `Capture ${e.state.replace('-', ' ')}${e.reason ? `: ${e.reason}` : ''}`;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function formatCountdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Diagnostics: how batches are written on the wire (lib/upload/wire-choice.ts). */
export const WIRE_LABELS: Record<Status['upload']['wire'], string> = {
  plain: 'plain NDJSON (the collector does not accept the compact form)',
  'compact-1': 'compact (compact-1, accepted by the collector)',
  unknown: "plain NDJSON until the collector's first answer says whether it accepts the compact form",
};

export const MODE_LABELS: Record<string, string> = {
  recording: 'Recording',
  paused: 'Paused',
  'opted-out': 'Off — you opted out',
  'not-configured': 'Off — not configured by your organisation',
  disabled: 'Off — switched off by your organisation',
};
