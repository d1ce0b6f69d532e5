import { Builtins, Cli } from 'clipanion';
import { closeRegistryConnections } from '../registry/http.js';
import { EXIT } from '../errors.js';
import { PYCONTAINER_VERSION } from '../version.js';
import { colorEnabled } from './base.js';
import { ApplyCommand } from './apply.js';
import { BuildCommand } from './build.js';
import { DiffCommand } from './diff.js';
import { InitCommand } from './init.js';
import { SchemaCommand } from './schema.js';
import { LoginCommand } from './login.js';
import { PlanCommand } from './plan.js';

/** Parses the command line, runs the command and resolves to the exit code (see main.ts). */
export async function runCli(argv: string[]): Promise<number> {
  const cli = new Cli({
    binaryLabel: 'pycontainer',
    binaryName: 'pycontainer',
    binaryVersion: PYCONTAINER_VERSION,
    // clipanion asks the terminal type, not whether stdout is one: decide here (help text, errors).
    enableColors: colorEnabled(process.stdout),
  });
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
    let command;
    try {
      command = cli.process(argv, Cli.defaultContext);
    } catch (err) {
      Cli.defaultContext.stderr.write(`error: ${usageError(err, argv, cli)}\n`);
      return EXIT.input;
    }
    return await cli.run(command, Cli.defaultContext);
  } finally {
    await closeRegistryConnections();
  }
}

/**
 * A command line that does not parse (unknown flag, missing value or argument, unknown command) is a
 * problem in the input: exit 2 with one line on stderr, like every other input error. Exit 1 means "a
 * difference" (plan --check, diff), and clipanion's own handling would return 1 and print to stdout.
 */
function usageError(err: unknown, argv: string[], cli: Cli): string {
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.replace(/; did you mean one of:$/, '');
  const commands = cli.definitions().map((d) => d.path.split(' ').slice(1).join(' ')).filter(Boolean);
  const named = commands.includes(argv[0] ?? '') ? argv[0] : undefined;
  if (!named) return `${message === 'Command not found' && argv[0] ? `"${argv[0]}" is not a command` : message}; the commands are ${[...new Set(commands)].filter((c) => !c.startsWith('-')).join(', ')} (pycontainer --help)`;
  return `${named}: ${message.replace(/\.$/, '')}; see pycontainer ${named} --help`;
}
