/**
 * After an install or an update (a reload counts as one), the tabs already open run no content script,
 * or the previous version's, which is orphaned: it notices and goes quiet by itself (WXT's content script
 * context). Injecting the current content script into those tabs lets the new version capture at once,
 * instead of only after each tab is reloaded. Needs the `scripting` permission (host access comes from
 * `host_permissions`); browsers without `scripting` simply capture from the next page load.
 *
 * A tab may load a page while this runs, so a document can get both the manifest's copy and this one, in
 * either order: the copies hand over to each other in the page (lib/capture/document-capture.ts), which
 * also decides there whether the page load is reported — no flag set from here, since a tab navigating
 * between two injections would carry it into the wrong document.
 */
import { browser } from 'wxt/browser';
import type { ScriptPublicPath } from 'wxt/utils/inject-script';

/** Only web pages are captured (see lib/messaging/sender.ts); other schemes are not worth a try. */
const CAPTURED_URLS = ['http://*/*', 'https://*/*'];

/** The content script files the manifest declares, as `scripting.executeScript` wants them. */
export function contentScriptFiles(manifest: { content_scripts?: { js?: string[] }[] }): ScriptPublicPath[] {
  const files = (manifest.content_scripts ?? []).flatMap((cs) => cs.js ?? []).map((f) => (f.startsWith('/') ? f : `/${f}`));
  return [...new Set(files)] as ScriptPublicPath[];
}

export interface InjectReport {
  tabs: number;
  injected: number;
}

export async function injectIntoOpenTabs(): Promise<InjectReport> {
  const report: InjectReport = { tabs: 0, injected: 0 };
  const scripting = (browser as { scripting?: typeof browser.scripting }).scripting;
  if (!scripting?.executeScript) return report;
  const files = contentScriptFiles(browser.runtime.getManifest() as { content_scripts?: { js?: string[] }[] });
  if (files.length === 0) return report;
  const tabs = await browser.tabs.query({ url: CAPTURED_URLS });
  await Promise.all(
    tabs.map(async (tab) => {
      // A discarded tab has no document: it loads (with the content script) when it is next shown.
      if (tab.id === undefined || tab.incognito || tab.discarded) return;
      report.tabs++;
      const target = { tabId: tab.id, allFrames: true };
      try {
        await scripting.executeScript({ target, files });
        report.injected++;
      } catch {
        // A page the extension may not script (the Web Store, an error page): nothing to capture there.
      }
    }),
  );
  return report;
}
