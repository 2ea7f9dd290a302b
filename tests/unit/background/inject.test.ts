import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { contentScriptFiles, injectIntoOpenTabs } from '../../../lib/background/inject';

describe('lib/background/inject', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('takes the content script files from the manifest, as extension-root paths, once each', () => {
    expect(contentScriptFiles({ content_scripts: [{ js: ['content-scripts/content.js'] }, { js: ['/content-scripts/content.js', 'x.js'] }] })).toEqual([
      '/content-scripts/content.js',
      '/x.js',
    ]);
    expect(contentScriptFiles({})).toEqual([]);
  });

  it('injects into every open web page (all frames) in one step; skips what it cannot script', async () => {
    vi.spyOn(browser.runtime, 'getManifest').mockReturnValue({ content_scripts: [{ js: ['content-scripts/content.js'], matches: ['<all_urls>'] }] } as never);
    const query = vi.spyOn(browser.tabs, 'query').mockResolvedValue([
      { id: 1, url: 'https://a.example/' },
      { id: 2, url: 'https://b.example/', discarded: true },
      { id: 3, url: 'https://c.example/', incognito: true },
      { id: 4, url: 'https://chromewebstore.google.com/' },
    ] as never);
    const calls: { tabId: number; files?: string[]; args?: unknown[] }[] = [];
    const executeScript = vi.fn(async (injection: { target: { tabId: number; allFrames?: boolean }; files?: string[]; args?: unknown[] }) => {
      expect(injection.target.allFrames).toBe(true);
      if (injection.target.tabId === 4) throw new Error('Cannot access contents of the page');
      calls.push({ tabId: injection.target.tabId, files: injection.files, args: injection.args });
      return [];
    });
    (browser as unknown as { scripting: { executeScript: unknown } }).scripting = { executeScript };

    expect(await injectIntoOpenTabs()).toEqual({ tabs: 2, injected: 1 });
    expect(query).toHaveBeenCalledWith({ url: ['http://*/*', 'https://*/*'] });
    expect(calls).toEqual([{ tabId: 1, files: ['/content-scripts/content.js'], args: undefined }]);
  });

  it('does nothing where the browser has no scripting API', async () => {
    (browser as unknown as { scripting: unknown }).scripting = undefined;
    const query = vi.spyOn(browser.tabs, 'query');
    expect(await injectIntoOpenTabs()).toEqual({ tabs: 0, injected: 0 });
    expect(query).not.toHaveBeenCalled();
  });
});
