/**
 * Content-side batching: events are buffered briefly and handed to the background in one message. A
 * send that did not reach the background (worker restarting: "Receiving end does not exist", or the
 * channel closed before the answer) is retried with backoff; ids make a duplicate delivery harmless. An
 * answer from the background, even a refusal, is final. Nothing is kept longer than needed, and no
 * timer runs while the buffer is empty.
 *
 * Held: before the page knows whether it may capture at all (no capture configuration published yet,
 * right after an install), events are kept in the page, sent nowhere, until `release` or `drop`.
 */
import {
  CONTENT_FLUSH_DELAY_MS,
  CONTENT_HELD_MAX_EVENTS,
  CONTENT_FLUSH_MAX_EVENTS,
  CONTENT_SEND_RETRIES,
  CONTENT_SEND_RETRY_BASE_MS,
} from '../constants';
import type { EventBody } from '../schema/event';
import { timedDeferred } from './handler-timing';

/**
 * Longest wait for the background's answer before the send counts as failed and is retried (ids make
 * the repeat harmless). Chromium can leave the promise unsettled for good: a page that went into the
 * back/forward cache with a message in flight gets neither the answer nor an error when it comes back,
 * and without this every later flush would queue behind it forever.
 */
export const CONTENT_SEND_TIMEOUT_MS = 5_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer from the background in time')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves when the background answered (stored, or refused for good); rejects when it was not reached. */
export type Send = (events: EventBody[]) => Promise<unknown>;

export interface BatcherOptions {
  /**
   * True when the page may be about to go away (hidden, being unloaded): a flush then sends at once
   * instead of queueing behind a delivery still waiting for its answer, which would die with the page.
   */
  urgent?: () => boolean;
  /**
   * Events that could not be sent because this script's extension context died first (the extension was
   * updated or reloaded): the copy that takes over the document may still send them.
   */
  orphaned?: (events: EventBody[]) => void;
}

export class Batcher {
  private buffer: EventBody[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Flushed batches waiting for the send in flight to be answered. */
  private queue: EventBody[][] = [];
  private pumping: Promise<void> | undefined;
  private closed = false;
  private held = false;

  constructor(
    private readonly send: Send,
    private readonly isAlive: () => boolean,
    private readonly options: BatcherOptions = {},
  ) {}

  push(event: EventBody): void {
    if (this.closed) return;
    if (this.held) {
      if (this.buffer.length < CONTENT_HELD_MAX_EVENTS) this.buffer.push(event);
      return;
    }
    this.buffer.push(event);
    if (this.buffer.length >= CONTENT_FLUSH_MAX_EVENTS) this.flush();
    else this.timer ??= setTimeout(timedDeferred(() => this.flush(), 'flush'), CONTENT_FLUSH_DELAY_MS);
  }

  /**
   * Drop a buffered event for which `same` holds (an input value superseded by the next keystroke) and
   * push this one: one event per field per flush instead of one per keystroke.
   */
  upsert(event: EventBody, same: (buffered: EventBody) => boolean): void {
    const i = this.buffer.findIndex(same);
    if (i >= 0) this.buffer.splice(i, 1);
    this.push(event);
  }

  /**
   * Hand the buffer to the background now (also on pagehide / hidden). Sends stay in order: each waits
   * for the answer to the previous one (flushed batches wait in `queue`), except on an urgent flush:
   * then the buffer and every batch still queued go at once. A batch left queued behind a send whose
   * answer has not come yet would otherwise start only after the page is gone — that is how the last
   * events of a page left right after a flush were lost. Sending them early can only reorder events
   * (their seq follows arrival); ids make any repeat harmless.
   */
  flush(opts: { urgent?: boolean } = {}): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.held) return this.pumping ?? Promise.resolve();
    if (this.buffer.length > 0) {
      this.queue.push(this.buffer);
      this.buffer = [];
    }
    if (opts.urgent || this.options.urgent?.()) {
      const all = this.queue.splice(0).flat();
      const sends: Promise<void>[] = [];
      // One message stays within what the background accepts.
      for (let i = 0; i < all.length; i += CONTENT_FLUSH_MAX_EVENTS) sends.push(this.deliver(all.slice(i, i + CONTENT_FLUSH_MAX_EVENTS)));
      return Promise.all([...sends, this.pumping]).then(() => undefined);
    }
    return this.pump();
  }

  /** Deliver the queued batches one after the other, each after the answer to the previous one. */
  private pump(): Promise<void> {
    // Only with something queued: the loop must reach its first await before `pumping` is cleared.
    if (!this.pumping && this.queue.length > 0) {
      this.pumping = (async () => {
        try {
          for (let batch = this.queue.shift(); batch; batch = this.queue.shift()) await this.deliver(batch);
        } finally {
          this.pumping = undefined;
        }
      })();
    }
    return this.pumping ?? Promise.resolve();
  }

  /** Keep what is pushed from now on in the page, unsent, until `release` or `drop`. */
  hold(): void {
    // What was pushed before is not provisional (a predecessor's unsent events): it goes as usual.
    void this.flush();
    this.held = true;
  }

  get holding(): boolean {
    return this.held;
  }

  /** The capture configuration allows what was held: send the events `keep` accepts, and go on as usual. */
  release(keep: (event: EventBody) => boolean): void {
    if (!this.held) return;
    this.held = false;
    const events = this.buffer.filter(keep);
    this.buffer = [];
    for (const event of events) this.push(event);
  }

  /** The capture configuration does not allow what was held: forget it, and go on as usual. */
  drop(): void {
    this.held = false;
    this.buffer = [];
  }

  /**
   * Stop taking events for good: this script was superseded by a newer copy in the same document, or
   * the extension was updated or reloaded underneath it. What is buffered is sent now when `canSend`
   * (deliveries already under way also finish, as long as `isAlive` says so); otherwise — held events,
   * or an orphaned script that can no longer reach the background — it is returned, for the script that
   * takes over this document to send.
   */
  close(canSend: boolean): { held: EventBody[]; unsent: EventBody[] } {
    const out = { held: [] as EventBody[], unsent: [] as EventBody[] };
    // Held events were never flushed, so nothing of them is queued.
    if (this.held) out.held = this.buffer;
    else if (canSend) void this.flush({ urgent: true });
    else out.unsent = [...this.queue.splice(0).flat(), ...this.buffer];
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.buffer = [];
    this.queue = [];
    return out;
  }

  private async deliver(events: EventBody[]): Promise<void> {
    for (let attempt = 0; attempt <= CONTENT_SEND_RETRIES; attempt++) {
      if (!this.isAlive()) {
        // Never sent (first attempt): someone else may. After a failed attempt it may have arrived.
        if (attempt === 0) this.options.orphaned?.(events);
        return;
      }
      try {
        await withTimeout(this.send(events), CONTENT_SEND_TIMEOUT_MS);
        return;
      } catch (err) {
        // The orphaned script of an updated/reloaded extension: stay quiet, the new version captures.
        if (!this.isAlive() || /context invalidated/i.test(String(err))) return;
        await new Promise((r) => setTimeout(r, CONTENT_SEND_RETRY_BASE_MS * 2 ** attempt));
      }
    }
  }
}
