import { mkdir, mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Command, Option } from 'clipanion';
import type { Plan } from '../../generated/plan.js';
import { applyPlan, type ApplyResult } from '../apply/apply.js';
import { writeLayoutArchive } from '../apply/archive.js';
import { removeAbandonedSiblings, siblingTempPath } from '../apply/layout.js';
import { acquireLock, lockWaitMs, outputLockPath, type HeldLock } from '../lock.js';
import { baseBlobSource } from '../apply/base.js';
import { pushApplied } from '../apply/push.js';
import { namesRegistry } from '../plan/assemble.js';
import type { RegistryClient } from '../registry/client.js';
import { parseReference, type ImageReference } from '../registry/reference.js';
import { BlobCache, defaultCacheDir, openBlobCache } from '../cache/store.js';
import { ApplyError, ConfigError, PlanError } from '../errors.js';
import { DEFAULT_PLAN_FILE, readPlan } from '../plan/file.js';
import { SBOM_FORMATS, type SbomFormat } from '../sbom/model.js';
import { writeSbomFiles } from '../sbom/artifacts.js';
import { pushSbomReferrer } from '../sbom/referrers.js';
import { BaseCommand } from './base.js';
import { withApplyOptions, withRegistryOptions } from './flags.js';
import { registryClient, registryOf } from './registry.js';
import { progressMode, progressReporter } from './progress.js';


/** Where the image goes: an OCI layout directory, or an OCI archive file. */
export interface OutputTarget {
  kind: 'layout' | 'archive';
  path: string;
}

/**
 * Turns `--output` (oci:DIR, DIR or oci-archive:FILE) into an absolute target; without it, the plan's
 * `output` (relative to the context). An empty path is refused: it would name the working directory.
 */
export function outputTarget(output: string | undefined, plan: Plan, context: string, cwd: string): OutputTarget {
  if (output === undefined) {
    const parsed = parseOutput(plan.output, 'the plan\'s output');
    return { kind: parsed.kind, path: resolve(context, parsed.path) };
  }
  if (/^(docker|docker-archive|docker-daemon):/.test(output)) {
    throw new ConfigError('E_OUTPUT', `--output ${output}: pycontainer writes OCI layouts (oci:DIR) and OCI archives (oci-archive:FILE); convert with skopeo copy`);
  }
  const parsed = parseOutput(output, '--output');
  return { kind: parsed.kind, path: resolve(cwd, parsed.path) };
}

function parseOutput(output: string, source: string): OutputTarget {
  const archive = output.startsWith('oci-archive:');
  const path = archive ? output.slice('oci-archive:'.length) : output.replace(/^oci:/, '');
  if (path.trim() === '') {
    throw new ConfigError('E_OUTPUT', `${source} "${output}" names no ${archive ? 'file' : 'directory'}; write ${archive ? 'oci-archive:FILE, e.g. oci-archive:dist/image.tar' : 'oci:DIR, e.g. oci:dist/image'}`);
  }
  return { kind: archive ? 'archive' : 'layout', path };
}

/**
 * A plan read from a file may only write inside its project: its `output` is a relative path below the
 * context that leaves it neither by `..` nor through a symlink. Anywhere else takes `-o` on the command
 * line, so an edited plan cannot make apply write over files elsewhere.
 */
export async function checkPlanOutput(plan: Plan, context: string, planFile: string): Promise<void> {
  const refuse = (why: string) =>
    new PlanError('E_PLAN_OUTPUT', `${planFile}: output "${plan.output}" ${why}; a plan may only write inside its project directory: pass -o/--output to write elsewhere`);
  const { path } = parseOutput(plan.output, `${planFile}: output`);
  if (isAbsolute(path)) throw refuse('is an absolute path');
  const inside = (root: string, p: string) => {
    const rel = relative(root, p);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  };
  const target = resolve(context, path);
  if (!inside(context, target)) throw refuse('is outside the project');
  // The deepest part that exists must not lead out of the project through a symlink.
  let existing = target;
  for (;;) {
    const st = await stat(existing).catch(() => undefined);
    if (st || existing === context) break;
    existing = dirname(existing);
  }
  const realContext = await realpath(context).catch(() => context);
  const realExisting = await realpath(existing).catch(() => existing);
  if (realExisting !== realContext && !inside(realContext, realExisting)) throw refuse('leads outside the project through a symlink');
}

/**
 * Takes the lock of an output (layout directory or archive file), waiting a bounded time for another
 * pycontainer writing it, and removes what killed runs left beside it.
 */
