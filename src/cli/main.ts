import { Builtins, Cli } from 'clipanion';
import { closeRegistryConnections } from '../registry/http.js';
import { PYCONTAINER_VERSION } from '../version.js';
import { ApplyCommand } from './apply.js';
import { BuildCommand } from './build.js';
import { DiffCommand } from './diff.js';
import { InitCommand } from './init.js';
import { SchemaCommand } from './schema.js';
import { LoginCommand } from './login.js';
import { PlanCommand } from './plan.js';

/** Runs the CLI and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const cli = new Cli({ binaryLabel: 'pycontainer', binaryName: 'pycontainer', binaryVersion: PYCONTAINER_VERSION });
  cli.register(PlanCommand);
  cli.register(ApplyCommand);
  cli.register(BuildCommand);
  cli.register(LoginCommand);
  cli.register(DiffCommand);
  cli.register(SchemaCommand);
  cli.register(InitCommand);
  cli.register(Builtins.HelpCommand);
  cli.register(Builtins.VersionCommand);
  try {
    return await cli.run(argv, Cli.defaultContext);
  } finally {
    await closeRegistryConnections();
  }
}
