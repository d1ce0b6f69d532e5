// The plan compiler end to end (compilePlan): golden plans of examples/, determinism, digests that apply
// can reproduce, SOURCE_DATE_EPOCH, several platforms, and projects built in temporary directories.
//
// UPDATE_GOLDEN=1 node --test dist/test/unit/plan.test.js rewrites examples/*/plan.json.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import type { Entry, Plan } from '../../generated/plan.js';
import type { FlagValues } from '../../src/config/merge.js';
import { ConfigError, ImageError, NetworkError } from '../../src/errors.js';
import { canonicalJson } from '../../src/oci/image.js';
import { layerTar } from '../../src/oci/layer.js';
import { compilePlan, type CompileOptions } from '../../src/plan/compile.js';
import { parsePlan, readPlanPins, serializePlan, writePlan } from '../../src/plan/file.js';
import { findRepoRoot } from '../support/base-image.js';
import { tempDirs } from '../support/temp.js';

const root = findRepoRoot();
const STUB_BASE = 'oci:test/fixtures/stub-base:3.11';
const STUB_DIGEST = 'sha256:f3e3076cccfef3228862bcba18bafd90b8a995da72c5c449276cd6b7d05aec9d';
const EPOCH = '1970-01-01T00:00:00Z';
const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** Plans an example the way the golden files are made: from the repo root, stub base, no host env. */
function planExample(name: string, flags: FlagValues = {}, env: NodeJS.ProcessEnv = {}, cwd = root): Promise<Plan> {
  return compilePlan({ context: `examples/${name}`, cwd, env, flags: { baseImage: STUB_BASE, ...flags } });
}

const goldenCache = new Map<string, Promise<string>>();
/** The serialized plan of an example with golden settings (computed once per run). */
function goldenText(name: string): Promise<string> {
  let p = goldenCache.get(name);
  if (!p) {
    p = planExample(name).then(serializePlan);
    goldenCache.set(name, p);
  }
  return p;
}

async function sha256OfStream(stream: AsyncIterable<Buffer>): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

const tempDir = tempDirs('pycontainer-plan-');

