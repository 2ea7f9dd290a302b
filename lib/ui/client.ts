/** The popup's and options page's way to the background: typed page messages. */
import { browser } from 'wxt/browser';
import type { Status } from '../background/status';
import type { PageMessage } from '../schema/messages';

export async function ask<T = unknown>(message: PageMessage): Promise<T> {
  return (await browser.runtime.sendMessage(message)) as T;
}

export const getStatus = () => ask<Status>({ kind: 'status' });
