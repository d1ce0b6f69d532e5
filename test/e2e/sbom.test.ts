// SBOMs end to end: the pip/setuptools/wheel image with --sbom spdx and cyclonedx, on a base that
// carries a real dpkg status database; the same plan gives the same SBOM bytes; the SBOM is an artifact
// in the layout and, pushed to the loopback registry, a referrer found through the referrers API or the
// referrers tag; skopeo shows the annotations.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, link, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test, type TestContext } from 'node:test';
import { pack } from 'tar-stream';
import { ensureBaseImage, findRepoRoot, type BaseImage } from '../support/base-image.js';
import { assertLayoutOk, checkLayout } from '../support/layout-check.js';
import { registryRequest, startRegistry } from '../support/registry.js';
import { needTools, run, type RunResult } from '../support/tools.js';
import { ensureDebianWheels, type WheelFile } from '../support/wheels.js';
import { cycloneDxValidator } from '../support/cyclonedx-schema.js';

const repo = findRepoRoot();
const cli = path.join(repo, 'bin', 'pycontainer.js');
let tmp: string;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-sbom-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function pyc(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return run('node', [cli, ...args], { env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000', ...env }, allowFail: true });
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/**
 * The plain test base plus one layer holding var/lib/dpkg/status as dpkg writes it for the very .debs
 * the base was unpacked from (their control paragraphs with `Status: install ok installed`): dpkg -x,
 * which made the base, records nothing, and an SBOM reads what the package manager recorded.
 */
async function baseWithDpkgStatus(plain: BaseImage, dir: string): Promise<string> {
  const arch = (await run('dpkg', ['--print-architecture'])).stdout.trim();
  const cacheRoot = path.join(repo, 'test', '.cache', 'base-images');
  const debs = (JSON.parse(await readFile(path.join(cacheRoot, 'plans', `plain-${arch}.json`), 'utf8')) as { plan: { debs: { filename: string }[] } }).plan.debs;
  const paragraphs: string[] = [];
  for (const d of debs) {
    const control = (await run('dpkg-deb', ['-f', path.join(cacheRoot, 'debs', d.filename)])).stdout.trimEnd();
    paragraphs.push(control.replace(/^(Package: .*)$/m, '$1\nStatus: install ok installed'));
  }
  const p = pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const c of p as AsyncIterable<Buffer>) chunks.push(c);
  })();
  for (const d of ['var/', 'var/lib/', 'var/lib/dpkg/']) p.entry({ name: d, type: 'directory', mode: 0o755, mtime: new Date(0) });
  p.entry({ name: 'var/lib/dpkg/status', mode: 0o644, mtime: new Date(0) }, `${paragraphs.join('\n\n')}\n`);
  p.finalize();
  await done;
  const tar = Buffer.concat(chunks);
  const gz = gzipSync(tar);

  await mkdir(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  for (const name of await readdir(path.join(plain.layoutDir, 'blobs', 'sha256'))) await link(path.join(plain.layoutDir, 'blobs', 'sha256', name), path.join(dir, 'blobs', 'sha256', name));
  const blob = async (bytes: Buffer | string) => {
    const hex = sha256(bytes);
    await writeFile(path.join(dir, 'blobs', 'sha256', hex), bytes);
    return `sha256:${hex}`;
  };
  const readBlob = async (digest: string) => JSON.parse(await readFile(path.join(plain.layoutDir, 'blobs', 'sha256', digest.slice(7)), 'utf8'));
  const index = JSON.parse(await readFile(path.join(plain.layoutDir, 'index.json'), 'utf8'));
  const desc = index.manifests.find((m: { annotations?: Record<string, string> }) => m.annotations?.['org.opencontainers.image.ref.name'] === plain.tag);
  const manifest = await readBlob(desc.digest);
  const config = await readBlob(manifest.config.digest);
  config.rootfs.diff_ids.push(`sha256:${sha256(tar)}`);
  config.history = [...(config.history ?? []), { created: '1970-01-01T00:00:00Z', created_by: 'dpkg status of the packages above' }];
  const configText = JSON.stringify(config);
  manifest.config = { ...manifest.config, digest: await blob(configText), size: Buffer.byteLength(configText) };
  manifest.layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: await blob(gz), size: gz.length });
  const manifestText = JSON.stringify(manifest);
  const top = { ...desc, digest: await blob(manifestText), size: Buffer.byteLength(manifestText) };
  await writeFile(path.join(dir, 'index.json'), JSON.stringify({ ...index, manifests: [top] }));
  await writeFile(path.join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  return `oci:${dir}:${plain.tag}`;
}

