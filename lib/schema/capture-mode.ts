/** The capture modes (lib/state/capture-state.ts derives one; content scripts act on it). No zod here: content scripts import it. */
export const CAPTURE_MODES = ['recording', 'paused', 'opted-out', 'not-configured', 'disabled'] as const;
export type CaptureMode = (typeof CAPTURE_MODES)[number];
