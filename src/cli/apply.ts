import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, Option } from 'clipanion';
import type { Plan } from '../../generated/plan.js';
import { applyPlan, type ApplyResult } from '../apply/apply.js';
import { writeLayoutArchive } from '../apply/archive.js';
import { BlobCache, defaultCacheDir } from '../cache/store.js';
import { ConfigError } from '../errors.js';
import { readPlan } from '../plan/file.js';
import { BaseCommand } from './base.js';
import { withApplyOptions } from './flags.js';
import { progressMode, progressReporter } from './progress.js';

/** The default plan file name: what `plan -o` suggests and `apply` reads when no file is named. */
export const DEFAULT_PLAN_FILE = 'pycontainer.plan.json';

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

export async function runApply(
  cmd: BaseCommand & { quiet: boolean; json: boolean; noCache: boolean; cacheDir: string | undefined; push: boolean },
  plan: Plan,
  context: string,
  target: OutputTarget,
  configCacheDir?: string,
): Promise<ApplyResult> {
  if (cmd.push) throw new ConfigError('E_PUSH', '--push: pushing to registries is not supported by this version yet; write a layout and push it with `skopeo copy oci:DIR:TAG docker://…`');
  const cache = cmd.noCache ? undefined : new BlobCache(cmd.cacheDir ? resolve(cmd.cacheDir) : configCacheDir ? resolve(context, configCacheDir) : defaultCacheDir());
  const onEvent = progressReporter(cmd.context.stderr as NodeJS.WriteStream, progressMode(cmd.context.stderr as NodeJS.WriteStream, cmd.quiet || cmd.json));
  let result: ApplyResult;
  if (target.kind === 'archive') {
    // Build the layout beside the archive, pack it, and leave only the archive.
    const staging = `${target.path}.layout-${process.pid}`;
    try {
      result = await applyPlan(plan, { context, output: staging, ...(cache ? { cache } : {}), onEvent });
      await writeLayoutArchive(staging, target.path);
      result.output = target.path;
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  } else {
    result = await applyPlan(plan, { context, output: target.path, ...(cache ? { cache } : {}), onEvent });
  }
  if (cmd.json) cmd.context.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (!cmd.quiet) cmd.context.stdout.write(`${result.digest}\n`);
  return result;
}

export class ApplyCommand extends withApplyOptions(BaseCommand) {
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
    await runApply(this, plan, context, outputTarget(this.output, plan, context, cwd));
    return 0;
  }
}
