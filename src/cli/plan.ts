import { join, resolve } from 'node:path';
import { openBlobCache } from '../cache/store.js';
import { Command, Option } from 'clipanion';
import type { Plan } from '../../generated/plan.js';
import { PlanError } from '../errors.js';
import { compileProject } from '../plan/compile.js';
import { DEFAULT_PLAN_FILE, serializePlan, writePlan } from '../plan/file.js';
import { summarizePlan } from '../plan/summary.js';
import { PlanningCommand } from './flags.js';

export class PlanCommand extends PlanningCommand {
  static override paths = [['plan']];
  static override usage = Command.Usage({
    description: 'Compile the project into a build plan',
    details: `
      Reads pyproject.toml ([tool.pycontainer]), pycontainer.toml, lock files and flags, detects what is not configured, hashes every file that goes into the image, and writes one deterministic JSON plan: the base image pinned by digest, the layers with their files and diff_ids, and the full image config with its digest.

      Without -o or --write it prints a summary. Commit the plan like a lock file: \`plan --write\` writes pycontainer.plan.json, keeping the base image digest it pins (\`--upgrade-base\` re-resolves it); \`plan --check\` in CI exits 1 with a diff when the committed plan no longer matches the project or the base tag moved; \`apply\` builds it.

      Without a lock (a requirements.txt of ranges or bare names, or only [project.dependencies]) pycontainer resolves the dependencies for the target itself and the plan records the result: committed, it is the lock. \`plan --write\` keeps its versions while they still fit; \`--upgrade\` re-resolves all, \`--upgrade-package NAME\` one; \`plan --check\` and \`--locked\` resolve fresh and exit 1 when a newer version would change the plan.

      Exit codes: 0 success (with --check: up to date), 1 --check found differences or --locked refused a pin change, 2 errors.
    `,
    examples: [
      ['Show what would be built', 'pycontainer plan'],
      ['Write pycontainer.plan.json, to commit', 'pycontainer plan --write'],
      ['Gate CI on the committed plan', 'pycontainer plan --check'],
      ['Take a newer base image on purpose', 'pycontainer plan --write --upgrade-base'],
      ['Take a newer version of one resolved dependency', 'pycontainer plan --write --upgrade-package requests'],
      ['Where did each setting come from?', 'pycontainer plan --explain'],
    ],
  });

  out = Option.String('--output,-o', { description: 'Write the plan to this file (atomically)' });
  write = Option.Boolean('--write,-w', false, { description: `Write ${DEFAULT_PLAN_FILE} in the project` });
  json = Option.Boolean('--json', false, { description: 'Print the plan JSON to stdout' });
  check = Option.Boolean('--check', false, { description: 'Compare a fresh plan with the committed one: exit 1 with a diff when they differ' });
  locked = Option.Boolean('--locked', false, { description: 'Refuse to change pins (base digests, wheels) of the committed plan' });
  explain = Option.Boolean('--explain', false, { description: 'Print where each resolved setting came from' });
  cacheDir = Option.String('--cache-dir', { description: 'Cache directory for base layers and wheels (default $XDG_CACHE_HOME/pycontainer)' });
  noCache = Option.Boolean('--no-cache', false, { description: 'Do not read or write the cache (downloads go to a temporary directory)' });

  /** The committed plan file: -o's file, else pycontainer.plan.json in the project. */
  planPath(): string {
    return this.out ?? join(this.contextDir ?? '.', DEFAULT_PLAN_FILE);
  }

  override upgradeAll(): boolean {
    // --check asks "is the committed plan still what we would build?", upstream tags included.
    return super.upgradeAll() || this.check;
  }

  async run(): Promise<number> {
    if (this.cacheDir !== undefined && !this.noCache) await openBlobCache(resolve(this.cacheDir), '--cache-dir');
    // --locked asks what a fresh resolution gives, and refuses it when any pin would change.
    const options = { ...(await this.compileOptions()), ...(this.locked ? { resolveFresh: true } : {}) };
    const { plan, planText } = await compileProject({ ...options, planText: this.write || this.out !== undefined || this.json });
    const committed = options.pins ?? (this.check || this.locked ? await this.committedPlan() : undefined);
    if (this.check) return await this.reportCheck(plan, committed);
    if (this.locked && committed) this.refusePinChanges(committed, plan);
    const target = this.write ? this.planPath() : this.out;
    if (target) {
      await writePlan(target, plan, planText);
      this.context.stderr.write(`wrote ${target}\n`);
    }
    if (this.json) this.context.stdout.write(planText ?? serializePlan(plan));
    else if (this.explain) this.context.stdout.write((await import('../plan/explain.js')).explainPlan(plan));
    else if (!target) this.context.stdout.write(summarizePlan(plan));
    return 0;
  }

  private async reportCheck(plan: Plan, committed: Plan | undefined): Promise<number> {
    const file = this.planPath();
    if (!committed) throw new PlanError('E_PLAN_READ', `--check: there is no plan at ${file}; write one with \`pycontainer plan --write\``);
    if (serializePlan(committed) === serializePlan(plan)) {
      this.context.stdout.write(`${file} is up to date\n`);
      return 0;
    }
    // The diff code (and the diff library) loads only here: most `plan` runs never compare.
    const { formatChanges, planChanges, unifiedPlanDiff } = await import('../plan/diff.js');
    const color = this.useColor();
    // Resolved dependencies are kept by `plan --write`: taking newer releases needs --upgrade.
    const resolvedMoved = (plan.dependencies ?? []).some((d) => d.source === 'resolved' && JSON.stringify(d.packages) !== JSON.stringify(committed.dependencies?.find((c) => c.platform === d.platform)?.packages));
    this.context.stdout.write(`${file} is out of date; update it with \`pycontainer plan --write${resolvedMoved ? ' --upgrade' : plan.base.digest !== committed.base.digest ? ' --upgrade-base' : ''}\`\n\n`);
    this.context.stdout.write(formatChanges(planChanges(committed, plan), { color }));
    this.context.stdout.write('\n');
    this.context.stdout.write(unifiedPlanDiff(committed, plan, { color, labelA: `${file} (committed)`, labelB: `${file} (now)` }));
    return 1;
  }

  /** --locked: the pins (base digests, wheels per platform) must be those of the committed plan. */
  private refusePinChanges(committed: Plan, plan: Plan): void {
    const pins = (p: Plan) => [
      `base ${p.base.ref}@${p.base.digest ?? 'none'}`,
      ...(p.dependencies ?? []).flatMap((d) => d.packages.map((w) => `${d.platform} ${w.name} ${w.version} ${w.filename} ${w.sha256}`)),
    ];
    const before = new Set(pins(committed));
    const after = new Set(pins(plan));
    const changed = [...[...before].filter((x) => !after.has(x)).map((x) => `- ${x}`), ...[...after].filter((x) => !before.has(x)).map((x) => `+ ${x}`)];
    if (changed.length) {
      throw new PlanError('E_PLAN_LOCKED', `--locked: the plan would change ${changed.length} pin${changed.length === 1 ? '' : 's'} of ${this.planPath()}; run without --locked (or with --upgrade) to accept`, {
        exitCode: 1,
        details: changed,
      });
    }
  }
}
