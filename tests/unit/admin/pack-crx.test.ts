/**
 * scripts/pack-crx.mjs and scripts/ext-id.mjs: the id maths against keys/, updates.xml, the CRX3 header
 * check, clear errors, and (where Chromium is installed) a real pack of a tiny extension.
 */
import { generateKeyPairSync } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { idFromManifestKey, keyInfoFromPemFile } from '../../../scripts/ext-id.mjs';
import { packCrx, PackError, readCrx3, updatesXml } from '../../../scripts/pack-crx.mjs';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DEV_KEY = path.join(ROOT, 'keys/dev-key.pem');
const ID = readFileSync(path.join(ROOT, 'keys/id.txt'), 'utf8').trim();
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = (() => {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return true;
  } catch {
    return false;
  }
})();

const work = mkdtempSync(path.join(tmpdir(), 'wc-unit-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tinyExtension(name: string, manifest: Record<string, unknown>): string {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ manifest_version: 3, name: 'pack test', version: '1.2.3', ...manifest }));
  return dir;
}

describe('scripts/ext-id.mjs', () => {
  it('derives keys/id.txt and keys/dev-key.pub.txt from keys/dev-key.pem', () => {
    const info = keyInfoFromPemFile(DEV_KEY);
    expect(info.id).toBe(ID);
    expect(info.key).toBe(readFileSync(path.join(ROOT, 'keys/dev-key.pub.txt'), 'utf8').trim());
    expect(idFromManifestKey(info.key)).toBe(ID);
  });

  it('explains a missing file and a file that is not a key', () => {
    expect(() => keyInfoFromPemFile(path.join(work, 'nope.pem'))).toThrow(/no such file/);
    expect(() => keyInfoFromPemFile(path.join(ROOT, 'package.json'))).toThrow(/not a PEM key/);
  });
});

describe('scripts/pack-crx.mjs', () => {
  it('writes a gupdate manifest with the app id, version and codebase, escaped', () => {
    const xml = updatesXml({ id: ID, version: '1.2.3', codebase: "https://x.example/a?b=1&c='2'" });
    expect(xml).toContain("<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>");
    expect(xml).toContain(`<app appid='${ID}'>`);
    expect(xml).toContain("<updatecheck codebase='https://x.example/a?b=1&amp;c=&apos;2&apos;' version='1.2.3' />");
  });

  it('rejects what is not a CRX3', () => {
    expect(() => readCrx3(Buffer.from('PK\u0003\u0004not a crx'))).toThrow(/Cr24/);
    const crx2 = Buffer.alloc(16);
    crx2.write('Cr24', 0, 'latin1');
    crx2.writeUInt32LE(2, 4);
    expect(() => readCrx3(crx2)).toThrow(/version 2/);
  });

  it('gives clear errors for a missing directory, manifest, key, base URL or Chromium', async () => {
    const ok = tinyExtension('errors', {});
    const base = { key: DEV_KEY, out: path.join(work, 'out-errors'), baseUrl: 'https://x.example/' };
    await expect(packCrx({ ...base, dir: path.join(work, 'missing') })).rejects.toThrow(/does not exist .*npm run build/);
    await expect(packCrx({ ...base, dir: work })).rejects.toThrow(/no manifest\.json/);
    await expect(packCrx({ ...base, dir: ok, key: path.join(work, 'missing.pem') })).rejects.toThrow(/cannot read key file/);
    await expect(packCrx({ ...base, dir: ok, baseUrl: undefined })).rejects.toThrow(/--base-url is required/);
    await expect(packCrx({ ...base, dir: ok, baseUrl: 'ftp://x.example/' })).rejects.toThrow(/http\(s\)/);
    await expect(packCrx({ ...base, dir: ok, chromium: path.join(work, 'no-chromium') })).rejects.toThrow(/Chromium not found/);
    await expect(packCrx({ ...base, dir: tinyExtension('badversion', { version: 'one' }) })).rejects.toBeInstanceOf(PackError);
    expect(existsSync(base.out)).toBe(false);
  });

  it.skipIf(!hasChromium)('packs a CRX3 signed for the key\'s id and writes updates.xml beside it', async () => {
    const dir = tinyExtension('real', { key: readFileSync(path.join(ROOT, 'keys/dev-key.pub.txt'), 'utf8').trim() });
    const out = path.join(work, 'out-real');
    const r = await packCrx({ dir, key: DEV_KEY, out, baseUrl: 'http://127.0.0.1:8765' });
    expect(r).toMatchObject({
      id: ID,
      version: '1.2.3',
      crx: path.join(out, 'workflow-capture-1.2.3.crx'),
      codebase: 'http://127.0.0.1:8765/workflow-capture-1.2.3.crx',
      updateUrl: 'http://127.0.0.1:8765/updates.xml',
      warnings: [],
    });
    expect(readCrx3(readFileSync(r.crx))).toMatchObject({ version: 3, id: ID });
    expect(readFileSync(r.updatesXml, 'utf8')).toBe(updatesXml({ id: ID, version: '1.2.3', codebase: r.codebase }));
    expect(existsSync(`${dir}.crx`), 'nothing is written next to the build').toBe(false);
  });

  it.skipIf(!hasChromium)('warns when the manifest key belongs to another id than the signing key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const otherKey = path.join(work, 'other.pem');
    writeFileSync(otherKey, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const other = keyInfoFromPemFile(otherKey);
    const dir = tinyExtension('mismatch', { key: readFileSync(path.join(ROOT, 'keys/dev-key.pub.txt'), 'utf8').trim() });
    const r = await packCrx({ dir, key: otherKey, out: path.join(work, 'out-mismatch'), baseUrl: 'https://x.example/ext/' });
    expect(r.id).toBe(other.id);
    expect(r.codebase).toBe('https://x.example/ext/workflow-capture-1.2.3.crx');
    expect(readCrx3(readFileSync(r.crx)).id).toBe(other.id);
    expect(r.warnings.join()).toContain(`belongs to id ${ID}`);
  });
});
