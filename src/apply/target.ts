import { resolve } from 'node:path';
import type { Plan } from '../../generated/plan.js';
import { ConfigError } from '../errors.js';

/**
 * Where apply writes an image: an OCI layout directory, an OCI archive (a tar of the layout), or a
 * docker archive (what `docker load` / `podman load` read; one platform).
 */
export interface OutputTarget {
  kind: 'layout' | 'archive' | 'docker-archive';
  path: string;
}

const PREFIXES = [
  ['oci-archive:', 'archive'],
  ['docker-archive:', 'docker-archive'],
  ['oci:', 'layout'],
] as const;

/**
 * Turns `--output` (oci:DIR, DIR, oci-archive:FILE or docker-archive:FILE) into an absolute target,
 * relative to `cwd`; without it, the plan's `output` (relative to the context). An empty path is
 * refused: it would name the working directory.
 */
export function outputTarget(output: string | undefined, plan: Pick<Plan, 'output'>, context: string, cwd: string): OutputTarget {
  if (output === undefined) {
    const parsed = parseOutput(plan.output, "the plan's output");
    return { kind: parsed.kind, path: resolve(context, parsed.path) };
  }
  if (/^(docker|docker-daemon|containers-storage):/.test(output)) {
    throw new ConfigError('E_OUTPUT', `--output ${output}: pycontainer writes files, not into a daemon; write docker-archive:FILE and run \`docker load -i FILE\` (or podman load)`);
  }
  const parsed = parseOutput(output, '--output');
  return { kind: parsed.kind, path: resolve(cwd, parsed.path) };
}

/** Splits `oci:DIR` / `DIR` / `oci-archive:FILE` / `docker-archive:FILE` into kind and (relative) path. */
export function parseOutput(output: string, source: string): OutputTarget {
  const [prefix, kind] = PREFIXES.find(([p]) => output.startsWith(p)) ?? ['', 'layout'];
  const path = output.slice(prefix.length);
  if (path.trim() === '') {
    const example = kind === 'layout' ? 'oci:DIR, e.g. oci:dist/image' : `${prefix}FILE, e.g. ${prefix}dist/image.tar`;
    throw new ConfigError('E_OUTPUT', `${source} "${output}" names no ${kind === 'layout' ? 'directory' : 'file'}; write ${example}`);
  }
  return { kind, path };
}

/** How a target is written on the command line again (for messages). */
export function formatTarget(target: OutputTarget): string {
  return target.kind === 'layout' ? `oci:${target.path}` : `${target.kind === 'archive' ? 'oci-archive' : 'docker-archive'}:${target.path}`;
}