/** Writes an inline file tree under dir. */
async function writeTree(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

/** A project in a temp dir, planned on scratch (no base image needed). */
async function planTree(files: Record<string, string>, options: Omit<CompileOptions, 'context'> = {}, setup?: (dir: string) => Promise<void>): Promise<{ plan: Plan; dir: string }> {
  const dir = await tempDir();
  await writeTree(dir, files);
  if (setup) await setup(dir);
  const plan = await compilePlan({ env: {}, ...options, context: dir, flags: { baseImage: 'scratch', ...options.flags } });
  return { plan, dir };
}

const entryPaths = (plan: Plan) => plan.layers[0]!.entries.map((e) => e.path);

// ---------------------------------------------------------------------------------------------------

describe('golden plans of examples/', () => {
  test('there are examples to check', () => {
    assert.ok(examples.length >= 5, `examples: ${examples.join(', ')}`);
  });

  for (const name of examples) {
    test(`${name}: the plan equals examples/${name}/plan.json byte for byte`, async () => {
      const text = await goldenText(name);
      const goldenPath = join(root, 'examples', name, 'plan.json');
      if (process.env.UPDATE_GOLDEN === '1') {
        await writeFile(goldenPath, text);
        return;
      }
      let golden: string;
      try {
        golden = await readFile(goldenPath, 'utf8');
      } catch {
        assert.fail(`examples/${name}/plan.json is missing: run UPDATE_GOLDEN=1 node --test dist/test/unit/plan.test.js`);
      }
      assert.equal(text, golden, `examples/${name}/plan.json is stale; review the change, then run UPDATE_GOLDEN=1`);
    });

    test(`${name}: the plan validates against schema/plan.schema.json`, async () => {
      const text = await goldenText(name);
      const parsed = parsePlan(text, `examples/${name}/plan.json`);
      assert.deepEqual(parsed, JSON.parse(text));
      assert.ok(text.endsWith('}\n'));
    });

    test(`${name}: no host path, user name or timestamp leaks into the plan`, async () => {
      // The image's /etc/passwd (the base's, plus our user) names root's home, /root: not a host path.
      const text = (await goldenText(name)).replace(/:0:0:root:\/root:/g, ':0:0:root::');
      for (const hostPath of new Set([root, os.tmpdir(), process.cwd(), '/work', os.homedir()])) {
        if (hostPath === '/') continue;
        assert.ok(!text.includes(hostPath), `the plan contains the host path ${hostPath}`);
      }
      const user = os.userInfo().username;
      if (user === 'root') assert.ok(!text.includes('/root/'), 'the plan contains /root/');
      else {
        assert.ok(!text.includes(`/home/${user}`) && !text.includes(`/Users/${user}`), `the plan contains the home of ${user}`);
        if (user.length >= 4) assert.ok(!text.includes(user), `the plan contains the user name ${user}`);
      }
      const times = text.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?/g) ?? [];
      assert.ok(times.length > 0, 'created is stated');
      for (const t of times) assert.equal(t, EPOCH);
    });

    test(`${name}: config digests are sha256 of canonicalJson(config) and the app layer reproduces its diff_id`, async () => {
      const plan = JSON.parse(await goldenText(name)) as Plan;
      for (const image of plan.images) {
        const bytes = canonicalJson(image.config);
        assert.equal(image.configDigest, `sha256:${createHash('sha256').update(bytes).digest('hex')}`, image.platform);
        assert.equal(image.configSize, Buffer.byteLength(bytes), image.platform);
      }
      assert.equal(plan.layers.length, 1);
      const layer = plan.layers[0]!;
      const context = join(root, 'examples', name);
      const streamed = new Map<string, { sha256: string; size: number }>();
      const reader = { stream: (e: Entry) => createReadStream(join(context, e.source!)), read: (e: Entry) => readFile(join(context, e.source!)) };
      const tar = layerTar(layer.entries, layer.mtime, reader, (f) => streamed.set(f.entry.path, f));
      const { digest, size } = await sha256OfStream(tar as AsyncIterable<Buffer>);
      assert.equal(digest, layer.diffId);
      assert.equal(size, layer.size);
      const copied = layer.entries.filter((e) => e.type === 'file' && e.content === undefined);
      assert.ok(copied.length > 0);
      for (const e of copied) assert.deepEqual({ sha256: streamed.get(e.path)?.sha256, size: streamed.get(e.path)?.size }, { sha256: e.sha256, size: e.size }, e.path);
      for (const image of plan.images) assert.equal(image.config.rootfs.diff_ids.at(-1), layer.diffId);
    });
  }
});

