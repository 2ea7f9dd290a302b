/**
 * The reference collector's HTTP server. `createCollector` starts it in-process (tests and the demo
 * use port 0 and an in-memory database); collector/main.ts is the command-line wrapper.
 *
 * Every request ends in an answer or a deliberate drop: handlers throw HttpError for bad input, any
 * other throw becomes a 500, and malformed HTTP is answered by the clientError handler, so no request
 * can take the process down.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { requireAuth } from './auth';
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  MAX_BATCH_COMPRESSED_BYTES,
  MAX_BATCH_RAW_BYTES,
  MAX_JSON_BODY_BYTES,
  REQUEST_TIMEOUT_MS,
  SHUTDOWN_GRACE_MS,
} from './constants';
import { FaultInjector, type FaultAction } from './faults';
import { CORS_HEADERS, HttpError, sendReply, type Reply } from './http';
import * as routes from './routes';
import type { CollectorLimits, Handler, RouteContext } from './routes';
import { openStore, type Store } from './store';

export interface CollectorOptions {
  /** Default 8787 (the development policy's collector); 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** SQLite file path, or ':memory:' (the default here; the CLI defaults to a file). */
  db?: string;
  /** When set, batch, opt-out and deletion requests need `Authorization: Bearer <token>`. */
  token?: string;
  /** Enables /__faults and /__reset (tests only). */
  faults?: boolean;
  limits?: Partial<CollectorLimits>;
  /** Clock for receivedAt (epoch ms). */
  now?: () => number;
  /** Where unexpected errors are reported; default console.error. */
  log?: (message: string) => void;
}

export interface Collector {
  server: Server;
  /** Base URL, e.g. http://127.0.0.1:40123 (no trailing slash). */
  url: string;
  store: Store;
  /** The fault injector when started with `faults: true`. */
  faults: FaultInjector | undefined;
  /** Stops accepting, lets open requests finish (up to a grace period), then closes the database. */
  close(): Promise<void>;
}

interface Route {
  methods: Partial<Record<string, Handler>>;
  /** Writes that carry or remove an employee's data need the token when one is configured. */
  auth?: boolean;
}

const PUBLIC_ROUTES: Readonly<Record<string, Route>> = {
  '/v1/batches': { methods: { POST: routes.postBatch }, auth: true },
  '/v1/opt-out': { methods: { POST: routes.postOptOut }, auth: true },
  '/v1/deletions': { methods: { POST: routes.postDeletion }, auth: true },
  '/v1/events': { methods: { GET: routes.getEvents } },
  '/v1/stats': { methods: { GET: routes.getStats } },
  '/v1/export': { methods: { GET: routes.getExport } },
  '/healthz': { methods: { GET: routes.getHealth } },
};

const FAULT_ROUTES: Readonly<Record<string, Route>> = {
  '/__faults': { methods: { GET: routes.getFaults, POST: routes.postFaults, DELETE: routes.deleteFaults } },
  '/__reset': { methods: { POST: routes.postReset } },
};

