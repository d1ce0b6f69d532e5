import { Command, Option } from 'clipanion';
import { ConfigError } from '../errors.js';
import { loadSchema, type SchemaName } from '../schemas.js';
import { BaseCommand } from './base.js';

/** The names `schema` takes, and the schema file each prints. */
const SCHEMAS: Record<string, SchemaName> = { config: 'pycontainer', plan: 'plan' };

export class SchemaCommand extends BaseCommand {
  static override paths = [['schema']];
  static override usage = Command.Usage({
    description: 'Print a JSON schema: config (pycontainer.toml, [tool.pycontainer]) or plan',
    details: `
      Prints schema/pycontainer.schema.json (\`config\`, the default) or schema/plan.schema.json (\`plan\`), for editors and other tools.
    `,
    examples: [
      ['The configuration schema', 'pycontainer schema > pycontainer.schema.json'],
      ['The plan schema', 'pycontainer schema plan'],
    ],
  });

  name = Option.String({ required: false, name: 'config|plan' });

  async run(): Promise<number> {
    const name = this.name ?? 'config';
    const schema = SCHEMAS[name];
    if (!schema) {
      throw new ConfigError('E_USAGE', `schema: unknown schema "${name}"; choose one of: ${Object.keys(SCHEMAS).join(', ')}`);
    }
    this.context.stdout.write(`${JSON.stringify(loadSchema(schema), null, 2)}\n`);
    return 0;
  }
}
