import { resolve } from 'node:path';
import { Command, Option } from 'clipanion';
import { openBlobCache } from '../cache/store.js';
import { compileProject } from '../plan/compile.js';
import { summarizePlan } from '../plan/summary.js';
import { outputTarget, parseSbomFlag, runApply } from './apply.js';
import { PlanningCommand, withApplyOptions } from './flags.js';

export class BuildCommand extends withApplyOptions(PlanningCommand) {
  static override paths = [['build']];
  static override usage = Command.Usage({
    description: 'Plan and apply in one step',
    details: `
      Compiles the project into a plan and applies it at once, with the original pycontainer-build flags. --dry-run prints the plan's summary and writes nothing.
    `,
    examples: [
      ['Build the project in the current directory', 'pycontainer build'],
      ['Build an example on a local base image', 'pycontainer build -C examples/hello-cli --base-image oci:base:3.11'],
      ['See what would be built', 'pycontainer build --dry-run'],
      ['Build and write an SPDX SBOM beside the image', 'pycontainer build --sbom spdx'],
    ],
  });

  dryRun = Option.Boolean('--dry-run', false, { description: 'Print what would be built; write nothing' });
  sbom = Option.String('--sbom', { description: 'Also write an SBOM (spdx or cyclonedx): beside the output, into the layout, and with --push as a referrer of the image' });

  async run(): Promise<number> {
    const flagSbom = this.sbom === undefined ? undefined : parseSbomFlag(this.sbom);
    const cwd = process.cwd();
    // Checked before compiling, which uses the same cache for base layers and wheels.
    if (this.cacheDir !== undefined && !this.noCache) await openBlobCache(resolve(this.cacheDir), '--cache-dir');
    const options = await this.compileOptions();
    const { plan, config, context } = await compileProject(options);
    // pycontainer-build's configuration may ask for these too (its Poetry plugin reads them).
    if (config.build.verbose) this.verbose = true;
    if (config.build.push) this.push = true;
    if (this.dryRun || config.build.dry_run) {
      this.context.stdout.write(summarizePlan(plan));
      return 0;
    }
    if (config.build.cache === false) this.noCache = true;
    const target = this.push && this.output === undefined ? undefined : outputTarget(this.output, plan, context, cwd);
    await runApply(this, plan, context, target, options.registry, config.build.cache_dir, flagSbom ?? config.build.sbom);
    return 0;
  }
}
