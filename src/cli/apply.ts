import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Command, Option } from 'clipanion';
import type { Plan } from '../../generated/plan.js';
import { applyPlan, type ApplyResult } from '../apply/apply.js';
import { writeLayoutArchive } from '../apply/archive.js';
import { baseBlobSource } from '../apply/base.js';
import { pushApplied } from '../apply/push.js';
import { namesRegistry } from '../plan/assemble.js';
import type { RegistryClient } from '../registry/client.js';
import { parseReference, type ImageReference } from '../registry/reference.js';
import { BlobCache, defaultCacheDir } from '../cache/store.js';
import { ConfigError } from '../errors.js';
import { DEFAULT_PLAN_FILE, readPlan } from '../plan/file.js';
import { BaseCommand } from './base.js';
import { withApplyOptions, withRegistryOptions } from './flags.js';
import { registryClient, registryOf } from './registry.js';
import { progressMode, progressReporter } from './progress.js';


/** Where the image goes: an OCI layout directory, or an OCI archive file. */
export interface OutputTarget {
  kind: 'layout' | 'archive';
  path: string;
}

/** Turns `--output` (oci:DIR, DIR or oci-archive:FILE) into an absolute target. */
export function outputTarget(output: string | undefined, plan: Plan, context: string, cwd: string): OutputTarget {
  if (output === undefined) return { kind: 'layout', path: resolve(context, plan.output.replace(/^oci:/, '')) };
  if (output.startsWith('oci-archive:')) return { kind: 'archive', path: resolve(cwd, output.slice('oci-archive:'.length)) };
  if (/^(docker|docker-archive|docker-daemon):/.test(output)) {
    throw new ConfigError('E_OUTPUT', `--output ${output}: pycontainer writes OCI layouts (oci:DIR) and OCI archives (oci-archive:FILE); convert with skopeo copy`);
  }
  return { kind: 'layout', path: resolve(cwd, output.replace(/^oci:/, '')) };
}

/** The references a push goes to: the plan's tags, each of which must name a registry. */
export function pushTargets(plan: Plan): ImageReference[] {
  return plan.tags.map((tag) => {
    if (!namesRegistry(tag)) {
      throw new ConfigError(
        'E_PUSH_TARGET',
        `--push: the tag "${tag}" names no registry (it would go to Docker Hub's library namespace); tag it like ghcr.io/you/${tag} or set --registry / [registry] url`,
      );
    }
    return parseReference(tag);
  });
}

/** What `--json` adds for a push: the references pushed and what happened to the blobs. */
export interface PushSummary {
  pushed?: string[];
  pushedBlobs?: Record<'uploaded' | 'mounted' | 'exists', number>;
}

export interface ApplyFlags {
  quiet: boolean;
  json: boolean;
  noCache: boolean;
  cacheDir: string | undefined;
  push: boolean;
}

/**
 * Applies a plan the way the flags say: into a layout or an archive, and/or (with --push) to the
 * registries its tags name. A push without --output stages our blobs in a temporary layout and takes
 * base layers straight from the base image.
 */
export async function runApply(
  cmd: BaseCommand & ApplyFlags,
  plan: Plan,
  context: string,
  target: OutputTarget | undefined,
  client: RegistryClient,
  configCacheDir?: string,
): Promise<ApplyResult & PushSummary> {
  const targets = cmd.push ? pushTargets(plan) : [];
  const cache = cmd.noCache ? undefined : new BlobCache(cmd.cacheDir ? resolve(cmd.cacheDir) : configCacheDir ? resolve(context, configCacheDir) : defaultCacheDir());
  const onEvent = progressReporter(cmd.context.stderr as NodeJS.WriteStream, progressMode(cmd.context.stderr as NodeJS.WriteStream, cmd.quiet || cmd.json));
  const common = { context, registry: client, ...(cache ? { cache } : {}), onEvent };
  let result: ApplyResult & PushSummary;
  if (target?.kind === 'archive') await mkdir(dirname(target.path), { recursive: true });
  const temporary = target?.kind === 'layout' ? undefined : await mkdtemp(join(target ? dirname(target.path) : tmpdir(), '.pycontainer-staging-'));
  try {
    const staging = target?.kind === 'layout' ? target.path : temporary!;
    // Only a layout or archive needs the base layers locally; a push takes them from the base.
    result = await applyPlan(plan, { ...common, output: staging, skipBaseBlobs: target === undefined });
    if (target?.kind === 'archive') await writeLayoutArchive(staging, target.path);
    if (targets.length) {
      const pushed = await pushApplied(plan, result, targets, client, baseBlobSource(plan.base.ref, context, client, cache, plan.base.images.flatMap((i) => i.layers)), onEvent);
      result.pushed = pushed.references.map((r) => `${r}@${pushed.digest}`);
      result.pushedBlobs = { uploaded: 0, mounted: 0, exists: 0 };
      for (const b of pushed.blobs) result.pushedBlobs[b.outcome]++;
    }
    if (target) result.output = target.path;
    else delete (result as Partial<ApplyResult>).output;
  } finally {
    if (temporary) await rm(temporary, { recursive: true, force: true });
  }
  if (cmd.json) cmd.context.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (!cmd.quiet) cmd.context.stdout.write(`${result.digest}\n`);
  return result;
}

export class ApplyCommand extends withApplyOptions(withRegistryOptions(BaseCommand)) {
  static override paths = [['apply']];
  static override usage = Command.Usage({
    description: 'Build the image a plan describes',
    details: `
      Materializes a plan — and nothing else — into an OCI image layout. Every input is re-hashed while it streams; if the project changed since the plan was made, apply stops before the image is published and names what changed.

      Paths in the plan are relative to the project directory: run apply from there, or pass --context.
    `,
    examples: [
      ['Apply the committed plan', 'pycontainer apply'],
      ['Apply a plan into another layout', 'pycontainer apply build/plan.json --output oci:build/image'],
    ],
  });

  planFile = Option.String({ required: false, name: 'PLAN' });
  contextDir = Option.String('--context,-C', { description: 'Project directory the plan was made in (default: .)' });

  async run(): Promise<number> {
    const cwd = process.cwd();
    const context = resolve(cwd, this.contextDir ?? '.');
    const plan = await readPlan(resolve(cwd, this.planFile ?? resolve(context, DEFAULT_PLAN_FILE)));
    const target = this.push && this.output === undefined ? undefined : outputTarget(this.output, plan, context, cwd);
    const client = await registryClient(this, () => (this.push ? registryOf(plan.tags.find(namesRegistry)) : undefined));
    await runApply(this, plan, context, target, client);
    return 0;
  }
}
