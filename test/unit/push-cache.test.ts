// The two caches a push relies on besides the layer cache: the blob-info cache (where blobs were pushed
// or seen, for cross-repository mounts) and the registry itself (remote images' configs say which
// diff_ids they hold). The lookup runs against a small in-process registry that serves manifests and
// blobs by the distribution API's paths, and can be made to lie.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { cacheFromReferences } from '../../src/build.js';
import { ConfigError } from '../../src/errors.js';
import { BlobInfoCache, MAX_LOCATIONS, mergeLocation, mountCandidates, parseLocations } from '../../src/cache/pushed.js';
import { RegistryClient } from '../../src/registry/client.js';
import { closeRegistryConnections } from '../../src/registry/http.js';
import { fetchRemoteLayers, selectPlatformManifests, zipRemoteLayers } from '../../src/registry/remote-layers.js';

const sha = (b: string | Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const GZ = 'application/vnd.oci.image.layer.v1.tar+gzip';
const DOCKER_GZ = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

describe('blob-info cache', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pyc-blobinfo-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('remembers where a blob was pushed, most recent first, one entry per repository', async () => {
    const cache = new BlobInfoCache(dir);
    const d = sha('layer');
    assert.deepEqual(await cache.readLocations(d), []);
    await cache.writeLocation(d, { registry: 'r.example:5000', repository: 'a/app' });
    await cache.writeLocation(d, { registry: 'r.example:5000', repository: 'b/app' });
    await cache.writeLocation(d, { registry: 'ghcr.io', repository: 'a/app' });
    await cache.writeLocation(d, { registry: 'r.example:5000', repository: 'a/app' });
    assert.deepEqual(await new BlobInfoCache(dir).readLocations(d), [
      { registry: 'r.example:5000', repository: 'a/app' },
      { registry: 'ghcr.io', repository: 'a/app' },
      { registry: 'r.example:5000', repository: 'b/app' },
    ]);
    // Written whole and renamed: no temporary files stay behind.
    assert.deepEqual((await readdir(join(dir, 'blob-info'))).filter((n) => n.startsWith('.tmp-')), []);
  });

  test('concurrent writers leave a whole entry (a lost update only loses a hint)', async () => {
    const cache = new BlobInfoCache(dir);
    const d = sha('concurrent');
    await Promise.all(Array.from({ length: 20 }, (_, i) => cache.writeLocation(d, { registry: 'r', repository: `repo${i}` })));
    const locations = await cache.readLocations(d);
    assert.ok(locations.length >= 1 && locations.length <= MAX_LOCATIONS);
    for (const l of locations) assert.match(l.repository, /^repo\d+$/);
  });

  test('a damaged or foreign entry reads as none; a non-digest is never a path', async () => {
    const cache = new BlobInfoCache(dir);
    const d = sha('damaged');
    await cache.writeLocation(d, { registry: 'r', repository: 'x' });
    await writeFile(join(dir, 'blob-info', `${d.slice(7)}.json`), '{"digest": "sha256:');
    assert.deepEqual(await cache.readLocations(d), []);
    assert.deepEqual(parseLocations(JSON.stringify({ digest: sha('other'), locations: [{ registry: 'r', repository: 'x' }] }), d), []);
    assert.deepEqual(parseLocations(JSON.stringify({ digest: d, locations: [{ registry: 'r' }, 'x', { registry: 'r', repository: 'ok' }] }), d), [{ registry: 'r', repository: 'ok' }]);
    assert.deepEqual(await cache.readLocations('../../etc/passwd'), []);
    await cache.writeLocation('../x', { registry: 'r', repository: 'x' });
    assert.deepEqual((await readdir(dir)).sort(), ['blob-info']);
  });

  test('keeps at most MAX_LOCATIONS; mount candidates are other repositories of the same registry', () => {
    let list: { registry: string; repository: string }[] = [];
    for (let i = 0; i < MAX_LOCATIONS + 5; i++) list = mergeLocation(list, { registry: 'r', repository: `p${i}` });
    assert.equal(list.length, MAX_LOCATIONS);
    assert.equal(list[0]!.repository, `p${MAX_LOCATIONS + 4}`);
    const target = { registry: 'r:5000', repository: 'team/app' };
    assert.deepEqual(
      mountCandidates(
        [
          { registry: 'r:5000', repository: 'team/app' },
          { registry: 'other', repository: 'base/python' },
          { registry: 'r:5000', repository: 'base/python' },
          { registry: 'r:5000', repository: 'base/python' },
          { registry: 'r:5000', repository: 'ci/app' },
        ],
        target,
      ),
      ['base/python', 'ci/app'],
    );
  });
});

