import { describe, expect, it } from 'vitest';
import { classifySender, senderPageUrl } from '../../../lib/messaging/sender';

const ID = 'hbgpbjfebeipmjmbibimelbolampmbdc';
const ORIGIN = `chrome-extension://${ID}/`;

describe('lib/messaging/sender', () => {
  it('sorts senders into trust tiers', () => {
    expect(classifySender({ id: ID, url: `${ORIGIN}options.html` }, ID, ORIGIN)).toBe('page');
    // The options page opened in a tab is still an extension page.
    expect(classifySender({ id: ID, url: `${ORIGIN}options.html`, tab: { id: 3 } as never }, ID, ORIGIN)).toBe('page');
    expect(classifySender({ id: ID, url: 'https://app.example.com/', tab: { id: 3 } as never, frameId: 0 }, ID, ORIGIN)).toBe('content');
  });

  it('takes a frame whose first about:blank window loaded a page of its origin as that origin', () => {
    const sender = { id: ID, url: 'about:blank', origin: 'http://127.0.0.1:8080', tab: { id: 3 } as never, frameId: 5 };
    expect(classifySender(sender, ID, ORIGIN)).toBe('content');
    expect(senderPageUrl(sender)).toBe('http://127.0.0.1:8080/');
    expect(classifySender({ ...sender, origin: 'null' }, ID, ORIGIN)).toBe('untrusted'); // an opaque origin speaks for no site
    expect(classifySender({ ...sender, url: 'about:blank', origin: 'chrome-extension://x' }, ID, ORIGIN)).toBe('untrusted');
  });

  it('trusts nothing else', () => {
    expect(classifySender({ id: 'another-extension', url: `${ORIGIN}options.html` }, ID, ORIGIN)).toBe('untrusted');
    expect(classifySender({ id: ID, url: 'https://app.example.com/' }, ID, ORIGIN)).toBe('untrusted'); // no tab
    expect(classifySender({ id: ID, url: 'chrome://settings', tab: { id: 3 } as never }, ID, ORIGIN)).toBe('untrusted');
    expect(classifySender({ id: ID, url: 'chrome-extension://other/x.html' }, ID, ORIGIN)).toBe('untrusted');
  });
});