async function project(dir: string, wheels: WheelFile[]): Promise<void> {
  await mkdir(path.join(dir, 'wheels'), { recursive: true });
  const lock = ['lock-version = "1.0"', 'created-by = "pycontainer tests"', 'requires-python = ">=3.11"', ''];
  for (const w of [...wheels].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    await cp(w.path, path.join(dir, 'wheels', w.filename));
    lock.push('[[packages]]', `name = "${w.name}"`, `version = "${w.version}"`, `wheels = [{ name = "${w.filename}", path = "wheels/${w.filename}", size = ${w.size}, hashes = { sha256 = "${w.sha256}" } }]`, '');
  }
  await writeFile(path.join(dir, 'pylock.toml'), lock.join('\n'));
  await writeFile(
    path.join(dir, 'pyproject.toml'),
    [
      '[project]',
      'name = "sbom-app"',
      'version = "1.0.0"',
      'description = "An app with a bill of materials"',
      'license = "MIT"',
      'requires-python = ">=3.11"',
      `dependencies = [${wheels.map((w) => `"${w.name}"`).join(', ')}]`,
      '[project.urls]',
      'Homepage = "https://sbom-app.example"',
      'Source = "https://git.example/sbom-app"',
      '',
    ].join('\n'),
  );
  await writeFile(path.join(dir, 'main.py'), 'print("hello")\n');
}

