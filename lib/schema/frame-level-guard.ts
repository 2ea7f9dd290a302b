/**
 * The content script's side of the frame-level handshake (./frame-level.ts has the zod schemas, the
 * source of the types): the window-message types, and checks of what reaches a content script — the
 * background's verdict, and a hello or ping posted by another frame, which any page can forge — that
 * accept what the schemas accept, without zod (see ./guard.ts).
 */
import { PRIVACY_LEVELS } from '../privacy/markers';
import type { FrameHello, FrameLevelVerdict, FramePing } from './frame-level';
import { isOneOf, isRecord } from './guard';

/** 128 random bits as hex (newEventId): unguessable, so only a frame that saw the hello can name it. */
export const FRAME_NONCE = /^[0-9a-f]{32}$/;

/** Window messages between a child frame and its parent; the type is namespaced against page messages. */
export const FRAME_HELLO_TYPE = 'workflow-capture:frame-hello';
export const FRAME_PING_TYPE = 'workflow-capture:frame-ping';

const isNonce = (v: unknown): v is string => typeof v === 'string' && FRAME_NONCE.test(v);

export function isFrameLevelVerdict(v: unknown): v is FrameLevelVerdict {
  return isRecord(v) && v.kind === 'frame-level' && isNonce(v.nonce) && isOneOf(PRIVACY_LEVELS, v.level);
}

export function isFrameHello(v: unknown): v is FrameHello {
  return isRecord(v) && v.type === FRAME_HELLO_TYPE && isNonce(v.nonce);
}

export function isFramePing(v: unknown): v is FramePing {
  return isRecord(v) && v.type === FRAME_PING_TYPE;
}
