// Versions from files without a schema (setup.cfg, setup.py) are checked by PEP 440 too: an invalid one
// would otherwise become the image's tag.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProjectMetadata } from '../../src/config/detect/metadata.js';
import { ConfigError } from '../../src/errors.js';

test('setup.cfg and setup.py: an invalid version is an error naming the file', () => {
  for (const [texts, source] of [
    [{ 'setup.cfg': '[metadata]\nname = demo\nversion = not a version!\n' }, 'setup.cfg'],
    [{ 'setup.py': 'from setuptools import setup\nsetup(name="demo", version="not a version!")\n' }, 'setup.py'],
  ] as const) {
    assert.throws(
      () => parseProjectMetadata({ texts }),
      (err: unknown) => err instanceof ConfigError && err.code === 'E_VERSION' && err.message === `${source}: version "not a version!" is not a valid PEP 440 version, e.g. "1.0", "2.1.0rc1" or "0.3.post1"`,
    );
  }
});

test('setup.cfg: valid PEP 440 versions, normalized or not, pass as written', () => {
  for (const v of ['1', '0.1', '2.0.0rc1', '1.0-post1', 'v1.2', '1!2.0', '1.0.dev3+local.1']) {
    assert.equal(parseProjectMetadata({ texts: { 'setup.cfg': `[metadata]\nname = demo\nversion = ${v}\n` } }).project.version, v, v);
  }
});
