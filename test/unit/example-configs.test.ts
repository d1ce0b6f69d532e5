// Every configuration we show people validates: the examples' pycontainer.toml and [tool.pycontainer]
// tables, and the pycontainer.toml snippets in README.md.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseTomlFile, isDiagnostic } from '../../src/config/read.js';
import { validateConfig } from '../../src/config/validate.js';
import { findRepoRoot } from '../support/base-image.js';

const root = findRepoRoot();

function validate(text: string, name: string, prefix: string[]): string[] {
  const file = parseTomlFile(text, name);
  if (isDiagnostic(file)) return [file.message];
  let table: unknown = file.data;
  for (const key of prefix) table = (table as Record<string, unknown> | undefined)?.[key];
  if (table === undefined) return [];
  return validateConfig(table, file, prefix).diagnostics.map((d) => `${d.key}: ${d.message}`);
}

test('the examples\' configuration validates', () => {
  let checked = 0;
  for (const example of readdirSync(join(root, 'examples'))) {
    for (const [file, prefix] of [
      ['pycontainer.toml', []],
      ['pyproject.toml', ['tool', 'pycontainer']],
    ] as const) {
      const path = join(root, 'examples', example, file);
      if (!existsSync(path)) continue;
      assert.deepEqual(validate(readFileSync(path, 'utf8'), `${example}/${file}`, [...prefix]), [], `${example}/${file}`);
      checked++;
    }
  }
  assert.ok(checked >= 6, `checked ${checked} files`);
});

test('the pycontainer.toml snippets in README.md validate', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const snippets = [...readme.matchAll(/```toml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((t) => /^\[build/m.test(t));
  assert.ok(snippets.length >= 1);
  for (const snippet of snippets) assert.deepEqual(validate(snippet, 'README.md', []), [], snippet);
});

test('a few wrong configurations fail with the messages an editor would show', () => {
  assert.deepEqual(validate('[build]\nworkdri = "/srv"\n', 'pycontainer.toml', []), ['build.workdri: unknown key "workdri"; did you mean "workdir"?']);
  assert.deepEqual(validate('[build]\nexposed_ports = [70000]\n', 'pycontainer.toml', []), ['build.exposed_ports.0: 70000 is not valid here: use a port number 1-65535 or a string like "8080/tcp"']);
  assert.deepEqual(validate('[tool.pycontainer.build]\nplatforms = ["linux"]\n', 'pyproject.toml', ['tool', 'pycontainer']), [
    'tool.pycontainer.build.platforms.0: "linux" is not a platform: use os/arch[/variant], e.g. "linux/amd64"',
  ]);
});
