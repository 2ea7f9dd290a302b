/** What the popup and the options page show: one snapshot, built by the background on request. */
import type { CaptureMode } from '../state/capture-state';
import type { Policy, PolicyProblem, PolicySource, PolicyKey } from '../schema/policy';
import type { OutboxStats } from '../outbox/outbox';
import type { UploadResult, UploadState } from '../upload/uploader';

export interface DayCounters {
  day: string;
  events: number;
  perSite: Record<string, number>;
}

export interface Status {
  mode: CaptureMode;
  pausedUntil: number | null;
  development: boolean;
  installId: string;
  extVersion: string;
  /** The policy in effect, without the auth token (only whether one is set). */
  policy: Omit<Policy, 'authToken'> & { authToken: 'set' | 'not set' };
  sources: Record<PolicyKey, PolicySource>;
  problems: PolicyProblem[];
  userExcludeSites: string[];
  outbox: OutboxStats;
  /** Captured events the background refused because they failed the event schema (a capture bug), ever. */
  invalidEvents: number;
  upload: {
    lastResult: UploadResult | null;
    lastSuccessAt: number | null;
    nextAttemptAt: number | null;
    blocked: { status: number; message: string } | null;
    usedTodayBytes: number;
    budgetBytes: number;
    totals: UploadState['totals'];
    /** How the next batch is written: plain NDJSON, the compact form, or plain until the collector first answers. */
    wire: 'plain' | 'compact-1' | 'unknown';
  };
  today: DayCounters;
  installType: string;
  shortcut: string;
}
