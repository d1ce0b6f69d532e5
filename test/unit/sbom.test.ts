import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import type { Plan } from '../../generated/plan.js';
import type { Detection } from '../../src/config/detect.js';
import { withoutCredentials } from '../../src/config/git.js';
import { assembleAnnotations } from '../../src/plan/assemble.js';
import { renderCycloneDx } from '../../src/sbom/cyclonedx.js';
import { isLicenseExpression, parseMetadataLicense } from '../../src/sbom/license.js';
import { assembleSbomInput, nameUuid, pypiPurl, type SbomInput } from '../../src/sbom/model.js';
import { parseApkInstalled, parseDpkgStatus, parseOsRelease, readBaseSoftware } from '../../src/sbom/packages.js';
import { assembleSbomArtifact, mergeReferrersIndex, pushSbomReferrer, referrersTag } from '../../src/sbom/referrers.js';
import { RegistryClient } from '../../src/registry/client.js';
import { sbomFilePath } from '../../src/sbom/artifacts.js';
import { renderSpdx } from '../../src/sbom/spdx.js';
import { cycloneDxValidator } from '../support/cyclonedx-schema.js';
import { layerSource } from '../support/tar.js';

// dpkg's status file as dpkg writes it (deb-control(5) fields, Status first word the wanted state),
// with a removed package that left its conffiles behind.
const STATUS = `Package: libc6
Status: install ok installed
Priority: optional
Section: libs
Installed-Size: 12986
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u10
Depends: libgcc-s1
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.
Homepage: https://www.gnu.org/software/libc/libc.html

Package: old-tool
Status: deinstall ok config-files
Priority: optional
Architecture: amd64
Version: 1.0-1
Description: gone

Package: python3.11
Status: install ok installed
Priority: optional
Section: python
Installed-Size: 623
Maintainer: Matthias Klose <doko@debian.org>
Architecture: amd64
Multi-Arch: allowed
Version: 3.11.2-6+deb12u6
Description: Interactive high-level object-oriented language (version 3.11)

Package: tzdata
Status: hold ok installed
Architecture: all
Version: 1:2025b-0+deb12u1
Description: time zone and daylight-saving time data
`;

// apk's installed database as apk-tools writes it (one letter per field, a blank line between packages).
const APK = `C:Q1abc=
P:musl
V:1.2.5-r0
A:x86_64
S:411308
I:663552
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Natanael Copa <ncopa@alpinelinux.org>
t:1712044426
c:1ea6a1b8a6b4d1f4d2a7b04f2d6fd7c0bc2d8c0f
F:lib
R:ld-musl-x86_64.so.1

C:Q1def=
P:libssl3
V:3.3.2-r0
A:x86_64
L:Apache-2.0
o:openssl
D:so:libc.musl-x86_64.so.1 so:libcrypto.so.3
`;

