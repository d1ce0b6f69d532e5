import { Command, Option } from 'clipanion';
import { stat } from 'node:fs/promises';
import type { Plan } from '../../generated/plan.js';
import { PlanError } from '../errors.js';
import { formatChanges, planChanges, unifiedPlanDiff } from '../plan/diff.js';
import { parsePlan, readPlan, serializePlan } from '../plan/file.js';
import { BaseCommand } from './base.js';

export class DiffCommand extends BaseCommand {
  static override paths = [['diff']];
  static override usage = Command.Usage({
    description: 'Compare two plans',
    details: `
      Each side is a plan file, \`-\` for standard input, or a project directory (compiled now, as \`pycontainer plan -C DIR\` would).

      Prints what changed (base image, platforms, dependencies, files, image config, tags, annotations, output), then a unified diff of the two plans in their canonical form. Exits 0 when the plans are identical, 1 when they differ, 2 on errors, like diff(1).

      Colors are used when standard output is a terminal and NO_COLOR is not set (FORCE_COLOR forces them).
    `,
    examples: [
      ['Compare the committed plan with the project as it is now', 'pycontainer diff pycontainer.plan.json .'],
      ['Only the summary', 'pycontainer diff --summary old.plan.json new.plan.json'],
      ['The changes as JSON', 'pycontainer diff --json old.plan.json new.plan.json'],
    ],
  });

  a = Option.String({ name: 'A' });
  b = Option.String({ name: 'B' });
  summary = Option.Boolean('--summary', false, { description: 'Print only the summary of changes' });
  json = Option.Boolean('--json', false, { description: 'Print the changes as JSON' });
  baseImage = Option.String('--base-image', { description: 'For a project directory: the base image to compile it with' });

  async run(): Promise<number> {
    if (this.a === '-' && this.b === '-') throw new PlanError('E_DIFF_STDIN', 'diff: only one side can be `-` (standard input)');
    const a = await this.load(this.a);
    const b = await this.load(this.b);
    const identical = serializePlan(a) === serializePlan(b);
    const changes = planChanges(a, b);
    if (this.json) {
      this.context.stdout.write(`${JSON.stringify({ identical, changes }, null, 2)}\n`);
      return identical ? 0 : 1;
    }
    const color = this.useColor();
    this.context.stdout.write(formatChanges(changes, { color }));
    if (!this.summary && !identical) {
      this.context.stdout.write('\n');
      this.context.stdout.write(unifiedPlanDiff(a, b, { color, labelA: this.a === '-' ? '(stdin)' : this.a, labelB: this.b === '-' ? '(stdin)' : this.b }));
    }
    return identical ? 0 : 1;
  }

  /** A plan file, `-` (standard input), or a project directory compiled now. */
  async load(side: string): Promise<Plan> {
    if (side === '-') return parsePlan(await readAll(this.context.stdin), '(stdin)');
    let isDir = false;
    try {
      isDir = (await stat(side)).isDirectory();
    } catch {
      throw new PlanError('E_PLAN_READ', `${side}: no such plan file or project directory`);
    }
    if (!isDir) return readPlan(side);
    // The compiler (resolver, lock readers, installer) loads only for a directory: two plan files need none of it.
    const { compilePlan } = await import('../plan/compile.js');
    return compilePlan({
      context: side,
      ...(this.baseImage !== undefined ? { flags: { baseImage: this.baseImage } } : {}),
      onWarning: (m) => this.warn(`${side}: ${m}`),
    });
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