describe('sbom', { concurrency: false }, () => {
  test('SPDX and CycloneDX of the pip/setuptools/wheel image: beside the output, in the layout, as a referrer', async (t: TestContext) => {
    if (!needTools(t, ['apt-get', 'dpkg', 'dpkg-deb', 'skopeo', 'docker-registry'], { root: true })) return;
    const wheels = await ensureDebianWheels();
    const baseRef = await baseWithDpkgStatus(await ensureBaseImage('plain'), path.join(tmp, 'base'));
    const dir = path.join(tmp, 'app');
    await project(dir, wheels);
    const cache = path.join(tmp, 'cache');

    // SPDX, twice into two layouts: the same bytes.
    const built: string[] = [];
    let applied: { digest: string; sbom: { artifacts: { digest: string; subject: string }[]; files: string[] } } | undefined;
    for (const name of ['one', 'two']) {
      const r = await pyc(['build', '-C', dir, '--base-image', baseRef, '-o', path.join(tmp, name, 'image'), '--cache-dir', cache, '--sbom', 'spdx', '--json']);
      assert.equal(r.code, 0, r.stderr);
      applied = JSON.parse(r.stdout);
      assert.deepEqual(applied!.sbom.files, [path.join(tmp, name, 'image.spdx.json')]);
      built.push(await readFile(path.join(tmp, name, 'image.spdx.json'), 'utf8'));
    }
    assert.equal(built[0], built[1], 'two builds give the same SBOM bytes');
    const spdx = JSON.parse(built[0]!);
    assert.equal(spdx.spdxVersion, 'SPDX-2.3');
    assert.equal(spdx.creationInfo.created, '2023-11-14T22:13:20Z', 'SOURCE_DATE_EPOCH');
    const byName = (n: string) => spdx.packages.find((p: { name: string }) => p.name === n);
    for (const w of wheels) {
      const p = byName(w.name);
      assert.ok(p, `${w.name} is listed`);
      assert.equal(p.versionInfo, w.version);
      assert.deepEqual(p.checksums, [{ algorithm: 'SHA256', checksumValue: w.sha256 }]);
      assert.equal(p.externalRefs[0].referenceLocator, `pkg:pypi/${w.name}@${w.version}`);
      assert.notEqual(p.licenseDeclared, 'NOASSERTION', `${w.name}'s license is read from its METADATA`);
    }
    assert.equal(byName('sbom-app').licenseDeclared, 'MIT');
    for (const deb of ['python3.11-minimal', 'libc6', 'libpython3.11-stdlib']) {
      const p = byName(deb);
      assert.ok(p, `the base's Debian package ${deb} is listed`);
      assert.match(p.externalRefs[0].referenceLocator, new RegExp(`^pkg:deb/debian/${deb.replace('.', '\\.')}@[^?]+\\?arch=[a-z0-9]+&distro=debian-12$`));
    }
    assert.equal(byName('debian').versionInfo, '12');

    // In the layout: an artifact manifest whose subject is the image manifest; skopeo still reads the tag.
    const layout = path.join(tmp, 'two', 'image');
    const artifact = applied!.sbom.artifacts[0]!;
    // The checker holds every manifest to the image rules; the artifact's own rules are checked below.
    const report = await checkLayout(layout);
    const aboutArtifact = `manifest ${artifact.digest.slice(0, 'sha256:'.length + 12)} `;
    assert.ok(report.problems.some((p) => p.includes(aboutArtifact)), 'the checker sees the artifact');
    const problems = report.problems.filter((p) => !p.includes(aboutArtifact));
    assertLayoutOk({ ...report, ok: problems.length === 0, problems });
    assert.equal(artifact.subject, applied!.digest);
    const manifest = JSON.parse(await readFile(path.join(layout, 'blobs', 'sha256', artifact.digest.slice(7)), 'utf8'));
    assert.equal(manifest.artifactType, 'application/spdx+json');
    assert.equal(manifest.config.mediaType, 'application/vnd.oci.empty.v1+json');
    assert.equal(manifest.subject.digest, applied!.digest);
    assert.equal(await readFile(path.join(layout, 'blobs', 'sha256', manifest.layers[0].digest.slice(7)), 'utf8'), built[1]);
    const raw = JSON.parse((await run('skopeo', ['inspect', '--raw', `oci:${layout}:1.0.0`])).stdout);
    assert.equal(raw.annotations['org.opencontainers.image.licenses'], 'MIT');

    // CycloneDX, pushed: the referrers API, or the referrers tag where the registry has none.
    const reg = await startRegistry('plain');
    try {
      const r = await pyc(['build', '-C', dir, '--base-image', baseRef, '-t', `${reg.host}/apps/sbom-app:1.0.0`, '-o', path.join(tmp, 'cdx', 'image'), '--cache-dir', cache, '--sbom', 'cyclonedx', '--push', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const pushed = JSON.parse(r.stdout);
      const cdxText = await readFile(path.join(tmp, 'cdx', 'image.cdx.json'), 'utf8');
      const bom = JSON.parse(cdxText);
      const validate = cycloneDxValidator();
      assert.equal(validate(bom), true, JSON.stringify(validate.errors?.slice(0, 5)));
      for (const w of wheels) {
        const c = bom.components.find((x: { name: string }) => x.name === w.name);
        assert.deepEqual(c.hashes, [{ alg: 'SHA-256', content: w.sha256 }]);
      }
      assert.ok(bom.components.some((c: { name: string; purl?: string }) => c.name === 'libc6' && c.purl?.startsWith('pkg:deb/debian/libc6@')));

      const subject = pushed.digest as string;
      const api = await registryRequest(reg, 'GET', `/v2/apps/sbom-app/referrers/${subject}`, { headers: { accept: 'application/vnd.oci.image.index.v1+json' } });
      const list = api.status === 200
        ? JSON.parse(api.body.toString('utf8'))
        : JSON.parse((await registryRequest(reg, 'GET', `/v2/apps/sbom-app/manifests/${subject.replace(':', '-')}`, { headers: { accept: 'application/vnd.oci.image.index.v1+json' } })).body.toString('utf8'));
      t.diagnostic(`referrers found through ${api.status === 200 ? 'the referrers API' : `the referrers tag (the API answered ${api.status})`}`);
      const entry = list.manifests.find((m: { artifactType?: string }) => m.artifactType === 'application/vnd.cyclonedx+json');
      assert.ok(entry, 'the SBOM is listed as a referrer');
      const art = JSON.parse((await run('skopeo', ['inspect', '--raw', ...reg.skopeoFlags, `docker://${reg.host}/apps/sbom-app@${entry.digest}`])).stdout);
      assert.equal(art.subject.digest, subject);
      const blob = await registryRequest(reg, 'GET', `/v2/apps/sbom-app/blobs/${art.layers[0].digest}`);
      assert.equal(blob.body.toString('utf8'), cdxText, 'the registry holds the SBOM written beside the output');

      const image = JSON.parse((await run('skopeo', ['inspect', '--raw', ...reg.skopeoFlags, `docker://${reg.host}/apps/sbom-app:1.0.0`])).stdout);
      assert.deepEqual(
        Object.fromEntries(Object.entries(image.annotations as Record<string, string>).filter(([k]) => !k.startsWith('org.opencontainers.image.base.'))),
        {
          'org.opencontainers.image.created': '2023-11-14T22:13:20Z',
          'org.opencontainers.image.description': 'An app with a bill of materials',
          'org.opencontainers.image.licenses': 'MIT',
          'org.opencontainers.image.source': 'https://git.example/sbom-app',
          'org.opencontainers.image.title': 'sbom-app',
          'org.opencontainers.image.url': 'https://sbom-app.example',
          'org.opencontainers.image.version': '1.0.0',
        },
      );
      assert.match(image.annotations['org.opencontainers.image.base.name'], /^oci:.*:3\.11$/);
      const inspected = JSON.parse((await run('skopeo', ['inspect', ...reg.skopeoFlags, `docker://${reg.host}/apps/sbom-app:1.0.0`])).stdout);
      assert.equal(inspected.Digest, subject);
    } finally {
      await reg.stop();
    }
  });
});
