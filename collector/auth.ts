/** Bearer-token check for the write endpoints (when the collector runs with a token). */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http';

function digest(text: string): Buffer {
  // Hashing first gives equal-length buffers, so the comparison leaks neither content nor length.
  return createHash('sha256').update(text).digest();
}

export function isAuthorized(req: IncomingMessage, token: string): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(token));
}

export function requireAuth(req: IncomingMessage, token: string | undefined): void {
  if (token === undefined || isAuthorized(req, token)) return;
  throw new HttpError(401, 'missing or invalid bearer token', {}, { 'WWW-Authenticate': 'Bearer' });
}
