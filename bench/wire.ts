/**
 * The reference collector, behind a byte-counting TCP proxy on 127.0.0.1:8787 (where development
 * builds upload): the proxy sees every byte of every upload, HTTP headers included.
 */
import net from 'node:net';
import { createCollector, type Collector } from '../collector/server';
import { delay } from './cdp';

export const DEV_COLLECTOR_PORT = 8787;

export interface WireCounters {
  /** Bytes sent by the extension (requests: headers + gzip bodies). */
  up: number;
  /** Bytes answered by the collector. */
  down: number;
  connections: number;
}

export interface Wire {
  /** The collector's own address (for queries that must not be counted). */
  collectorUrl: string;
  counters: WireCounters;
  reset(): void;
  close(): Promise<void>;
}

async function listenWithRetry(server: net.Server, port: number, waitMs: number): Promise<void> {
  const end = Date.now() + waitMs;
  let told = false;
  for (;;) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || Date.now() > end) throw err;
      if (!told) console.error(`bench: port ${port} is busy (another run's collector?); waiting for it…`);
      told = true;
      await delay(2_000);
    }
  }
}

export async function startWire(): Promise<Wire> {
  const collector: Collector = await createCollector({ port: 0, host: '127.0.0.1', db: ':memory:', log: () => undefined });
  const target = new URL(collector.url);
  const counters: WireCounters = { up: 0, down: 0, connections: 0 };
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    counters.connections++;
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (d) => {
      counters.up += d.length;
      upstream.write(d);
    });
    upstream.on('data', (d) => {
      counters.down += d.length;
      client.write(d);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  try {
    await listenWithRetry(proxy, DEV_COLLECTOR_PORT, 10 * 60_000);
  } catch (err) {
    await collector.close();
    throw err;
  }
  return {
    collectorUrl: collector.url,
    counters,
    reset() {
      counters.up = 0;
      counters.down = 0;
      counters.connections = 0;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => proxy.close(() => r()));
      await collector.close();
    },
  };
}
