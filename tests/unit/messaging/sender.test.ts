import { describe, expect, it } from 'vitest';
import { classifySender } from '../../../lib/messaging/sender';

const ID = 'hbgpbjfebeipmjmbibimelbolampmbdc';
const ORIGIN = `chrome-extension://${ID}/`;

describe('lib/messaging/sender', () => {
  it('sorts senders into trust tiers', () => {
    expect(classifySender({ id: ID, url: `${ORIGIN}options.html` }, ID, ORIGIN)).toBe('page');
    // The options page opened in a tab is still an extension page.
    expect(classifySender({ id: ID, url: `${ORIGIN}options.html`, tab: { id: 3 } as never }, ID, ORIGIN)).toBe('page');
    expect(classifySender({ id: ID, url: 'https://app.example.com/', tab: { id: 3 } as never, frameId: 0 }, ID, ORIGIN)).toBe('content');
  });

  it('trusts nothing else', () => {
    expect(classifySender({ id: 'another-extension', url: `${ORIGIN}options.html` }, ID, ORIGIN)).toBe('untrusted');
    expect(classifySender({ id: ID, url: 'https://app.example.com/' }, ID, ORIGIN)).toBe('untrusted'); // no tab
    expect(classifySender({ id: ID, url: 'chrome://settings', tab: { id: 3 } as never }, ID, ORIGIN)).toBe('untrusted');
    expect(classifySender({ id: ID, url: 'chrome-extension://other/x.html' }, ID, ORIGIN)).toBe('untrusted');
  });
});