describe('what the golden plans say', () => {
  const load = async (name: string) => JSON.parse(await goldenText(name)) as Plan;
  const cfg = (plan: Plan) => plan.images[0]!.config.config!;
  const skip = (name: string) => (examples.includes(name) ? false : `examples/${name} is not there`);

  test('all: stub base pinned, python from the base, non-root user, venv on PATH', async () => {
    for (const name of examples) {
      const plan = await load(name);
      assert.equal(plan.base.digest, STUB_DIGEST, name);
      assert.equal(plan.annotations['org.opencontainers.image.base.digest'], STUB_DIGEST, name);
      assert.equal(plan.python.version, '3.11.2', name);
      assert.deepEqual(plan.platforms, ['linux/amd64'], name);
      const c = cfg(plan);
      assert.equal(c.User, '65532:65532', name);
      const venv = plan.python.venv;
      assert.ok(c.Env?.[0]?.startsWith(`PATH=${venv}/bin:`), `${name}: ${c.Env?.[0]}`);
      assert.ok(c.Env?.includes(`VIRTUAL_ENV=${venv}`), name);
      assert.ok(c.Env?.includes('PYTHONUNBUFFERED=1'), name);
      assert.ok(c.Env?.includes('LANG=C.UTF-8'), `${name}: base env kept`);
      assert.ok(!c.Env?.some((e) => e.startsWith('SOURCE_DATE_EPOCH')), name);
    }
  });

  test('hello-cli: console script entry point, src on sys.path, pyproject env and labels', { skip: skip('hello-cli') }, async () => {
    const plan = await load('hello-cli');
    const c = cfg(plan);
    assert.deepEqual(c.Entrypoint, ['/app/.venv/bin/hello']);
    assert.equal(c.Cmd, undefined, 'the base image Cmd (python3) must not become arguments of the script');
    assert.equal(c.WorkingDir, '/app');
    assert.equal(c.ExposedPorts, undefined);
    assert.ok(c.Env?.includes('GREETING=Hello'));
    assert.equal(c.Labels?.['org.opencontainers.image.source'], 'https://example.com/hello-cli');
    const paths = entryPaths(plan);
    for (const p of ['app/src/hello_cli/__init__.py', 'app/src/hello_cli/cli.py', 'app/pyproject.toml', 'app/.venv/bin/hello']) assert.ok(paths.includes(p), p);
    const pth = plan.layers[0]!.entries.find((e) => e.path.endsWith('.pth'));
    assert.equal(pth?.content, '/app/src\n');
    assert.equal(plan.provenance['build.env.GREETING'], 'pyproject.toml:17');
  });

  test('flat-app: runs its package with -m, tests are not copied', { skip: skip('flat-app') }, async () => {
    const plan = await load('flat-app');
    assert.deepEqual(cfg(plan).Cmd, ['/app/.venv/bin/python', '-m', 'app']);
    assert.equal(cfg(plan).Entrypoint, undefined);
    const paths = entryPaths(plan);
    assert.ok(paths.includes('app/app/__main__.py'));
    assert.ok(!paths.some((p) => p.includes('tests')), 'tests/ stays out');
  });

  test('fastapi-app: uvicorn on 0.0.0.0:8000', { skip: skip('fastapi-app') }, async () => {
    const plan = await load('fastapi-app');
    assert.deepEqual(cfg(plan).Cmd, ['/app/.venv/bin/python', '-m', 'uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', '8000']);
    assert.deepEqual(cfg(plan).ExposedPorts, { '8000/tcp': {} });
    assert.equal(cfg(plan).Labels?.['dev.pycontainer.framework'], 'fastapi');
  });

  test('flask-app: pycontainer.toml workdir and env, templates copied, flask on 5000', { skip: skip('flask-app') }, async () => {
    const plan = await load('flask-app');
    const c = cfg(plan);
    assert.equal(c.WorkingDir, '/srv/flask-app');
    assert.equal(plan.python.venv, '/srv/flask-app/.venv');
    assert.ok(c.Env?.includes('FLASK_DEBUG=0'));
    assert.deepEqual(c.Cmd, ['/srv/flask-app/.venv/bin/python', '-m', 'flask', '--app', 'hello:app', 'run', '--host', '0.0.0.0', '--port', '5000']);
    assert.deepEqual(c.ExposedPorts, { '5000/tcp': {} });
    assert.ok(entryPaths(plan).includes('srv/flask-app/templates/index.html'));
    assert.equal(plan.provenance['build.workdir'], 'pycontainer.toml:3');
  });

  test('django-app: manage.py runserver on 0.0.0.0:8000, manage.py stays executable', { skip: skip('django-app') }, async () => {
    const plan = await load('django-app');
    assert.deepEqual(cfg(plan).Cmd, ['/app/.venv/bin/python', 'manage.py', 'runserver', '--noreload', '0.0.0.0:8000']);
    assert.deepEqual(cfg(plan).ExposedPorts, { '8000/tcp': {} });
    const manage = plan.layers[0]!.entries.find((e) => e.path === 'app/manage.py');
    assert.equal(manage?.mode, '0755');
    assert.ok(entryPaths(plan).includes('app/mysite/wsgi.py'));
  });
});

