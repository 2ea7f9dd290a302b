/**
 * Just enough of three policy file formats to check the admin templates: Windows .reg files (read the
 * way Chromium's registry policy loader converts them, components/policy/core/common/registry_dict.cc),
 * Apple property lists (the .mobileconfig) and Chrome's managed-storage JSON schema (type check only).
 */

// ---- .reg ---------------------------------------------------------------------------------------

export type RegValue = { type: 'sz'; value: string } | { type: 'dword'; value: number };
/** Key path (as written, case kept) -> value name -> value. */
export type RegFile = Map<string, Map<string, RegValue>>;

function unescapeRegString(raw: string): string {
  return raw.replace(/\\(["\\])/g, '$1');
}

export function parseReg(text: string): RegFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== 'Windows Registry Editor Version 5.00') throw new Error('not a REGEDIT5 file');
  const keys: RegFile = new Map();
  let current: Map<string, RegValue> | undefined;
  for (const [i, raw] of lines.slice(1).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith(';')) continue;
    const key = /^\[([^\]]+)\]$/.exec(line);
    if (key) {
      current = keys.get(key[1]!) ?? new Map();
      keys.set(key[1]!, current);
      continue;
    }
    const value = /^"((?:[^"\\]|\\.)*)"=(?:"((?:[^"\\]|\\.)*)"|dword:([0-9a-fA-F]{8}))$/.exec(line);
    if (!value || !current) throw new Error(`line ${i + 2}: cannot read ${JSON.stringify(line)}`);
    const name = unescapeRegString(value[1]!);
    current.set(name, value[2] !== undefined ? { type: 'sz', value: unescapeRegString(value[2]) } : { type: 'dword', value: parseInt(value[3]!, 16) });
  }
  return keys;
}

const lower = (s: string) => s.toLowerCase();

/** The values of one key, looked up case-insensitively like the registry does. */
export function regKey(reg: RegFile, path: string): Map<string, RegValue> | undefined {
  for (const [k, v] of reg) if (lower(k) === lower(path)) return v;
  return undefined;
}

/** Direct subkey names of `path`. */
export function regSubkeys(reg: RegFile, path: string): string[] {
  const prefix = `${lower(path)}\\`;
  const names = new Set<string>();
  for (const k of reg.keys()) {
    if (lower(k).startsWith(prefix)) names.add(k.slice(prefix.length).split('\\')[0]!);
  }
  return [...names];
}

// ---- Chrome managed schema ------------------------------------------------------------------------

export interface Schema {
  type: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, Schema>;
  items?: Schema;
  title?: string;
  description?: string;
}

/** Chromium's ConvertRegistryValue for one value; undefined where Chromium drops it. */
function convertRegValue(v: RegValue, schema: Schema | undefined): unknown {
  if (!schema) return undefined;
  const asInt = (s: string) => (/^-?\d+$/.test(s.trim()) ? Number(s) : undefined);
  switch (schema.type) {
    case 'boolean':
      if (v.type === 'dword') return v.value !== 0;
      return asInt(v.value) === undefined ? undefined : asInt(v.value) !== 0;
    case 'integer':
      return v.type === 'dword' ? v.value : asInt(v.value);
    case 'number':
      if (v.type === 'dword') return v.value;
      return Number.isFinite(Number(v.value)) && v.value.trim() !== '' ? Number(v.value) : undefined;
    case 'string':
      return v.type === 'sz' ? v.value : undefined;
    case 'array':
    case 'object': {
      if (v.type !== 'sz') return undefined;
      try {
        const parsed: unknown = JSON.parse(v.value);
        const isArray = Array.isArray(parsed);
        return (schema.type === 'array') === isArray && typeof parsed === 'object' && parsed !== null ? parsed : undefined;
      } catch {
        return undefined;
      }
    }
  }
}

/** Chromium's RegistryDict::ConvertToJSON: a key and its subkeys as the policy value for `schema`. */
export function regToJson(reg: RegFile, path: string, schema: Schema): unknown {
  const values = regKey(reg, path) ?? new Map<string, RegValue>();
  if (schema.type === 'object') {
    const out: Record<string, unknown> = {};
    for (const [name, v] of values) {
      const converted = convertRegValue(v, schema.properties?.[name]);
      if (converted !== undefined) out[name] = converted;
    }
    for (const sub of regSubkeys(reg, path)) {
      const subSchema = schema.properties?.[sub];
      if (subSchema) out[sub] = regToJson(reg, `${path}\\${sub}`, subSchema);
    }
    return out;
  }
  if (schema.type === 'array') {
    const items = [...values.entries()].filter(([name]) => /^\d+$/.test(name)).sort((a, b) => Number(a[0]) - Number(b[0]));
    return items.map(([, v]) => convertRegValue(v, schema.items)).filter((x) => x !== undefined);
  }
  throw new Error(`a registry key cannot hold a ${schema.type}`);
}

