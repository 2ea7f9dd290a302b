/**
 * Site rules: which pages may be captured at all. Patterns are Chrome match patterns
 * (`*://*.example.com/*`, `https://app.example.com/admin/*`, `<all_urls>`); a bare host such as
 * `example.com` is accepted as shorthand for that host and its subdomains, on any path.
 */

export interface SiteRules {
  includeSites: readonly string[];
  excludeSites: readonly string[];
}

export type SiteVerdict = 'capture' | 'excluded' | 'not-included' | 'unsupported';

const PATTERN = /^(\*|https?|file|wss?):\/\/(\*|\*\.[^/*]+|[^/*]+)?(\/.*)$/;

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

interface Compiled {
  scheme: string;
  host: string;
  path: RegExp;
}

function compile(pattern: string): Compiled | undefined {
  const p = pattern.trim();
  if (p === '<all_urls>') return { scheme: '*', host: '*', path: /^.*$/ };
  if (/^[a-z0-9.-]+(:\d+)?$/i.test(p) && p.includes('.')) {
    return { scheme: '*', host: `*.${p.toLowerCase()}`, path: /^.*$/ };
  }
  const m = PATTERN.exec(p);
  if (!m) return undefined;
  return { scheme: m[1]!, host: (m[2] ?? '').toLowerCase(), path: globToRegExp(m[3]!) };
}

export function isValidPattern(pattern: string): boolean {
  return compile(pattern) !== undefined;
}

function hostMatches(patternHost: string, host: string): boolean {
  if (patternHost === '*') return true;
  if (patternHost.startsWith('*.')) {
    const base = patternHost.slice(2);
    return host === base || host.endsWith(`.${base}`);
  }
  return host === patternHost;
}

export function matchesPattern(pattern: string, rawUrl: string): boolean {
  const c = compile(pattern);
  if (!c) return false;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return false;
  }
  const scheme = url.protocol.slice(0, -1);
  if (c.scheme === '*' ? !['http', 'https'].includes(scheme) : c.scheme !== scheme) return false;
  // Patterns ignore ports unless they name one, like Chrome's.
  const host = c.host.includes(':') ? url.host : url.hostname;
  if (scheme !== 'file' && !hostMatches(c.host, host.toLowerCase())) return false;
  return c.path.test(url.pathname + url.search);
}

/** Only ordinary web pages are ever captured: never browser, extension or local-file pages. */
export function isCapturableUrl(rawUrl: string): boolean {
  return /^https?:\/\//i.test(rawUrl);
}

export function siteVerdict(rules: SiteRules, rawUrl: string): SiteVerdict {
  if (!isCapturableUrl(rawUrl)) return 'unsupported';
  if (rules.excludeSites.some((p) => matchesPattern(p, rawUrl))) return 'excluded';
  if (rules.includeSites.length > 0 && !rules.includeSites.some((p) => matchesPattern(p, rawUrl))) {
    return 'not-included';
  }
  return 'capture';
}
