import type { BuildConfig, PycontainerConfig, RegistryConfig } from '../../generated/config.js';
import type { Diagnostic } from '../errors.js';
import { formatPlatform, parsePlatform } from '../oci/platform.js';
import { normalizeConfig, type NormalBuild } from './normalize.js';
import { locateKey, type TomlFile } from './read.js';

/**
 * Flags of `plan`/`build` that bear on the plan, as the user typed them. Names follow the original
 * tool's flags (--base-image, --include-deps, ...).
 */
export interface FlagValues {
  tag?: string[];
  baseImage?: string;
  workdir?: string;
  env?: string[];
  platform?: string[];
  includeDeps?: boolean;
  requirements?: string;
  reproducible?: boolean;
  output?: string;
  user?: string;
  registry?: string;
}

/** One configuration source, strongest first in a list. */
export interface ConfigSource {
  /** For provenance: `flag`, `pycontainer.toml`, `pyproject.toml`. */
  label: string;
  file?: TomlFile;
  /** Key path of the pycontainer tables inside the file ([] or ['tool', 'pycontainer']). */
  prefix: string[];
  config: PycontainerConfig;
  /** Flag names by key, for flags. */
  flagNames?: Record<string, string>;
}

/** The configuration after merging sources; values not set by any source stay undefined. */
export interface MergedConfig {
  build: NormalBuild;
  registry: RegistryConfig;
  /** Setting path (`build.workdir`, `build.env.FOO`) → where it came from. */
  provenance: Record<string, string>;
  /** Keys that were accepted but have no effect, to tell the user once. */
  notices: string[];
}

/** Turns flags into a config-shaped source, collecting malformed values as diagnostics. */
export function flagsToSource(flags: FlagValues): { source: ConfigSource; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const build: BuildConfig & { platforms?: string[]; tags?: string[] } = {};
  const names: Record<string, string> = {};
  const set = <K extends keyof typeof build>(key: K, value: (typeof build)[K] | undefined, flag: string) => {
    if (value === undefined) return;
    build[key] = value;
    names[`build.${String(key)}`] = flag;
  };
  set('base_image', flags.baseImage, '--base-image');
  if (flags.workdir !== undefined) {
    if (!flags.workdir.startsWith('/')) diagnostics.push({ source: '--workdir', message: `"${flags.workdir}" must be an absolute path, e.g. /app` });
    else set('workdir', flags.workdir, '--workdir');
  }
  set('include_deps', flags.includeDeps, '--include-deps');
  set('requirements', flags.requirements, '--requirements');
  set('reproducible', flags.reproducible, '--no-reproducible');
  set('output', flags.output, '--output');
  set('user', flags.user, '--user');
  if (flags.tag?.length) set('tags', flags.tag, '--tag');
  if (flags.platform?.length) {
    const platforms: string[] = [];
    for (const item of flags.platform.flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean)) {
      const parsed = parsePlatform(item);
      if ('error' in parsed) diagnostics.push({ source: '--platform', message: parsed.error });
      else platforms.push(formatPlatform(parsed));
    }
    set('platforms', platforms, '--platform');
  }
  if (flags.env?.length) {
    const env: Record<string, string> = {};
    for (const item of flags.env) {
      const eq = item.indexOf('=');
      const key = eq > 0 ? item.slice(0, eq) : '';
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
        diagnostics.push({ source: '--env', message: `"${redactEnv(item)}" is not KEY=VALUE with a valid variable name` });
        continue;
      }
      env[key] = item.slice(eq + 1);
    }
    set('env', env, '--env');
  }
  const registry: RegistryConfig = {};
  if (flags.registry !== undefined) {
    registry.url = flags.registry;
    names['registry.url'] = '--registry';
  }
  return { source: { label: 'flag', prefix: [], config: { build, registry }, flagNames: names }, diagnostics };
}

/** Never echo a value that may be a secret: show the name and hide what follows `=`. */
function redactEnv(item: string): string {
  const eq = item.indexOf('=');
  if (eq !== -1) return `${item.slice(0, eq)}=…`;
  // No `=`: show only the leading name-like part; the rest may be a value typed by mistake.
  const name = /^[A-Za-z0-9_]*/.exec(item)![0];
  return name.length < item.length ? `${name}…` : item;
}

/**
 * Merges sources, strongest first: for scalar settings the first source that sets a key wins; env and
 * labels merge per key. Each source is first read into our spelling (flat keys, pycontainer-build's
 * names), so `platform`/`platforms` and `tag`/`tags` arrive folded into lists.
 */
export function mergeConfig(sources: ConfigSource[]): MergedConfig {
  const merged: MergedConfig = { build: {}, registry: {}, provenance: {}, notices: [] };
  // Weakest first, so stronger sources overwrite.
  for (const source of [...sources].reverse()) {
    const normal = normalizeConfig(source.config);
    for (const n of normal.notices) {
      const key = [...source.prefix, ...n.path];
      merged.notices.push(`${where(source, n.path, key.join('.'))}: ${key.join('.')} ${n.message}`);
    }
    for (const [key, value] of Object.entries(normal.build)) {
      if (value === undefined) continue;
      if (key === 'env' || key === 'labels') {
        const target = ((merged.build as Record<string, unknown>)[key] ??= {}) as Record<string, string>;
        for (const [k, v] of Object.entries(value as Record<string, string>)) {
          target[k] = v;
          merged.provenance[`build.${key}.${k}`] = where(source, normal.written[`build.${key}.${k}`] ?? ['build', key, k], `build.${key}`);
        }
      } else {
        (merged.build as Record<string, unknown>)[key] = value;
        merged.provenance[`build.${key}`] = where(source, normal.written[`build.${key}`] ?? ['build', key], `build.${key}`);
      }
    }
    for (const [key, value] of Object.entries(normal.registry)) {
      if (value === undefined) continue;
      (merged.registry as Record<string, unknown>)[key] = value;
      merged.provenance[`registry.${key}`] = where(source, normal.written[`registry.${key}`] ?? ['registry', key], `registry.${key}`);
    }
  }
  return merged;
}

/** `flag --tag`, or the file and line the value was written on. */
function where(source: ConfigSource, written: string[], setting: string): string {
  if (source.flagNames) return `flag ${source.flagNames[setting] ?? ''}`.trim();
  const file = source.file!;
  const line = locateKey(file.text, [...source.prefix, ...written]);
  return line ? `${file.path}:${line}` : file.path;
}
