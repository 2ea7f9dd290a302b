import { request } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { click, getJson, header, INSTALL, ndjson, postBatch, postJson, postRaw, startCollector } from './helpers';
import type { Collector } from '../../../collector/server';

const healthy = async (c: Collector) => (await fetch(`${c.url}/healthz`)).status === 200;

/** Sends raw bytes and returns whatever the server answers before closing. */
function rawExchange(c: Collector, bytes: string): Promise<string> {
  const { port, hostname } = new URL(c.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('collector/server auth', () => {
  it('requires the bearer token on batches, opt-outs and deletions when configured', async () => {
    const c = await startCollector({ token: 's3cret-token' });
    const events = [click(1, 'A')];
    const none = await postBatch(c, events);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await postBatch(c, events, {}, { token: 'wrong' })).status).toBe(401);
    expect((await postBatch(c, events, {}, { token: 's3cret-token' })).status).toBe(200);
    const deletion = { installId: INSTALL, from: 0, to: 1, requestedAt: 1 };
    expect((await postJson(c, '/v1/opt-out', { installId: INSTALL, ts: 1, optedOut: true })).status).toBe(401);
    expect((await postJson(c, '/v1/deletions', deletion)).status).toBe(401);
    expect((await postJson(c, '/v1/deletions', deletion, 's3cret-token')).status).toBe(200);
    // A 401 is not a rejected batch: the data was never looked at.
    expect(await getJson(c, '/v1/stats')).toMatchObject({ rejectedBatches: 0 });
  });

  it('needs no token when none is configured', async () => {
    const c = await startCollector();
    expect((await postBatch(c, [click(1, 'A')], {}, { token: 'anything' })).status).toBe(200);
  });
});

describe('collector/server HTTP surface', () => {
  it('answers CORS preflights and marks every answer for any origin', async () => {
    const c = await startCollector();
    const pre = await fetch(`${c.url}/v1/batches`, {
      method: 'OPTIONS',
      headers: { Origin: 'chrome-extension://abc', 'Access-Control-Request-Method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    const allowed = pre.headers.get('access-control-allow-headers') ?? '';
    for (const h of ['Authorization', 'Content-Type', 'Content-Encoding', 'Idempotency-Key']) expect(allowed).toContain(h);
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
    const res = await postBatch(c, [click(1, 'A')]);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers 404 to unknown routes and 405 (with Allow) to wrong methods', async () => {
    const c = await startCollector();
    const missing = await fetch(`${c.url}/v2/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not found' });
    const wrong = await fetch(`${c.url}/v1/batches`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toContain('POST');
    expect((await fetch(`${c.url}/v1/stats`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${c.url}/__proto__`)).status).toBe(404);
  });

  it('reports health with the version', async () => {
    const c = await startCollector();
    expect(await getJson(c, '/healthz')).toEqual({ ok: true, db: 'ok', version: expect.any(String) });
  });

  it('turns an unexpected error into a 500 and keeps serving', async () => {
    const c = await startCollector();
    vi.spyOn(c.store, 'stats').mockImplementation(() => {
      throw new Error('disk on fire');
    });
    const res = await fetch(`${c.url}/v1/stats`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal error' });
    expect(await healthy(c)).toBe(true);
  });
});

describe('collector/server hostile input', () => {
  it('answers a huge header with 431 and keeps serving', async () => {
    const c = await startCollector();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${c.url}/v1/batches`, { method: 'POST', headers: { 'X-Junk': 'x'.repeat(100_000) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(431);
    expect(await healthy(c)).toBe(true);
  });

  it('answers a malformed request line with 400 and keeps serving', async () => {
    const c = await startCollector();
    const answer = await rawExchange(c, 'THIS IS NOT HTTP\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(await healthy(c)).toBe(true);
  });

  it('answers non-JSON and JSON of the wrong shape with 4xx', async () => {
    const c = await startCollector();
    expect((await postJson(c, '/v1/opt-out', '<xml/>')).status).toBe(400);
    expect((await postJson(c, '/v1/opt-out', [1, 2, 3])).status).toBe(422);
    expect((await postJson(c, '/v1/deletions', 'null')).status).toBe(422);
    expect((await postJson(c, '/v1/deletions', '"just a string"')).status).toBe(422);
    const arrayHeader = await postRaw(c, ndjson([[1, 2], click(1, 'A')]));
    expect(arrayHeader.status).toBe(422);
    expect(await arrayHeader.json()).toMatchObject({ line: 1 });
    const arrayEvent = await postRaw(c, ndjson([header([click(1, 'A')]), '[]']));
    expect(arrayEvent.status).toBe(422);
    expect(await arrayEvent.json()).toMatchObject({ line: 2 });
    expect((await postRaw(c, Buffer.from([0xff, 0xfe, 0x00, 0x7b]))).status).toBe(400); // not UTF-8
    expect((await postJson(c, '/v1/opt-out', 'x'.repeat(100_000))).status).toBe(413);
    expect(await healthy(c)).toBe(true);
  });

  it('survives a client that disconnects half-way through an upload', async () => {
    const c = await startCollector();
    const { port, hostname } = new URL(c.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write('POST /v1/batches HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 100000\r\n\r\n');
        socket.write(Buffer.alloc(1000, 1), () => {
          socket.destroy();
          resolve();
        });
      });
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(await healthy(c)).toBe(true);
  });
});
