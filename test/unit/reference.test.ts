import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegistryError } from '../../src/errors.js';
import {
  formatReference,
  isLoopback,
  parseReference,
  referenceProblem,
  registryEndpoint,
  repositoryScope,
  withDigest,
  type ImageReference,
} from '../../src/registry/reference.js';

const D = `sha256:${'a1'.repeat(32)}`;

const valid: [string, ImageReference, string][] = [
  ['python', { registry: 'docker.io', repository: 'library/python', tag: 'latest' }, 'docker.io/library/python:latest'],
  ['python:3.12-slim', { registry: 'docker.io', repository: 'library/python', tag: '3.12-slim' }, 'docker.io/library/python:3.12-slim'],
  ['user/app', { registry: 'docker.io', repository: 'user/app', tag: 'latest' }, 'docker.io/user/app:latest'],
  ['docker.io/python', { registry: 'docker.io', repository: 'library/python', tag: 'latest' }, 'docker.io/library/python:latest'],
  ['docker.io/library/python:3', { registry: 'docker.io', repository: 'library/python', tag: '3' }, 'docker.io/library/python:3'],
  ['index.docker.io/python', { registry: 'docker.io', repository: 'library/python', tag: 'latest' }, 'docker.io/library/python:latest'],
  ['registry-1.docker.io/user/app:v1', { registry: 'docker.io', repository: 'user/app', tag: 'v1' }, 'docker.io/user/app:v1'],
  ['ghcr.io/org/app:1.0', { registry: 'ghcr.io', repository: 'org/app', tag: '1.0' }, 'ghcr.io/org/app:1.0'],
  ['ghcr.io/app', { registry: 'ghcr.io', repository: 'app', tag: 'latest' }, 'ghcr.io/app:latest'],
  ['localhost/app', { registry: 'localhost', repository: 'app', tag: 'latest' }, 'localhost/app:latest'],
  ['localhost:5000/a/b/c:t', { registry: 'localhost:5000', repository: 'a/b/c', tag: 't' }, 'localhost:5000/a/b/c:t'],
  ['127.0.0.1:5000/repo', { registry: '127.0.0.1:5000', repository: 'repo', tag: 'latest' }, '127.0.0.1:5000/repo:latest'],
  ['[::1]:5000/repo:tag', { registry: '[::1]:5000', repository: 'repo', tag: 'tag' }, '[::1]:5000/repo:tag'],
  ['[fe80::1]/repo', { registry: '[fe80::1]', repository: 'repo', tag: 'latest' }, '[fe80::1]/repo:latest'],
  ['My.Registry.io:443/repo', { registry: 'My.Registry.io:443', repository: 'repo', tag: 'latest' }, 'My.Registry.io:443/repo:latest'],
  [`python@${D}`, { registry: 'docker.io', repository: 'library/python', digest: D }, `docker.io/library/python@${D}`],
  [`python:3.12@${D}`, { registry: 'docker.io', repository: 'library/python', tag: '3.12', digest: D }, `docker.io/library/python:3.12@${D}`],
  [`host:5000/repo:tag@${D}`, { registry: 'host:5000', repository: 'repo', tag: 'tag', digest: D }, `host:5000/repo:tag@${D}`],
  ['a-b.c--d.io/x', { registry: 'a-b.c--d.io', repository: 'x', tag: 'latest' }, 'a-b.c--d.io/x:latest'],
  ['org/a.b-c_d__e---f:_T.1-x', { registry: 'docker.io', repository: 'org/a.b-c_d__e---f', tag: '_T.1-x' }, 'docker.io/org/a.b-c_d__e---f:_T.1-x'],
  ['localhost:5000', { registry: 'docker.io', repository: 'library/localhost', tag: '5000' }, 'docker.io/library/localhost:5000'],
  [`x:${'t'.repeat(128)}`, { registry: 'docker.io', repository: 'library/x', tag: 't'.repeat(128) }, `docker.io/library/x:${'t'.repeat(128)}`],
];

for (const [text, expected, canonical] of valid) {
  test(`parseReference(${JSON.stringify(text.length > 60 ? text.slice(0, 60) + '…' : text)})`, () => {
    const ref = parseReference(text);
    assert.deepEqual(ref, expected);
    assert.equal(formatReference(ref), canonical);
    assert.deepEqual(parseReference(canonical), ref, 'the canonical form parses back to the same reference');
  });
}

