// The base image's filesystem view (whiteouts, opaque directories, symlinks, kept files), the
// interpreter search, the runtime user, and the static start-up check, on layers written here.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Detection } from '../../src/config/detect.js';
import { parsePasswd, withDefaultUser } from '../../src/oci/passwd.js';
import { readRootfs, scanLayer, foldLayers } from '../../src/oci/rootfs.js';
import { findInterpreters, resolveInterpreter, resolveUser } from '../../src/plan/assemble.js';
import { checkStartup } from '../../src/plan/check.js';
import { layerSource } from '../support/tar.js';

const PY = { name: 'usr/bin/python3.11', mode: 0o755, body: '\x7fELF' };

describe('the base filesystem from its layers', () => {
  test('later layers replace files; .wh. hides a path and everything below; symlinks resolve through directories', async () => {
    const fs = await readRootfs([
      layerSource([
        { name: 'bin', type: 'symlink', target: 'usr/bin' },
        { name: 'usr/', type: 'directory' },
        { name: 'usr/bin/', type: 'directory' },
        PY,
        { name: 'usr/bin/python3', type: 'symlink', target: 'python3.11' },
        { name: 'opt/tool/bin/run', mode: 0o755 },
        { name: 'etc/passwd', body: 'root:x:0:0:root:/root:/bin/sh\n' },
      ]),
      layerSource(
        [
          { name: 'opt/.wh.tool' },
          { name: 'etc/passwd', body: 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n' },
        ],
        false,
      ),
    ]);
    assert.equal(fs.lstat('/opt/tool'), undefined);
    assert.equal(fs.lstat('/opt/tool/bin/run'), undefined);
    assert.equal(fs.lstat('/opt')?.type, 'dir', 'an implied parent directory stays');
    const r = fs.resolve('/bin/python3');
    assert.ok('node' in r);
    assert.equal(r.path, '/usr/bin/python3.11');
    assert.equal(r.node.mode, 0o755);
    assert.deepEqual(parsePasswd(fs.readText('/etc/passwd')).map((p) => p.name), ['root', 'app']);
    assert.deepEqual(fs.list('/bin'), ['python3', 'python3.11']);
  });

  test('every directory a path implies exists, and one a layer lists keeps its own mode', async () => {
    const scan = await scanLayer(
      await layerSource([
        { name: 'srv/data/deep/er/file.txt' },
        { name: 'srv/data/', type: 'directory', mode: 0o700 },
        { name: 'x/y/', type: 'directory', mode: 0o750 },
        { name: 'x/y/z/run', mode: 0o755 },
        { name: 'top.txt' },
      ])(),
    );
    const fs = foldLayers([scan]).withEntries([{ path: 'app/pkg/sub/mod.py', type: 'file', mode: '0644', size: 0 }]);
    for (const dir of ['/srv', '/srv/data', '/srv/data/deep', '/srv/data/deep/er', '/x', '/x/y', '/x/y/z', '/app', '/app/pkg', '/app/pkg/sub']) {
      assert.equal(fs.lstat(dir)?.type, 'dir', dir);
    }
    assert.equal(fs.lstat('/srv/data')?.mode, 0o700, 'listed, not implied');
    assert.equal(fs.lstat('/x/y')?.mode, 0o750, 'listed, not implied');
    assert.equal(fs.lstat('/srv/data/deep')?.mode, 0o755, 'implied');
    assert.deepEqual(fs.list('/'), ['app', 'srv', 'top.txt', 'x']);
  });

  test('an opaque directory hides the lower layers\' children, not its own layer\'s', async () => {
    const lower = await scanLayer(await layerSource([{ name: 'app/old.py' }, { name: 'app/keep/x.py' }, { name: 'other.txt' }])());
    const upper = await scanLayer(await layerSource([{ name: 'app/', type: 'directory' }, { name: 'app/.wh..wh..opq' }, { name: 'app/new.py' }])());
    const fs = foldLayers([lower, upper]);
    assert.deepEqual(fs.list('/app'), ['new.py']);
    assert.ok(fs.lstat('/other.txt'));
  });

  test('a missing link target, a link loop, and a file used as a directory are reported, not followed forever', async () => {
    const fs = await readRootfs([
      layerSource([
        { name: 'a', type: 'symlink', target: 'b' },
        { name: 'b', type: 'symlink', target: '/a' },
        { name: 'dangling', type: 'symlink', target: '/usr/local/bin/python3' },
        { name: 'file' },
      ]),
    ]);
    assert.ok('loop' in fs.resolve('/a'));
    const d = fs.resolve('/dangling');
    assert.ok('missing' in d && d.missing === '/usr' && d.via[0] === '/dangling -> /usr/local/bin/python3');
    assert.ok('missing' in fs.resolve('/file/x'));
  });

  test('glibc is found in the same pass, and a hard link is the file it names', async () => {
    const fs = await readRootfs([
      layerSource([
        { name: 'usr/lib/x86_64-linux-gnu/libc.so.6', mode: 0o755, body: 'junk GNU C Library (Debian GLIBC 2.36-9) stable release version 2.36.\n' },
        PY,
        { name: 'usr/bin/python3.11-copy', type: 'link', target: 'usr/bin/python3.11' },
      ]),
    ]);
    assert.deepEqual(fs.libc, { kind: 'glibc', version: [2, 36] });
    assert.equal(fs.lstat('/usr/bin/python3.11-copy')?.mode, 0o755);
  });
});

const detection = (over: Partial<Detection> & { requiresPython?: string } = {}): Detection =>
  ({ project: { requiresPython: over.requiresPython }, ...over }) as unknown as Detection;

describe('the interpreter, found in the base', () => {
  test('python:*-slim layout: /usr/local/bin wins, PYTHON_VERSION gives the full version', async () => {
    const fs = await readRootfs([
      layerSource([
        { name: 'usr/local/bin/python3.12', mode: 0o755 },
        { name: 'usr/local/bin/python3', type: 'symlink', target: 'python3.12' },
        { name: 'usr/bin/python3.11', mode: 0o755 },
      ]),
    ]);
    assert.deepEqual(findInterpreters(fs).map((f) => [f.minor, f.path]), [
      ['3.11', '/usr/bin/python3.11'],
      ['3.12', '/usr/local/bin/python3.12'],
    ]);
    const provenance: Record<string, string> = {};
    const r = resolveInterpreter(detection({ requiresPython: '>=3.9' }), 'python:3.12-slim', [{ platform: 'linux/amd64', env: ['PYTHON_VERSION=3.12.7'], fs }], provenance);
    assert.deepEqual(r, { pythonMinor: '3.12', pythonVersion: '3.12.7', interpreter: '/usr/local/bin/python3.12' });
  });

  test('distroless layout: /usr/bin/python3.11 only; .python-version asking for another minor is an error naming what the base has', async () => {
    const fs = await readRootfs([layerSource([PY, { name: 'usr/bin/python3', type: 'symlink', target: 'python3.11' }])]);
    const ok = resolveInterpreter(detection(), 'distroless', [{ platform: 'linux/amd64', env: [], fs }], {});
    assert.deepEqual(ok, { pythonMinor: '3.11', pythonVersion: '3.11', interpreter: '/usr/bin/python3.11' });
    const bad = resolveInterpreter(detection({ pythonVersion: { value: '3.12', why: '.python-version says 3.12' } }), 'distroless', [{ platform: 'linux/amd64', env: [], fs }], {});
    assert.ok('error' in bad);
    assert.match(bad.error, /^base image distroless has no Python 3\.12 interpreter, .*it has Python 3\.11 \(\/usr\/bin\/python3\.11\)/);
  });

  test('a base with no interpreter is an error', async () => {
    const fs = await readRootfs([layerSource([{ name: 'etc/os-release' }])]);
    const r = resolveInterpreter(detection(), 'alpine', [{ platform: 'linux/amd64', env: [], fs }], {});
    assert.ok('error' in r && /^base image alpine has no Python interpreter/.test(r.error));
  });
});

describe('the runtime user', () => {
  test('the default user gets passwd and group entries appended to the base\'s', async () => {
    const fs = await readRootfs([layerSource([{ name: 'etc/passwd', body: 'root:x:0:0:root:/root:/bin/sh\n' }, { name: 'etc/group', body: 'root:x:0:\n' }])]);
    const r = resolveUser(undefined, undefined, 'b', fs, {});
    assert.ok('runAs' in r);
    assert.equal(r.runAs.accounts.passwd, 'root:x:0:0:root:/root:/bin/sh\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n');
    assert.equal(r.runAs.accounts.group, 'root:x:0:\nnonroot:x:65532:\n');
    assert.equal(r.runAs.home, '/home/nonroot');
  });

  test('nothing is added when the base names 65532; a base\'s non-root User is kept; a named user must exist', async () => {
    assert.deepEqual(withDefaultUser('nonroot:x:65532:65532::/home/nonroot:/sbin/nologin', 'nonroot:x:65532:', { name: 'nonroot', uid: 65532, gid: 65532, home: '/home/nonroot' }), {});
    const fs = await readRootfs([layerSource([{ name: 'etc/passwd', body: 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001::/srv:/bin/sh\n' }])]);
    const kept = resolveUser(undefined, 'app', 'b', fs, {});
    assert.ok('runAs' in kept && kept.runAs.user === 'app' && kept.runAs.uid === 1000 && kept.runAs.gid === 1001);
    const missing = resolveUser('www', undefined, 'b', fs, {});
    assert.ok('error' in missing);
    assert.match(missing.error, /^user "www" is not in base image b's \/etc\/passwd \(it has root, app\)/);
    const numeric = resolveUser('4242:4242', undefined, 'b', fs, {});
    assert.ok('runAs' in numeric && numeric.runAs.uid === 4242);
  });
});

describe('the start-up check', () => {
  const base = async () =>
    (await readRootfs([layerSource([{ name: 'bin', type: 'symlink', target: 'usr/bin' }, PY, { name: 'usr/bin/python3', type: 'symlink', target: 'python3.11' }, { name: 'usr/bin/notes.txt' }])])).withEntries([
      { path: 'app/.venv/bin/python', type: 'symlink', mode: '0777', target: '/usr/bin/python3.11' },
      { path: 'app/.venv/bin/hello', type: 'file', mode: '0755', content: '#!/app/.venv/bin/python\nprint(1)\n' },
      { path: 'app/.venv/bin/broken', type: 'file', mode: '0755', content: '#!/opt/python/bin/python\n' },
      { path: 'app/run-env', type: 'file', mode: '0755', content: '#!/usr/bin/env python3\n' },
    ]);
  const env = ['PATH=/app/.venv/bin:/usr/bin:/bin'];

  test('a console script, the venv python and a bare name on PATH start', async () => {
    const image = await base();
    assert.equal(checkStartup({ base: 'b', image, entrypoint: ['/app/.venv/bin/hello'], env, workingDir: '/app' }), undefined);
    assert.equal(checkStartup({ base: 'b', image, cmd: ['python', '-m', 'app'], env, workingDir: '/app' }), undefined);
  });

  test('each way an image would not start is one line naming the command and the fix', async () => {
    const image = await base();
    const check = (entrypoint: string[], extra: { unlisted?: string[] } = {}) => checkStartup({ base: 'b', image, entrypoint, env, workingDir: '/app', ...extra });
    assert.equal(check(['/app/.venv/bin/foo']), 'the image would not start: entrypoint /app/.venv/bin/foo does not exist in the image; set build.entrypoint or build.cmd in [tool.pycontainer.build] (or pycontainer.toml [build])');
    assert.match(check(['gunicorn'])!, /entrypoint gunicorn is not on the image's PATH \(\/app\/\.venv\/bin:\/usr\/bin:\/bin\)/);
    assert.equal(check(['gunicorn'], { unlisted: ['/app/.venv/bin'] }), undefined, 'a lock layer\'s scripts are taken on trust');
    assert.match(check(['sh', '-c', 'run'])!, /entrypoint sh needs a shell, and base image b has none/);
    assert.match(check(['/usr/bin/notes.txt'])!, /\/usr\/bin\/notes\.txt is not executable \(mode 0644\)/);
    assert.match(check(['/app/.venv/bin/broken'])!, /is a script for \/opt\/python\/bin\/python, which would not run: \/opt\/python\/bin\/python does not exist/);
    assert.match(check(['uvicorn main:app'])!, /is one word with spaces/);
    assert.match(check(['./run-env'])!, /^the image would not start: entrypoint \/app\/run-env is a script for \/usr\/bin\/env, which would not run: \/usr\/bin\/env does not exist/);
    assert.match(checkStartup({ base: 'b', image, env, workingDir: '/app' })!, /it has no command/);
    for (const message of [check(['/app/.venv/bin/foo']), check(['sh'])]) assert.ok(!message!.includes('\n'));
  });
});
