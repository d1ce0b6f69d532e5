import type { BuildConfig, PycontainerConfig, RegistryConfig } from '../../generated/config.js';
import type { Diagnostic } from '../errors.js';
import { locateKey, type TomlFile } from './read.js';

/**
 * One configuration table in one spelling. pycontainer-build (the Python tool this one replaces) writes
 * the build keys flat under [tool.pycontainer] (`tag = "x"`), a string `registry = "..."`, and a few keys
 * under names of its own (`output_dir`, `use_cache`, `no_cache`, `requirements_file`, `generate_sbom`).
 * Its configurations must work unchanged, so both spellings are read here into ours, remembering
 * where each value was written so provenance still points at the user's line.
 */

/** Build settings after normalization: our names only, labels flat (`org.opencontainers.image.source`). */
export type NormalBuild = Omit<
  BuildConfig,
  'labels' | 'output_dir' | 'use_cache' | 'no_cache' | 'requirements_file' | 'generate_sbom' | 'max_cache_size_mb' | 'context_dir'
> & { labels?: Record<string, string>; platforms?: string[]; tags?: string[] };

export interface NormalConfig {
  build: NormalBuild;
  registry: RegistryConfig;
  /**
   * Where each value was written, as a key path below the source's prefix: `build.output` →
   * ['output_dir'], `build.labels.a.b` → ['build', 'labels', 'a', 'b'], `registry.url` → ['registry'].
   */
  written: Record<string, string[]>;
  /** Keys accepted but not used: where (below the prefix) and why. */
  notices: { path: string[]; message: string }[];
}

/** pycontainer-build's names for our build keys. */
const ALIASES: Record<string, string> = {
  output_dir: 'output',
  use_cache: 'cache',
  no_cache: 'cache',
  requirements_file: 'requirements',
  generate_sbom: 'sbom',
};

/** Accepted for compatibility, with no effect on the plan. */
const IGNORED = new Set(['max_cache_size_mb', 'context_dir']);

/** Keys that are tables of their own, not build keys, at the root of the configuration. */
const ROOT_TABLES = new Set(['build', 'registry']);

/** The setting a written build key sets (`output_dir` → `output`). */
export function canonicalKey(key: string): string {
  return ALIASES[key] ?? key;
}

/** Reads one validated configuration table, in either spelling, into ours. Pure. */
export function normalizeConfig(config: PycontainerConfig): NormalConfig {
  const out: NormalConfig = { build: {}, registry: {}, written: {}, notices: [] };
  const build = out.build as Record<string, unknown>;
  const entries: [string[], string, unknown][] = [];
  for (const [key, value] of Object.entries(config)) {
    if (!ROOT_TABLES.has(key)) entries.push([[key], key, value]);
  }
  for (const [key, value] of Object.entries(config.build ?? {})) entries.push([['build', key], key, value]);

  for (const [path, key, value] of entries) {
    if (value === undefined) continue;
    if (IGNORED.has(key)) {
      if (key === 'max_cache_size_mb') out.notices.push({ path, message: 'is not used: the cache keeps itself under a fixed 4 GiB, least recently used first' });
      continue;
    }
    if (key === 'labels') {
      for (const [name, labelPath, text] of flattenLabels(value as Record<string, unknown>)) {
        (build.labels ??= {} as Record<string, string>);
        (build.labels as Record<string, string>)[name] = text;
        out.written[`build.labels.${name}`] = [...path, ...labelPath];
      }
      continue;
    }
    if (key === 'env') {
      for (const [name, text] of Object.entries(value as Record<string, string>)) {
        (build.env ??= {} as Record<string, string>);
        (build.env as Record<string, string>)[name] = text;
        out.written[`build.env.${name}`] = [...path, name];
      }
      continue;
    }
    const target = canonicalKey(key);
    let converted: unknown = value;
    if (key === 'no_cache') converted = !value;
    if (key === 'generate_sbom') {
      if (value === false) continue;
      converted = value === true ? 'spdx' : value;
    }
    build[target] = converted;
    out.written[`build.${target}`] = path;
  }

  // `platform`/`tag` fold into `platforms`/`tags`; provenance points at what is in the file.
  if (build.platform !== undefined) {
    const platformPath = out.written['build.platform']!;
    build.platforms ??= [build.platform];
    out.written['build.platforms'] ??= platformPath;
    delete build.platform;
    delete out.written['build.platform'];
  }
  if (build.tag !== undefined) {
    const tagPath = out.written['build.tag']!;
    build.tags = [build.tag, ...((build.tags as string[] | undefined) ?? [])];
    out.written['build.tags'] ??= tagPath;
    delete build.tag;
    delete out.written['build.tag'];
  }

  if (typeof config.registry === 'string') {
    out.registry.url = config.registry;
    out.written['registry.url'] = ['registry'];
  } else if (config.registry) {
    for (const [key, value] of Object.entries(config.registry)) {
      if (value === undefined) continue;
      (out.registry as Record<string, unknown>)[key] = value;
      out.written[`registry.${key}`] = ['registry', key];
    }
  }
  return out;
}

/**
 * Labels written as dotted keys without quotes are nested tables in TOML
 * (`org.opencontainers.image.source = "..."`): they are read as the dotted name.
 */
export function flattenLabels(table: Record<string, unknown>, path: string[] = []): [string, string[], string][] {
  const out: [string, string[], string][] = [];
  for (const [key, value] of Object.entries(table)) {
    const here = [...path, key];
    if (typeof value === 'string') out.push([here.join('.'), here, value]);
    else if (value && typeof value === 'object' && !Array.isArray(value)) out.push(...flattenLabels(value as Record<string, unknown>, here));
  }
  return out;
}

/**
 * The same setting written twice in one table: flat and under [build] (`tag` and `build.tag`), or under
 * two names (`output` and `output_dir`, `cache` and `no_cache`). Which one was meant is not ours to
 * guess: each is an error naming both places.
 */
export function findDuplicateSettings(data: unknown, file: TomlFile, prefix: string[]): Diagnostic[] {
  if (!isTable(data)) return [];
  const seen = new Map<string, string[][]>();
  const note = (path: string[], key: string) => {
    if (IGNORED.has(key)) return;
    const setting = canonicalKey(key);
    seen.set(setting, [...(seen.get(setting) ?? []), path]);
  };
  for (const key of Object.keys(data)) if (!ROOT_TABLES.has(key)) note([key], key);
  if (isTable(data.build)) for (const key of Object.keys(data.build)) note(['build', key], key);

  const diagnostics: Diagnostic[] = [];
  for (const paths of seen.values()) {
    if (paths.length < 2) continue;
    const [first, ...rest] = paths.map((p) => [...prefix, ...p]);
    const others = rest.map((p) => {
      const line = locateKey(file.text, p);
      return `${p.join('.')}${line ? ` (line ${line})` : ''}`;
    });
    const line = locateKey(file.text, first!);
    diagnostics.push({
      source: file.path,
      key: first!.join('.'),
      ...(line ? { line } : {}),
      message: `also set as ${others.join(' and ')}; keep one of them`,
    });
  }
  return diagnostics;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