describe('OS packages', () => {
  test('dpkg status: installed and held packages, purls with arch and distro, versions percent-encoded', () => {
    const pkgs = parseDpkgStatus(STATUS, { id: 'debian', versionId: '12' });
    assert.deepEqual(pkgs.map((p) => p.name), ['libc6', 'python3.11', 'tzdata'], 'the removed package is not listed');
    assert.equal(pkgs[0]!.purl, 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u10?arch=amd64&distro=debian-12');
    assert.equal(pkgs[0]!.source, 'glibc');
    assert.equal(pkgs[2]!.purl, 'pkg:deb/debian/tzdata@1%3A2025b-0%2Bdeb12u1?arch=all&distro=debian-12');
  });

  test('apk installed: name, version, arch, license, origin', () => {
    const pkgs = parseApkInstalled(APK, parseOsRelease('NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\n'));
    assert.deepEqual(pkgs.map((p) => [p.name, p.version, p.license, p.source ?? '']), [
      ['musl', '1.2.5-r0', 'MIT', ''],
      ['libssl3', '3.3.2-r0', 'Apache-2.0', 'openssl'],
    ]);
    assert.equal(pkgs[1]!.purl, 'pkg:apk/alpine/libssl3@3.3.2-r0?arch=x86_64&distro=alpine-3.20.3');
  });

  test('read from stacked layers: upper files win, whiteouts remove, os-release through its symlink', async () => {
    const lower = layerSource([
      { name: 'usr/lib/os-release', body: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' },
      { name: 'etc/os-release', type: 'symlink', target: '../usr/lib/os-release' },
      { name: 'var/lib/dpkg/status', body: STATUS.split('\n\n')[0]! },
      { name: 'var/lib/dpkg/status.d/extra', body: 'Package: extra\nVersion: 1\nArchitecture: amd64\n' },
      { name: 'var/lib/dpkg/status.d/gone', body: 'Package: gone\nVersion: 1\nArchitecture: amd64\n' },
    ]);
    const upper = layerSource([
      { name: 'var/lib/dpkg/status', body: STATUS },
      { name: 'var/lib/dpkg/status.d/.wh.gone' },
    ], false);
    const sw = await readBaseSoftware([lower, upper]);
    assert.deepEqual(sw.os, { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
    assert.deepEqual(sw.packages.map((p) => p.name), ['extra', 'libc6', 'python3.11', 'tzdata']);
    const opaque = layerSource([{ name: 'var/lib/dpkg/status.d/.wh..wh..opq' }]);
    assert.deepEqual((await readBaseSoftware([lower, opaque])).packages.map((p) => p.name), ['libc6'], 'an opaque directory hides the lower status.d');
    assert.deepEqual(await readBaseSoftware([layerSource([{ name: 'etc/hostname', body: 'x' }])]), { packages: [] });
  });
});

describe('licenses from METADATA', () => {
  const meta = (headers: string) => `Metadata-Version: 2.1\nName: x\nVersion: 1\n${headers}\nthe description body\nLicense: not a header\n`;
  test('License-Expression, then classifiers, then a well-known License, then its text', () => {
    assert.deepEqual(parseMetadataLicense(meta('License-Expression: Apache-2.0 OR MIT\nClassifier: License :: OSI Approved :: MIT License\n')), { expression: 'Apache-2.0 OR MIT' });
    assert.deepEqual(parseMetadataLicense(meta('License: UNKNOWN\nClassifier: License :: OSI Approved :: MIT License\nClassifier: Programming Language :: Python\n')), { expression: 'MIT' });
    assert.deepEqual(parseMetadataLicense(meta('Classifier: License :: OSI Approved :: BSD License\nClassifier: License :: OSI Approved :: Apache Software License\n')), { expression: 'Apache-2.0 OR BSD-3-Clause' });
    assert.deepEqual(parseMetadataLicense(meta('License: MIT license\n')), { expression: 'MIT' });
    assert.deepEqual(parseMetadataLicense(meta('License: Copyright (c) 2020 Someone\n        Permission is hereby granted\n')), { text: 'Copyright (c) 2020 Someone' });
    assert.equal(parseMetadataLicense(meta('Summary: none\n')), undefined, 'the body after the blank line is not read');
  });
  test('the shape of an SPDX expression', () => {
    for (const ok of ['MIT', 'Apache-2.0 OR MIT', '(MIT AND BSD-3-Clause) OR GPL-2.0-or-later WITH Classpath-exception-2.0', 'LicenseRef-Proprietary']) assert.equal(isLicenseExpression(ok), true, ok);
    for (const bad of ['MIT OR', 'MIT BSD', 'Copyright (c) 2020, me', '']) assert.equal(isLicenseExpression(bad), false, bad);
  });
});

const DIGEST = `sha256:${'a'.repeat(64)}`;
const INPUT: SbomInput = {
  tool: { name: 'pycontainer', version: '0.1.0' },
  created: '2024-01-02T03:04:05Z',
  image: { name: 'registry.example/app:1.0.0', platform: 'linux/amd64', configDigest: DIGEST, baseRef: 'python:3.11-slim', baseDigest: `sha256:${'b'.repeat(64)}`, tags: ['registry.example/app:1.0.0'] },
  project: { name: 'app', version: '1.0.0', license: { expression: 'MIT' }, layer: `sha256:${'c'.repeat(64)}` },
  python: { version: '3.11.2', interpreter: '/usr/bin/python3.11' },
  distributions: [
    { name: 'Flask_Login', version: '0.6.3', filename: 'Flask_Login-0.6.3-py3-none-any.whl', sha256: 'd'.repeat(64), url: 'https://files.example/f.whl', license: { expression: 'MIT' }, layer: `sha256:${'e'.repeat(64)}`, requested: true },
    { name: 'odd', version: '2.0', filename: 'odd-2.0-py3-none-any.whl', sha256: 'f'.repeat(64), license: { text: 'Copyright me, all rights reserved' }, layer: `sha256:${'e'.repeat(64)}`, requested: false },
  ],
  base: { os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' }, packages: parseDpkgStatus(STATUS, { id: 'debian', versionId: '12' }) },
};

describe('CycloneDX 1.6', () => {
  test('valid against the 1.6 schema; purls, hashes, licenses, layers; the same input gives the same bytes', () => {
    const text = renderCycloneDx(INPUT);
    const bom = JSON.parse(text);
    const validate = cycloneDxValidator();
    assert.equal(validate(bom), true, JSON.stringify(validate.errors?.slice(0, 5)));
    assert.equal(renderCycloneDx(structuredClone(INPUT)), text);
    assert.match(bom.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(bom.metadata.timestamp, '2024-01-02T03:04:05Z');
    assert.equal(bom.metadata.component.type, 'container');
    const flask = bom.components.find((c: { name: string }) => c.name === 'Flask_Login');
    assert.equal(flask.purl, 'pkg:pypi/flask-login@0.6.3');
    assert.deepEqual(flask.hashes, [{ alg: 'SHA-256', content: 'd'.repeat(64) }]);
    assert.deepEqual(flask.licenses, [{ expression: 'MIT' }]);
    assert.deepEqual(bom.components.find((c: { name: string }) => c.name === 'odd').licenses, [{ license: { name: 'Copyright me, all rights reserved' } }]);
    assert.ok(flask.properties.some((p: { name: string; value: string }) => p.name === 'pycontainer:layer' && p.value === `sha256:${'e'.repeat(64)}`));
    assert.ok(bom.components.some((c: { purl?: string }) => c.purl === 'pkg:deb/debian/python3.11@3.11.2-6%2Bdeb12u6?arch=amd64&distro=debian-12'));
    assert.deepEqual(bom.components.find((c: { type: string }) => c.type === 'operating-system'), { type: 'operating-system', 'bom-ref': 'os:debian@12', name: 'debian', version: '12', description: 'Debian GNU/Linux 12 (bookworm)' });
    const refs = new Set(bom.components.map((c: { 'bom-ref': string }) => c['bom-ref']));
    assert.equal(refs.size, bom.components.length, 'bom-refs are unique');
    for (const d of bom.dependencies) for (const r of [d.ref, ...d.dependsOn]) assert.ok(refs.has(r) || r === bom.metadata.component['bom-ref'], r);
    const other = renderCycloneDx({ ...INPUT, image: { ...INPUT.image, configDigest: `sha256:${'9'.repeat(64)}` } });
    assert.notEqual(JSON.parse(other).serialNumber, bom.serialNumber, 'another image, another serial number');
  });
});

describe('SPDX 2.3', () => {
  // No JSON schema of SPDX 2.3 is packaged for npm or Debian here: the required fields of the spec's
  // clauses 6 (document creation), 7 (packages) and 11 (relationships) are checked one by one.
  test('the fields SPDX 2.3 requires, unique SPDXIDs, relationships that resolve, stable bytes', () => {
    const text = renderSpdx(INPUT);
    const doc = JSON.parse(text);
    assert.equal(doc.spdxVersion, 'SPDX-2.3');
    assert.equal(doc.dataLicense, 'CC0-1.0');
    assert.equal(doc.SPDXID, 'SPDXRef-DOCUMENT');
    assert.equal(typeof doc.name, 'string');
    assert.match(doc.documentNamespace, /^https:\/\/[^#]+$/, '6.5: a URI without #');
    assert.equal(doc.creationInfo.created, '2024-01-02T03:04:05Z', '6.9: YYYY-MM-DDThh:mm:ssZ');
    assert.deepEqual(doc.creationInfo.creators, ['Tool: pycontainer-0.1.0']);
    const ids = new Set<string>();
    for (const p of doc.packages) {
      assert.equal(typeof p.name, 'string');
      assert.match(p.SPDXID, /^SPDXRef-[A-Za-z0-9.-]+$/, '7.2');
      assert.ok(!ids.has(p.SPDXID), `unique ${p.SPDXID}`);
      ids.add(p.SPDXID);
      assert.ok(p.downloadLocation === 'NOASSERTION' || /^https?:\/\//.test(p.downloadLocation), '7.7');
      assert.equal(p.filesAnalyzed, false, '7.8: so no packageVerificationCode is due');
      assert.ok(p.licenseDeclared === 'NOASSERTION' || isLicenseExpression(p.licenseDeclared), p.licenseDeclared);
      for (const c of p.checksums ?? []) assert.ok(c.algorithm === 'SHA256' && /^[0-9a-f]{64}$/.test(c.checksumValue));
      for (const r of p.externalRefs ?? []) assert.deepEqual([r.referenceCategory, r.referenceType], ['PACKAGE-MANAGER', 'purl']);
    }
    for (const r of doc.relationships) {
      assert.ok(r.spdxElementId === 'SPDXRef-DOCUMENT' || ids.has(r.spdxElementId));
      assert.ok(ids.has(r.relatedSpdxElement), r.relatedSpdxElement);
    }
    assert.ok(doc.relationships.some((r: { relationshipType: string; spdxElementId: string }) => r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES'));
    const flask = doc.packages.find((p: { name: string }) => p.name === 'Flask_Login');
    assert.deepEqual(flask.checksums, [{ algorithm: 'SHA256', checksumValue: 'd'.repeat(64) }]);
    assert.equal(flask.licenseDeclared, 'MIT');
    assert.equal(flask.externalRefs[0].referenceLocator, 'pkg:pypi/flask-login@0.6.3');
    const odd = doc.packages.find((p: { name: string }) => p.name === 'odd');
    assert.equal(odd.licenseDeclared, 'NOASSERTION');
    assert.equal(odd.licenseComments, 'License: Copyright me, all rights reserved');
    assert.ok(doc.packages.some((p: { name: string; primaryPackagePurpose?: string }) => p.name === 'debian' && p.primaryPackagePurpose === 'OPERATING-SYSTEM'));
    assert.equal(renderSpdx(structuredClone(INPUT)), text);
  });
});

describe('from a plan', () => {
  test('the platform\'s distributions with their licenses and layer, the project license from the annotations', () => {
    const pkg = (name: string, sha: string) => ({ name, version: '1.0', filename: `${name}-1.0-py3-none-any.whl`, sha256: sha.repeat(64), size: 1, requested: true });
    const plan = {
      project: { name: 'app', version: '2.0' },
      tags: ['app:2.0'],
      base: { ref: 'python:3.11-slim', digest: DIGEST, images: [] },
      python: { version: '3.11.2', interpreter: '/usr/local/bin/python3.11', venv: '/app/.venv' },
      layers: [{ diffId: `sha256:${'1'.repeat(64)}` }],
      annotations: { 'org.opencontainers.image.licenses': 'Apache-2.0' },
      images: [
        { platform: 'linux/amd64', configDigest: `sha256:${'2'.repeat(64)}`, config: { created: '1970-01-01T00:00:00Z' } },
        { platform: 'linux/arm64', configDigest: `sha256:${'3'.repeat(64)}`, config: { created: '1970-01-01T00:00:00Z' } },
      ],
      dependencies: [
        {
          platform: 'linux/amd64',
          layers: [
            { name: 'deps group 0', diffId: `sha256:${'4'.repeat(64)}`, packages: ['zeta'] },
            { name: 'deps group 1', diffId: `sha256:${'5'.repeat(64)}`, packages: ['alpha'] },
          ],
          packages: [pkg('zeta', '5'), pkg('alpha', '6')],
        },
        { platform: 'linux/arm64', layers: [{ name: 'deps', diffId: `sha256:${'7'.repeat(64)}`, packages: ['armonly'] }], packages: [pkg('armonly', '8')] },
      ],
    } as unknown as Plan;
    const input = assembleSbomInput(plan, 'linux/amd64', { licenses: new Map([['6'.repeat(64), { expression: 'MIT' }]]), base: { packages: [] }, toolVersion: '9.9' });
    assert.deepEqual(input.distributions.map((d) => [d.name, d.layer, d.license?.expression]), [
      ['alpha', `sha256:${'5'.repeat(64)}`, 'MIT'],
      ['zeta', `sha256:${'4'.repeat(64)}`, undefined],
    ]);
    assert.deepEqual(input.project, { name: 'app', version: '2.0', layer: `sha256:${'1'.repeat(64)}`, license: { expression: 'Apache-2.0' } });
    assert.equal(input.image.configDigest, `sha256:${'2'.repeat(64)}`);
    assert.equal(pypiPurl('Zope.Interface', '6.0+local'), 'pkg:pypi/zope-interface@6.0%2Blocal');
    assert.match(nameUuid('x'), /^[0-9a-f]{8}-[0-9a-f]{4}-5/);
    // The same as Python's uuid.uuid5(uuid.NAMESPACE_URL, 'http://python.org/').
    assert.equal(nameUuid('http://python.org/'), '4c565f0d-3f5a-5890-b41b-20cf47701c5e');
  });
});

describe('the SBOM as an OCI artifact', () => {
  const subject = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: DIGEST, size: 123 };
  test('artifactType, the empty config, one layer, the subject', () => {
    const a = assembleSbomArtifact(Buffer.from('{"spdxVersion":"SPDX-2.3"}\n'), 'spdx', 'linux/amd64', subject, '1970-01-01T00:00:00Z');
    const m = JSON.parse(a.manifest.toString('utf8'));
    assert.equal(m.artifactType, 'application/spdx+json');
    // The empty descriptor of image-spec 1.1 ("{}", its well-known digest).
    assert.deepEqual(m.config, { mediaType: 'application/vnd.oci.empty.v1+json', digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a', size: 2, data: 'e30=' });
    assert.equal(m.layers.length, 1);
    assert.equal(m.layers[0].mediaType, 'application/spdx+json');
    assert.deepEqual(m.subject, subject);
    assert.equal(a.descriptor.artifactType, 'application/spdx+json');
    assert.equal(assembleSbomArtifact(Buffer.from('x'), 'cyclonedx', 'linux/amd64', subject, 'x').descriptor.artifactType, 'application/vnd.cyclonedx+json');
  });
  test('the referrers tag schema: sha256-<hex>, an index merged with what is there', () => {
    assert.equal(referrersTag(DIGEST), `sha256-${'a'.repeat(64)}`);
    const a = assembleSbomArtifact(Buffer.from('1'), 'spdx', 'linux/amd64', subject, 'x').descriptor;
    const b = assembleSbomArtifact(Buffer.from('2'), 'cyclonedx', 'linux/amd64', subject, 'x').descriptor;
    const first = JSON.parse(mergeReferrersIndex(undefined, a).toString('utf8'));
    assert.equal(first.mediaType, 'application/vnd.oci.image.index.v1+json');
    assert.deepEqual(first.manifests, [a]);
    const both = JSON.parse(mergeReferrersIndex(first, b).toString('utf8'));
    assert.deepEqual(new Set(both.manifests.map((m: { digest: string }) => m.digest)), new Set([a.digest, b.digest]));
    assert.equal(JSON.parse(mergeReferrersIndex(both, a).toString('utf8')).manifests.length, 2, 'pushing the same artifact again adds nothing');
  });
  test('the file beside the output', () => {
    assert.equal(sbomFilePath('/p/dist/image', 'spdx', undefined), '/p/dist/image.spdx.json');
    assert.equal(sbomFilePath('/p/dist/image.tar', 'cyclonedx', undefined), '/p/dist/image.cdx.json');
    assert.equal(sbomFilePath('/p/dist/image/', 'cyclonedx', 'linux/arm64/v8'), '/p/dist/image.linux-arm64-v8.cdx.json');
  });
});

describe('annotations', () => {
  const detection = { project: { name: 'app', version: '1.2.3', description: 'An app' } } as unknown as Detection;
  test('from pyproject.toml: licenses, url, source; created only from SOURCE_DATE_EPOCH without git', () => {
    const pyproject = { project: { license: 'MIT OR Apache-2.0', urls: { Homepage: 'https://app.example', 'Source Code': 'https://git.example/app' } } };
    assert.deepEqual(assembleAnnotations(detection, 'python:3.11-slim', DIGEST, { pyproject }), {
      'org.opencontainers.image.base.digest': DIGEST,
      'org.opencontainers.image.base.name': 'python:3.11-slim',
      'org.opencontainers.image.description': 'An app',
      'org.opencontainers.image.licenses': 'MIT OR Apache-2.0',
      'org.opencontainers.image.source': 'https://git.example/app',
      'org.opencontainers.image.title': 'app',
      'org.opencontainers.image.url': 'https://app.example',
      'org.opencontainers.image.version': '1.2.3',
    });
    const withEpoch = assembleAnnotations(detection, 'oci:base:3.11', DIGEST, { pyproject, sourceDateEpoch: 1700000000 });
    assert.equal(withEpoch['org.opencontainers.image.created'], '2023-11-14T22:13:20Z');
    assert.equal(withEpoch['org.opencontainers.image.base.name'], 'oci:base:3.11', 'a local layout is named by its directory and tag');
    const elsewhere = assembleAnnotations(detection, 'oci:../../cache/layouts/base:3.11', DIGEST, { pyproject });
    assert.equal(elsewhere['org.opencontainers.image.base.name'], 'oci:base:3.11', 'the path leading to the layout stays out of the image');
    assert.equal(assembleAnnotations(detection, 'oci:../layouts/base', DIGEST, { pyproject })['org.opencontainers.image.base.name'], 'oci:base');
  });
  test('from git when asked: revision, the commit time, the remote over [project.urls]', () => {
    const git = { commit: '0123456789abcdef0123456789abcdef01234567', time: 1600000000, remote: 'https://github.com/org/app.git' };
    const a = assembleAnnotations(detection, 'scratch', undefined, { pyproject: { project: { urls: { Repository: 'https://elsewhere' } } }, git });
    assert.equal(a['org.opencontainers.image.revision'], git.commit);
    assert.equal(a['org.opencontainers.image.created'], '2020-09-13T12:26:40Z');
    assert.equal(a['org.opencontainers.image.source'], 'https://github.com/org/app.git');
    assert.equal(a['org.opencontainers.image.base.name'], undefined, 'scratch has no base');
    assert.equal(assembleAnnotations(detection, 'scratch', undefined, { git, sourceDateEpoch: 5 })['org.opencontainers.image.created'], '1970-01-01T00:00:05Z', 'SOURCE_DATE_EPOCH wins');
  });
  test('remote URLs lose their credentials', () => {
    assert.equal(withoutCredentials('https://user:ghp_secret@github.com/org/app.git?token=x#y'), 'https://github.com/org/app.git');
    assert.equal(withoutCredentials('git@github.com:org/app.git'), 'git@github.com:org/app.git');
    assert.equal(withoutCredentials('user:secret@host:org/app.git'), undefined);
    assert.equal(withoutCredentials('/srv/git/app.git'), undefined, 'a local path is nobody else\'s source');
  });
});

describe('pushing the SBOM as a referrer', () => {
  /** A registry stand-in on loopback: blobs exist, manifests are stored; `subjectHeader` says whether it has the referrers API. */
  async function fakeRegistry(subjectHeader: boolean) {
    const manifests = new Map<string, Buffer>();
    const puts: string[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = req.url ?? '';
        const body = Buffer.concat(chunks);
        const m = /^\/v2\/apps\/x\/manifests\/(.+)$/.exec(url);
        if (req.method === 'HEAD' && url.includes('/blobs/')) {
          res.writeHead(200, { 'content-length': url.endsWith(EMPTY_DIGEST) ? '2' : String(SBOM.length) });
          res.end();
        } else if (req.method === 'PUT' && m) {
          puts.push(m[1]!);
          manifests.set(m[1]!, body);
          const subject = (JSON.parse(body.toString('utf8')) as { subject?: { digest: string } }).subject;
          res.writeHead(201, subjectHeader && subject ? { 'oci-subject': subject.digest } : {});
          res.end();
        } else if (req.method === 'GET' && m) {
          const found = manifests.get(m[1]!);
          res.writeHead(found ? 200 : 404, { 'content-type': 'application/vnd.oci.image.index.v1+json' });
          res.end(found ?? '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
        } else {
          res.writeHead(404);
          res.end();
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    return { repo: { registry: `127.0.0.1:${port}`, repository: 'apps/x' }, manifests, puts, close: () => new Promise<void>((r) => server.close(() => r())) };
  }
  const SBOM = Buffer.from('{"bomFormat":"CycloneDX"}\n');
  const EMPTY_DIGEST = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';
  const subject = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: DIGEST, size: 100 };

  test('a registry with the referrers API: the manifest by digest, no referrers tag', async () => {
    const reg = await fakeRegistry(true);
    try {
      const a = assembleSbomArtifact(SBOM, 'cyclonedx', 'linux/amd64', subject, 'x');
      assert.deepEqual(await pushSbomReferrer(new RegistryClient({ backoffMs: 1 }), reg.repo, a), { digest: a.descriptor.digest, via: 'api' });
      assert.deepEqual(reg.puts, [a.descriptor.digest]);
    } finally {
      await reg.close();
    }
  });

  test('without it: the sha256-<hex> tag points at an index of the referrers, merged with the one there', async () => {
    const reg = await fakeRegistry(false);
    try {
      const client = new RegistryClient({ backoffMs: 1 });
      const a = assembleSbomArtifact(SBOM, 'cyclonedx', 'linux/amd64', subject, 'x');
      const b = assembleSbomArtifact(Buffer.from('{"spdxVersion":"SPDX-2.3"}'), 'spdx', 'linux/amd64', subject, 'x');
      assert.equal((await pushSbomReferrer(client, reg.repo, a)).via, 'tag');
      await pushSbomReferrer(client, reg.repo, b);
      const index = JSON.parse(reg.manifests.get(referrersTag(DIGEST))!.toString('utf8'));
      assert.deepEqual(index.manifests.map((m: { digest: string; artifactType: string }) => [m.digest, m.artifactType]).sort(), [
        [a.descriptor.digest, 'application/vnd.cyclonedx+json'],
        [b.descriptor.digest, 'application/spdx+json'],
      ].sort());
    } finally {
      await reg.close();
    }
  });
});
