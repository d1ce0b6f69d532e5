import { Builtins, Cli } from 'clipanion';
import { closeRegistryConnections } from '../registry/http.js';
import { EXIT } from '../errors.js';
import { PYCONTAINER_VERSION } from '../version.js';
import { colorEnabled } from './base.js';
import type { CommandClass } from 'clipanion';

/**
 * The commands, in the order help lists them, each loaded on demand: a command line that names one
 * loads that command's code only, and clipanion builds the parser of one command rather than all.
 */
const COMMANDS: Record<string, () => Promise<CommandClass>> = {
  plan: async () => (await import('./plan.js')).PlanCommand,
  apply: async () => (await import('./apply.js')).ApplyCommand,
  build: async () => (await import('./build.js')).BuildCommand,
  login: async () => (await import('./login.js')).LoginCommand,
  diff: async () => (await import('./diff.js')).DiffCommand,
  schema: async () => (await import('./schema.js')).SchemaCommand,
  init: async () => (await import('./init.js')).InitCommand,
};

/** Parses the command line, runs the command and resolves to the exit code (see main.ts). */
export async function runCli(argv: string[]): Promise<number> {
  const cli = new Cli({
    binaryLabel: 'pycontainer',
    binaryName: 'pycontainer',
    binaryVersion: PYCONTAINER_VERSION,
    // clipanion asks the terminal type, not whether stdout is one: decide here (help text, errors).
    enableColors: colorEnabled(process.stdout),
  });
  // Help, no command or an unknown one: all of them, for the list.
  const named = Object.hasOwn(COMMANDS, argv[0] ?? '') ? [argv[0]!] : Object.keys(COMMANDS);
  for (const command of await Promise.all(named.map((name) => COMMANDS[name]!()))) cli.register(command);
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