describe('diff_id lookup in remote images', () => {
  const a = { diffId: sha('tar a'), digest: sha('gz a'), size: 10 };
  const b = { diffId: sha('tar b'), digest: sha('gz b'), size: 20 };
  const z = { diffId: sha('tar z'), digest: sha('zstd z'), size: 30 };

  test('zips the config diff_ids with the manifest layers; skips non-gzip layers; refuses what does not line up', () => {
    const manifest = {
      layers: [
        { mediaType: DOCKER_GZ, digest: a.digest, size: a.size },
        { mediaType: GZ, digest: b.digest, size: b.size },
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd', digest: z.digest, size: z.size },
      ],
    };
    assert.deepEqual(zipRemoteLayers(manifest, { rootfs: { diff_ids: [a.diffId, b.diffId, z.diffId] } }), [
      { ...a, mediaType: DOCKER_GZ },
      { ...b, mediaType: GZ },
    ]);
    assert.equal(zipRemoteLayers(manifest, { rootfs: { diff_ids: [a.diffId, b.diffId] } }), undefined, 'counts differ');
    assert.equal(zipRemoteLayers(manifest, {}), undefined);
    assert.equal(zipRemoteLayers({ layers: [{ mediaType: GZ, digest: 'sha256:xyz', size: 1 }] }, { rootfs: { diff_ids: [a.diffId] } }), undefined);
  });

  test('picks the index children of the planned platforms', () => {
    const index = {
      manifests: [
        { digest: sha('amd'), platform: { os: 'linux', architecture: 'amd64' } },
        { digest: sha('arm'), platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { digest: sha('att'), platform: { os: 'unknown', architecture: 'unknown' } },
      ],
    };
    assert.deepEqual(selectPlatformManifests(index, ['linux/arm64/v8']), [sha('arm')]);
    assert.deepEqual(selectPlatformManifests(index, ['linux/amd64', 'linux/arm64/v8']), [sha('amd'), sha('arm')]);
  });

  describe('against a registry', () => {
    let server: Server;
    let host = '';
    const manifests = new Map<string, Buffer>();
    const blobs = new Map<string, Buffer>();
    const requests: string[] = [];

    function image(repo: string, tag: string, layers: typeof a[], configOverride?: Buffer, lieAboutConfig = false): void {
      const config = configOverride ?? Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) } }));
      const configDigest = sha(config);
      blobs.set(`${repo}@${configDigest}`, lieAboutConfig ? Buffer.from(JSON.stringify({ rootfs: { type: 'layers', diff_ids: layers.map(() => a.diffId) } })) : config);
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
          layers: layers.map((l) => ({ mediaType: GZ, digest: l.digest, size: l.size })),
        }),
      );
      manifests.set(`${repo}:${tag}`, manifest);
      manifests.set(`${repo}:${sha(manifest)}`, manifest);
    }

    before(async () => {
      image('team/app', 'main', [a]);
      image('team/other', 'v1', [b]);
      image('team/liar', 'v1', [b], undefined, true);
      server = createServer((req, res) => {
        requests.push(`${req.method} ${req.url}`);
        const url = new URL(req.url ?? '/', 'http://x');
        // Uploads: a mount succeeds when the source repository has the blob, else opens a session.
        const post = /^\/v2\/(.+)\/blobs\/uploads\/$/.exec(url.pathname);
        if (req.method === 'POST' && post) {
          const mount = url.searchParams.get('mount');
          const from = url.searchParams.get('from');
          const have = mount && from ? blobs.get(`${from}@${mount}`) : undefined;
          if (have) {
            blobs.set(`${post[1]}@${mount}`, have);
            res.writeHead(201, { location: `/v2/${post[1]}/blobs/${mount}` }).end();
          } else res.writeHead(202, { location: `/upload/${post[1]}/${requests.length}`, range: '0-0' }).end();
          return;
        }
        const put = /^\/upload\/(.+)\/\d+$/.exec(url.pathname);
        if (req.method === 'PUT' && put) {
          const parts: Buffer[] = [];
          req.on('data', (c: Buffer) => parts.push(c));
          req.on('end', () => {
            const body = Buffer.concat(parts);
            if (sha(body) !== url.searchParams.get('digest')) return void res.writeHead(400).end();
            blobs.set(`${put[1]}@${sha(body)}`, body);
            res.writeHead(201).end();
          });
          return;
        }
        const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/?]+)$/.exec(req.url ?? '');
        const body = m ? (m[2] === 'manifests' ? manifests.get(`${m[1]}:${m[3]}`) : blobs.get(`${m[1]}@${m[3]}`)) : undefined;
        if (!body) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'unknown' }] }));
          return;
        }
        res.writeHead(200, { 'content-type': m![2] === 'manifests' ? 'application/vnd.oci.image.manifest.v1+json' : 'application/octet-stream', 'content-length': body.length });
        res.end(req.method === 'HEAD' ? undefined : body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      await closeRegistryConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    test('finds wanted diff_ids in the refs in order; a missing tag is no error', async () => {
      const notes: string[] = [];
      const client = new RegistryClient({ attempts: 1 });
      const found = await fetchRemoteLayers(
        client,
        [
          { registry: host, repository: 'team/app', tag: 'not-yet' },
          { registry: host, repository: 'team/app', tag: 'main' },
          { registry: host, repository: 'team/other', tag: 'v1' },
        ],
        { wanted: new Set([a.diffId, b.diffId, z.diffId]), platforms: ['linux/amd64'], onNote: (l) => notes.push(l) },
      );
      assert.deepEqual(found.get(a.diffId), { ...a, mediaType: GZ, from: { registry: host, repository: 'team/app' } });
      assert.deepEqual(found.get(b.diffId), { ...b, mediaType: GZ, from: { registry: host, repository: 'team/other' } });
      assert.equal(found.has(z.diffId), false);
      assert.equal(notes.length, 1);
      assert.match(notes[0]!, /team\/app:not-yet: not there/);
    });

    test('stops once everything is found', async () => {
      requests.length = 0;
      const found = await fetchRemoteLayers(new RegistryClient({ attempts: 1 }), [{ registry: host, repository: 'team/app', tag: 'main' }, { registry: host, repository: 'team/other', tag: 'v1' }], {
        wanted: new Set([a.diffId]),
        platforms: ['linux/amd64'],
      });
      assert.equal(found.size, 1);
      assert.ok(!requests.some((r) => r.includes('team/other')), requests.join('\n'));
    });

    test('mounts from the first candidate that has the blob; a declined mount falls back to an upload in the session it opened', async () => {
      const client = new RegistryClient({ attempts: 1 });
      const data = Buffer.from('a layer only team/app has');
      blobs.set(`team/app@${sha(data)}`, data);
      requests.length = 0;
      const desc = { digest: sha(data), size: data.length };
      assert.equal(await client.pushBlob({ registry: host, repository: 'new/one' }, desc, () => Readable.from([data]), ['gone/repo', 'team/app']), 'mounted');
      assert.deepEqual(
        requests.map((r) => r.replace(/\?.*/, '')),
        ['HEAD /v2/new/one/blobs/' + desc.digest, 'POST /v2/new/one/blobs/uploads/', 'POST /v2/new/one/blobs/uploads/'],
      );
      assert.ok(blobs.has(`new/one@${desc.digest}`));

      const fresh = Buffer.from('a layer nobody has');
      requests.length = 0;
      assert.equal(await client.pushBlob({ registry: host, repository: 'new/one' }, { digest: sha(fresh), size: fresh.length }, () => Readable.from([fresh]), ['team/app']), 'uploaded');
      assert.deepEqual(
        requests.map((r) => r.split(' ')[0]),
        ['HEAD', 'POST', 'PUT'],
        'the session the declined mount opened takes the upload: no second POST',
      );
      assert.ok(blobs.has(`new/one@${sha(fresh)}`));
      assert.equal(await client.pushBlob({ registry: host, repository: 'new/one' }, { digest: sha(fresh), size: fresh.length }, () => Readable.from([fresh])), 'exists');
    });

    test('manifestDigest: what a tag points at, from one HEAD; none for a missing tag', async () => {
      const client = new RegistryClient({ attempts: 1 });
      requests.length = 0;
      assert.equal(await client.manifestDigest({ registry: host, repository: 'team/app' }, 'nope'), undefined);
      assert.deepEqual(requests, ['HEAD /v2/team/app/manifests/nope']);
    });

    test('a config whose bytes do not match the digest its manifest names is not trusted', async () => {
      const notes: string[] = [];
      const found = await fetchRemoteLayers(new RegistryClient({ attempts: 1 }), [{ registry: host, repository: 'team/liar', tag: 'v1' }], {
        wanted: new Set([a.diffId, b.diffId]),
        platforms: ['linux/amd64'],
        onNote: (l) => notes.push(l),
      });
      assert.equal(found.size, 0);
      assert.match(notes.join('\n'), /team\/liar:v1: .*refusing them; not used as a cache/);
    });
  });
});

describe('cache_from', () => {
  test('--cache-from replaces build.cache_from; each must be a full registry reference, named in the error', () => {
    assert.deepEqual(cacheFromReferences(undefined, ['ghcr.io/acme/app:main']), [{ registry: 'ghcr.io', repository: 'acme/app', tag: 'main' }]);
    assert.deepEqual(cacheFromReferences(['localhost:5000/ci/app'], ['ghcr.io/acme/app:main']), [{ registry: 'localhost:5000', repository: 'ci/app', tag: 'latest' }]);
    assert.deepEqual(cacheFromReferences([], undefined), []);
    assert.throws(() => cacheFromReferences(['app:1'], undefined), (e: unknown) => e instanceof ConfigError && /^--cache-from: "app:1" names no registry/.test(e.message));
    assert.throws(() => cacheFromReferences(undefined, ['ghcr.io/Acme/App']), (e: unknown) => e instanceof ConfigError && e.message.startsWith('build.cache_from: '));
  });
});
