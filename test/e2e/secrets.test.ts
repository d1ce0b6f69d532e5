// Secrets planted everywhere a build can see them (registry password in the environment and in a
// docker config, a netrc, an index URL's user info in a requirements file and a pip config,
// PIP_INDEX_URL with a password, a .env file) are found in none of: the plan, the output layout (every
// blob, gunzipped), the cache directory (every file, gunzipped) and stdout/stderr.
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { findRepoRoot } from '../support/base-image.js';
import { assertLayoutOk, checkLayout } from '../support/layout-check.js';
import { run } from '../support/tools.js';

const repo = findRepoRoot();
const cli = path.join(repo, 'bin', 'pycontainer.js');
const stubBase = `oci:${path.join(repo, 'test', 'fixtures', 'stub-base')}:3.11`;
let tmp: string;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-secrets-'));
});
after(async () => {
  await rm(tmp, { recursive: true, force: true });
});

// Each distinct, so a hit names the place it leaked from.
const SECRETS = {
  registryEnv: 'regEnvPw-7f3a91',
  dockerConfig: 'dockerCfgPw-2b8c44',
  netrc: 'netrcPw-9d1e07',
  requirementsUrl: 'reqUrlPw-5a6f32',
  pipConf: 'pipConfPw-8e2d19',
  pipIndexUrl: 'pipEnvPw-3c7b55',
  dotenv: 'dotenvSecret-1f4a88',
};

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** The secrets found in `bytes` (and in their gunzipped form, when they are gzip). */
function leaks(bytes: Buffer): string[] {
  const texts = [bytes.toString('latin1')];
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) texts.push(gunzipSync(bytes).toString('latin1'));
  const base64 = (s: string) => Buffer.from(s).toString('base64');
  return Object.entries(SECRETS)
    .filter(([, s]) => texts.some((t) => t.includes(s) || t.includes(base64(s)) || t.includes(base64(`user:${s}`))))
    .map(([where]) => where);
}

test('no planted secret reaches the plan, the layout, the cache or the output', async () => {
  const home = path.join(tmp, 'home');
  await mkdir(path.join(home, '.docker'), { recursive: true });
  await writeFile(path.join(home, '.docker', 'config.json'), JSON.stringify({ auths: { 'registry.example': { auth: Buffer.from(`user:${SECRETS.dockerConfig}`).toString('base64') } } }));
  await writeFile(path.join(home, '.netrc'), `machine pypi.example login user password ${SECRETS.netrc}\n`);

  const dir = path.join(tmp, 'app');
  await cp(path.join(repo, 'examples', 'hello-cli'), dir, { recursive: true });
  await mkdir(path.join(dir, 'deploy'));
  await writeFile(path.join(dir, 'deploy', 'requirements-prod.txt'), `--index-url https://user:${SECRETS.requirementsUrl}@pypi.example/simple\nhello-cli\n`);
  await writeFile(path.join(dir, 'pip.conf'), `[global]\nindex-url = https://user:${SECRETS.pipConf}@pypi.example/simple\n`);
  await writeFile(path.join(dir, '.env'), `API_KEY=${SECRETS.dotenv}\n`);

  const env = {
    HOME: home,
    XDG_CACHE_HOME: path.join(tmp, 'xdg'),
    REGISTRY_USERNAME: 'user',
    REGISTRY_PASSWORD: SECRETS.registryEnv,
    PIP_INDEX_URL: `https://user:${SECRETS.pipIndexUrl}@pypi.example/simple`,
  };
  const cache = path.join(tmp, 'xdg', 'pycontainer');
  const planFile = path.join(tmp, 'plan.json');
  const out = path.join(tmp, 'image');
  const pyc = (args: string[]) => run('node', [cli, ...args], { allowFail: true, env: { ...process.env, ...env } });
  const planned = await pyc(['plan', '-C', dir, '--base-image', stubBase, '-o', planFile, '--verbose']);
  assert.equal(planned.code, 0, planned.stderr);
  const applied = await pyc(['apply', planFile, '-C', dir, '-o', out, '--json', '--verbose']);
  assert.equal(applied.code, 0, applied.stderr);
  const built = await pyc(['build', '-C', dir, '--base-image', stubBase, '-o', path.join(tmp, 'image2'), '--verbose']);
  assert.equal(built.code, 0, built.stderr);
  assertLayoutOk(await checkLayout(out));

  // The warnings name the files left out, never their secrets.
  assert.match(planned.stderr, /deploy\/requirements-prod\.txt has a password in a URL, so it is left out of the image/);
  assert.match(planned.stderr, /pip\.conf has a password in a URL, so it is left out of the image/);

  const found: string[] = [];
  const scan = (what: string, bytes: Buffer) => {
    for (const where of leaks(bytes)) found.push(`${where} in ${what}`);
  };
  for (const r of [planned, applied, built]) {
    scan('stdout', Buffer.from(r.stdout));
    scan('stderr', Buffer.from(r.stderr));
  }
  scan('the plan', await readFile(planFile));
  for (const root of [out, path.join(tmp, 'image2'), cache]) {
    if (!(await stat(root).catch(() => undefined))) continue;
    for (const f of await filesUnder(root)) scan(path.relative(tmp, f), await readFile(f));
  }
  assert.ok((await filesUnder(cache)).length > 0, 'the cache was used, so its scan means something');
  assert.deepEqual(found, []);
  // The scan is not vacuous: it does find a secret where one is.
  assert.deepEqual(leaks(await readFile(path.join(dir, '.env'))), ['dotenv']);
});
