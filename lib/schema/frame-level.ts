/**
 * Messages of the frame-level handshake (lib/privacy/frame-level.ts, lib/capture/frame-gate.ts,
 * lib/background/frame-privacy.ts): how the markers a parent frame puts on an `<iframe>` reach a
 * cross-origin child, which cannot see that element.
 *
 *   child  → background  FrameLevelRequest  "tell me the level of my <iframe>; I say hello with this nonce"
 *   child  → parent      FrameHello         window.parent.postMessage (the nonce, nothing else)
 *   parent → child       FramePing          "say hello again" (the parent's session just started)
 *   parent → background  FrameLevelReport   the level of the <iframe> whose contentWindow said hello
 *   background → child   FrameLevelVerdict  tabs.sendMessage to the requesting frame only
 *
 * These schemas are the source of the types and the background's check. Content scripts run in every
 * frame of every page and carry no zod: what they receive is checked by ./frame-level-guard.ts, pinned
 * to these schemas by a test.
 */
import { z } from 'zod';
import { PRIVACY_LEVELS } from '../privacy/markers';
import { FRAME_HELLO_TYPE, FRAME_NONCE, FRAME_PING_TYPE } from './frame-level-guard';

export { FRAME_HELLO_TYPE, FRAME_PING_TYPE } from './frame-level-guard';

export const FrameNonce = z.string().regex(FRAME_NONCE);
export const FrameLevel = z.enum(PRIVACY_LEVELS);

export const FrameLevelRequest = z.object({
  kind: z.literal('frame-level-request'),
  nonce: FrameNonce,
  /**
   * The parent frame's origin as the child sees it (`location.ancestorOrigins[0]`, Chrome), when known:
   * the background then takes a report only from a frame of that origin.
   */
  parentOrigin: z.string().max(300).optional(),
});

export const FrameLevelReport = z.object({
  kind: z.literal('frame-level-report'),
  nonce: FrameNonce,
  level: FrameLevel,
});

/** What a content script may send about frame levels (the content tier accepts these and events). */
export const FrameLevelMessage = z.discriminatedUnion('kind', [FrameLevelRequest, FrameLevelReport]);

export const FrameLevelVerdict = z.object({
  kind: z.literal('frame-level'),
  nonce: FrameNonce,
  level: FrameLevel,
});

export const FrameHello = z.object({ type: z.literal(FRAME_HELLO_TYPE), nonce: FrameNonce });
export const FramePing = z.object({ type: z.literal(FRAME_PING_TYPE) });

export type FrameLevelRequest = z.infer<typeof FrameLevelRequest>;
export type FrameLevelReport = z.infer<typeof FrameLevelReport>;
export type FrameLevelMessage = z.infer<typeof FrameLevelMessage>;
export type FrameLevelVerdict = z.infer<typeof FrameLevelVerdict>;
export type FrameHello = z.infer<typeof FrameHello>;
export type FramePing = z.infer<typeof FramePing>;
