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

  warn(message: string): void {
    this.context.stderr.write(`warning: ${message}\n`);
  }
}
