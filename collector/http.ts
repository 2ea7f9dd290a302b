/**
 * Small HTTP helpers for the collector: bounded body reading, gzip with an inflate limit, replies
 * (JSON, text, streamed NDJSON), CORS and query parsing. No framework: node:http is enough and keeps
 * every limit visible.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzip } from 'node:zlib';
import { WIRE_CAPABILITY_HEADER } from '../lib/schema/wire';
import { MAX_DISCARD_BYTES, RESPONSE_CHUNK_CHARS } from './constants';

/** A failure with a status and a JSON body for the client: thrown anywhere, answered by the server. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toJSON(): Record<string, unknown> {
    return { error: this.message, ...this.details };
  }
}

export type Reply =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; text: string | Iterable<string>; contentType: string; headers?: Record<string, string> };

export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, Content-Encoding, Idempotency-Key',
  // Without this a page script could not read Retry-After on a 429/503 (extensions with host
  // permissions can, but the collector should not depend on that).
  'Access-Control-Expose-Headers': `Retry-After, ${WIRE_CAPABILITY_HEADER}`,
  'Access-Control-Max-Age': '600',
};

/**
 * Reads the whole body, at most `maxBytes`. A larger body is answered with 413 once it has been
 * drained (so the client can read the answer), or at once if it declares a size beyond what we are
 * willing to drain.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  // Connection: close, so Node does not keep reading an oversized body to reuse the connection.
  const tooLarge = () =>
    new HttpError(413, `request body larger than ${maxBytes} bytes`, { limitBytes: maxBytes }, { Connection: 'close' });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_DISCARD_BYTES) {
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let overflowed = Number.isFinite(declared) && declared > maxBytes;
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > MAX_DISCARD_BYTES) {
        req.socket.destroy();
        return;
      }
      if (total > maxBytes) overflowed = true;
      if (!overflowed) chunks.push(chunk);
    });
    req.on('end', () => (overflowed ? reject(tooLarge()) : resolve(Buffer.concat(chunks, total))));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new HttpError(400, 'request body ended early'));
    });
  });
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * Undoes `Content-Encoding` (gzip or identity). The inflate stops as soon as the output passes
 * `maxRawBytes`, so a gzip bomb costs at most that much memory.
 */
export async function decodeBody(req: IncomingMessage, body: Buffer, maxRawBytes: number): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') {
    if (body.length > maxRawBytes) {
      throw new HttpError(413, `decompressed body larger than ${maxRawBytes} bytes`, { limitBytes: maxRawBytes });
    }
    return body;
  }
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    // 400 rather than 415: the upload protocol names 400/413/422 as the answers a client must not
    // retry as they are, and any other status would have the uploader retry this batch forever.
    throw new HttpError(400, `unsupported Content-Encoding "${encoding}" (use gzip or identity)`);
  }
  try {
    return await new Promise<Buffer>((resolve, reject) =>
      gunzip(body, { maxOutputLength: maxRawBytes }, (err, out) => (err ? reject(err) : resolve(out))),
    );
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new HttpError(413, `decompressed body larger than ${maxRawBytes} bytes`, { limitBytes: maxRawBytes });
    }
    const { message, code } = err as NodeJS.ErrnoException;
    throw new HttpError(400, 'body is not valid gzip', { detail: message || code });
  }
}

export function looksGzipped(body: Buffer): boolean {
  return body[0] === GZIP_MAGIC[0] && body[1] === GZIP_MAGIC[1];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new HttpError(400, 'body is not valid UTF-8');
  }
}

/** Parses a small JSON request body (opt-out, deletion, fault script). */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const raw = await decodeBody(req, await readBody(req, maxBytes), maxBytes);
  const text = decodeUtf8(raw);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(400, 'body is not valid JSON', { detail: (err as Error).message });
  }
}

/** Writes a reply; streamed text honours backpressure and stops if the client went away. */
export async function sendReply(res: ServerResponse, reply: Reply): Promise<void> {
  if (res.headersSent || res.destroyed) return;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if ('json' in reply) {
    const body = JSON.stringify(reply.json);
    res.writeHead(reply.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
    return;
  }
  res.setHeader('Content-Type', reply.contentType);
  if (typeof reply.text === 'string') {
    res.writeHead(reply.status, { 'Content-Length': Buffer.byteLength(reply.text) });
    res.end(reply.text);
    return;
  }
  res.writeHead(reply.status);
  let pending = '';
  for (const piece of reply.text) {
    pending += piece;
    if (pending.length < RESPONSE_CHUNK_CHARS) continue;
    if (!(await write(res, pending))) return;
    pending = '';
  }
  if (pending && !(await write(res, pending))) return;
  res.end();
}

function write(res: ServerResponse, chunk: string): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/** An optional integer query parameter; a present but malformed one is a 400, never silently ignored. */
export function intParam(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw new HttpError(400, `query parameter "${name}" must be an integer`);
  return value;
}

export function stringParam(params: URLSearchParams, name: string): string | undefined {
  const raw = params.get(name);
  return raw === null || raw === '' ? undefined : raw;
}
