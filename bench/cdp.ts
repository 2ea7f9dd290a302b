/**
 * A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe`, and the Chromium launcher the
 * benchmarks use for both arms (with and without the extension).
 *
 * Why not Playwright: Playwright auto-attaches to every target, service workers included, and an
 * attached DevTools session keeps an MV3 worker alive forever. The idle benchmark must see the worker
 * stop and stay stopped, and every benchmark should pay the same small debugging overhead in both arms,
 * so the benchmarks attach only to the targets they measure.
 */
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/fixtures/chromium';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

export { CHROMIUM };

/** The same flags as the end-to-end fixtures, plus headless and a fixed window. */
export const BENCH_CHROMIUM_ARGS = [...CHROMIUM_ARGS, '--headless', '--window-size=1280,800'];

type Json = Record<string, unknown>;
type Listener = (params: Json, sessionId: string | undefined) => void;

interface Pending {
  resolve: (v: Json) => void;
  reject: (e: Error) => void;
  method: string;
}

export class CdpError extends Error {}

/** One pipe connection; `session(id)` gives a view bound to a flattened target session. */
export class Cdp {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private buffer = '';
  private closed = false;

  constructor(
    private readonly out: Writable,
    input: Readable,
  ) {
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => this.onData(chunk));
    input.on('close', () => this.fail(new CdpError('the browser closed the DevTools pipe')));
    out.on('error', () => undefined);
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\0')) >= 0) {
      const raw = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 1);
      const msg = JSON.parse(raw) as { id?: number; method?: string; params?: Json; result?: Json; error?: { message: string }; sessionId?: string };
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id);
        if (!p) continue;
        this.pending.delete(msg.id);
        if (msg.error) p.reject(new CdpError(`${p.method}: ${msg.error.message}`));
        else p.resolve(msg.result ?? {});
      } else if (msg.method) {
        for (const l of this.listeners.get(msg.method) ?? []) l(msg.params ?? {}, msg.sessionId);
      }
    }
  }

  private fail(err: Error): void {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  send<T = Json>(method: string, params: Json = {}, sessionId?: string): Promise<T> {
    if (this.closed) return Promise.reject(new CdpError(`${method}: the browser is gone`));
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) });
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: Json) => void, reject, method });
      this.out.write(message + '\0');
    });
  }

  on(method: string, listener: Listener): () => void {
    let set = this.listeners.get(method);
    if (!set) this.listeners.set(method, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  session(sessionId: string): Session {
    return new Session(this, sessionId);
  }
}

/** A flattened target session. */
export class Session {
  constructor(
    readonly cdp: Cdp,
    readonly id: string,
  ) {}

  send<T = Json>(method: string, params: Json = {}): Promise<T> {
    return this.cdp.send<T>(method, params, this.id);
  }

  on(method: string, listener: (params: Json) => void): () => void {
    return this.cdp.on(method, (params, sessionId) => {
      if (sessionId === this.id) listener(params);
    });
  }

  /** Evaluate an expression in the target's main world (awaits promises, returns by value). */
  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
      'Runtime.evaluate',
      { expression, awaitPromise: true, returnByValue: true },
    );
    if (r.exceptionDetails) {
      throw new CdpError(`evaluate failed: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    }
    return r.result.value as T;
  }
}

export interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
  title: string;
  attached: boolean;
}

export interface LaunchOptions {
  /** Unpacked extension directory; absent = the "without" arm (no --load-extension). */
  extension?: string;
  /**
   * A script run in the main world of every frame of every page opened with `newPage`, at document
   * start, before the page's own scripts (`Page.addScriptToEvaluateOnNewDocument`; out-of-process
   * frames are attached to automatically and get it too).
   */
  pageScript?: string;
}

export interface Browser {
  cdp: Cdp;
  process: ChildProcess;
  pid: number;
  userDataDir: string;
  withExtension: boolean;
  /** Open a tab at `url` (in a window of its own with `newWindow`) and attach to it; resolves after load. */
  newPage(url: string, opts?: { newWindow?: boolean }): Promise<Page>;
  targets(): Promise<TargetInfo[]>;
  attach(targetId: string): Promise<Session>;
  close(): Promise<void>;
}

export interface Page {
  targetId: string;
  session: Session;
  goto(url: string): Promise<void>;
  close(): Promise<void>;
}

const live = new Set<Browser>();

/** Close every browser still open (for finally blocks and signal handlers). */
export async function closeAllBrowsers(): Promise<void> {
  await Promise.all([...live].map((b) => b.close()));
}

export async function launch(opts: LaunchOptions = {}): Promise<Browser> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'wc-bench-'));
  const args = [
    ...BENCH_CHROMIUM_ARGS,
    `--user-data-dir=${userDataDir}`,
    '--remote-debugging-pipe',
    ...(opts.extension ? [`--disable-extensions-except=${opts.extension}`, `--load-extension=${opts.extension}`] : []),
    'about:blank',
  ];
  const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: false });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  const out = child.stdio[3] as Writable;
  const input = child.stdio[4] as Readable;
  const cdp = new Cdp(out, input);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let closing: Promise<void> | undefined;
  const browser: Browser = {
    cdp,
    process: child,
    pid: child.pid ?? -1,
    userDataDir,
    withExtension: Boolean(opts.extension),
    async newPage(url, pageOpts = {}) {
      const { targetId } = await cdp.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank', ...(pageOpts.newWindow ? { newWindow: true } : {}) });
      const session = await browser.attach(targetId);
      await session.send('Page.enable');
      if (opts.pageScript) await injectEverywhere(session, opts.pageScript);
      const page: Page = {
        targetId,
        session,
        async goto(to) {
          const loaded = waitFor(session, 'Page.loadEventFired', 30_000);
          const nav = await session.send<{ errorText?: string }>('Page.navigate', { url: to });
          if (nav.errorText) throw new CdpError(`navigate ${to}: ${nav.errorText}`);
          await loaded;
        },
        async close() {
          await cdp.send('Target.closeTarget', { targetId }).catch(() => undefined);
        },
      };
      if (url !== 'about:blank') await page.goto(url);
      return page;
    },
    async targets() {
      return (await cdp.send<{ targetInfos: TargetInfo[] }>('Target.getTargets')).targetInfos;
    },
    async attach(targetId) {
      const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
      return cdp.session(sessionId);
    },
    close() {
      closing ??= (async () => {
        live.delete(browser);
        await Promise.race([cdp.send('Browser.close').catch(() => undefined), delay(3_000)]);
        await Promise.race([exited, delay(5_000)]);
        if (child.exitCode === null) {
          child.kill('SIGKILL');
          await Promise.race([exited, delay(2_000)]);
        }
        rmSync(userDataDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
  live.add(browser);
  try {
    await Promise.race([
      cdp.send('Browser.getVersion'),
      exited.then(() => {
        throw new CdpError(`Chromium exited at start: ${stderr}`);
      }),
      delay(30_000).then(() => {
        throw new CdpError('Chromium did not answer within 30 s');
      }),
    ]);
    await cdp.send('Target.setDiscoverTargets', { discover: true });
  } catch (err) {
    await browser.close();
    throw err;
  }
  return browser;
}

/**
 * `source` at document start in every frame of the session's page: same-process frames through
 * `addScriptToEvaluateOnNewDocument`, out-of-process ones by attaching to them as they start (held until
 * the script is registered) and doing the same there.
 */
async function injectEverywhere(session: Session, source: string): Promise<void> {
  await session.send('Page.addScriptToEvaluateOnNewDocument', { source });
  session.on('Target.attachedToTarget', (p) => {
    const child = session.cdp.session(String(p.sessionId));
    const info = p.targetInfo as { type?: string };
    void (async () => {
      if (info.type === 'iframe') {
        await child.send('Page.enable');
        await injectEverywhere(child, source);
      }
      await child.send('Runtime.runIfWaitingForDebugger');
    })().catch(() => undefined);
  });
  await session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolve on the next `method` event of `session`, or reject after `timeoutMs`. */
export function waitFor(session: Session, method: string, timeoutMs: number, pred: (p: Json) => boolean = () => true): Promise<Json> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new CdpError(`timed out waiting for ${method}`));
    }, timeoutMs);
    const off = session.on(method, (p) => {
      if (!pred(p)) return;
      clearTimeout(timer);
      off();
      resolve(p);
    });
  });
}

/** Poll `fn` until it returns a value that is not undefined, or throw after `timeoutMs`. */
export async function poll<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string, intervalMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > end) throw new CdpError(`timed out: ${what}${lastErr ? ` (${String(lastErr)})` : ''}`);
    await delay(intervalMs);
  }
}
