#!/usr/bin/env node
// Pack a built extension into a signed CRX3 and write the update manifest (updates.xml) for self-hosting.
//
//   node scripts/pack-crx.mjs --dir .output/chrome-mv3 --key keys/dev-key.pem --out dist/ \
//        --base-url https://extensions.example.com/workflow-capture
//
// Writes <out>/workflow-capture-<version>.crx and <out>/updates.xml, whose codebase is
// <base-url>/workflow-capture-<version>.crx. Upload both to <base-url>/ and point the policy
// ExtensionInstallForcelist at "<id>;<base-url>/updates.xml" (see docs/admin/README.md).
//
// Packing is done by Chromium itself (`--pack-extension`), which writes DIR.crx next to DIR: the build
// is copied to a temporary directory first, so nothing is written beside the build and a half-finished
// build being rewritten by someone else cannot end up in the package. Plain Node, no dependencies.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { idFromHex, idFromManifestKey, keyInfoFromPemFile } from './ext-id.mjs';

const USAGE = `usage: node scripts/pack-crx.mjs --dir <built extension> --key <private key .pem> --base-url <url> [options]

  --dir <path>        unpacked Chrome build, e.g. .output/chrome-mv3 (npm run build)
  --key <path>        PEM private key that signs the CRX and fixes the extension id
  --base-url <url>    where the .crx will be served from (the codebase in updates.xml)
  --out <path>        output directory (default dist/)
  --name <name>       file name prefix (default workflow-capture)
  --chromium <path>   Chromium or Chrome binary (default $CHROMIUM_PATH or /usr/bin/chromium)
  --json              print the result as one JSON line
  --help              show this help
`;

export class PackError extends Error {}

/** Minimal protobuf reader: the fields of one message, as {field, wireType, value}. */
function protoFields(buf) {
  const fields = [];
  let pos = 0;
  const varint = () => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new PackError('truncated CRX header');
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const tag = varint();
    const field = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (wireType === 0) fields.push({ field, wireType, value: varint() });
    else if (wireType === 1) (fields.push({ field, wireType, value: buf.subarray(pos, pos + 8) }), (pos += 8));
    else if (wireType === 5) (fields.push({ field, wireType, value: buf.subarray(pos, pos + 4) }), (pos += 4));
    else if (wireType === 2) {
      const len = Number(varint());
      fields.push({ field, wireType, value: buf.subarray(pos, pos + len) });
      pos += len;
    } else throw new PackError(`unexpected protobuf wire type ${wireType} in CRX header`);
  }
  return fields;
}

/**
 * Reads a CRX3 file's header: format version and the extension id it was signed for
 * (CrxFileHeader.signed_header_data = 10000 -> SignedData.crx_id = 1, 16 bytes).
 */
export function readCrx3(buf) {
  if (buf.length < 12 || buf.subarray(0, 4).toString('latin1') !== 'Cr24') throw new PackError('not a CRX file (no Cr24 magic)');
  const version = buf.readUInt32LE(4);
  if (version !== 3) throw new PackError(`CRX version ${version}, expected 3`);
  const headerSize = buf.readUInt32LE(8);
  const header = buf.subarray(12, 12 + headerSize);
  const signed = protoFields(header).find((f) => f.field === 10000 && f.wireType === 2);
  const crxId = signed && protoFields(signed.value).find((f) => f.field === 1 && f.wireType === 2);
  if (!crxId || crxId.value.length !== 16) throw new PackError('CRX header has no crx_id');
  return { version, id: idFromHex(Buffer.from(crxId.value).toString('hex')), archiveOffset: 12 + headerSize };
}

function xmlAttr(text) {
  return String(text).replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The gupdate update manifest Chrome fetches from the ExtensionInstallForcelist / update_url URL. */
export function updatesXml({ id, version, codebase }) {
  return `<?xml version='1.0' encoding='UTF-8'?>
<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>
  <app appid='${xmlAttr(id)}'>
    <updatecheck codebase='${xmlAttr(codebase)}' version='${xmlAttr(version)}' />
  </app>
</gupdate>
`;
}

function run(file, args, timeoutMs) {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, error, stdout, stderr });
    });
  });
}

/**
 * Packs `dir` with `key` and writes the CRX and updates.xml into `out`. Returns what it wrote.
 * Throws PackError with a message meant for a person.
 */
