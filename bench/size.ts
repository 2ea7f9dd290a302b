/**
 * The content script as it ships: bytes and gzip bytes of the release build's
 * .output/chrome-mv3/content-scripts/content.js (WXT minifies release builds), built here first unless
 * asked not to. Also checks that no handler-timing code reached it (lib/capture/handler-timing.ts is
 * compiled in only by WC_HANDLER_TIMING=1 builds).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { HANDLER_TIMING_GLOBAL } from '../lib/capture/handler-timing';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RELEASE = `${ROOT}.output/chrome-mv3/content-scripts/content.js`;
const DEVELOPMENT = `${ROOT}.output/chrome-mv3-dev/content-scripts/content.js`;

export interface ContentScriptSize {
  /** Which build was measured: the release build, or the development build when there was no release build. */
  build: 'release' | 'development';
  file: string;
  bytes: number;
  /** gzip level 9, as a store or an update server would compress it. */
  gzipBytes: number;
  /** Markers of the handler timing found in the file (should be none). */
  timingMarkers: string[];
}

/** Build the release build (`wxt build`, a few seconds). */
export function buildRelease(): void {
  execFileSync(`${ROOT}node_modules/.bin/wxt`, ['build'], { cwd: ROOT, env: { ...process.env, WC_HANDLER_TIMING: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function contentScriptSize(): ContentScriptSize | undefined {
  const file = existsSync(RELEASE) ? RELEASE : existsSync(DEVELOPMENT) ? DEVELOPMENT : undefined;
  if (!file) return undefined;
  const code = readFileSync(file);
  const text = code.toString('utf8');
  return {
    build: file === RELEASE ? 'release' : 'development',
    file: file.slice(ROOT.length),
    bytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    timingMarkers: [HANDLER_TIMING_GLOBAL, 'deferred:'].filter((m) => text.includes(m)),
  };
}
