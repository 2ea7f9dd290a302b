#!/usr/bin/env node
/**
 * What the content script is made of: builds it (Chrome, production, with a source map, into
 * .output/size/) and prints its minified and gzip size, then the minified bytes each source file or
 * package accounts for, largest first. The content script runs in every frame of every tab, so every
 * kilobyte here is paid per frame (its source is held in memory by each renderer).
 *
 *   npm run size                 the table, grouped by package and lib/ folder
 *   npm run size -- --files      one row per source file
 *   npm run size -- --json       machine-readable
 *
 * Numbers only; it fails only when the build does.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'wxt';

const TARGET_MINIFIED_BYTES = 60_000;
const args = new Set(process.argv.slice(2));
const outDir = '.output/size';

// WXT draws a progress spinner on stdout; the table below is this script's output.
const write = process.stdout.write;
process.stdout.write = () => true;
try {
  await build({
    outDir,
    filterEntrypoints: ['content'],
    // Quiet: the table below is the output (warnings and errors still show).
    logger: { log() {}, info() {}, success() {}, debug() {}, start() {}, box() {}, warn: (...a) => String(a[0]).includes('entrypoints have been skipped') || console.warn(...a), error: console.error, fatal: console.error },
    vite: () => ({ build: { sourcemap: true } }),
  });
} finally {
  process.stdout.write = write;
}

const file = `${outDir}/chrome-mv3/content-scripts/content.js`;
const code = readFileSync(file, 'utf8');
const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = Object.fromEntries([...B64].map((c, i) => [c, i]));

/** Source map v3 segments of one generated line: [column, source index or -1]. */
function* segments(mappings) {
  let source = 0;
  for (const line of mappings.split(';')) {
    let column = 0;
    const out = [];
    for (const seg of line.split(',')) {
      if (!seg) continue;
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = B64_VALUE[ch];
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0];
      if (fields.length > 1) source += fields[1];
      out.push([column, fields.length > 1 ? source : -1]);
    }
    yield out;
  }
}

/** Minified bytes attributed to each source (the generated text up to the next mapping). */
const bytesBySource = new Map();
const lines = code.split('\n');
let lineNo = 0;
for (const segs of segments(map.mappings)) {
  const text = lines[lineNo++] ?? '';
  for (let i = 0; i < segs.length; i++) {
    const [column, source] = segs[i];
    const end = i + 1 < segs.length ? segs[i + 1][0] : text.length;
    const name = source >= 0 ? map.sources[source] : '(bundler runtime)';
    bytesBySource.set(name, (bytesBySource.get(name) ?? 0) + Buffer.byteLength(text.slice(column, end)));
  }
}

const label = (source) => {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (pkg) return args.has('--files') ? source.slice(source.indexOf('node_modules/')) : pkg[1];
  const own = /(?:^|\/)((?:lib|entrypoints)\/.*)$/.exec(source);
  if (!own) return source;
  return args.has('--files') ? own[1] : own[1].replace(/\/[^/]+$/, '/');
};
const groups = new Map();
for (const [source, bytes] of bytesBySource) groups.set(label(source), (groups.get(label(source)) ?? 0) + bytes);
const rows = [...groups].sort((a, b) => b[1] - a[1]);

const minified = Buffer.byteLength(code);
const gzip = gzipSync(code, { level: 9 }).length;
if (args.has('--json')) {
  console.log(JSON.stringify({ file, minifiedBytes: minified, gzipBytes: gzip, bySource: Object.fromEntries(rows) }, null, 2));
} else {
  const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
  console.log(`${file}: ${kb(minified)} minified (target ≤ ${kb(TARGET_MINIFIED_BYTES)}), ${kb(gzip)} gzip`);
  for (const [name, bytes] of rows) console.log(`  ${kb(bytes).padStart(9)}  ${((100 * bytes) / minified).toFixed(1).padStart(5)} %  ${name}`);
}
