import { Command, Option } from 'clipanion';
import { existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkContext } from '../config/context.js';
import { readInitDetection, renderInitConfig } from '../config/init.js';
import { ConfigError } from '../errors.js';
import { writeFileAtomic } from '../plan/file.js';
import { publishedSchemaUrl, schemaFileUrl } from '../schemas.js';
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
 * What the `#:schema` line points at: a path relative to the context when the schema travels with the
 * project — the project has pycontainer in its node_modules (or this install lies inside the context),
 * or the context lies inside the package (its examples) — else the npm CDN's URL of this version's
 * schema, since a path into one machine's global install or another checkout means nothing to the
 * next person. Taplo and Even Better TOML follow both.
 */
export function schemaReference(contextAbs: string, schemaAbs = installedSchemaPath(), hasFile = existsSync): string {
  const packageRoot = resolve(schemaAbs, '..', '..');
  const inside = (child: string, parent: string) => {
    const rel = relative(parent, child);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  const local = join(contextAbs, 'node_modules', 'pycontainer', 'schema', 'pycontainer.schema.json');
  if (!inside(schemaAbs, contextAbs) && !inside(contextAbs, packageRoot) && hasFile(local)) {
    return relative(contextAbs, local).split(sep).join('/');
  }
  if (inside(schemaAbs, contextAbs) || inside(contextAbs, packageRoot)) {
    return relative(contextAbs, schemaAbs).split(sep).join('/');
  }
  return publishedSchemaUrl('pycontainer');
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
