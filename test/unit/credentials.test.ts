import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { RegistryError } from '../../src/errors.js';
import { findCredential, locateJsonError, spawnHelper, storeCredential, type CredentialOptions } from '../../src/registry/credentials.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const b64 = (s: string): string => Buffer.from(s).toString('base64');

/**
 * Fake helpers, as real executables found through env.PATH. `fake` knows ghcr.io (basic) and Docker Hub
 * (identity token), says "credentials not found" for anything else, and records `store` input.
 */
const HELPERS: Record<string, string> = {
  fake: `#!/bin/sh
input=$(cat)
dir=$(dirname "$0")
case "$1" in
  get)
    case "$input" in
      ghcr.io) printf '%s' '{"ServerURL":"ghcr.io","Username":"helper-user","Secret":"helper-secret-1"}' ;;
      https://index.docker.io/v1/) printf '%s' '{"ServerURL":"https://index.docker.io/v1/","Username":"<token>","Secret":"helper-idtoken-2"}' ;;
      *) echo "credentials not found in native keychain"; exit 1 ;;
    esac ;;
  store) printf '%s' "$input" > "$dir/stored.json" ;;
  *) exit 3 ;;
esac
`,
  other: `#!/bin/sh
input=$(cat)
printf '{"ServerURL":"%s","Username":"other-user","Secret":"other-secret-3"}' "$input"
`,
  locked: `#!/bin/sh
cat >/dev/null
echo "the password store is locked" >&2
echo "more detail" >&2
exit 1
`,
  leaky: `#!/bin/sh
input=$(cat)
echo "cannot parse {\\"Secret\\": ...} in $input" >&2
exit 1
`,
  garbage: `#!/bin/sh
cat >/dev/null
echo "not json at all"
`,
  slow: `#!/bin/sh
exec sleep 5
`,
};

interface Sandbox {
  home: string;
  bin: string;
  env: NodeJS.ProcessEnv;
  options: CredentialOptions;
  write(rel: string, data: unknown): Promise<string>;
}

