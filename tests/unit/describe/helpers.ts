/**
 * Test helpers for lib/describe: build DOM fixtures, resolve Recorder selector chains the way
 * @puppeteer/replay does (happy-dom has no XPath engine, so a small evaluator for the XPath shapes the
 * Recorder writes lives here).
 */
import { selectorToPElementSelector } from '@puppeteer/replay';
import { parsePSelectors } from 'puppeteer-core/internal/common/PSelectorParser.js';

export function html(markup: string): Document {
  document.body.innerHTML = markup;
  return document;
}

export function $(sel: string, root: ParentNode = document): Element {
  const el = root.querySelector(sel);
  if (!el) throw new Error(`fixture: no ${sel}`);
  return el;
}

/** Attach an open shadow root with `markup` to `host`. */
export function shadow(host: Element, markup: string): ShadowRoot {
  const sr = host.attachShadow({ mode: 'open' });
  sr.innerHTML = markup;
  return sr;
}

// ---------------------------------------------------------------------------------------------------
// XPath subset: /a/b[2], //*[@id="x"]/c, ./a, .//*[@attr='v'], *[local-name()="svg"][1]

type Ctx = Document | ShadowRoot | Element;

function splitSteps(path: string): string[] {
  const steps: string[] = [];
  let cur = '';
  let depth = 0;
  let quote = '';
  for (const ch of path) {
    if (quote) {
      cur += ch;
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
      continue;
    }
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === '/' && depth === 0) {
      steps.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  steps.push(cur);
  return steps;
}

function literal(s: string): string {
  const t = s.trim();
  if (t.startsWith('concat(')) {
    const inner = t.slice(7, -1);
    const parts = inner.match(/"[^"]*"|'[^']*'/g) ?? [];
    return parts.map((p) => p.slice(1, -1)).join('');
  }
  return t.slice(1, -1);
}

interface Step {
  name: string | undefined; // undefined: any element
  attr?: [string, string];
  index?: number;
}

function parseStep(step: string): Step {
  const m = /^(\*|[\w-]+)((?:\[[^\]]*\])*)$/.exec(step);
  if (!m) throw new Error(`xpath step not understood: ${step}`);
  const out: Step = { name: m[1] === '*' ? undefined : m[1] };
  const preds = (m[2] ?? '').match(/\[(?:[^\]"']|"[^"]*"|'[^']*')*\]/g) ?? [];
  for (const p of preds) {
    const body = p.slice(1, -1);
    let mm: RegExpExecArray | null;
    if ((mm = /^local-name\(\)=(.+)$/.exec(body))) out.name = literal(mm[1]!);
    else if ((mm = /^@([\w-]+)=(.+)$/.exec(body))) out.attr = [mm[1]!, literal(mm[2]!)];
    else if (/^\d+$/.test(body)) out.index = Number(body);
    else throw new Error(`xpath predicate not understood: ${body}`);
  }
  return out;
}

function matches(el: Element, s: Step): boolean {
  if (s.name !== undefined && el.localName !== s.name) return false;
  if (s.attr && el.getAttribute(s.attr[0]) !== s.attr[1]) return false;
  return true;
}

function childrenOf(n: Ctx): Element[] {
  if (n.nodeType === 9) return [(n as Document).documentElement];
  return [...(n as ParentNode).children];
}

function applyChild(nodes: Ctx[], s: Step): Element[] {
  const out: Element[] = [];
  for (const n of nodes) {
    const kids = childrenOf(n).filter((k) => matches(k, s));
    if (s.index !== undefined) {
      const k = kids[s.index - 1];
      if (k) out.push(k);
    } else out.push(...kids);
  }
  return out;
}

function applyDescendant(nodes: Ctx[], s: Step): Element[] {
  const out: Element[] = [];
  for (const n of nodes) {
    const all = n.nodeType === 9 ? [...(n as Document).querySelectorAll('*')] : [...(n as ParentNode).querySelectorAll('*')];
    for (const e of all) {
      if (!matches(e, s)) continue;
      if (s.index !== undefined) {
        const siblings = e.parentNode ? [...(e.parentNode as ParentNode).children].filter((k) => matches(k, s)) : [e];
        if (siblings[s.index - 1] !== e) continue;
      }
      out.push(e);
    }
  }
  return out;
}

/** Evaluate the XPath shapes the Recorder writes, from `context` (a document or a shadow root). */
export function evalXPath(expr: string, context: Document | ShadowRoot): Element[] {
  let start: Ctx[];
  let rest: string;
  let descendant = false;
  if (expr.startsWith('.//')) {
    start = [context];
    rest = expr.slice(3);
    descendant = true;
  } else if (expr.startsWith('./')) {
    start = [context];
    rest = expr.slice(2);
  } else if (expr.startsWith('//')) {
    start = [context.ownerDocument ?? (context as Document)];
    rest = expr.slice(2);
    descendant = true;
  } else if (expr.startsWith('/')) {
    start = [context.ownerDocument ?? (context as Document)];
    rest = expr.slice(1);
  } else throw new Error(`xpath not understood: ${expr}`);
  let nodes: Ctx[] = start;
  splitSteps(rest).forEach((raw, i) => {
    const s = parseStep(raw);
    nodes = i === 0 && descendant ? applyDescendant(nodes, s) : applyChild(nodes, s);
  });
  return [...new Set(nodes as Element[])];
}

// ---------------------------------------------------------------------------------------------------
// Recorder chains

/** Resolve a css or xpath chain as @puppeteer/replay does: each next part inside the shadow root. */
export function resolveChain(chain: string[], doc: Document = document): Element[] {
  let scopes: Array<Document | ShadowRoot> = [doc];
  let found: Element[] = [];
  chain.forEach((part, i) => {
    found = [];
    for (const scope of scopes) {
      if (part.startsWith('xpath/')) found.push(...evalXPath(part.slice(6), scope));
      else if (part.startsWith('pierce/')) found.push(...deepQuery(scope, part.slice(7)));
      else found.push(...scope.querySelectorAll(part));
    }
    if (i < chain.length - 1) scopes = found.map((e) => e.shadowRoot).filter((s): s is ShadowRoot => !!s);
  });
  return [...new Set(found)];
}

function deepQuery(root: Document | ShadowRoot, sel: string): Element[] {
  const out: Element[] = [...root.querySelectorAll(sel)];
  for (const e of root.querySelectorAll('*')) if (e.shadowRoot) out.push(...deepQuery(e.shadowRoot, sel));
  return out;
}

/**
 * Parse a selector chain the way replay does (selectorToPElementSelector + Puppeteer's P-selector
 * parser) and return the parsed compound parts, e.g. [{ name: 'aria', value: 'Save[role="button"]' }].
 */
export function parseAsPuppeteer(chain: string[]): unknown[] {
  const p = selectorToPElementSelector(chain);
  const [selectors] = parsePSelectors(p);
  return selectors.flat(2);
}

/** Puppeteer's reading of an aria selector value: name and role. */
export function ariaParts(value: string): { name?: string; role?: string } {
  const out: { name?: string; role?: string } = {};
  const rest = value.replace(/\[\s*(\w+)\s*=\s*("|')(\\.|.*?(?=\2))\2\s*\]/g, (_m, attr: string, _q, v: string) => {
    if (attr === 'name' || attr === 'role') out[attr] = v;
    return '';
  });
  if (rest && !out.name) out.name = rest;
  return out;
}