export async function packCrx({ dir, key, out = 'dist', baseUrl, name = 'workflow-capture', chromium }) {
  if (!dir) throw new PackError('--dir is required (the unpacked build, e.g. .output/chrome-mv3; run `npm run build` first)');
  if (!key) throw new PackError('--key is required (the PEM private key that signs the extension)');
  if (!baseUrl) throw new PackError('--base-url is required (where the .crx will be served from)');
  let base;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new PackError(`--base-url "${baseUrl}" is not a URL`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new PackError(`--base-url must be http(s), got ${base.protocol}`);

  const srcDir = path.resolve(dir);
  if (!existsSync(srcDir) || !statSync(srcDir).isDirectory()) {
    throw new PackError(`extension directory ${dir} does not exist (run \`npm run build\` first)`);
  }
  const manifestPath = path.join(srcDir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new PackError(`${dir} has no manifest.json: not a built extension`);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (err) {
    throw new PackError(`${manifestPath} is not valid JSON (${err.message})`);
  }
  const version = manifest.version;
  if (typeof version !== 'string' || !/^\d+(\.\d+){0,3}$/.test(version)) {
    throw new PackError(`${manifestPath} has no valid "version" (got ${JSON.stringify(version)})`);
  }

  const keyPath = path.resolve(key);
  let keyInfo;
  try {
    keyInfo = keyInfoFromPemFile(keyPath);
  } catch (err) {
    throw new PackError(err.message);
  }
  const warnings = [];
  if (typeof manifest.key === 'string' && idFromManifestKey(manifest.key) !== keyInfo.id) {
    // Chrome installs a CRX under the id of the key that signed it, whatever the manifest says; the
    // manifest key only fixes the id of the unpacked build. A mismatch means the two ids differ.
    warnings.push(
      `manifest "key" belongs to id ${idFromManifestKey(manifest.key)}, but ${key} gives id ${keyInfo.id}: ` +
        'the CRX installs as the latter. Put the matching public key in the manifest (keys/*.pub.txt) so unpacked and packed builds share one id.',
    );
  }

  const chromiumPath = chromium ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    accessSync(chromiumPath, constants.X_OK);
  } catch {
    throw new PackError(
      `Chromium not found at ${chromiumPath} (install it: apt-get install chromium, or pass --chromium / set CHROMIUM_PATH)`,
    );
  }

  const work = mkdtempSync(path.join(tmpdir(), 'wc-pack-'));
  try {
    const stage = path.join(work, 'extension');
    cpSync(srcDir, stage, { recursive: true });
    const args = [
      '--no-sandbox', // packing as root (CI) needs it; harmless otherwise
      `--user-data-dir=${path.join(work, 'profile')}`, // never talk to a running browser's profile
      `--pack-extension=${stage}`,
      `--pack-extension-key=${keyPath}`,
    ];
    const result = await run(chromiumPath, args, 120_000);
    const producedCrx = `${stage}.crx`; // Chromium writes DIR.crx next to DIR
    if (!existsSync(producedCrx)) {
      const detail = (result.stderr || result.stdout || String(result.error ?? '')).split('\n').filter((l) => l.trim() && !/unexpected operator/.test(l));
      throw new PackError(`Chromium did not produce a CRX (exit ${result.code})${detail.length ? `:\n  ${detail.slice(-5).join('\n  ')}` : ''}`);
    }
    const crx = readFileSync(producedCrx);
    const header = readCrx3(crx);
    if (header.id !== keyInfo.id) throw new PackError(`packed CRX has id ${header.id}, expected ${keyInfo.id}`);

    const outDir = path.resolve(out);
    mkdirSync(outDir, { recursive: true });
    const crxName = `${name}-${version}.crx`;
    const crxPath = path.join(outDir, crxName);
    writeFileSync(crxPath, crx);
    const codebase = new URL(crxName, base.href.endsWith('/') ? base.href : `${base.href}/`).href;
    const updatesPath = path.join(outDir, 'updates.xml');
    writeFileSync(updatesPath, updatesXml({ id: keyInfo.id, version, codebase }));
    return {
      id: keyInfo.id,
      version,
      crx: crxPath,
      updatesXml: updatesPath,
      codebase,
      updateUrl: new URL('updates.xml', codebase).href,
      bytes: crx.length,
      sha256: createHash('sha256').update(crx).digest('hex'),
      warnings,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function main(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        dir: { type: 'string' },
        key: { type: 'string' },
        out: { type: 'string', default: 'dist' },
        'base-url': { type: 'string' },
        name: { type: 'string', default: 'workflow-capture' },
        chromium: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    console.error(`pack-crx: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    const r = await packCrx({ dir: values.dir, key: values.key, out: values.out, baseUrl: values['base-url'], name: values.name, chromium: values.chromium });
    for (const w of r.warnings) console.error(`pack-crx: warning: ${w}`);
    if (values.json) console.log(JSON.stringify(r));
    else {
      console.log(`extension id  ${r.id}
version       ${r.version}
crx           ${path.relative(process.cwd(), r.crx)} (${r.bytes} bytes, sha256 ${r.sha256})
updates.xml   ${path.relative(process.cwd(), r.updatesXml)} (codebase ${r.codebase})
policy        ExtensionInstallForcelist: "${r.id};${r.updateUrl}"`);
    }
    return 0;
  } catch (err) {
    if (err instanceof PackError) {
      console.error(`pack-crx: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
