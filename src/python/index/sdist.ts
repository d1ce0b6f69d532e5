import { childProcess } from '../../lazy-builtins.js';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../errors.js';

/** A tool on the host that turns a source distribution into a wheel. */
type Builder = { name: string; command: string; args: (sdist: string, out: string) => string[] };

const BUILDERS: Builder[] = [
  { name: 'pip', command: 'python3', args: (sdist, out) => ['-m', 'pip', 'wheel', '--no-deps', '--disable-pip-version-check', '--quiet', '--wheel-dir', out, sdist] },
  { name: 'uv', command: 'uv', args: (sdist, out) => ['build', '--wheel', '--out-dir', out, sdist] },
];

function runTool(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    let stderr = '';
    let child;
    try {
      child = childProcess().spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch {
      resolve({ code: 127, stderr: '' });
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', () => resolve({ code: 127, stderr }));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stderr });
    });
  });
}

/** The first host builder that works: `python3 -m pip`, else `uv`. */
async function findBuilder(env: NodeJS.ProcessEnv): Promise<Builder | undefined> {
  for (const b of BUILDERS) {
    const probe = b.name === 'pip' ? ['-m', 'pip', '--version'] : ['--version'];
    if ((await runTool(b.command, probe, env, 20_000)).code === 0) return b;
  }
  return undefined;
}

/**
 * Builds a wheel from a verified sdist with the host's pip (or uv), in a temporary directory; returns
 * the wheel's path and a cleanup. No host builder → an error naming the package and the ways out.
 */
export async function buildWheelFromSdist(
  what: string,
  sdistFile: string,
  sdistFilename: string,
  env: NodeJS.ProcessEnv,
): Promise<{ wheel: string; cleanup: () => Promise<void> }> {
  const builder = await findBuilder(env);
  if (!builder) {
    throw new ConfigError(
      'E_SDIST_NO_BUILDER',
      `${what} is published only as a source distribution (${sdistFilename}), and building it needs a host Python with pip, or uv, on PATH; install one, or pin a version that publishes a wheel`,
    );
  }
  const work = await mkdtemp(join(tmpdir(), 'pycontainer-sdist-'));
  const cleanup = () => rm(work, { recursive: true, force: true });
  try {
    // Builders read the format and name from the file name; the cache names files by digest.
    const named = join(work, sdistFilename);
    await copyFile(sdistFile, named);
    const out = join(work, 'out');
    // wheel and setuptools honour SOURCE_DATE_EPOCH: the same sdist then builds the same wheel bytes on
    // every machine (zip cannot hold times before 1980).
    const epoch = Math.max(Number(env.SOURCE_DATE_EPOCH) || 0, 315532800);
    const result = await runTool(builder.command, builder.args(named, out), { ...env, SOURCE_DATE_EPOCH: String(epoch) }, 600_000);
    const wheels = result.code === 0 ? (await readdir(out).catch(() => [])).filter((f) => f.endsWith('.whl')) : [];
    if (wheels.length !== 1) {
      const last = result.stderr.trim().split('\n').pop() ?? '';
      throw new ConfigError('E_SDIST_BUILD', `${what}: building ${sdistFilename} with ${builder.name} failed${last ? ` (${last.slice(0, 200)})` : ''}`);
    }
    return { wheel: join(out, wheels[0]!), cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