const invalid: [string, string][] = [
  ['', 'it is empty'],
  ['Python:3', 'repository names must be lowercase'],
  ['MyOrg/app', 'repository names must be lowercase'],
  ['ghcr.io/Org/app', 'repository names must be lowercase'],
  ['repo:x y', 'tag "x y" may only contain letters, digits, "_", "." and "-" (at most 128)'],
  ['python\n', 'path component "python\\n" may only contain lowercase letters and digits, separated by one ".", one or two "_", or dashes'],
  ['repo:x!y', 'tag "x!y" may only contain letters, digits, "_", "." and "-" (at most 128)'],
  ['repo:-x', 'tag "-x" must start with a letter, digit or "_"'],
  ['repo:', 'the tag after ":" is empty; give a tag or leave out the ":"'],
  [`repo:${'t'.repeat(129)}`, `tag "${'t'.repeat(20)}…" is 129 characters long, at most 128 are allowed`],
  ['repo@sha256:abc', 'digest "sha256:abc" must be sha256: followed by 64 lowercase hex digits'],
  [`repo@sha256:${'A'.repeat(64)}`, `digest "sha256:${'A'.repeat(64)}" must be sha256: followed by 64 lowercase hex digits`],
  [`repo@md5:${'a'.repeat(32)}`, `digest "md5:${'a'.repeat(32)}" must be sha256: followed by 64 lowercase hex digits`],
  ['repo@', 'digest "" must be sha256: followed by 64 lowercase hex digits'],
  ['ghcr.io/', 'the repository name is empty'],
  [':tag', 'the repository name is empty'],
  ['ghcr.io/org//app', 'repository "org//app" has an empty path component (leading, trailing or double "/")'],
  ['org/app/', 'repository "org/app/" has an empty path component (leading, trailing or double "/")'],
  ['org/app-', 'path component "app-" may only contain lowercase letters and digits, separated by one ".", one or two "_", or dashes'],
  ['org/a___b', 'path component "a___b" may only contain lowercase letters and digits, separated by one ".", one or two "_", or dashes'],
  ['org/a..b', 'path component "a..b" may only contain lowercase letters and digits, separated by one ".", one or two "_", or dashes'],
  ['org/_a', 'path component "_a" may only contain lowercase letters and digits, separated by one ".", one or two "_", or dashes'],
  ['ho_st.io/app', 'registry "ho_st.io" is not a valid host[:port] (letters, digits, "-" and "." with an optional numeric port, or [IPv6]:port)'],
  ['host.io:port/app', 'registry "host.io:port" is not a valid host[:port] (letters, digits, "-" and "." with an optional numeric port, or [IPv6]:port)'],
  ['-host.io/app', 'registry "-host.io" is not a valid host[:port] (letters, digits, "-" and "." with an optional numeric port, or [IPv6]:port)'],
  ['[::1]:5000', 'registry "[::1]" needs a repository after it: write host/repository'],
  ['https://ghcr.io/org/app', 'leave out the scheme ("https://"): write host/repository[:tag]'],
  [`ghcr.io/${'a'.repeat(250)}`, 'the name is 258 characters long, at most 255 are allowed'],
  ['foo:bar:baz', '"foo:bar" holds a second ":"; only the tag follows a ":" (a registry port needs a "/" after it: host:port/repository)'],
  ['org/a:b:c', '"a:b" holds a second ":"; only the tag follows a ":" (a registry port needs a "/" after it: host:port/repository)'],
  ['UPPER/Case:bad tag', 'tag "bad tag" may only contain letters, digits, "_", "." and "-" (at most 128)'],
  ['UPPER/Case:ok', 'repository names must be lowercase'],
  [`app:${'a'.repeat(200)}`, `tag "${'a'.repeat(20)}…" is 200 characters long, at most 128 are allowed`],
];

for (const [text, problem] of invalid) {
  test(`parseReference rejects ${JSON.stringify(text.length > 40 ? text.slice(0, 40) + '…' : text)}`, () => {
    assert.throws(
      () => parseReference(text),
      (err: unknown) => {
        assert.ok(err instanceof RegistryError);
        assert.equal(err.code, 'E_REFERENCE');
        assert.equal(err.message, `invalid image reference ${JSON.stringify(text)}: ${problem}`);
        assert.ok(!err.message.includes('\n'), 'one line');
        return true;
      },
    );
  });
}

test('referenceProblem: the message of the rule broken, or undefined for a valid reference', () => {
  for (const [text, problem] of invalid) assert.equal(referenceProblem(text), `invalid image reference ${JSON.stringify(text)}: ${problem}`);
  for (const [text] of valid) assert.equal(referenceProblem(text), undefined, text);
});

test('withDigest pins a reference and keeps its tag; a bad digest is refused', () => {
  const ref = parseReference('python:3.12-slim');
  const pinned = withDigest(ref, D);
  assert.deepEqual(pinned, { registry: 'docker.io', repository: 'library/python', tag: '3.12-slim', digest: D });
  assert.equal(formatReference(pinned), `docker.io/library/python:3.12-slim@${D}`);
  assert.deepEqual(ref, { registry: 'docker.io', repository: 'library/python', tag: '3.12-slim' }, 'the input is not changed');
  assert.throws(() => withDigest(ref, 'sha256:xyz'), {
    code: 'E_REFERENCE',
    message: 'cannot pin docker.io/library/python:3.12-slim to "sha256:xyz": a digest must be sha256: followed by 64 lowercase hex digits',
  });
});

test('registryEndpoint maps Docker Hub to its API host only', () => {
  assert.equal(registryEndpoint('docker.io'), 'registry-1.docker.io');
  assert.equal(registryEndpoint('ghcr.io'), 'ghcr.io');
  assert.equal(registryEndpoint('localhost:5000'), 'localhost:5000');
});

test('isLoopback', () => {
  for (const yes of ['localhost', 'localhost:5000', 'LOCALHOST:1', '127.0.0.1', '127.0.0.1:5000', '127.1.2.3:80', '[::1]', '[::1]:5000']) {
    assert.equal(isLoopback(yes), true, yes);
  }
  for (const no of ['docker.io', 'ghcr.io', 'localhost.example.com', 'mylocalhost:5000', '128.0.0.1', '127.0.0.256', '127.0.0.1.evil.io', '10.0.0.1:5000', '[::2]:5000', '[::1]x', 'localhost:abc', '']) {
    assert.equal(isLoopback(no), false, no);
  }
});

test('repositoryScope', () => {
  const ref = parseReference('python');
  assert.equal(repositoryScope(ref, ['pull']), 'repository:library/python:pull');
  assert.equal(repositoryScope(ref, ['pull', 'push']), 'repository:library/python:pull,push');
  assert.equal(repositoryScope(ref, ['push', 'pull', 'push']), 'repository:library/python:pull,push');
  assert.equal(repositoryScope(parseReference('ghcr.io/org/app'), ['push']), 'repository:org/app:push');
  assert.throws(() => repositoryScope(ref, []), TypeError);
});