function errorReply(err: unknown, log: (message: string) => void): Reply {
  if (err instanceof HttpError) return { status: err.status, json: err.toJSON(), headers: err.headers };
  log(`collector: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return { status: 500, json: { error: 'internal error' } };
}

function faultReply(action: FaultAction): Reply {
  const reply = action.reply ?? { status: 500 };
  const headers = reply.retryAfter !== undefined ? { 'Retry-After': reply.retryAfter } : undefined;
  if (reply.body !== undefined) {
    const contentType = 'text/plain; charset=utf-8';
    return { status: reply.status, text: reply.body, contentType, ...(headers ? { headers } : {}) };
  }
  return { status: reply.status, json: { error: 'injected fault', status: reply.status }, ...(headers ? { headers } : {}) };
}

async function answerFault(req: IncomingMessage, res: ServerResponse, action: FaultAction): Promise<void> {
  if (action.drop) req.socket.destroy();
  else await sendReply(res, faultReply(action));
}

/** A malformed request line or headers never reach the handler; answer them here instead of crashing. */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status =
    err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = JSON.stringify({ error: STATUS_CODES[status] ?? 'bad request' });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Access-Control-Allow-Origin: *\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export async function createCollector(options: CollectorOptions = {}): Promise<Collector> {
  const host = options.host ?? DEFAULT_HOST;
  const log = options.log ?? ((message: string) => console.error(message));
  const now = options.now ?? Date.now;
  const limits: CollectorLimits = {
    batchCompressedBytes: options.limits?.batchCompressedBytes ?? MAX_BATCH_COMPRESSED_BYTES,
    batchRawBytes: options.limits?.batchRawBytes ?? MAX_BATCH_RAW_BYTES,
    jsonBodyBytes: options.limits?.jsonBodyBytes ?? MAX_JSON_BODY_BYTES,
  };
  const token = options.token === '' ? undefined : options.token;
  const faults = options.faults ? new FaultInjector() : undefined;
  const table: Readonly<Record<string, Route>> = faults ? { ...PUBLIC_ROUTES, ...FAULT_ROUTES } : PUBLIC_ROUTES;
  const store = openStore(options.db ?? ':memory:');

  async function dispatch(ctx: RouteContext): Promise<Reply> {
    const route = Object.hasOwn(table, ctx.url.pathname) ? table[ctx.url.pathname] : undefined;
    if (!route) return { status: 404, json: { error: 'not found', path: ctx.url.pathname } };
    const method = ctx.req.method ?? 'GET';
    const handler = route.methods[method];
    if (!handler) {
      const allow = [...Object.keys(route.methods), 'OPTIONS'].join(', ');
      return { status: 405, json: { error: `method ${method} not allowed`, allow }, headers: { Allow: allow } };
    }
    try {
      if (route.auth) requireAuth(ctx.req, token);
      return await handler(ctx);
    } catch (err) {
      return errorReply(err, log);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
    const method = req.method ?? 'GET';
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://collector.invalid');
    } catch {
      await sendReply(res, { status: 400, json: { error: 'malformed request URL' } });
      return;
    }
    if (method === 'OPTIONS') {
      if (url.pathname === '/v1/batches') {
        // The extension asks here, once, before its first batch, which wire forms the collector accepts.
        for (const [name, value] of Object.entries(routes.WIRE_HEADERS)) res.setHeader(name, value);
        // Not kept open for the batch that follows: Chromium silently resends a request whose reused
        // connection dropped, which would blur what a dropped connection does to the uploader.
        res.setHeader('Connection', 'close');
      }
      res.writeHead(204).end();
      return;
    }
    const ctx: RouteContext = { req, url, store, limits, now, faults };
    // The control endpoints (/__faults, /__reset) are never faulted, so a test can always recover.
    const injectable = faults !== undefined && !url.pathname.startsWith('/__');
    const action = injectable ? faults.take(method, url.pathname) : undefined;
    if (injectable) {
      res.on('close', () => {
        const batchId = ctx.batchId ?? req.headers['idempotency-key'];
        faults.record({
          time: now(),
          method,
          path: url.pathname,
          status: res.writableFinished ? res.statusCode : 0,
          ...(typeof batchId === 'string' ? { batchId } : {}),
          ...(ctx.installId !== undefined ? { installId: ctx.installId } : {}),
          ...(ctx.encoding !== undefined ? { encoding: ctx.encoding } : {}),
          ...(action ? { fault: action.kind } : {}),
        });
      });
    }
    if (action?.delayMs) await sleep(action.delayMs);
    if (action && !action.acceptThenFail && (action.drop || action.reply)) {
      await answerFault(req, res, action);
      return;
    }
    const reply = await dispatch(ctx);
    if (action?.acceptThenFail) {
      // The request really happened (a batch is stored); only the answer is lost or wrong.
      await answerFault(req, res, action);
      return;
    }
    await sendReply(res, reply);
  }

  const server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Only reachable if writing the answer itself failed (e.g. a streamed export mid-way).
      log(`collector: failed to answer ${req.method} ${req.url}: ${String(err)}`);
      if (res.headersSent) res.destroy();
      else sendReply(res, { status: 500, json: { error: 'internal error' } }).catch(() => res.destroy());
    });
  });
  server.on('clientError', answerClientError);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((err: unknown) => {
    store.close();
    throw err;
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        store.close();
        resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  }

  return { server, url, store, faults, close };
}
