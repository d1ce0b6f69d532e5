// Platforms: parsing user input, normalizing the way containerd compares platforms (arm64 = arm64/v8,
// arm = arm/v7, amd64/v1 = amd64), matching index entries, and keeping the base image's own spelling.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { describeBaseImage, type BaseImageConfig } from '../../src/oci/layout.js';
import { formatPlatform, keepBaseVariant, normalizePlatform, parsePlatform, platformMatches, splitPlatform, type Platform } from '../../src/oci/platform.js';
import { compilePlan } from '../../src/plan/compile.js';
import { serializePlan } from '../../src/plan/file.js';
import { selectPlatformManifests } from '../../src/registry/remote-layers.js';
import { writeEditedStubBase, type BaseEdit } from '../support/edited-base.js';

const parsed = (text: string): string => {
  const p = parsePlatform(text);
  assert.ok(!('error' in p), `${text}: ${'error' in p ? p.error : ''}`);
  return formatPlatform(p);
};

describe('parsePlatform normalizes', () => {
  test('arm64 with v8 (any spelling) or none is linux/arm64; v9 stays', () => {
    for (const text of ['linux/arm64', 'linux/arm64/v8', 'linux/arm64/8', 'linux/arm64/v8.0', 'linux/aarch64', 'LINUX/ARM64/V8', 'linux/aarch64/v8']) {
      assert.equal(parsed(text), 'linux/arm64', text);
    }
    assert.equal(parsed('linux/arm64/9'), 'linux/arm64/v9');
    assert.equal(parsed('linux/arm64/v9.0'), 'linux/arm64/v9');
  });

  test('arm without a variant is v7; a bare number gets its v; armhf and armel imply v7 and v6', () => {
    assert.equal(parsed('linux/arm'), 'linux/arm/v7');
    assert.equal(parsed('linux/arm/7'), 'linux/arm/v7');
    assert.equal(parsed('linux/arm/6'), 'linux/arm/v6');
    assert.equal(parsed('linux/arm/v5'), 'linux/arm/v5');
    assert.equal(parsed('linux/armhf'), 'linux/arm/v7');
    assert.equal(parsed('linux/armel'), 'linux/arm/v6');
  });

  test('amd64 v1 is plain amd64, higher levels stay; i386 is 386', () => {
    assert.equal(parsed('linux/x86_64'), 'linux/amd64');
    assert.equal(parsed('linux/amd64/v1'), 'linux/amd64');
    assert.equal(parsed('linux/amd64/v3'), 'linux/amd64/v3');
    assert.equal(parsed('linux/i386'), 'linux/386');
  });

  test('bad input still names the text', () => {
    for (const bad of ['linux', 'linux/arm64/v8/x', 'linux/sparc', 'windows/arm64']) {
      const p = parsePlatform(bad);
      assert.ok('error' in p, bad);
      assert.ok(p.error.startsWith(`invalid platform "${bad}"`), p.error);
    }
  });
});

describe('platformMatches compares normalized platforms', () => {
  const p = (text: string): Platform => splitPlatform(text);
  test('the same platform in two spellings matches, in both directions', () => {
    for (const [a, b] of [
      ['linux/arm64', 'linux/arm64/v8'],
      ['linux/arm', 'linux/arm/v7'],
      ['linux/amd64', 'linux/amd64/v1'],
      ['linux/aarch64', 'linux/arm64/v8'],
    ] as const) {
      assert.ok(platformMatches(p(a), p(b)), `${a} ~ ${b}`);
      assert.ok(platformMatches(b, a), `${b} ~ ${a}`);
    }
  });

  test('different variants, architectures or systems do not', () => {
    for (const [a, b] of [
      ['linux/arm', 'linux/arm/v6'],
      ['linux/arm/v6', 'linux/arm/v7'],
      ['linux/arm64', 'linux/arm64/v9'],
      ['linux/amd64', 'linux/amd64/v3'],
      ['linux/amd64', 'linux/arm64'],
      ['linux/arm64', 'linux/arm/v8'],
      ['linux/amd64', 'windows/amd64'],
    ] as const) {
      assert.ok(!platformMatches(a, b), `${a} !~ ${b}`);
    }
  });

  test('normalizePlatform is idempotent', () => {
    for (const text of ['linux/arm64/v8', 'linux/arm', 'linux/amd64/v1', 'linux/armhf', 'linux/ppc64le']) {
      const once = normalizePlatform(splitPlatform(text));
      assert.deepEqual(normalizePlatform(once), once, text);
    }
  });
});

