import { access, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Command, Option } from 'clipanion';
import type { Plan } from '../../generated/plan.js';
import { outputTarget, parseOutput, type OutputTarget } from '../apply/target.js';
import { applyPlan, type ApplyPlanResult, type BuildEvent } from '../build.js';
import { namesRegistry } from '../plan/assemble.js';
import type { RegistryClient } from '../registry/client.js';
import { openBlobCache } from '../cache/store.js';
import { PlanError } from '../errors.js';
import { DEFAULT_PLAN_FILE, readPlan } from '../plan/file.js';
import { SBOM_FORMATS, type SbomFormat } from '../sbom/model.js';
import { ConfigError } from '../errors.js';
import { BaseCommand } from './base.js';
import { withApplyOptions, withRegistryOptions } from './flags.js';
import { registryClient, registryOf } from './registry.js';
import { progressMode, progressReporter } from './progress.js';

export { outputTarget, type OutputTarget } from '../apply/target.js';
export { pushTargets } from '../build.js';

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
  progress: boolean;
  cacheFrom?: string[] | undefined;
}

/**
 * The handler of build/apply events for a command: progress on stderr (live on a terminal, lines
 * elsewhere, none with --quiet, --json or --no-progress); a wait for another pycontainer is always
 * said, unless --quiet.
 */
export function eventPrinter(cmd: BaseCommand & ApplyFlags): (e: BuildEvent) => void {
  const stderr = cmd.context.stderr as NodeJS.WriteStream;
  const progress = progressReporter(stderr, progressMode(stderr, cmd.quiet || cmd.json || !cmd.progress));
  return (e) => {
    if (e.kind === 'wait') {
      if (!cmd.quiet) stderr.write(`${e.message}\n`);
    } else if (e.kind !== 'planned') progress(e);
  };
}

/** Prints what apply did: the digest, or with --json the whole result. */
export function printApplied(cmd: BaseCommand & ApplyFlags, result: ApplyPlanResult): void {
  if (cmd.json) cmd.context.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (!cmd.quiet) cmd.context.stdout.write(`${result.digest}\n`);
}

/** What runApply applies, and where: the plan's project, the output (none: push only), the registry client. */
export interface RunApplyOptions {
  plan: Plan;
  /** The project directory the plan was made in (absolute). */
  context: string;
  target: OutputTarget | undefined;
  client: RegistryClient;
  /** The project's build.cache_dir (relative to the context), used when neither --no-cache nor --cache-dir says. */
  configCacheDir?: string;
  sbom?: SbomFormat;
}

/** Applies a plan the way the flags say (see applyPlan) and prints the result. */
export async function runApply(cmd: BaseCommand & ApplyFlags, options: RunApplyOptions): Promise<ApplyPlanResult> {
  const { plan, context, target, client, configCacheDir, sbom } = options;
  let cacheDir: string | false | undefined;
  if (cmd.noCache) cacheDir = false;
  else if (cmd.cacheDir) cacheDir = (await openBlobCache(resolve(cmd.cacheDir), '--cache-dir')).root;
  else if (configCacheDir) cacheDir = (await openBlobCache(resolve(context, configCacheDir), 'build.cache_dir')).root;
  const result = await applyPlan(plan, {
    context,
    push: cmd.push,
    ...(cmd.cacheFrom?.length ? { cacheFrom: cmd.cacheFrom } : {}),
    ...(sbom ? { sbom } : {}),
    registry: client,
    onEvent: eventPrinter(cmd),
    ...(target ? { output: target } : {}),
    ...(cacheDir !== undefined ? { cacheDir } : {}),
  });
  printApplied(cmd, result);
  return result;
}

export class ApplyCommand extends withApplyOptions(withRegistryOptions(BaseCommand)) {
  static override paths = [['apply']];
  static override usage = Command.Usage({
    description: 'Build the image a plan describes',
    details: `
      Materializes a plan — and nothing else — into an OCI image layout. Every input is re-hashed while it streams; if the project changed since the plan was made, apply stops before the image is published and names what changed.

      Paths in the plan are relative to the project directory it was made in: apply finds it from where the plan file lies (the project, or a directory below it) or the working directory; else pass --context.
    `,
    examples: [
      ['Apply the committed plan', 'pycontainer apply'],
      ['Apply a plan into another layout', 'pycontainer apply build/plan.json --output oci:build/image'],
      ['Write an archive for docker load', 'pycontainer apply --output docker-archive:dist/image.tar'],
    ],
  });

  planFile = Option.String({ required: false, name: 'PLAN' });
  contextDir = Option.String('--context,-C', { description: "Project directory the plan was made in (default: the plan file's project, else .)" });
  sbom = Option.String('--sbom', { description: 'Also write an SBOM (spdx or cyclonedx): beside the output, into the layout, and with --push as a referrer of the image' });

  async run(): Promise<number> {
    const cwd = process.cwd();
    const planFile = resolve(cwd, this.planFile ?? resolve(cwd, this.contextDir ?? '.', DEFAULT_PLAN_FILE));
    const plan = await readPlan(planFile);
    const context = this.contextDir !== undefined ? resolve(cwd, this.contextDir) : await findPlanContext(plan, planFile, cwd, this.planFile ?? DEFAULT_PLAN_FILE);
    const target = this.push && this.output === undefined ? undefined : outputTarget(this.output, plan, context, cwd);
    if (target && this.output === undefined) await checkPlanOutput(plan, context, this.planFile ?? DEFAULT_PLAN_FILE);
    const client = await registryClient(this, () => (this.push ? registryOf(plan.tags.find(namesRegistry)) : undefined));
    await runApply(this, { plan, context, target, client, ...(this.sbom !== undefined ? { sbom: parseSbomFlag(this.sbom) } : {}) });
    return 0;
  }
}

/**
 * The project a plan was made in, when -C does not say: a plan's paths are relative to its project, and
 * a plan usually lies in it (pycontainer.plan.json at its root, or a build/ directory below). The
 * plan file's directory and its parents are tried, then the working directory; the first where every
 * input the plan hashed (pyproject.toml, lock files) exists is the project. Whether they still match is
 * apply's staleness check; here only the place is found, or the user is told to pass -C.
 */
export async function findPlanContext(plan: Plan, planFile: string, cwd: string, shown: string): Promise<string> {
  const inputs = plan.inputs.map((i) => i.path);
  if (!inputs.length) return cwd;
  const candidates: string[] = [];
  for (let dir = dirname(planFile); ; dir = dirname(dir)) {
    candidates.push(dir);
    if (dirname(dir) === dir) break;
  }
  candidates.push(cwd);
  for (const dir of candidates) {
    const present = await Promise.all(inputs.map((p) => access(join(dir, p)).then(() => true, () => false)));
    if (present.every(Boolean)) return dir;
  }
  throw new PlanError(
    'E_PLAN_CONTEXT',
    `${shown}: cannot find the project it was made in (no directory above the plan, nor ${cwd}, has its ${inputs.slice(0, 2).join(', ')}); pass -C DIR, the project directory`,
  );
}