/** Where a value does not fit `schema` (Chrome drops such values silently); [] when it fits. */
export function schemaMismatches(value: unknown, schema: Schema, where = '$'): string[] {
  const bad = (what: string) => [`${where}: expected ${what}, got ${JSON.stringify(value)}`];
  switch (schema.type) {
    case 'boolean':
      return typeof value === 'boolean' ? [] : bad('boolean');
    case 'string':
      return typeof value === 'string' ? [] : bad('string');
    case 'integer':
      return Number.isInteger(value) ? [] : bad('integer');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? [] : bad('number');
    case 'array':
      return Array.isArray(value) ? value.flatMap((item, i) => schemaMismatches(item, schema.items!, `${where}[${i}]`)) : bad('array');
    case 'object':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('object');
      return Object.entries(value).flatMap(([k, v]) => {
        const sub = schema.properties?.[k];
        return sub ? schemaMismatches(v, sub, `${where}.${k}`) : [`${where}.${k}: not in the schema`];
      });
  }
}

// ---- plist -------------------------------------------------------------------------------------

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decode = (s: string) => s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ENTITIES[e]!);

/** Parses an XML property list (dict, array, key, string, integer, real, true, false). */
export function parsePlist(xml: string): unknown {
  const body = xml
    .replace(/<\?xml[^>]*\?>/, '')
    .replace(/<!DOCTYPE[^>]*>/, '')
    .replace(/<!--[\s\S]*?-->/g, '');
  type Token = { text: string } | { tag: string; close: boolean; selfClose: boolean };
  const tokens: Token[] = [...body.matchAll(/<(\/?)([A-Za-z]+)(?:\s[^>]*?)?(\/?)>|([^<]+)/g)]
    .map((m): Token => (m[4] !== undefined ? { text: m[4] } : { tag: m[2]!, close: m[1] === '/', selfClose: m[3] === '/' }))
    .filter((t) => !('text' in t) || t.text.trim() !== '');
  let pos = 0;
  const next = () => {
    const t = tokens[pos++];
    if (!t) throw new Error('unexpected end of plist');
    return t;
  };
  const textOf = (tag: string): string => {
    let t = next();
    let text = '';
    if ('text' in t) {
      text = t.text;
      t = next();
    }
    if ('text' in t || t.tag !== tag || !t.close) throw new Error(`expected </${tag}>`);
    return decode(text);
  };
  const value = (): unknown => {
    const t = next();
    if ('text' in t || t.close) throw new Error(`unexpected ${JSON.stringify(t)}`);
    switch (t.tag) {
      case 'plist': {
        const v = value();
        next();
        return v;
      }
      case 'true':
      case 'false':
        if (!t.selfClose) textOf(t.tag);
        return t.tag === 'true';
      case 'string':
        return t.selfClose ? '' : textOf('string');
      case 'integer': {
        const s = textOf('integer').trim();
        if (!/^-?\d+$/.test(s)) throw new Error(`bad integer ${s}`);
        return Number(s);
      }
      case 'real':
        return Number(textOf('real'));
      case 'array': {
        const out: unknown[] = [];
        if (t.selfClose) return out;
        for (;;) {
          const peek = tokens[pos];
          if (peek && !('text' in peek) && peek.tag === 'array' && peek.close) {
            pos++;
            return out;
          }
          out.push(value());
        }
      }
      case 'dict': {
        const out: Record<string, unknown> = {};
        if (t.selfClose) return out;
        for (;;) {
          const k = next();
          if (!('text' in k) && k.tag === 'dict' && k.close) return out;
          if ('text' in k || k.tag !== 'key') throw new Error('expected <key> in <dict>');
          const name = textOf('key');
          if (name in out) throw new Error(`duplicate key ${name}`);
          out[name] = value();
        }
      }
      default:
        throw new Error(`unsupported plist element <${t.tag}>`);
    }
  };
  const result = value();
  if (pos !== tokens.length) throw new Error('trailing content after the plist');
  return result;
}