async function sandbox(extraEnv: NodeJS.ProcessEnv = {}): Promise<Sandbox> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'pyc-creds-'));
  dirs.push(root);
  const home = path.join(root, 'home');
  const bin = path.join(root, 'bin');
  await mkdir(home, { recursive: true });
  await mkdir(bin, { recursive: true });
  for (const [name, script] of Object.entries(HELPERS)) {
    const file = path.join(bin, `docker-credential-${name}`);
    await writeFile(file, script);
    await chmod(file, 0o755);
  }
  // A clean environment: nothing from the machine running the tests leaks in.
  const env: NodeJS.ProcessEnv = { PATH: `${bin}${path.delimiter}${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: home, ...extraEnv };
  return {
    home,
    bin,
    env,
    options: { env, home },
    async write(rel, data) {
      const file = path.isAbsolute(rel) ? rel : path.join(home, rel);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
      return file;
    },
  };
}

const DOCKER = '.docker/config.json';
const PODMAN = '.config/containers/auth.json';

/** Asserts a RegistryError with this code whose message is one line and holds none of the secrets. */
async function rejectsWith(promise: Promise<unknown>, code: string, includes: string[], secrets: string[]): Promise<RegistryError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof RegistryError, `expected a RegistryError, got ${String(caught)}`);
  assert.equal(caught.code, code);
  assert.ok(!caught.message.includes('\n'), 'one line');
  for (const part of includes) assert.ok(caught.message.includes(part), `${JSON.stringify(caught.message)} should include ${JSON.stringify(part)}`);
  for (const secret of secrets) {
    assert.ok(!caught.message.includes(secret), `the message leaks a secret: ${caught.message}`);
    assert.ok(!caught.details.join('\n').includes(secret), 'the details leak a secret');
    assert.ok(!(caught.stack ?? '').includes(secret), 'the stack leaks a secret');
  }
  return caught;
}

test('no credentials anywhere means anonymous', async () => {
  const s = await sandbox();
  assert.equal(await findCredential('ghcr.io', s.options), undefined);
  assert.equal(await findCredential('docker.io', s.options), undefined);
});

test('REGISTRY_USERNAME + REGISTRY_PASSWORD win over every file, and need both', async () => {
  const s = await sandbox({ REGISTRY_USERNAME: 'env-user', REGISTRY_PASSWORD: 'env-pass', GITHUB_TOKEN: 'gh-token' });
  await s.write(DOCKER, { auths: { 'ghcr.io': { auth: b64('file-user:file-pass') } } });
  await s.write(PODMAN, { auths: { 'ghcr.io': { auth: b64('podman-user:podman-pass') } } });
  const expected = { kind: 'basic', username: 'env-user', password: 'env-pass', source: 'REGISTRY_USERNAME/REGISTRY_PASSWORD' };
  assert.deepEqual(await findCredential('ghcr.io', s.options), expected);
  assert.deepEqual(await findCredential('localhost:5000', s.options), expected);

  const half = await sandbox({ REGISTRY_USERNAME: 'env-user' });
  await half.write(DOCKER, { auths: { 'ghcr.io': { auth: b64('file-user:file-pass') } } });
  assert.equal((await findCredential('ghcr.io', half.options))?.source, '~/.docker/config.json (auths)');
});

test('GITHUB_TOKEN is used for ghcr.io only, as GITHUB_ACTOR or "token"', async () => {
  const s = await sandbox({ GITHUB_TOKEN: 'gh-token', GITHUB_ACTOR: 'octocat' });
  await s.write(DOCKER, { auths: { 'ghcr.io': { auth: b64('file-user:file-pass') }, 'docker.io': { auth: b64('hub:hubpass') } } });
  assert.deepEqual(await findCredential('ghcr.io', s.options), { kind: 'basic', username: 'octocat', password: 'gh-token', source: 'GITHUB_TOKEN' });
  assert.equal((await findCredential('docker.io', s.options))?.source, '~/.docker/config.json (auths)');
  const noActor = await sandbox({ GITHUB_TOKEN: 'gh-token' });
  assert.deepEqual(await findCredential('ghcr.io', noActor.options), { kind: 'basic', username: 'token', password: 'gh-token', source: 'GITHUB_TOKEN' });
});

test('docker config auths: base64 auth, separate fields, identitytoken', async () => {
  const s = await sandbox();
  await s.write(DOCKER, {
    auths: {
      'ghcr.io': { auth: b64('user:pa:ss') },
      'quay.io': { username: 'quser', password: 'qpass' },
      'example.com': { auth: b64('alice:'), identitytoken: 'refresh-token' },
      'tok.example.com': { identitytoken: 'refresh-2' },
    },
    psFormat: 'table',
  });
  const source = '~/.docker/config.json (auths)';
  assert.deepEqual(await findCredential('ghcr.io', s.options), { kind: 'basic', username: 'user', password: 'pa:ss', source });
  assert.deepEqual(await findCredential('quay.io', s.options), { kind: 'basic', username: 'quser', password: 'qpass', source });
  assert.deepEqual(await findCredential('example.com', s.options), { kind: 'identity-token', username: 'alice', token: 'refresh-token', source });
  assert.deepEqual(await findCredential('tok.example.com', s.options), { kind: 'identity-token', token: 'refresh-2', source });
  assert.equal(await findCredential('other.example.com', s.options), undefined);
});

test('DOCKER_CONFIG moves the docker config', async () => {
  const s = await sandbox();
  const dir = path.join(s.home, 'elsewhere');
  s.env.DOCKER_CONFIG = dir;
  await s.write(DOCKER, { auths: { 'ghcr.io': { auth: b64('home:home') } } });
  await s.write(path.join(dir, 'config.json'), { auths: { 'ghcr.io': { auth: b64('moved:moved') } } });
  assert.deepEqual(await findCredential('ghcr.io', s.options), { kind: 'basic', username: 'moved', password: 'moved', source: '$DOCKER_CONFIG/config.json (auths)' });
});

test('Docker Hub keys: every spelling docker uses means docker.io', async () => {
  for (const key of ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io', 'https://registry-1.docker.io/v2/']) {
    const s = await sandbox();
    await s.write(DOCKER, { auths: { [key]: { auth: b64('hub:hubpass') } } });
    for (const registry of ['docker.io', 'index.docker.io']) {
      assert.deepEqual(await findCredential(registry, s.options), { kind: 'basic', username: 'hub', password: 'hubpass', source: '~/.docker/config.json (auths)' }, `${key} for ${registry}`);
    }
    assert.equal(await findCredential('ghcr.io', s.options), undefined);
  }
  const both = await sandbox();
  await both.write(DOCKER, { auths: { 'docker.io': { auth: b64('old:old') }, 'https://index.docker.io/v1/': { auth: b64('new:new') } } });
  assert.equal((await findCredential('docker.io', both.options))?.username, 'new', "docker's own key wins");
});

test('other registries: host, scheme, trailing slash and /v1/ /v2/ suffixes match; other hosts do not', async () => {
  for (const key of ['myreg.io:5000', 'https://myreg.io:5000', 'http://myreg.io:5000/', 'https://myreg.io:5000/v1/', 'myreg.io:5000/v2/', 'MYREG.io:5000']) {
    const s = await sandbox();
    await s.write(DOCKER, { auths: { [key]: { auth: b64('u:p') } } });
    assert.equal((await findCredential('myreg.io:5000', s.options))?.username, 'u', key);
    assert.equal(await findCredential('myreg.io', s.options), undefined, `${key} is not myreg.io without the port`);
    assert.equal(await findCredential('myreg.io:5001', s.options), undefined);
  }
});

test('credHelpers and credsStore run docker-credential-* from PATH', async () => {
  const s = await sandbox();
  await s.write(DOCKER, {
    auths: { 'ghcr.io': { auth: b64('file-user:file-pass') }, 'quay.io': {}, 'notfound.io': { auth: b64('nf:nf') } },
    credHelpers: { 'ghcr.io': 'fake', 'notfound.io': 'fake' },
    credsStore: 'other',
  });
  assert.deepEqual(await findCredential('ghcr.io', s.options), { kind: 'basic', username: 'helper-user', password: 'helper-secret-1', source: 'docker-credential-fake' }, 'credHelpers before auths');
  assert.deepEqual(await findCredential('notfound.io', s.options), { kind: 'basic', username: 'nf', password: 'nf', source: '~/.docker/config.json (auths)' }, '"credentials not found" continues the lookup');
  assert.deepEqual(await findCredential('quay.io', s.options), { kind: 'basic', username: 'other-user', password: 'other-secret-3', source: 'docker-credential-other' }, 'an empty auths entry falls through to credsStore');

  const hub = await sandbox();
  await hub.write(DOCKER, { credsStore: 'fake' });
  assert.deepEqual(await findCredential('docker.io', hub.options), { kind: 'identity-token', token: 'helper-idtoken-2', source: 'docker-credential-fake' }, 'Docker Hub is asked for as https://index.docker.io/v1/ and <token> means an identity token');
  assert.equal(await findCredential('localhost:5000', hub.options), undefined, 'credsStore saying "not found" means anonymous');
});

test('an injected runHelper is used, and told what to look up', async () => {
  const s = await sandbox();
  await s.write(DOCKER, { credHelpers: { 'https://index.docker.io/v1/': 'injected' } });
  const calls: string[] = [];
  const runHelper: CredentialOptions['runHelper'] = async (helper, action, input) => {
    calls.push(`${helper} ${action} ${input}`);
    return JSON.stringify({ ServerURL: input, Username: 'inj', Secret: 'inj-secret' });
  };
  assert.deepEqual(await findCredential('docker.io', { ...s.options, runHelper }), { kind: 'basic', username: 'inj', password: 'inj-secret', source: 'docker-credential-injected' });
  assert.deepEqual(calls, ['injected get https://index.docker.io/v1/']);
  const notFound: CredentialOptions['runHelper'] = async () => {
    throw new Error('credentials not found in native keychain');
  };
  assert.equal(await findCredential('docker.io', { ...s.options, runHelper: notFound }), undefined);
  const failing: CredentialOptions['runHelper'] = async () => {
    throw new Error('boom Secret=inj-secret');
  };
  await rejectsWith(findCredential('docker.io', { ...s.options, runHelper: failing }), 'E_CREDENTIAL_HELPER', ['docker-credential-injected get failed'], ['inj-secret']);
});

test('helper failures name the helper and never echo secrets', async () => {
  const s = await sandbox();
  await s.write(DOCKER, { credHelpers: { 'a.io': 'locked', 'b.io': 'leaky', 'c.io': 'garbage', 'd.io': 'missing', 'e.io': '../../bin/sh' } });
  await rejectsWith(
    findCredential('a.io', s.options),
    'E_CREDENTIAL_HELPER',
    ['docker-credential-locked get exited with status 1: the password store is locked (credHelpers in ~/.docker/config.json)'],
    ['more detail'],
  );
  const leaky = await rejectsWith(findCredential('b.io', s.options), 'E_CREDENTIAL_HELPER', ['docker-credential-leaky get exited with status 1 (credHelpers'], ['Secret', 'cannot parse']);
  assert.ok(!leaky.message.includes(':  '));
  await rejectsWith(findCredential('c.io', s.options), 'E_CREDENTIAL_HELPER', ['docker-credential-garbage get answered with something that is not JSON'], ['not json at all']);
  await rejectsWith(findCredential('d.io', s.options), 'E_CREDENTIAL_HELPER', ['docker-credential-missing is not installed or not on PATH (credHelpers in ~/.docker/config.json)'], []);
  await rejectsWith(findCredential('e.io', s.options), 'E_CREDENTIAL_HELPER', ['credential helper name "../../bin/sh"'], []);
});

test('spawnHelper gives up after its timeout', async () => {
  const s = await sandbox();
  const started = Date.now();
  await assert.rejects(spawnHelper('slow', 'get', 'x.io', s.env, 200), /docker-credential-slow get did not answer within 0 s/);
  assert.ok(Date.now() - started < 3000);
});

test('podman auth files: $REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR, then ~/.config, all before the docker config', async () => {
  const s = await sandbox();
  const runtime = path.join(s.home, 'run');
  const authFile = await s.write('custom/auth.json', { auths: { 'ghcr.io': { auth: b64('custom:c') } } });
  await s.write(path.join(runtime, 'containers/auth.json'), { auths: { 'ghcr.io': { auth: b64('runtime:r') }, 'quay.io': { auth: b64('runtime:r') } } });
  await s.write(PODMAN, { auths: { 'ghcr.io': { auth: b64('config:c') }, 'quay.io': { auth: b64('config:c') }, 'docker.io': { auth: b64('config:c') } } });
  await s.write(DOCKER, { auths: { 'ghcr.io': { auth: b64('docker:d') }, 'docker.io': { auth: b64('docker:d') }, 'x.io': { auth: b64('docker:d') } } });

  assert.deepEqual(await findCredential('ghcr.io', s.options), { kind: 'basic', username: 'config', password: 'c', source: '~/.config/containers/auth.json (auths)' });
  assert.deepEqual(await findCredential('x.io', s.options), { kind: 'basic', username: 'docker', password: 'd', source: '~/.docker/config.json (auths)' });
  s.env.XDG_RUNTIME_DIR = runtime;
  assert.deepEqual(await findCredential('ghcr.io', s.options), { kind: 'basic', username: 'runtime', password: 'r', source: '$XDG_RUNTIME_DIR/containers/auth.json (auths)' });
  s.env.REGISTRY_AUTH_FILE = authFile;
  assert.deepEqual(await findCredential('ghcr.io', s.options), { kind: 'basic', username: 'custom', password: 'c', source: '$REGISTRY_AUTH_FILE (auths)' });
  assert.equal((await findCredential('quay.io', s.options))?.username, 'runtime', 'files without the registry are skipped');
  assert.equal((await findCredential('docker.io', s.options))?.username, 'config');
  s.env.REGISTRY_AUTH_FILE = path.join(s.home, 'does-not-exist.json');
  assert.equal((await findCredential('ghcr.io', s.options))?.username, 'runtime', 'a missing auth file is no credential');
});

test('podman repository-scoped keys: the longest matching prefix wins', async () => {
  const s = await sandbox();
  await s.write(PODMAN, {
    auths: {
      'ghcr.io': { auth: b64('host:h') },
      'ghcr.io/org': { auth: b64('org:o') },
      'ghcr.io/org/app': { auth: b64('app:a') },
      'ghcr.io/org/ap': { auth: b64('prefix-trap:x') },
      'docker.io/library': { auth: b64('library:l') },
    },
    credHelpers: { 'quay.io': 'fake' },
  });
  const user = async (target: string): Promise<string | undefined> => {
    const cred = await findCredential(target, s.options);
    return cred?.kind === 'basic' ? cred.username : cred?.kind;
  };
  assert.equal(await user('ghcr.io/org/app'), 'app');
  assert.equal(await user('ghcr.io/org/app/sub'), 'app');
  assert.equal(await user('ghcr.io/org/apple'), 'org', 'prefixes end at a "/"');
  assert.equal(await user('ghcr.io/org/other'), 'org');
  assert.equal(await user('ghcr.io/elsewhere/app'), 'host');
  assert.equal(await user('ghcr.io'), 'host');
  assert.equal(await user('docker.io/library/python'), 'library');
  assert.equal(await user('index.docker.io/library/python'), 'library');
  assert.equal(await user('docker.io/user/app'), undefined);
  assert.equal(await user('quay.io/x'), undefined, 'credHelpers in auth.json: "not found" continues the lookup');
});

test('a malformed config file is an error naming the file and the position, not its contents', async () => {
  const secret = 'c3VwZXI6c2VjcmV0';
  const cases: [string, string, string][] = [
    [`{"auths": {"ghcr.io": {"auth": "${secret}"}}`, 'line 1, column 52', 'expected "," or "}", found end'],
    [`{\n  "auths": {\n    "ghcr.io": {"auth": "${secret}",}\n  }\n}`, 'line 3, column 44', 'expected a property name in double quotes, found "}"'],
    [`{"auths": {"ghcr.io": {"auth": '${secret}'}}}`, 'line 1, column 32', 'unexpected "\'"'],
    [`{"auths": {"ghcr.io": {"auth": "${secret}"}}} trailing`, 'line 1, column 54', 'unexpected text after the JSON value'],
  ];
  for (const [text, where, problem] of cases) {
    const s = await sandbox();
    await s.write(DOCKER, text);
    await rejectsWith(findCredential('ghcr.io', s.options), 'E_CREDENTIALS_FILE', ['~/.docker/config.json: is not valid JSON: ', problem, where], [secret, 'super']);
  }
  const s = await sandbox();
  s.env.REGISTRY_AUTH_FILE = await s.write('auth.json', '[1, 2');
  await rejectsWith(findCredential('ghcr.io', s.options), 'E_CREDENTIALS_FILE', ['$REGISTRY_AUTH_FILE (~/auth.json): is not valid JSON'], []);
  const shapes: [unknown, string][] = [
    [[], 'must hold a JSON object at the top level'],
    [{ auths: [] }, '"auths" must be an object'],
    [{ auths: { 'ghcr.io': { auth: 'bm90LWEtcGFpcg==' } } }, 'auths["ghcr.io"].auth is not the base64 of "username:password"'],
    [{ auths: { 'ghcr.io': { auth: '%%%' } } }, 'auths["ghcr.io"].auth is not the base64 of "username:password"'],
    [{ auths: { 'ghcr.io': { username: 'u' } } }, 'auths["ghcr.io"] has a username without a password'],
    [{ credsStore: 7 }, '"credsStore" must be a string'],
    [{ credHelpers: { 'ghcr.io': 7 } }, 'credHelpers["ghcr.io"] must be a string'],
  ];
  for (const [data, problem] of shapes) {
    const t = await sandbox();
    await t.write(DOCKER, data);
    await rejectsWith(findCredential('ghcr.io', t.options), 'E_CREDENTIALS_FILE', [`~/.docker/config.json: ${problem}`], ['not-a-pair']);
  }
  const empty = await sandbox();
  await empty.write(DOCKER, '  \n');
  assert.equal(await findCredential('ghcr.io', empty.options), undefined, 'an empty file is an empty config');
});

test('locateJsonError agrees with JSON.parse about where JSON breaks', () => {
  for (const text of ['{', '{"a":}', '{"a" 1}', '[1,]', '{"a":"\\x"}', '{"a":"\\u12G4"}', '{"a":"b\n"}', 'nul', '{"a":1}}', '"abc', '{"a":[1,2}']) {
    assert.throws(() => JSON.parse(text));
    const at = locateJsonError(text);
    assert.ok(at.offset <= text.length && at.line >= 1 && at.column >= 1, text);
    const m = /at position (\d+)/.exec((() => { try { JSON.parse(text); } catch (e) { return (e as Error).message; } return ''; })());
    if (m) assert.equal(at.offset, Number(m[1]), `${text}: ${at.problem}`);
  }
});

test('storeCredential writes auths into the docker config: 0600, 0700 dir, other content kept, aliases replaced', async () => {
  const s = await sandbox();
  const password = 'pw-Secret-42';
  const where = await storeCredential('ghcr.io', 'me', password, s.options);
  assert.equal(where, '~/.docker/config.json (auths)');
  const file = path.join(s.home, DOCKER);
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.equal((await stat(path.dirname(file))).mode & 0o777, 0o700);
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { auths: { 'ghcr.io': { auth: b64(`me:${password}`) } } });
  assert.deepEqual(await findCredential('ghcr.io', s.options), { kind: 'basic', username: 'me', password, source: '~/.docker/config.json (auths)' });

  await writeFile(file, JSON.stringify({ auths: { 'https://ghcr.io/v2/': { auth: b64('old:old') }, 'quay.io': { auth: b64('q:q') } }, psFormat: 'table', plugins: { x: { y: 1 } } }), { mode: 0o644 });
  await chmod(file, 0o644);
  await storeCredential('ghcr.io', 'me2', 'pw2', s.options);
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), {
    auths: { 'quay.io': { auth: b64('q:q') }, 'ghcr.io': { auth: b64('me2:pw2') } },
    psFormat: 'table',
    plugins: { x: { y: 1 } },
  });
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.deepEqual(await readdir(path.dirname(file)), ['config.json'], 'no temp file left');

  await storeCredential('https://index.docker.io/v1/', 'hub', 'hubpw', s.options);
  const hub = JSON.parse(await readFile(file, 'utf8')) as { auths: Record<string, unknown> };
  assert.deepEqual(hub.auths['https://index.docker.io/v1/'], { auth: b64('hub:hubpw') }, 'Docker Hub is stored under the key docker reads');
  assert.equal((await findCredential('docker.io', s.options))?.source, '~/.docker/config.json (auths)');
});

test('storeCredential honours DOCKER_CONFIG and refuses to overwrite a malformed config', async () => {
  const s = await sandbox();
  s.env.DOCKER_CONFIG = path.join(s.home, 'dc');
  assert.equal(await storeCredential('localhost:5000', 'u', 'p', s.options), '$DOCKER_CONFIG/config.json (auths)');
  assert.ok((await readFile(path.join(s.home, 'dc', 'config.json'), 'utf8')).includes('localhost:5000'));

  const bad = await sandbox();
  const text = '{"auths": {"ghcr.io": {"auth": "xyz"}';
  await bad.write(DOCKER, text);
  await rejectsWith(storeCredential('ghcr.io', 'u', 'new-secret', bad.options), 'E_CREDENTIALS_FILE', ['~/.docker/config.json: is not valid JSON'], ['new-secret']);
  assert.equal(await readFile(path.join(bad.home, DOCKER), 'utf8'), text, 'left untouched');
});

test('storeCredential goes to the helper when credsStore or credHelpers name one', async () => {
  const s = await sandbox();
  const config = { credsStore: 'fake', auths: {} };
  await s.write(DOCKER, config);
  assert.equal(await storeCredential('docker.io', 'hub', 'hub-Secret-9', s.options), 'docker-credential-fake');
  assert.deepEqual(JSON.parse(await readFile(path.join(s.bin, 'stored.json'), 'utf8')), { ServerURL: 'https://index.docker.io/v1/', Username: 'hub', Secret: 'hub-Secret-9' });
  assert.deepEqual(JSON.parse(await readFile(path.join(s.home, DOCKER), 'utf8')), config, 'the config is not touched');

  const h = await sandbox();
  await h.write(DOCKER, { credsStore: 'locked', credHelpers: { 'ghcr.io': 'fake' } });
  assert.equal(await storeCredential('ghcr.io', 'me', 'gh-secret', h.options), 'docker-credential-fake');
  assert.equal(JSON.parse(await readFile(path.join(h.bin, 'stored.json'), 'utf8')).ServerURL, 'ghcr.io');
  await rejectsWith(storeCredential('quay.io', 'me', 'quay-pass-77', h.options), 'E_CREDENTIAL_HELPER', ['docker-credential-locked store exited with status 1', '(credsStore in ~/.docker/config.json)'], ['quay-pass-77']);

  const leaky = await sandbox();
  await leaky.write(DOCKER, { credsStore: 'leaky' });
  await rejectsWith(storeCredential('quay.io', 'me', 'quay-pass-78', leaky.options), 'E_CREDENTIAL_HELPER', ['docker-credential-leaky store exited with status 1'], ['quay-pass-78', 'Secret']);
});

test('storeCredential rejects unusable user names and empty passwords', async () => {
  const s = await sandbox();
  await rejectsWith(storeCredential('ghcr.io', 'a:b', 'pw-x', s.options), 'E_CREDENTIALS', ['must not contain ":"'], ['pw-x']);
  await rejectsWith(storeCredential('ghcr.io', 'a', '', s.options), 'E_CREDENTIALS', ['the password for ghcr.io is empty'], []);
});
