/** Types for pack-crx.mjs (plain Node ESM, kept dependency-free). */
export class PackError extends Error {}

export interface PackOptions {
  dir?: string;
  key?: string;
  out?: string;
  baseUrl?: string;
  name?: string;
  chromium?: string;
}

export interface PackResult {
  id: string;
  version: string;
  crx: string;
  updatesXml: string;
  codebase: string;
  updateUrl: string;
  bytes: number;
  sha256: string;
  warnings: string[];
}

export function packCrx(options: PackOptions): Promise<PackResult>;
export function readCrx3(buf: Buffer): { version: number; id: string; archiveOffset: number };
export function updatesXml(args: { id: string; version: string; codebase: string }): string;
