import { EXIT } from '../errors.js';
import { PYCONTAINER_VERSION } from '../version.js';
import { letWalkChangeDirectory } from '../config/walk-policy.js';

/**
 * Runs the CLI and resolves to the exit code. The commands and everything they use load here, on
 * demand (the bundle keeps them in a chunk of their own): `--version` answers without them, as
 * clipanion's version command would (the version and a newline, exit 0), at the cost of Node's start.
 */
export async function main(argv: string[]): Promise<number> {
  endQuietlyOnClosedPipe(process.stdout);
  endQuietlyOnClosedPipe(process.stderr);
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    process.stdout.write(`${PYCONTAINER_VERSION}\n`);
    return EXIT.ok;
  }
  // This process is the CLI's own: the context walk may step through directories (see context.ts).
  letWalkChangeDirectory();
  const { runCli } = await import('./run.js');
  return runCli(argv);
}

/**
 * `pycontainer plan --json | head -1`: when the reader goes away, the next write fails with EPIPE. That
 * is the reader's choice, not an error of ours: exit at once, quietly, with 0, as the shell's own tools
 * do when they are not killed by SIGPIPE first (Node ignores SIGPIPE). Writing to a stream whose reader
 * left can only fail again, so nothing more is printed.
 */
function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(EXIT.ok);
    process.exitCode = EXIT.bug;
  });
}