describe('readPlanPins', () => {
  test('gives the plan without its app layers, cut from our form or parsed whole from another', async () => {
    const name = examples.includes('hello-cli') ? 'hello-cli' : examples[0]!;
    const plan = parsePlan(await goldenText(name), name);
    assert.ok(plan.layers.length > 0 && plan.layers[0]!.entries.length > 0);
    const dir = await tempDir();
    const texts = [serializePlan(plan), JSON.stringify(plan), JSON.stringify(plan, null, 2)];
    assert.equal(texts.filter((t) => t.includes('\n  "layers": [\n')).length, 2);
    for (const text of texts) {
      await writeFile(join(dir, 'plan.json'), text);
      const pins = await readPlanPins(join(dir, 'plan.json'));
      const { layers, ...rest } = plan;
      const { layers: pinLayers, ...pinRest } = pins;
      assert.deepEqual(pinRest, rest);
      // Cut where the list is laid out as serializePlan (and JSON.stringify with 2 spaces) lays it out; read whole otherwise.
      assert.deepEqual(pinLayers, text.includes('\n  "layers": [\n') ? [] : layers);
    }
    // writePlan leaves a file that already holds exactly the plan be:
    // an atomic rewrite would give it a new inode.
    const file = join(dir, 'plan.json');
    const inode = async () => (await stat(file)).ino;
    await writeFile(file, serializePlan(plan));
    const first = await inode();
    await readPlanPins(file);
    await writePlan(file, plan);
    assert.equal(await inode(), first, 'the same plan is not written again');
    await readPlanPins(file);
    await writePlan(file, { ...plan, tags: [...plan.tags, 'other:1'] });
    assert.notEqual(await inode(), first, 'another plan is written');
    assert.deepEqual(parsePlan(await readFile(file, 'utf8'), file).tags, [...plan.tags, 'other:1']);
    await writeFile(file, serializePlan(plan));
    await readPlanPins(file);
    await writeFile(file, `${serializePlan(plan)}\n`);
    const edited = await inode();
    await writePlan(file, plan);
    assert.equal(await readFile(file, 'utf8'), serializePlan(plan), 'a file holding other bytes is written');
    assert.notEqual(await inode(), edited);
    await writeFile(join(dir, 'plan.json'), serializePlan({ ...plan, formatVersion: 99 } as unknown as Plan));
    await assert.rejects(readPlanPins(join(dir, 'plan.json')), /plan format 99/);
  });
});

