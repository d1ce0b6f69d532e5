import { resolve } from 'node:path';
import { Command, Option } from 'clipanion';
import { build } from '../build.js';
import { openBlobCache } from '../cache/store.js';
import { summarizePlan } from '../plan/summary.js';
import { eventPrinter, parseSbomFlag, printApplied } from './apply.js';
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
      ['Build for docker load', 'pycontainer build -o docker-archive:dist/image.tar && docker load -i dist/image.tar'],
      ['Build and write an SPDX SBOM beside the image', 'pycontainer build --sbom spdx'],
    ],
  });

  dryRun = Option.Boolean('--dry-run', false, { description: 'Print what would be built; write nothing' });
  sbom = Option.String('--sbom', { description: 'Also write an SBOM (spdx or cyclonedx): beside the output, into the layout, and with --push as a referrer of the image' });

  async run(): Promise<number> {
    const sbom = this.sbom === undefined ? undefined : parseSbomFlag(this.sbom);
    // Checked before compiling, which uses the same cache for base layers and wheels; a dry run creates nothing.
    if (this.cacheDir !== undefined && !this.noCache && !this.dryRun) await openBlobCache(resolve(this.cacheDir), '--cache-dir');
    const { cache: _cache, ...options } = await this.compileOptions();
    const printEvent = eventPrinter(this);
    const result = await build({
      ...options,
      dryRun: this.dryRun,
      push: this.push,
      ...(this.cacheFrom?.length ? { cacheFrom: this.cacheFrom } : {}),
      ...(sbom ? { sbom } : {}),
      ...(this.output !== undefined ? { output: this.output } : {}),
      ...(this.noCache ? { cacheDir: false as const } : this.cacheDir !== undefined ? { cacheDir: this.cacheDir } : {}),
      onEvent: (e) => {
        // pycontainer-build's configuration may ask for verbose output (its Poetry plugin reads it).
        if (e.kind === 'planned' && e.verbose) this.verbose = true;
        printEvent(e);
      },
    });
    if (!result.image) this.context.stdout.write(summarizePlan(result.plan));
    else printApplied(this, result.image);
    return 0;
  }
}
