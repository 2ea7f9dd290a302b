import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { defineConfig } from 'wxt';

// The public half of the development signing key: it fixes the Chrome extension id (see README) so that
// policies can name it. Organisations that pack their own build replace it with their own key's.
const MANIFEST_KEY = readFileSync(new URL('./keys/dev-key.pub.txt', import.meta.url), 'utf8').trim();

// Benchmarks only: `WC_HANDLER_TIMING=1` compiles the content script's handler timing in
// (lib/capture/handler-timing.ts) and writes the build to a directory of its own
// (.output/chrome-mv3-dev-handler-timing for `--mode development`), so that it never replaces the build
// the tests and the other benchmark arms load. Without it the timing code is not in the bundle at all.
const HANDLER_TIMING = process.env.WC_HANDLER_TIMING === '1';

/**
 * `wxt/browser` is Mozilla's webextension-polyfill in the background and the extension pages (what the
 * `@wxt-dev/webextension-polyfill` module does), but not in the content script: it runs in every frame of
 * every tab, where the polyfill cost 10 kB and its wrappers, and it only uses promise-returning calls
 * that Chrome's MV3 `chrome.*` and Firefox's `browser.*` both have natively (runtime.sendMessage and
 * onMessage without sendResponse, storage). Without the alias `wxt/browser` is the native API.
 */
const webextensionPolyfill = (): Plugin => ({
  name: 'workflow-capture:webextension-polyfill',
  config: () => ({ resolve: { alias: { 'wxt/browser': '@wxt-dev/webextension-polyfill/browser' } } }),
});

/**
 * The content script's source is held in every frame's renderer as a string: one byte a character when
 * it is all ASCII, two when a single character is not (the word lists hold Cyrillic, Arabic, CJK…).
 * Escaping those few hundred characters costs about 2 kB of file and halves that string.
 */
const asciiOutput = (): Plugin => ({
  name: 'workflow-capture:ascii-output',
  config: () => ({ build: { rollupOptions: { output: { charset: 'ascii' } } } }),
});

export default defineConfig({
  imports: false,
  ...(HANDLER_TIMING ? { outDirTemplate: '{{browser}}-mv{{manifestVersion}}{{modeSuffix}}-handler-timing' } : {}),
  vite: () => ({ define: { __WC_HANDLER_TIMING__: JSON.stringify(HANDLER_TIMING) } }),
  hooks: {
    'vite:build:extendConfig': (entrypoints, config) => {
      const contentScripts = entrypoints.every((e) => e.type === 'content-script');
      config.plugins = [...(config.plugins ?? []), contentScripts ? asciiOutput() : webextensionPolyfill()];
    },
    'vite:devServer:extendConfig': (config) => {
      config.plugins = [...(config.plugins ?? []), webextensionPolyfill()];
    },
  },
  manifest: ({ browser }) => ({
    name: 'Workflow Capture',
    description:
      'Records how you use web apps (clicks, keys, navigation) for training AI agents. Passwords and sensitive fields are never captured; you can pause or opt out.',
    ...(browser === 'chrome' ? { key: MANIFEST_KEY } : {}),
    // `scripting`: after an install or update, inject the content script into the tabs already open so
    // the new version captures them at once (lib/background/inject.ts). No install warning of its own.
    permissions: ['storage', 'alarms', 'management', 'notifications', 'scripting'],
    // Content scripts run on every site (capture is decided per site at run time) and uploads go to the
    // collector the organisation configures, which can be any origin.
    host_permissions: ['<all_urls>'],
    incognito: 'not_allowed',
    storage: { managed_schema: 'managed_schema.json' },
    commands: {
      'toggle-pause': {
        suggested_key: { default: 'Alt+Shift+Y' },
        description: 'Pause capture (or resume it)',
      },
    },
    action: { default_title: 'Workflow Capture' },
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'workflow-capture@workflow-capture.org', strict_min_version: '115.0' } } }
      : {}),
  }),
  zip: {
    // Signing keys never go into a zip.
    excludeSources: ['keys/**', '.output/**', 'test-results/**', 'collector/data/**'],
  },
});
