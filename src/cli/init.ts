import { Command, Option } from 'clipanion';
import { access } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkContext } from '../config/context.js';
import { readInitDetection, renderInitConfig } from '../config/init.js';
import { ConfigError } from '../errors.js';
import { writeFileAtomic } from '../plan/file.js';
import { loadSchema, schemaFileUrl } from '../schemas.js';
import { BaseCommand } from './base.js';

export class InitCommand extends BaseCommand {
  static override paths = [['init']];
  static override usage = Command.Usage({
    description: 'Write a commented pycontainer.toml from what detection finds',
    details: `
      Detects the project's include paths, entry point and ports, as \`pycontainer plan\` would, and writes them to <context>/pycontainer.toml with a comment saying why, followed by the other common settings commented out with their defaults. The first line, \`#:schema\`, lets editors (Taplo, Even Better TOML) validate and complete the file.

      An existing pycontainer.toml is left alone unless --force is given.
    `,
    examples: [
      ['Configure the project in the current directory', 'pycontainer init'],
      ['Another directory, replacing its pycontainer.toml', 'pycontainer init -C examples/fastapi-app --force'],
    ],
  });

  contextDir = Option.String('--context,-C', { description: 'Project directory (default: .)' });
  force = Option.Boolean('--force,-f', false, { description: 'Overwrite an existing pycontainer.toml' });

  async run(): Promise<number> {
    const shown = this.contextDir ?? '.';
    const context = resolve(shown);
    await checkContext(context, shown);
    const target = join(context, 'pycontainer.toml');
    const targetShown = join(shown, 'pycontainer.toml');
    if (!this.force && (await exists(target))) {
      throw new ConfigError('E_INIT_EXISTS', `${targetShown} already exists; pass --force to overwrite it`);
    }
    const detection = await readInitDetection(context);
    if (!detection.command) this.warn('no entry point detected: set build.cmd in the new pycontainer.toml');
    await writeFileAtomic(target, renderInitConfig({ detection, schemaRef: schemaReference(context) }));
    this.context.stderr.write(`wrote ${targetShown}\n`);
    return 0;
  }
}

/** This package's schema/pycontainer.schema.json. */
export function installedSchemaPath(): string {
  return fileURLToPath(schemaFileUrl('pycontainer'));
}

/**
 * What the `#:schema` line points at: a path relative to the context when it travels with the
 * project — the schema lies inside the context (node_modules/pycontainer/…), or the context lies inside
 * the package (its examples) — else the schema's `$id` URL, since a path into one machine's global
 * install or another checkout means nothing to the next person.
 */
export function schemaReference(contextAbs: string, schemaAbs = installedSchemaPath()): string {
  const packageRoot = resolve(schemaAbs, '..', '..');
  const inside = (child: string, parent: string) => {
    const rel = relative(parent, child);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  if (inside(schemaAbs, contextAbs) || inside(contextAbs, packageRoot)) {
    return relative(contextAbs, schemaAbs).split(sep).join('/');
  }
  const id = loadSchema('pycontainer').$id;
  return typeof id === 'string' ? id : relative(contextAbs, schemaAbs).split(sep).join('/');
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
