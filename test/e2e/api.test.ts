// The published package as a script uses it: `npm pack` the files package.json publishes, unpack the
// tarball where `npm install` would put it, import `pycontainer` from an .mjs and build an example
// image through the API, and type-check a .ts against the shipped declarations with tsc --noEmit.
//
// npm cannot install the tarball here (no registry, and its cache holds the dependency tarballs but not
// their metadata), so the test does by hand the one thing npm would: the tarball's `package/` becomes
// node_modules/pycontainer, and its runtime dependencies are linked from this repository's
// node_modules (the versions package-lock.json pins). Everything else — `files`, `exports`, `types`,
// `bin` — is the packed package's own.
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { findRepoRoot } from '../support/base-image.js';
import { run } from '../support/tools.js';

const root = findRepoRoot();
const STUB = `oci:${join(root, 'test/fixtures/stub-base')}:3.11`;
let tmp: string;
after(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const SCRIPT = `
import { build, applyPlan, compilePlan, ConfigError } from 'pycontainer';
const [context, base, out] = process.argv.slice(2);
const kinds = new Set();
const result = await build({
  context,
  flags: { baseImage: base, platform: ['linux/amd64'], tag: ['hello:api'] },
  output: 'oci:' + out + '/built',
  cacheDir: false,
  onEvent: (e) => kinds.add(e.kind),
});
// The two halves, for a plan reviewed in between: the same image.
const plan = await compilePlan({ context, flags: { baseImage: base, platform: ['linux/amd64'], tag: ['hello:api'] } });
const applied = await applyPlan(plan, { context, output: 'docker-archive:' + out + '/hello.tar', cacheDir: false });
let refused;
try {
  await applyPlan({ ...plan, images: [...plan.images, { ...plan.images[0], platform: 'linux/arm64' }] }, { context, output: 'docker-archive:' + out + '/two.tar', cacheDir: false });
} catch (err) {
  refused = { configError: err instanceof ConfigError, code: err.code, exitCode: err.exitCode };
}
console.log(JSON.stringify({ digest: result.image.digest, output: result.image.output, tags: result.plan.tags, kinds: [...kinds].sort(), applied: applied.digest, archive: applied.output, refused }));
`;

const TYPED = `
import { build, applyPlan, type BuildEvent, type BuildOptions, type BuildResult, type Plan } from 'pycontainer';

const options: BuildOptions = { context: '.', flags: { baseImage: 'python:3.12-slim' }, output: 'docker-archive:dist/image.tar', push: false };
const seen: string[] = [];
const onEvent = (e: BuildEvent): void => {
  if (e.kind === 'layer-done') seen.push(e.digest);
  if (e.kind === 'push-progress') seen.push(String(e.bytes / e.size));
  if (e.kind === 'planned') seen.push(e.plan.base.ref);
};
export async function main(): Promise<string | undefined> {
  const result: BuildResult = await build({ ...options, onEvent });
  const plan: Plan = result.plan;
  const again = await applyPlan(plan, { context: result.context, cacheDir: false });
  // @ts-expect-error: output is a string such as oci:DIR, not a number
  await build({ output: 42 });
  // @ts-expect-error: there is no such event
  onEvent({ kind: 'no-such-event' });
  return result.image?.digest ?? again.pushed?.[0];
}
`;

test('the packed package: import { build, applyPlan } from "pycontainer", in JavaScript and TypeScript', async () => {
  tmp = await mkdtemp(join(os.tmpdir(), 'pycontainer-api-'));
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string; files: string[]; dependencies: Record<string, string> };

  // npm pack from a copy holding what `files` names (dist built already: --ignore-scripts skips prepare).
  const source = join(tmp, 'source');
  await mkdir(source);
  for (const f of ['package.json', 'README.md', ...manifest.files]) await cp(join(root, f), join(source, f), { recursive: true });
  await run('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp], { cwd: source });
  const tarball = join(tmp, `pycontainer-${manifest.version}.tgz`);

  const app = join(tmp, 'app');
  const installed = join(app, 'node_modules', 'pycontainer');
  await mkdir(installed, { recursive: true });
  await writeFile(join(app, 'package.json'), '{ "name": "app", "private": true, "type": "module" }\n');
  await run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  for (const dep of Object.keys(manifest.dependencies)) {
    await mkdir(join(app, 'node_modules', dep, '..'), { recursive: true });
    await symlink(join(root, 'node_modules', dep), join(app, 'node_modules', dep));
  }
  // The tarball holds the compiled code and its declarations, not the tests or the sources.
  const shipped = await readdir(join(installed, 'dist'));
  assert.deepEqual(shipped.sort(), ['bundle', 'generated', 'src']);

  // JavaScript: build an example through the API.
  const context = join(tmp, 'hello-cli');
  await cp(join(root, 'examples/hello-cli'), context, { recursive: true });
  await writeFile(join(app, 'script.mjs'), SCRIPT);
  const out = join(tmp, 'out');
  const r = await run(process.execPath, ['script.mjs', context, STUB, out], { cwd: app });
  const got = JSON.parse(r.stdout) as { digest: string; output: string; tags: string[]; kinds: string[]; applied: string; archive: string; refused: unknown };
  assert.match(got.digest, /^sha256:[0-9a-f]{64}$/);
  assert.equal(got.output, join(out, 'built'));
  assert.deepEqual(got.tags, ['hello:api']);
  for (const kind of ['planned', 'layer-start', 'layer-done', 'published']) assert.ok(got.kinds.includes(kind), `event ${kind} in ${got.kinds.join(', ')}`);
  assert.equal(got.applied, got.digest, 'compilePlan + applyPlan give the image build gives');
  assert.equal(got.archive, join(out, 'hello.tar'));
  assert.deepEqual(got.refused, { configError: true, code: 'E_OUTPUT', exitCode: 2 });
  const index = JSON.parse(await readFile(join(out, 'built', 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  assert.equal(index.manifests[0]!.digest, got.digest);

  // The bin the package declares runs from the unpacked tarball.
  const version = await run(process.execPath, [join(installed, 'bin', 'pycontainer.js'), '--version'], { cwd: app });
  assert.equal(version.stdout.trim(), manifest.version);

  // TypeScript: the declarations type-check a script, and reject what they should; README's example
  // ("From a script") type-checks against them as JavaScript.
  await writeFile(join(app, 'check.ts'), TYPED);
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const example = /### From a script[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(example, 'README has a "From a script" example');
  await writeFile(join(app, 'readme.mjs'), example);
  await writeFile(
    join(app, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, allowJs: true, checkJs: true, types: ['node'], typeRoots: [join(root, 'node_modules/@types')] }, files: ['check.ts', 'readme.mjs'] }),
  );
  const tsc = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app, allowFail: true });
  assert.equal(tsc.code, 0, `${tsc.stdout}${tsc.stderr}`);
});
