import { Command, Option } from 'clipanion';
import { compilePlan } from '../plan/compile.js';
import { serializePlan, writePlan } from '../plan/file.js';
import { summarizePlan } from '../plan/summary.js';
import { PlanningCommand } from './flags.js';

export class PlanCommand extends PlanningCommand {
  static override paths = [['plan']];
  static override usage = Command.Usage({
    description: 'Compile the project into a build plan',
    details: `
      Reads pyproject.toml ([tool.pycontainer]), pycontainer.toml, lock files and flags, detects what is not configured, hashes every file that goes into the image, and writes one deterministic JSON plan: the base image pinned by digest, the layers with their files and diff_ids, and the full image config with its digest.

      Without -o it prints a summary. The plan can be reviewed, diffed, committed, and executed with \`pycontainer apply\`.
    `,
    examples: [
      ['Show what would be built', 'pycontainer plan'],
      ['Write the plan for review', 'pycontainer plan -o pycontainer.plan.json'],
      ['Plan another project for two platforms', 'pycontainer plan -C examples/fastapi-app --platform linux/amd64,linux/arm64'],
    ],
  });

  out = Option.String('--output,-o', { description: 'Write the plan to this file (atomically)' });
  json = Option.Boolean('--json', false, { description: 'Print the plan JSON to stdout' });

  async run(): Promise<number> {
    const plan = await compilePlan(await this.compileOptions());
    if (this.out) {
      await writePlan(this.out, plan);
      this.context.stderr.write(`wrote ${this.out}\n`);
    }
    if (this.json) this.context.stdout.write(serializePlan(plan));
    else if (!this.out) this.context.stdout.write(summarizePlan(plan));
    if (this.verbose) {
      this.context.stderr.write('where settings came from:\n');
      for (const [k, v] of Object.entries(plan.provenance)) this.context.stderr.write(`  ${k}: ${v}\n`);
    }
    return 0;
  }
}
