/**
 * A page that stays loading until the test lets it finish: its form is parsed and usable while the rest
 * of the document is held back, so a test can have a page load exactly while the extension installs,
 * updates or injects (no timing guesswork, no sleep). Served from its own loopback port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldPages {
  /** URL of a new held page (each URL is one document, held until `finish` for that path). */
  url(pathname: string): string;
  /** Send the rest of every page of `pathname` requested so far (and of later requests at once). */
  finish(pathname: string): void;
  close(): Promise<void>;
}

const HEAD = (title: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>
  <label for="name">Full name</label><input id="name" name="name" autocomplete="off">
`;

export async function startHeldPages(): Promise<HeldPages> {
  const waiting = new Map<string, http.ServerResponse[]>();
  const finished = new Set<string>();
  const end = (res: http.ServerResponse) => res.end('<p id="done">Loaded.</p></body></html>');
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname === '/favicon.ico') return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    // Enough bytes that the parser renders the form before the body is complete.
    res.write(HEAD(`Held ${pathname}`) + `<!-- ${' '.repeat(2048)} -->\n`);
    if (finished.has(pathname)) return void end(res);
    waiting.set(pathname, [...(waiting.get(pathname) ?? []), res]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (pathname) => `${base}${pathname}`,
    finish(pathname) {
      finished.add(pathname);
      for (const res of waiting.get(pathname) ?? []) end(res);
      waiting.delete(pathname);
    },
    close: async () => {
      for (const list of waiting.values()) for (const res of list) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
