/**
 * Messages of the frame-level handshake (lib/privacy/frame-level.ts, lib/capture/frame-gate.ts,
 * lib/background/frame-privacy.ts): how the markers a parent frame puts on an `<iframe>` reach a
 * cross-origin child, which cannot see that element. zod/mini, like the content configuration: the
 * content script of every frame of every page carries these, so not the full zod.
 *
 *   child  → background  FrameLevelRequest  "tell me the level of my <iframe>; I say hello with this nonce"
 *   child  → parent      FrameHello         window.parent.postMessage (the nonce, nothing else)
 *   parent → child       FramePing          "say hello again" (the parent's session just started)
 *   parent → background  FrameLevelReport   the level of the <iframe> whose contentWindow said hello
 *   background → child   FrameLevelVerdict  tabs.sendMessage to the requesting frame only
 */
import * as z from 'zod/mini';
import { PRIVACY_LEVELS } from '../privacy/markers';

/** 128 random bits as hex (randomHex128 in lib/capture/ids.ts): unguessable, so only a frame that saw the hello can name it. */
export const FrameNonce = z.string().check(z.regex(/^[0-9a-f]{32}$/));
export const FrameLevel = z.enum(PRIVACY_LEVELS);

export const FrameLevelRequest = z.object({
  kind: z.literal('frame-level-request'),
  nonce: FrameNonce,
  /**
   * The parent frame's origin as the child sees it (`location.ancestorOrigins[0]`, Chrome), when known:
   * the background then takes a report only from a frame of that origin.
   */
  parentOrigin: z.optional(z.string().check(z.maxLength(300))),
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

/** Window messages between a child frame and its parent; the type is namespaced against page messages. */
export const FRAME_HELLO_TYPE = 'workflow-capture:frame-hello';
export const FRAME_PING_TYPE = 'workflow-capture:frame-ping';
export const FrameHello = z.object({ type: z.literal(FRAME_HELLO_TYPE), nonce: FrameNonce });
export const FramePing = z.object({ type: z.literal(FRAME_PING_TYPE) });

export type FrameLevelRequest = z.infer<typeof FrameLevelRequest>;
export type FrameLevelReport = z.infer<typeof FrameLevelReport>;
export type FrameLevelMessage = z.infer<typeof FrameLevelMessage>;
export type FrameLevelVerdict = z.infer<typeof FrameLevelVerdict>;
export type FrameHello = z.infer<typeof FrameHello>;
