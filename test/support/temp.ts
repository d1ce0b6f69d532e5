import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/**
 * A maker of temporary directories for one test file (call it at the file's top level): each call
 * gives a new directory under the system's temp dir, named by `prefix` (else `defaultPrefix`); all are
 * removed when the file's tests end.
 */
export function tempDirs(defaultPrefix: string): (prefix?: string) => Promise<string> {
  const made: string[] = [];
  after(async () => {
    await Promise.all(made.map((d) => rm(d, { recursive: true, force: true })));
  });
  return async (prefix = defaultPrefix) => {
    const dir = await mkdtemp(join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}