async function lockOutput(target: OutputTarget, announce: (line: string) => void): Promise<HeldLock> {
  try {
    await mkdir(dirname(target.path), { recursive: true });
  } catch (err) {
    throw new ApplyError('E_OUTPUT', `cannot create the directory of the output ${target.path} (${(err as NodeJS.ErrnoException).code ?? 'error'}); choose another --output`);
  }
  if (target.kind === 'archive' && (await stat(target.path).then((s) => s.isDirectory(), () => false))) {
    throw new ConfigError('E_OUTPUT', `--output oci-archive:${target.path} is a directory; name a file, e.g. oci-archive:${join(target.path, 'image.tar')}`);
  }
  const lock = await acquireLock(outputLockPath(target.path), {
    what: target.path,
    waitMs: lockWaitMs(),
    onWait: (owner) => announce(`waiting for another pycontainer (pid ${owner.pid}) writing ${target.path}`),
  });
  try {
    await removeAbandonedSiblings(target.path);
  } catch (err) {
    await lock.release();
    throw err;
  }
  return lock;
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

/** What `--json` adds for --sbom: the artifacts (one per platform, by digest) and the files beside the output. */
export interface SbomSummary {
  sbom?: { format: SbomFormat; artifacts: { platform: string; digest: string; subject: string }[]; files?: string[] };
}

/** `--sbom FORMAT`: spdx or cyclonedx (a typo is an input error, exit 2). */
export function parseSbomFlag(value: string): SbomFormat {
  const v = value.trim().toLowerCase();
  if ((SBOM_FORMATS as readonly string[]).includes(v)) return v as SbomFormat;
  throw new ConfigError('E_SBOM', `--sbom ${value}: unknown SBOM format; use --sbom spdx or --sbom cyclonedx`);
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
  sbom?: SbomFormat,
): Promise<ApplyResult & PushSummary & SbomSummary> {
  const targets = cmd.push ? pushTargets(plan) : [];
  const cache = await cacheFor(cmd, context, configCacheDir);
  const onEvent = progressReporter(cmd.context.stderr as NodeJS.WriteStream, progressMode(cmd.context.stderr as NodeJS.WriteStream, cmd.quiet || cmd.json));
  const common = { context, registry: client, ...(cache ? { cache } : {}), onEvent };
  let result: ApplyResult & PushSummary & SbomSummary;
  const lock = target ? await lockOutput(target, (line) => (cmd.quiet ? undefined : cmd.context.stderr.write(`${line}\n`))) : undefined;
  let temporary: string | undefined;
  try {
    // An archive is packed from a layout staged beside it; a push alone stages in the temp directory.
    if (target?.kind === 'archive') {
      temporary = siblingTempPath(target.path);
      await mkdir(temporary);
    } else if (!target) temporary = await mkdtemp(join(tmpdir(), '.pycontainer-staging-'));
    const staging = target?.kind === 'layout' ? target.path : join(temporary!, 'layout');
    // Only a layout or archive needs the base layers locally; a push takes them from the base.
    result = await applyPlan(plan, { ...common, output: staging, skipBaseBlobs: target === undefined, ...(sbom ? { sbom } : {}) });
    if (target?.kind === 'archive') await writeLayoutArchive(staging, target.path);
    const sboms = result.sboms ?? [];
    delete result.sboms;
    if (sboms.length) result.sbom = { format: sbom!, artifacts: sboms.map((a) => ({ platform: a.platform, digest: a.descriptor.digest, subject: a.subject.digest })), ...(target ? { files: await writeSbomFiles(target.path, sboms) } : {}) };
    if (targets.length) {
      const pushed = await pushApplied(plan, result, targets, client, baseBlobSource(plan.base.ref, context, client, cache, plan.base.images.flatMap((i) => i.layers)), onEvent);
      result.pushed = pushed.references.map((r) => `${r}@${pushed.digest}`);
      result.pushedBlobs = { uploaded: 0, mounted: 0, exists: 0 };
      for (const b of pushed.blobs) result.pushedBlobs[b.outcome]++;
      // The SBOMs as referrers of the manifests just pushed.
      for (const t of targets) for (const a of sboms) await pushSbomReferrer(client, { registry: t.registry, repository: t.repository }, a);
    }
    if (target) result.output = target.path;
    else delete (result as Partial<ApplyResult>).output;
  } finally {
    if (temporary) await rm(temporary, { recursive: true, force: true });
    await lock?.release();
  }
  if (cmd.json) cmd.context.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (!cmd.quiet) cmd.context.stdout.write(`${result.digest}\n`);
  return result;
}

/** The cache the flags or build.cache_dir name (checked: a file is an error), the default one, or none (--no-cache). */
async function cacheFor(cmd: ApplyFlags, context: string, configCacheDir: string | undefined): Promise<BlobCache | undefined> {
  if (cmd.noCache) return undefined;
  if (cmd.cacheDir) return openBlobCache(resolve(cmd.cacheDir), '--cache-dir');
  if (configCacheDir) return openBlobCache(resolve(context, configCacheDir), 'build.cache_dir');
  return new BlobCache(defaultCacheDir());
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
  sbom = Option.String('--sbom', { description: 'Also write an SBOM (spdx or cyclonedx): beside the output, into the layout, and with --push as a referrer of the image' });

  async run(): Promise<number> {
    const cwd = process.cwd();
    const context = resolve(cwd, this.contextDir ?? '.');
    const planFile = resolve(cwd, this.planFile ?? resolve(context, DEFAULT_PLAN_FILE));
    const plan = await readPlan(planFile);
    const target = this.push && this.output === undefined ? undefined : outputTarget(this.output, plan, context, cwd);
    if (target && this.output === undefined) await checkPlanOutput(plan, context, this.planFile ?? DEFAULT_PLAN_FILE);
    const client = await registryClient(this, () => (this.push ? registryOf(plan.tags.find(namesRegistry)) : undefined));
    await runApply(this, plan, context, target, client, undefined, this.sbom === undefined ? undefined : parseSbomFlag(this.sbom));
    return 0;
  }
}
