/**
 * docs/admin stays true to the code: every policy key of lib/schema/policy.ts is in every template and in
 * the README table; the templates parse, name the extension id of keys/id.txt (and Firefox's gecko id of
 * wxt.config.ts), fit Chrome's managed schema (or Chrome would drop values silently), pass the extension's
 * own validation without a problem, and all say the same thing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { POLICY_DEFAULTS, PolicyFields, resolvePolicy, SIGNALS, type PolicyKey } from '../../../lib/schema/policy';
import { parsePlist, parseReg, regKey, regSubkeys, regToJson, schemaMismatches, type Schema } from './formats';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (p: string) => readFileSync(path.join(ROOT, p), 'utf8');
const ADMIN = 'docs/admin';

const ID = read('keys/id.txt').trim();
const GECKO_ID = /gecko:\s*\{\s*id:\s*'([^']+)'/.exec(read('wxt.config.ts'))?.[1];
const KEYS = Object.keys(PolicyFields) as PolicyKey[];
const SCHEMA = JSON.parse(read('public/managed_schema.json')) as Schema;
const UPDATE_URL = 'https://extensions.example.com/workflow-capture/updates.xml';

type Json = Record<string, unknown>;
const obj = (v: unknown, what: string): Json => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${what} is not an object`);
  return v as Json;
};

// Each template's extension configuration, decoded the way the browser decodes it.
const linux = obj(JSON.parse(read(`${ADMIN}/chrome-linux.json`)), 'chrome-linux.json');
const linuxConfig = obj(obj(obj(linux['3rdparty'], '3rdparty').extensions, 'extensions')[ID], `3rdparty.extensions.${ID}`);

const adminConsole = obj(JSON.parse(read(`${ADMIN}/google-admin-console.json`)), 'google-admin-console.json');
const adminConsoleConfig = Object.fromEntries(Object.entries(adminConsole).map(([k, v]) => [k, obj(v, k).Value]));

const firefox = obj(obj(JSON.parse(read(`${ADMIN}/firefox-policies.json`)), 'firefox-policies.json').policies, 'policies');
const firefoxConfig = obj(obj(obj(firefox['3rdparty'], '3rdparty').Extensions, 'Extensions')[GECKO_ID ?? ''], `3rdparty.Extensions.${GECKO_ID}`);

const regTemplates = {
  'windows.reg': { file: parseReg(read(`${ADMIN}/windows.reg`)), root: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome' },
  'edge.reg': { file: parseReg(read(`${ADMIN}/edge.reg`)), root: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Edge' },
};
const regConfig = (name: keyof typeof regTemplates) => {
  const { file, root } = regTemplates[name];
  return obj(regToJson(file, `${root}\\3rdparty\\extensions\\${ID}\\policy`, SCHEMA), name);
};

const profile = obj(parsePlist(read(`${ADMIN}/macos.mobileconfig`)), 'macos.mobileconfig');
const payloads = (profile.PayloadContent as unknown[]).map((p, i) => obj(p, `payload ${i}`));
const chromePayload = payloads.find((p) => p.PayloadType === 'com.google.Chrome');
const extensionPayload = payloads.find((p) => p.PayloadType === `com.google.Chrome.extensions.${ID}`);
const PAYLOAD_KEYS = ['PayloadType', 'PayloadIdentifier', 'PayloadUUID', 'PayloadVersion', 'PayloadEnabled', 'PayloadDisplayName', 'PayloadDescription', 'PayloadOrganization'];
const macConfig = Object.fromEntries(Object.entries(extensionPayload ?? {}).filter(([k]) => !PAYLOAD_KEYS.includes(k)));

const CONFIGS: Record<string, Json> = {
  'chrome-linux.json': linuxConfig,
  'windows.reg': regConfig('windows.reg'),
  'edge.reg': regConfig('edge.reg'),
  'macos.mobileconfig': macConfig,
  'google-admin-console.json': adminConsoleConfig,
  'firefox-policies.json': firefoxConfig,
};

const README = read(`${ADMIN}/README.md`);
/** The configuration table: key -> [type, default, meaning]. */
const README_ROWS = new Map(
  [...README.matchAll(/^\| `(\w+)` \| ([^|]+) \| ([^|]+) \| (.+) \|$/gm)].map((m) => [m[1]!, [m[2]!.trim(), m[3]!.trim(), m[4]!.trim()] as const]),
);