describe('the base image decides the spelling', () => {
  test('keepBaseVariant takes the base\'s variant; platforms the base lacks (scratch) stay', () => {
    const base = [{ platform: 'linux/amd64' }, { platform: 'linux/arm64/v8' }];
    const wanted = ['linux/amd64', 'linux/arm64', 'linux/s390x'].map((t) => parsePlatform(t) as Platform);
    assert.deepEqual(keepBaseVariant(wanted, base).map(formatPlatform), ['linux/amd64', 'linux/arm64/v8', 'linux/s390x']);
    assert.deepEqual(keepBaseVariant(wanted, undefined).map(formatPlatform), ['linux/amd64', 'linux/arm64', 'linux/s390x']);
    // A base that lists arm64 without a variant is kept as it is, whatever the user wrote.
    assert.deepEqual(keepBaseVariant([parsePlatform('linux/arm64/v8') as Platform], [{ platform: 'linux/arm64' }]).map(formatPlatform), ['linux/arm64']);
    assert.deepEqual(keepBaseVariant([parsePlatform('linux/arm') as Platform], [{ platform: 'linux/arm' }]).map(formatPlatform), ['linux/arm']);
  });

  const manifest = { config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'c'.repeat(64)}`, size: 2 }, layers: [] };
  const desc = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'e'.repeat(64)}`, size: 3 };
  const config = (extra: Partial<BaseImageConfig>): BaseImageConfig => ({ os: 'linux', architecture: 'arm64', rootfs: { diff_ids: [] }, ...extra });

  test('describeBaseImage records the index entry\'s platform, else the config\'s, with the variant either has', () => {
    assert.equal(describeBaseImage('b', desc, manifest, config({ variant: 'v8' }), { os: 'linux', architecture: 'arm64', variant: 'v8' }).platform, 'linux/arm64/v8');
    assert.equal(describeBaseImage('b', desc, manifest, config({ variant: 'v8' }), { os: 'linux', architecture: 'arm64' }).platform, 'linux/arm64/v8');
    assert.equal(describeBaseImage('b', desc, manifest, config({}), { os: 'linux', architecture: 'arm64', variant: 'v8' }).platform, 'linux/arm64/v8');
    assert.equal(describeBaseImage('b', desc, manifest, config({}), { os: 'linux', architecture: 'arm64' }).platform, 'linux/arm64');
    assert.equal(describeBaseImage('b', desc, manifest, config({ variant: 'v8' }), undefined).platform, 'linux/arm64/v8');
    assert.equal(describeBaseImage('b', desc, manifest, config({ architecture: 'amd64' }), undefined).platform, 'linux/amd64');
  });

  test('selectPlatformManifests finds v8 entries for a plan that says linux/arm64, and the other way round', () => {
    const sha = (c: string) => `sha256:${c.repeat(64)}`;
    const index = {
      manifests: [
        { digest: sha('a'), platform: { os: 'linux', architecture: 'amd64' } },
        { digest: sha('b'), platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { digest: sha('d'), platform: { os: 'linux', architecture: 'arm', variant: 'v6' } },
        { digest: sha('e'), platform: { os: 'unknown', architecture: 'unknown' } },
      ],
    };
    assert.deepEqual(selectPlatformManifests(index, ['linux/arm64']), [sha('b')]);
    assert.deepEqual(selectPlatformManifests(index, ['linux/arm64/v8', 'linux/amd64']), [sha('a'), sha('b')]);
    assert.deepEqual(selectPlatformManifests(index, ['linux/arm']), []);
  });
});

describe('planned on a base whose index lists arm64 without a variant', () => {
  const temps: string[] = [];
  after(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));
  const planOn = async (edit: BaseEdit, platform: string) => {
    const dir = await mkdtemp(join(os.tmpdir(), 'pycontainer-variant-'));
    temps.push(dir);
    const base = await writeEditedStubBase(join(dir, 'base'), edit);
    await writeFile(join(dir, 'pyproject.toml'), '[project]\nname = "v"\nversion = "1"\n');
    await writeFile(join(dir, 'main.py'), 'print(1)\n');
    const plan = await compilePlan({ context: dir, env: {}, cache: null, flags: { baseImage: base, platform: [platform] } });
    return { plan, text: serializePlan(plan).replaceAll(dir, 'DIR') };
  };
  const noListedVariant = (p: Record<string, unknown>) => void delete p.variant;

  test('the config\'s v8 is still kept', async () => {
    const { plan } = await planOn({ platform: noListedVariant }, 'linux/arm64');
    assert.deepEqual(plan.base.images.map((i) => i.platform), ['linux/arm64/v8']);
    assert.equal(plan.images[0]!.config.variant, 'v8');
  });

  test('with no variant anywhere, none is invented, and linux/arm64/v8 still finds it', async () => {
    const edit: BaseEdit = { platform: noListedVariant, config: (c) => void delete c.variant };
    const [plain, v8] = await Promise.all([planOn(edit, 'linux/arm64'), planOn(edit, 'linux/arm64/v8')]);
    assert.deepEqual(plain.plan.platforms, ['linux/arm64']);
    assert.equal(plain.plan.images[0]!.config.variant, undefined);
    assert.equal(v8.text, plain.text);
  });
});