describe('serializePlan', () => {
  /** The form spelled out plainly: sorted keys, two spaces, objects of scalars on one line. */
  const reference = (value: unknown, indent = ''): string => {
    if (value === null || typeof value !== 'object') return JSON.stringify(value);
    const inner = `${indent}  `;
    if (Array.isArray(value)) return value.length ? `[\n${value.map((v) => inner + reference(v, inner)).join(',\n')}\n${indent}]` : '[]';
    const pairs = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (!pairs.length) return '{}';
    if (pairs.every(([, v]) => v === null || typeof v !== 'object')) return `{ ${pairs.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }`;
    return `{\n${pairs.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${reference(v, inner)}`).join(',\n')}\n${indent}}`;
  };
  test('objects whose keys come in other orders, odd keys and strings, undefined values: the same form', () => {
    const value = {
      entries: [
        { path: 'a', type: 'file', mode: '0644', size: 1 },
        { type: 'file', path: 'b', size: 2, mode: '0644' },
        { path: 'c "quoted"\n\u2028 \ud83d\ude00 \ud800', type: 'dir', mode: undefined },
        // The same keys joined would be the same text: they must not share a key order.
        { 'a\u0000b': 1, c: 2 },
        { a: 3, 'b\u0000c': 4 },
        { 'a\u0000b': 5, c: 6 },
        { z: [1, { y: null, x: true }], a: {} },
        { only: undefined },
      ],
      labels: { 'b.key': 'x', 'a.key': 'y', '10': 'n', '9': 'm' },
      empty: [],
    };
    const text = serializePlan(value as unknown as Plan);
    assert.equal(text, `${reference(value)}\n`);
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(value)));
  });
  test('an example plan: the form of the committed golden file', async () => {
    const name = examples.includes('hello-cli') ? 'hello-cli' : examples[0]!;
    const text = await goldenText(name);
    const plan = parsePlan(text, name);
    assert.equal(serializePlan(plan), text);
    assert.equal(serializePlan(plan), `${reference(plan)}\n`);
  });
});

describe('determinism', () => {
  const name = examples.includes('hello-cli') ? 'hello-cli' : examples[0]!;

  test('planning the same example twice gives the same bytes', async () => {
    const [a, b] = await Promise.all([planExample(name), planExample(name)]);
    assert.equal(serializePlan(a), serializePlan(b));
  });

  test('the same example copied to two different directories gives the same bytes', async () => {
    const copies: string[] = [];
    for (const prefix of ['pycontainer-a-', 'pycontainer-bb-']) {
      const dir = await tempDir(prefix);
      await cp(join(root, 'examples', name), join(dir, 'examples', name), { recursive: true, filter: (src) => !/[\\/](dist|plan\.json)$/.test(src) });
      await cp(join(root, 'test', 'fixtures', 'stub-base'), join(dir, 'test', 'fixtures', 'stub-base'), { recursive: true });
      copies.push(serializePlan(await planExample(name, {}, {}, dir)));
    }
    assert.equal(copies[0], copies[1]);
    assert.equal(copies[0], await goldenText(name), 'and the same bytes as in the repository');
  });

  test('SOURCE_DATE_EPOCH sets created and the layer mtime, and so the digests', async () => {
    const plain = await planExample(name);
    const dated = await planExample(name, {}, { SOURCE_DATE_EPOCH: '1700000000' });
    const image = dated.images[0]!;
    assert.equal(image.config.created, '2023-11-14T22:13:20Z');
    assert.equal(image.config.history?.at(-1)?.created, '2023-11-14T22:13:20Z');
    assert.equal(image.config.history?.[0]?.created, EPOCH, 'the base history is the base');
    assert.equal(dated.layers[0]!.mtime, 1700000000);
    assert.notEqual(dated.layers[0]!.diffId, plain.layers[0]!.diffId);
    assert.notEqual(image.configDigest, plain.images[0]!.configDigest);
    assert.equal(image.configDigest, `sha256:${createHash('sha256').update(canonicalJson(image.config)).digest('hex')}`);
    const empty = await planExample(name, {}, { SOURCE_DATE_EPOCH: '' });
    assert.equal(serializePlan(empty), serializePlan(plain), 'an empty SOURCE_DATE_EPOCH is unset');
  });

  test('a non-numeric SOURCE_DATE_EPOCH is a ConfigError', async () => {
    for (const bad of ['yesterday', '-5', '1.5', '17e8']) {
      await assert.rejects(planExample(name, {}, { SOURCE_DATE_EPOCH: bad }), (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err));
        assert.match(err.message, /SOURCE_DATE_EPOCH/);
        assert.ok(err.message.includes(bad));
        return true;
      });
    }
  });

  test('the host SOURCE_DATE_EPOCH is not read when env is given', async () => {
    const saved = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1234567890';
    try {
      assert.equal(serializePlan(await planExample(name)), await goldenText(name));
    } finally {
      if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = saved;
    }
  });
});

describe('several platforms', () => {
  const name = examples.includes('hello-cli') ? 'hello-cli' : examples[0]!;

  test('linux/amd64,linux/arm64 gives two images sharing the app layer, base per platform', async () => {
    const plan = await planExample(name, { platform: ['linux/arm64,linux/amd64'] });
    // The stub base's index lists arm64 with variant v8: the plan keeps the base's spelling.
    assert.deepEqual(plan.platforms, ['linux/amd64', 'linux/arm64/v8']);
    assert.deepEqual(plan.images.map((i) => i.platform), ['linux/amd64', 'linux/arm64/v8']);
    assert.deepEqual(plan.base.images.map((i) => i.platform), ['linux/amd64', 'linux/arm64/v8']);
    const [amd, arm] = plan.images;
    assert.equal(amd!.config.architecture, 'amd64');
    assert.equal(amd!.config.variant, undefined);
    assert.equal(arm!.config.architecture, 'arm64');
    assert.equal(arm!.config.variant, 'v8');
    const app = plan.layers[0]!.diffId;
    assert.equal(amd!.config.rootfs.diff_ids.at(-1), app);
    assert.equal(arm!.config.rootfs.diff_ids.at(-1), app);
    assert.deepEqual(amd!.config.rootfs.diff_ids.slice(0, -1), plan.base.images[0]!.layers.map((l) => l.diffId));
    assert.deepEqual(arm!.config.rootfs.diff_ids.slice(0, -1), plan.base.images[1]!.layers.map((l) => l.diffId));
    assert.notEqual(amd!.config.rootfs.diff_ids[0], arm!.config.rootfs.diff_ids[0], 'each platform has its own base layers');
    assert.notEqual(plan.base.images[0]!.manifest?.digest, plan.base.images[1]!.manifest?.digest);
    assert.notEqual(amd!.configDigest, arm!.configDigest);
    for (const image of plan.images) {
      assert.equal(image.configDigest, `sha256:${createHash('sha256').update(canonicalJson(image.config)).digest('hex')}`);
    }
    parsePlan(serializePlan(plan), 'multi.json');
    const single = JSON.parse(await goldenText(name)) as Plan;
    assert.equal(app, single.layers[0]!.diffId, 'the app layer does not depend on the platforms');
    assert.equal(amd!.configDigest, single.images[0]!.configDigest, 'the amd64 image is the single-platform image');
  });

  test('--platform linux/arm64 and linux/arm64/v8 (and aarch64) give the same plan, with the base\'s variant', async () => {
    const [plain, v8, uname] = await Promise.all(['linux/arm64', 'linux/arm64/v8', 'linux/aarch64'].map((p) => planExample(name, { platform: [p] }).then(serializePlan)));
    assert.equal(v8, plain);
    assert.equal(uname, plain);
    const plan = JSON.parse(plain) as Plan;
    assert.deepEqual(plan.platforms, ['linux/arm64/v8']);
    assert.equal(plan.images[0]!.config.variant, 'v8');
    // Listed twice in two spellings, it is one platform.
    const twice = await planExample(name, { platform: ['linux/arm64,linux/arm64/v8'] });
    assert.equal(serializePlan(twice), plain);
  });

  test('scratch has no variant to keep: linux/arm64 stays as written, linux/arm is arm/v7', async () => {
    const dir = await tempDir();
    await writeTree(dir, { 'pyproject.toml': '[project]\nname = "s"\nversion = "1"\n', 'main.py': 'print(1)\n' });
    const plan = await compilePlan({ env: {}, context: dir, cache: null, flags: { baseImage: 'scratch', platform: ['linux/arm64/v8,linux/arm'] } });
    assert.deepEqual(plan.platforms, ['linux/arm/v7', 'linux/arm64']);
    assert.deepEqual(plan.images.map((i) => [i.config.architecture, i.config.variant]), [['arm', 'v7'], ['arm64', undefined]]);
  });

  test('a platform the base does not have is an error naming the platforms it has', async () => {
    await assert.rejects(planExample(name, { platform: ['linux/amd64,linux/s390x'] }), (err: unknown) => {
      assert.ok(err instanceof ImageError, String(err));
      assert.match(err.message, /linux\/s390x/);
      assert.match(err.message, /linux\/amd64/);
      assert.match(err.message, /linux\/arm64/);
      return true;
    });
  });
});

describe('projects in temporary directories', () => {
  test('a src-layout project with a console script, a pinned python and scratch', async () => {
    const { plan } = await planTree({
      'pyproject.toml': '[project]\nname = "Tool_X"\nversion = "2.1"\nrequires-python = ">=3.12"\n[project.scripts]\ntool-x = "tool_x.main:run"\n',
      'src/tool_x/__init__.py': '',
      'src/tool_x/main.py': 'def run():\n    return 0\n',
      'README.md': '# copied: the app layer is the whole context\n',
      '.env': 'SECRET=1\n',
    });
    assert.equal(plan.project.name, 'tool-x');
    assert.equal(plan.python.version, '3.12');
    assert.equal(plan.base.ref, 'scratch');
    assert.deepEqual(plan.base.images, []);
    assert.deepEqual(plan.annotations, { 'org.opencontainers.image.title': 'tool-x', 'org.opencontainers.image.version': '2.1' }, 'scratch: no base annotations; the project\'s title and version');
    assert.deepEqual(plan.tags, ['tool-x:2.1']);
    const c = plan.images[0]!.config;
    assert.deepEqual(c.config?.Entrypoint, ['/app/.venv/bin/tool-x']);
    assert.deepEqual(c.rootfs.diff_ids, [plan.layers[0]!.diffId]);
    const paths = entryPaths(plan);
    assert.ok(paths.includes('app/src/tool_x/main.py'));
    assert.ok(paths.includes('app/README.md'), 'the whole context, as COPY . . gives');
    assert.ok(!paths.includes('app/.env'), '.env files stay out');
    assert.ok(paths.includes('app/.venv/lib/python3.12/site-packages/tool_x-2.1.dist-info/RECORD'));
    assert.deepEqual(paths, [...paths].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))), 'entries sorted byte-wise');
    for (const p of paths) {
      const parent = p.split('/').slice(0, -1).join('/');
      if (parent) assert.ok(paths.includes(parent), `${p} has its parent directory`);
    }
  });

  test('flags override pycontainer.toml, which overrides [tool.pycontainer]', async () => {
    const { plan } = await planTree(
      {
        'pyproject.toml': '[project]\nname = "x"\n[tool.pycontainer.build]\nworkdir = "/py"\nuser = "1"\nenv = { A = "py", B = "py" }\n',
        'pycontainer.toml': '[build]\nworkdir = "/toml"\nuser = "2"\n[build.env]\nA = "toml"\n',
        'main.py': 'print(1)\n',
      },
      { flags: { workdir: '/flag', env: ['B=flag'] } },
    );
    const c = plan.images[0]!.config.config!;
    assert.equal(c.WorkingDir, '/flag');
    assert.equal(c.User, '2');
    assert.ok(c.Env?.includes('A=toml'));
    assert.ok(c.Env?.includes('B=flag'));
    assert.deepEqual(c.Cmd, ['/flag/.venv/bin/python', 'main.py']);
    assert.equal(plan.provenance['build.workdir'], 'flag --workdir');
    assert.equal(plan.provenance['build.user'], 'pycontainer.toml:3');
    assert.equal(plan.provenance['build.env.A'], 'pycontainer.toml:5');
    assert.equal(plan.provenance['build.env.B'], 'flag --env');
    assert.ok(entryPaths(plan).includes('flag/main.py'));
    assert.ok(!entryPaths(plan).includes('home/nonroot'), 'a non-default user gets no home directory');
    assert.deepEqual(plan.inputs.map((i) => i.path), ['pycontainer.toml', 'pyproject.toml']);
  });

  test('file modes and symlinks inside the context are kept', async () => {
    const { plan } = await planTree(
      { 'pyproject.toml': '[project]\nname = "x"\n', 'pkg/__init__.py': '', 'pkg/run.sh': '#!/bin/sh\n' },
      {},
      async (dir) => {
        await chmod(join(dir, 'pkg/run.sh'), 0o755);
        await symlink('run.sh', join(dir, 'pkg/link.sh'));
      },
    );
    const byPath = new Map(plan.layers[0]!.entries.map((e) => [e.path, e]));
    assert.equal(byPath.get('app/pkg/run.sh')?.mode, '0755');
    assert.equal(byPath.get('app/pkg/__init__.py')?.mode, '0644');
    assert.equal(byPath.get('app/pkg/link.sh')?.type, 'symlink');
    assert.equal(byPath.get('app/pkg/link.sh')?.target, 'run.sh');
  });

  test('ignored files stay out of the image', async () => {
    const { plan } = await planTree({
      'pyproject.toml': '[project]\nname = "x"\n',
      '.dockerignore': 'pkg/*.log\n',
      'pkg/__init__.py': '',
      'pkg/__pycache__/mod.cpython-311.pyc': 'x',
      'pkg/a.log': 'log',
      'pkg/.env': 'SECRET=1\n',
      'pkg/keep.txt': 'keep',
    });
    const paths = entryPaths(plan);
    assert.ok(paths.includes('app/pkg/keep.txt'));
    for (const gone of ['app/pkg/__pycache__', 'app/pkg/__pycache__/mod.cpython-311.pyc', 'app/pkg/a.log', 'app/pkg/.env']) assert.ok(!paths.includes(gone), `${gone} is in the image`);
  });

  test('include_paths = ["."] copies the whole context', async () => {
    const { plan } = await planTree({
      'pyproject.toml': '[project]\nname = "x"\n',
      'pycontainer.toml': '[build]\ninclude_paths = ["."]\ncmd = ["python", "tool.py"]\n',
      'tool.py': '',
      'data/values.csv': '1,2\n',
    });
    assert.ok(entryPaths(plan).includes('app/data/values.csv'));
  });

  test('--include-deps is not silently ignored', async () => {
    const warnings: string[] = [];
    let plan: Plan | undefined;
    let error: unknown;
    try {
      ({ plan } = await planTree(
        { 'pyproject.toml': '[project]\nname = "x"\n', 'requirements.txt': 'requests==2.32.3\n', 'main.py': 'import requests\n' },
        { flags: { includeDeps: true }, onWarning: (w) => warnings.push(w) },
      ));
    } catch (err) {
      error = err;
    }
    const handled = error instanceof ConfigError || error instanceof NetworkError || (plan !== undefined && plan.layers.length > 1) || warnings.some((w) => /depend/i.test(w));
    assert.ok(handled, `plan has ${plan?.layers.length} layer(s), warnings: ${JSON.stringify(warnings)}`);
  });

  test('an include path outside the context or missing is a ConfigError naming it', async () => {
    await assert.rejects(
      planTree({ 'pyproject.toml': '[project]\nname = "x"\n[tool.pycontainer.build]\ninclude_paths = ["../x", "/etc"]\n' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err));
        const text = [err.message, ...err.details].join('\n');
        assert.match(text, /"\.\.\/x" is outside the context/);
        assert.match(text, /"\/etc" is outside the context/);
        return true;
      },
    );
    await assert.rejects(
      planTree({ 'pyproject.toml': '[project]\nname = "x"\n[tool.pycontainer.build]\ninclude_paths = ["nope"]\n' }),
      /pyproject\.toml:4: build\.include_paths: "nope" does not exist in the context/,
    );
  });

  test('a symlink leaving the context is a ConfigError naming the link', async () => {
    await assert.rejects(
      planTree({ 'pyproject.toml': '[project]\nname = "x"\n', 'pkg/__init__.py': '' }, {}, async (dir) => {
        await symlink('../../outside', join(dir, 'pkg/escape'));
      }),
      (err: unknown) => err instanceof ConfigError && /pkg\/escape: symlink to "\.\.\/\.\.\/outside" leaves the context/.test(err.message),
    );
  });

  test('the output directory inside the context is never copied', async () => {
    const { plan } = await planTree({
      'pyproject.toml': '[project]\nname = "x"\n',
      'pycontainer.toml': '[build]\noutput = "pkg/out"\n',
      'pkg/__init__.py': '',
      'pkg/out/index.json': '{}',
    });
    assert.ok(!entryPaths(plan).some((p) => p.includes('pkg/out')));
  });

  test('a malformed pyproject.toml is reported with line and column', async () => {
    await assert.rejects(planTree({ 'pyproject.toml': '[project]\nname = "x\n' }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /^pyproject\.toml:2:\d+: invalid TOML/);
      return true;
    });
  });

  test('a missing context is a ConfigError', async () => {
    await assert.rejects(compilePlan({ context: join(os.tmpdir(), 'pycontainer-does-not-exist-xyz'), env: {} }), (err: unknown) => err instanceof ConfigError && /does not exist/.test(err.message));
  });
});
