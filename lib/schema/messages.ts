/**
 * Runtime messages. Two trust tiers: content scripts may only hand over captured events and take part in
 * the frame-level handshake (./frame-level.ts: a child frame's request, a parent frame's report — neither
 * changes any state but the answer to one frame); everything that changes state (pause, opt-out,
 * deletion, settings) is accepted only from the extension's own pages.
 */
import { z } from 'zod';
import { EventBody } from './event';
import { CONTENT_FLUSH_MAX_EVENTS } from '../constants';

export const ContentMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('events'), events: z.array(EventBody).min(1).max(CONTENT_FLUSH_MAX_EVENTS * 2) }),
]);

export const PageMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('status') }),
  z.object({ kind: z.literal('pause'), minutes: z.number().int().min(1).max(24 * 60) }),
  z.object({ kind: z.literal('resume') }),
  z.object({ kind: z.literal('toggle-pause') }),
  z.object({ kind: z.literal('opt-out') }),
  z.object({ kind: z.literal('opt-in') }),
  z.object({ kind: z.literal('upload-now') }),
  z.object({ kind: z.literal('pending-events'), limit: z.number().int().min(1).max(1000) }),
  z.object({ kind: z.literal('delete-pending') }),
  z.object({ kind: z.literal('delete-recent'), minutes: z.number().int().min(1).max(24 * 60) }),
  z.object({ kind: z.literal('exclude-site'), pattern: z.string().min(1).max(300) }),
  z.object({ kind: z.literal('unexclude-site'), pattern: z.string().min(1).max(300) }),
]);

export type ContentMessage = z.infer<typeof ContentMessage>;
export type PageMessage = z.infer<typeof PageMessage>;

// The frame-level handshake (content tier too).
export { FrameLevelMessage, FrameLevelReport, FrameLevelRequest, FrameLevelVerdict } from './frame-level';
