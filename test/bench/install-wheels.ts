/**
 * The child of the bench's `pycontainer wheel install` scenario: installs wheels into a venv layer
 * with wheelsLayerTar and writes the (uncompressed) tar to a file, so it can be set against
 * `pip install --target`, which writes a tree.
 *
 *   node dist/test/bench/install-wheels.js OUT.tar VENV PYTHON_MINOR WHEEL.whl...
 *
 * Every wheel is installed as requested (a top-level requirement), as pip does for the files it is
 * given. Prints nothing on success; the bench reads the tar afterwards for its size and entry count.
 */
import { createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { wheelsLayerTar, type WheelToInstall } from '../../src/python/install/wheel.js';

/** A fixed mtime (2024-01-01T00:00:00Z): the tar is the same bytes every repetition. */
const MTIME = 1_704_067_200;

async function main(argv: string[]): Promise<void> {
  const [out, venv, pythonMinor, ...files] = argv;
  if (!out || !venv || !pythonMinor || files.length === 0) {
    throw new Error('usage: install-wheels.js OUT.tar VENV PYTHON_MINOR WHEEL.whl...');
  }
  const wheels: WheelToInstall[] = files.map((file) => {
    const filename = basename(file);
    const [dist, version] = filename.split('-');
    if (!dist || !version || !filename.endsWith('.whl')) throw new Error(`${file}: not a wheel file name`);
    return { file, filename, name: dist.toLowerCase().replace(/[-_.]+/g, '-'), version, requested: true };
  });
  const pack = await wheelsLayerTar(wheels, { venv, pythonMinor }, MTIME);
  await pipeline(pack, createWriteStream(out));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