describe('docs/admin templates', () => {
  it('the managed schema and the policy code name the same keys (and the same signals)', () => {
    expect(Object.keys(SCHEMA.properties ?? {}).sort()).toEqual([...KEYS].sort());
    expect(Object.keys(SCHEMA.properties?.capture?.properties ?? {}).sort()).toEqual([...SIGNALS].sort());
  });

  for (const [name, config] of Object.entries(CONFIGS)) {
    describe(name, () => {
      it('sets every policy key and nothing else', () => {
        expect(Object.keys(config).sort()).toEqual([...KEYS].sort());
        expect(Object.keys(obj(config.capture, 'capture')).sort()).toEqual([...SIGNALS].sort());
      });

      it('fits Chrome\'s managed schema, so Chrome drops nothing', () => {
        expect(schemaMismatches(config, SCHEMA)).toEqual([]);
      });

      it('passes the extension\'s validation: no problem, every value from policy', () => {
        const resolved = resolvePolicy(config);
        expect(resolved.problems).toEqual([]);
        expect(Object.values(resolved.sources).every((s) => s === 'managed')).toBe(true);
      });

      it('says the same as chrome-linux.json', () => {
        expect(config).toEqual(linuxConfig);
      });
    });
  }

  it('the collector URL and token are placeholders, not a development setup', () => {
    expect(linuxConfig.collectorUrl).toMatch(/^https:\/\//);
    expect(String(linuxConfig.authToken)).toMatch(/REPLACE/);
  });

  describe('extension ids', () => {
    it('keys/id.txt is a Chrome id', () => {
      expect(ID).toMatch(/^[a-p]{32}$/);
    });

    for (const file of ['chrome-linux.json', 'windows.reg', 'edge.reg', 'macos.mobileconfig', 'README.md']) {
      it(`${file} names no other Chrome extension id`, () => {
        const ids = new Set(read(`${ADMIN}/${file}`).match(/\b[a-p]{32}\b/g) ?? []);
        expect([...ids]).toEqual([ID]);
      });
    }

    it('chrome-linux.json force-installs that id from updates.xml and updates from the same place', () => {
      expect(linux.ExtensionInstallForcelist).toEqual([`${ID};${UPDATE_URL}`]);
      expect(linux.ExtensionSettings).toEqual({ [ID]: { override_update_url: true } });
      expect(Object.keys(linux).sort()).toEqual(['3rdparty', 'ExtensionInstallForcelist', 'ExtensionSettings']);
    });

    for (const name of ['windows.reg', 'edge.reg'] as const) {
      it(`${name} force-installs that id under its browser's policy key`, () => {
        const { file, root } = regTemplates[name];
        for (const key of file.keys()) expect(key.toLowerCase().startsWith(root.toLowerCase()), key).toBe(true);
        const forcelist = regKey(file, `${root}\\ExtensionInstallForcelist`);
        expect(forcelist && Object.fromEntries([...forcelist].map(([k, v]) => [k, v.value]))).toEqual({ '1': `${ID};${UPDATE_URL}` });
        const settings = regKey(file, root)?.get('ExtensionSettings');
        expect(settings?.type).toBe('sz');
        expect(JSON.parse(String(settings?.value))).toEqual({ [ID]: { override_update_url: true } });
        expect(regSubkeys(file, `${root}\\3rdparty\\extensions`)).toEqual([ID]);
      });
    }

    it('macos.mobileconfig has a Chrome payload that force-installs it and a com.google.Chrome.extensions.<id> payload', () => {
      expect(profile.PayloadType).toBe('Configuration');
      expect(payloads).toHaveLength(2);
      expect(chromePayload?.ExtensionInstallForcelist).toEqual([`${ID};${UPDATE_URL}`]);
      expect(chromePayload?.ExtensionSettings).toEqual({ [ID]: { override_update_url: true } });
      expect(extensionPayload).toBeDefined();
      const uuids = [profile.PayloadUUID, ...payloads.map((p) => p.PayloadUUID)];
      for (const uuid of uuids) expect(uuid).toMatch(/^[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}$/i);
      expect(new Set(uuids).size).toBe(uuids.length);
    });

    it('firefox-policies.json force-installs the gecko id of wxt.config.ts', () => {
      expect(GECKO_ID).toBeTruthy();
      const settings = obj(firefox.ExtensionSettings, 'ExtensionSettings');
      expect(Object.keys(settings)).toEqual([GECKO_ID]);
      expect(settings[GECKO_ID!]).toMatchObject({ installation_mode: 'force_installed', install_url: expect.stringMatching(/^https:\/\/.+\.xpi$/) });
      expect(Object.keys(firefox).sort()).toEqual(['3rdparty', 'ExtensionSettings']);
    });
  });

  describe('README.md', () => {
    it('has one configuration table row per policy key, in the code\'s order', () => {
      expect([...README_ROWS.keys()]).toEqual(KEYS);
    });

    it('gives each key the type of the managed schema', () => {
      const words: Record<Schema['type'], string> = {
        boolean: 'boolean',
        string: 'string',
        integer: 'integer',
        number: 'number',
        array: 'array of strings',
        object: 'object of booleans',
      };
      for (const key of KEYS) expect(README_ROWS.get(key)?.[0], key).toBe(words[SCHEMA.properties![key]!.type]);
    });

    it('gives each key the default of POLICY_DEFAULTS', () => {
      for (const key of KEYS) {
        const shown = README_ROWS.get(key)?.[1];
        const value: unknown = POLICY_DEFAULTS[key];
        if (typeof value === 'boolean' || typeof value === 'number') expect(shown, key).toBe(`\`${value}\``);
        else if (value === '' || (Array.isArray(value) && value.length === 0)) expect(shown, key).toMatch(/^(none|every site)$/);
        else if (key === 'capture') expect(shown).toBe('all on');
        else if (typeof value === 'string') expect(shown, key).toBe(`\`"${value}"\``);
        else throw new Error(`README check does not know how to show the default of ${key}`);
      }
    });

    it('states the limits the validators enforce for numbers', () => {
      const limits: Partial<Record<PolicyKey, string>> = {
        maxPauseMinutes: '1–1440',
        pointerSampleMs: '20–1000',
        uploadIntervalMinutes: '1–1440',
        maxUploadKBPerDay: '1–10000000',
        maxUploadKBps: '1–1000000',
        maxBufferMB: '1–2000',
      };
      for (const [key, range] of Object.entries(limits) as [PolicyKey, string][]) {
        expect(README_ROWS.get(key)?.[2], key).toContain(range);
        const [lo, hi] = range.split('–').map(Number) as [number, number];
        const field = PolicyFields[key];
        expect(field.safeParse(lo).success, `${key} accepts ${lo}`).toBe(true);
        expect(field.safeParse(hi).success, `${key} accepts ${hi}`).toBe(true);
        expect(field.safeParse(lo - 1).success, `${key} rejects ${lo - 1}`).toBe(false);
        expect(field.safeParse(hi + 1).success, `${key} rejects ${hi + 1}`).toBe(false);
      }
    });

    it('warns that the committed key is for development only', () => {
      expect(README).toMatch(/production deployment must use its own key/i);
    });

    it('links only to files that exist', () => {
      for (const [, target] of README.matchAll(/\]\(([^)#]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        expect(() => readFileSync(path.join(ROOT, ADMIN, target!)), target).not.toThrow();
      }
    });
  });
});
