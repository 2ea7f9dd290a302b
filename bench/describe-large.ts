/**
 * How long element description takes on a large page (the `large` fixture: ~11,000 elements, ~18,000
 * nodes) in real Chromium. The content script describes the target of every click, focus, input and
 * key, so this is on the path of every action. Prints numbers; asserts nothing.
 *
 *   npx tsx bench/describe-large.ts
 *
 * lib/describe and lib/privacy are bundled as they are for the content script and injected into the
 * page; `inspect` below does what the session's `ctx.inspect` does (privacy level, then describeTarget).
 */
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { fileURLToPath } from 'node:url';
import { startFixtureServer } from '../tests/fixtures/server';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = 30;

const ENTRY = `
import { describeTarget, menuContext } from './lib/describe';
import { isSensitiveField, privacyLevel, redactText } from './lib/privacy';
export function inspect(el) {
  const level = privacyLevel(el, []);
  const masked = level === 'mask' || isSensitiveField(el, []);
  return describeTarget(el, { masked, redact: redactText });
}
export { describeTarget, menuContext, redactText };
`;

const TARGETS: Array<[string, string]> = [
  ['button "Open order 500" (1000 same-role buttons)', '#open-500'],
  ['checkbox "Select order 999"', '#select-999'],
  ['plain cell (row 700, customer)', '#row-700 td:nth-child(3)'],
  ['row', '#row-42'],
  ['search field', '#filter'],
  ['select', '#bulk-status'],
  ['unique button "Select visible"', '#select-visible'],
];

async function main() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const bundle = await build({
    stdin: { contents: ENTRY, resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'iife',
    globalName: '__wcBench',
    write: false,
    target: 'chrome120',
  });
  const code = bundle.outputFiles[0]!.text;
  const server = await startFixtureServer();
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--headless=new'] });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    await page.goto(`${server.url}/large/`, { waitUntil: 'load' });
    await page.addScriptTag({ content: code });
    const dom = await page.evaluate(() => ({ elements: document.getElementsByTagName('*').length }));
    console.log(`large fixture: ${dom.elements} elements; ${RUNS} runs per target (ms: first call, median, p90, max)\n`);
    for (const [label, selector] of TARGETS) {
      // A string, not a function: tsx would wrap named helpers in a `__name` the page does not have.
      const r = (await page.evaluate(`(() => {
        const api = window.__wcBench;
        const el = document.querySelector(${JSON.stringify(selector)});
        const times = [];
        let selectors = [];
        for (let i = 0; i < ${RUNS}; i++) {
          const t0 = performance.now();
          selectors = api.inspect(el).selectors;
          times.push(performance.now() - t0);
        }
        const sorted = [...times].sort((a, b) => a - b);
        const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
        return { first: times[0], median: at(0.5), p90: at(0.9), max: sorted[sorted.length - 1], selectors: selectors.map((c) => c.join(' >>> ')) };
      })()`)) as { first: number; median: number; p90: number; max: number; selectors: string[] };
      const f = (n: number) => n.toFixed(2).padStart(7);
      console.log(`${label.padEnd(48)} ${f(r.first)} ${f(r.median)} ${f(r.p90)} ${f(r.max)}   ${r.selectors.join(' | ')}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
