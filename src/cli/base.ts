import { Command, Option } from 'clipanion';
import { PycontainerError } from '../errors.js';

/**
 * Every command: runs `run()` and turns errors into output and an exit code. User problems (typed
 * errors) print their message and details, one line each; anything else is a bug and prints its stack
 * only with --verbose.
 */
export abstract class BaseCommand extends Command {
  verbose = Option.Boolean('--verbose,-v', false, { description: 'Explain more; print stack traces of internal errors' });

  abstract run(): Promise<number | void>;

  async execute(): Promise<number> {
    try {
      return (await this.run()) ?? 0;
    } catch (err) {
      return this.report(err);
    }
  }

  report(err: unknown): number {
    if (err instanceof PycontainerError) {
      this.context.stderr.write(`error: ${err.message}\n`);
      for (const line of err.details) this.context.stderr.write(`  ${line}\n`);
      if (this.verbose && err.stack) this.context.stderr.write(`${err.stack}\n`);
      return err.exitCode;
    }
    const e = err as Error;
    this.context.stderr.write(`error: ${e?.message ?? String(err)}\n`);
    if (this.verbose) this.context.stderr.write(`${e?.stack ?? ''}\n`);
    else this.context.stderr.write('  (an internal error: run again with --verbose for details, and please report it)\n');
    return 70;
  }

  /** Whether this command's output to `stream` (default stdout) may carry colors: see colorEnabled. */
  useColor(stream: { isTTY?: boolean } = this.context.stdout as NodeJS.WriteStream): boolean {
    return colorEnabled(stream, this.context.env ?? process.env);
  }

  warn(message: string): void {
    this.context.stderr.write(`warning: ${message}\n`);
  }
}

/**
 * Whether to color what goes to `stream`: FORCE_COLOR (non-empty, not 0/false) forces colors,
 * NO_COLOR (non-empty, no-color.org) turns them off, otherwise only a terminal that is not TERM=dumb
 * gets them. Pipes, files and CI logs get plain text.
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}
