/**
 * Registry credentials: environment variables, podman/skopeo auth.json files, Docker's config.json
 * (auths, credHelpers, credsStore) and docker-credential-* helpers. Nothing here puts a secret into a
 * message, a `source` or an error.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { childProcess } from '../lazy-builtins.js';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, realpath, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RegistryError } from '../errors.js';

export type Credential =
  | { kind: 'basic'; username: string; password: string; source: string }
  /** Docker's `identitytoken`: an OAuth2 refresh token. */
  | { kind: 'identity-token'; username?: string; token: string; source: string };

export type HelperAction = 'get' | 'store' | 'erase';

export interface CredentialOptions {
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Default os.homedir(). */
  home?: string;
  /**
   * Runs `docker-credential-<helper> <action>` with `input` on stdin and resolves to its stdout. The
   * default spawns it (no shell, PATH from `env`) with a 10 s timeout and rejects with a
   * {@link HelperFailure}. An injected one signals "credentials not found" by rejecting with an error
   * whose message, stdout or stderr says so.
   */
  runHelper?: (helper: string, action: HelperAction, input: string) => Promise<string>;
}

/** A credential helper that could not be started or exited non-zero. */
export class HelperFailure extends Error {
  constructor(
    message: string,
    readonly stdout = '',
    readonly stderr = '',
    readonly exitCode: number | null = null,
    readonly notInstalled = false,
  ) {
    super(message);
    this.name = 'HelperFailure';
  }
}

const HELPER_TIMEOUT_MS = 10_000;
const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_SERVER_URL = 'https://index.docker.io/v1/';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Runs a docker-credential helper directly (no shell), feeding `input` on stdin. */
export function spawnHelper(helper: string, action: HelperAction, input: string, env: NodeJS.ProcessEnv = process.env, timeoutMs = HELPER_TIMEOUT_MS): Promise<string> {
  const program = `docker-credential-${helper}`;
  return new Promise((resolve, reject) => {
    let child: ChildProcessWithoutNullStreams;
    try {
      child = childProcess().spawn(program, [action], { env, stdio: ['pipe', 'pipe', 'pipe'], shell: false, windowsHide: true });
    } catch (err) {
      reject(new HelperFailure(`${program} could not be started: ${(err as Error).message}`));
      return;
    }
    const out: Buffer[] = [];
    const errOut: Buffer[] = [];
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(() => reject(new HelperFailure(`${program} ${action} did not answer within ${Math.round(timeoutMs / 1000)} s`)));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => errOut.push(d));
    child.on('error', (err: NodeJS.ErrnoException) => {
      const missing = err.code === 'ENOENT';
      finish(() => reject(new HelperFailure(missing ? `${program} was not found on PATH` : `${program} could not be started (${err.code ?? err.message})`, '', '', null, missing)));
    });
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(errOut).toString('utf8');
      if (code === 0) finish(() => resolve(stdout));
      else finish(() => reject(new HelperFailure(`${program} ${action} ${code === null ? `was killed by ${signal}` : `exited with status ${code}`}`, stdout, stderr, code)));
    });
    // A helper that exits without reading stdin makes the write fail with EPIPE: its exit status tells.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

// ---------------------------------------------------------------------------------------------------
// Key matching

/** `https://host/v1/` → `host`; Docker Hub aliases → `docker.io`; repository paths kept when allowed. */
function normalizeKey(key: string, allowPath: boolean): string {
  let k = key.trim();
  const hadScheme = /^https?:\/\//i.test(k);
  k = k.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  if (!allowPath || hadScheme) {
    k = k.replace(/\/v[12]$/, '');
    if (!allowPath) k = k.split('/')[0]!;
  }
  const slash = k.indexOf('/');
  const host = (slash === -1 ? k : k.slice(0, slash)).toLowerCase();
  const rest = slash === -1 ? '' : k.slice(slash);
  return (DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host) + rest;
}

function normalizeRegistry(registry: string): string {
  const host = registry.toLowerCase();
  return DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host;
}

/** Keys of `map` that mean `target`, the one written exactly as `preferred` first, then in file order. */
function matchingKeys(map: Record<string, unknown>, target: string, allowPath: boolean, preferred: string): string[] {
  const keys = Object.keys(map).filter((k) => normalizeKey(k, allowPath) === target);
  return keys.sort((a, b) => Number(b === preferred) - Number(a === preferred));
}

/** The server URL Docker uses for a registry in credential stores and `auths`. */
function serverURL(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_SERVER_URL : registry;
}

// ---------------------------------------------------------------------------------------------------
// Config files

interface ConfigFile {
  /** Where it is, as shown to the user: `~/.docker/config.json`, `$REGISTRY_AUTH_FILE (/path)`. */
  display: string;
  /** How it is named in a `source`: `~/.docker/config.json`, `$REGISTRY_AUTH_FILE`. */
  label: string;
  path: string;
}

interface ParsedConfig {
  data: Record<string, unknown>;
  auths: Record<string, unknown>;
  credHelpers: Record<string, unknown>;
  credsStore: string | undefined;
}

function fileError(file: ConfigFile, problem: string, cause?: unknown): RegistryError {
  return new RegistryError('E_CREDENTIALS_FILE', `${file.display}: ${problem}`, cause === undefined ? {} : { cause });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads and checks the shape of a config/auth file; undefined when it does not exist. */
async function readConfig(file: ConfigFile): Promise<ParsedConfig | undefined> {
  let text: string;
  try {
    text = await readFile(file.path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw fileError(file, `cannot be read (${code ?? 'error'}); fix its permissions or remove it`, err);
  }
  return parseConfig(file, text);
}

function parseConfig(file: ConfigFile, text: string): ParsedConfig {
  const body = text.replace(/^\uFEFF/, '');
  let data: unknown = {};
  if (body.trim() !== '') {
    try {
      data = JSON.parse(body);
    } catch {
      // JSON.parse messages can quote the file's text, which may hold secrets: say only where and what.
      const { line, column, problem } = locateJsonError(body);
      throw fileError(file, `is not valid JSON: ${problem} at line ${line}, column ${column}; fix or remove the file`);
    }
  }
  if (!isObject(data)) throw fileError(file, 'must hold a JSON object at the top level; fix or remove the file');
  const field = (name: string): Record<string, unknown> => {
    const value = data[name];
    if (value === undefined || value === null) return {};
    if (!isObject(value)) throw fileError(file, `"${name}" must be an object; fix or remove it`);
    return value;
  };
  const auths = field('auths');
  const credHelpers = field('credHelpers');
  const store = data.credsStore;
  if (store !== undefined && store !== null && typeof store !== 'string') throw fileError(file, '"credsStore" must be a string naming a docker-credential helper');
  return { data, auths, credHelpers, credsStore: typeof store === 'string' && store !== '' ? store : undefined };
}

/** Where and why a JSON text fails to parse, without quoting it. */
export function locateJsonError(text: string): { line: number; column: number; offset: number; problem: string } {
  let i = 0;
  class Stop {
    constructor(readonly at: number, readonly problem: string) {}
  }
  const describe = (at: number): string => (at >= text.length ? 'unexpected end of the file' : `unexpected ${JSON.stringify(text[at])}`);
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const expect = (ch: string, what: string): void => {
    if (text[i] !== ch) throw new Stop(i, `expected ${what}, found ${describe(i).replace(/^unexpected /, '')}`);
    i++;
  };
  const string = (): void => {
    expect('"', 'a string');
    for (;;) {
      if (i >= text.length) throw new Stop(i, 'unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) throw new Stop(i, 'control character in a string');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          const bad = text.slice(i + 2, i + 6).search(/[^0-9a-fA-F]|$/);
          if (bad < 4) throw new Stop(i + 2 + bad, 'bad \\u escape in a string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Stop(i + 1, 'bad escape in a string');
      } else i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') throw new Stop(i, `expected a property name in double quotes, found ${describe(i).replace(/^unexpected /, '')}`);
        string();
        ws();
        expect(':', '":"');
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        expect('}', '"," or "}"');
        return;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        expect(']', '"," or "]"');
        return;
      }
    }
    if (c === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (literal) {
      i += literal[0].length;
      return;
    }
    throw new Stop(i, describe(i));
  };
  let at = text.length;
  let problem = 'invalid JSON';
  try {
    value();
    ws();
    if (i < text.length) throw new Stop(i, 'unexpected text after the JSON value');
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    at = err.at;
    problem = err.problem;
  }
  // Never quote a character from inside a string: it could be part of a secret.
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column, offset: at, problem };
}

/** An `auths` entry as a credential; undefined when it holds none (e.g. `{}` beside a credsStore). */
function entryCredential(file: ConfigFile, key: string, entry: unknown, source: string): Credential | undefined {
  const where = `auths[${JSON.stringify(key)}]`;
  if (!isObject(entry)) throw fileError(file, `${where} must be an object`);
  const str = (name: string): string | undefined => {
    const v = entry[name];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') throw fileError(file, `${where}.${name} must be a string`);
    return v;
  };
  let username = str('username');
  let password = str('password');
  const auth = str('auth');
  if (auth !== undefined) {
    const decoded = /^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(auth) ? Buffer.from(auth, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw fileError(file, `${where}.auth is not the base64 of "username:password"; log in to the registry again`);
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  const token = str('identitytoken');
  if (token !== undefined) {
    const cred: Credential = { kind: 'identity-token', token, source };
    if (username !== undefined && username !== '<token>') cred.username = username;
    return cred;
  }
  if (username !== undefined && password !== undefined) return { kind: 'basic', username, password, source };
  if (username !== undefined || password !== undefined) throw fileError(file, `${where} has a ${username !== undefined ? 'username without a password' : 'password without a username'}; log in to the registry again`);
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Helpers

function firstSafeLine(text: string, secret?: string): string | undefined {
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '');
  if (!line || /secret/i.test(line) || (secret && line.includes(secret))) return undefined;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function helperError(helper: string, action: HelperAction, why: string, err: unknown, secret?: string): RegistryError {
  const program = `docker-credential-${helper}`;
  if (err instanceof HelperFailure && err.notInstalled) {
    return new RegistryError('E_CREDENTIAL_HELPER', `${program} is not installed or not on PATH (${why}); install it, or remove "${helper}" from the Docker config`);
  }
  // Only our own HelperFailure messages are quoted: an injected runner's error could hold anything.
  const what = err instanceof HelperFailure ? err.message : `${program} ${action} failed`;
  const stderr = err instanceof HelperFailure ? firstSafeLine(err.stderr, secret) : undefined;
  return new RegistryError(
    'E_CREDENTIAL_HELPER',
    `${what}${stderr ? `: ${stderr}` : ''} (${why}); check that the helper works, e.g. run \`${program} list\``,
  );
}

function saysNotFound(err: unknown): boolean {
  const parts = [err instanceof Error ? err.message : String(err)];
  if (isObject(err)) for (const k of ['stdout', 'stderr']) if (typeof err[k] === 'string') parts.push(err[k] as string);
  return parts.some((p) => /credentials not found/i.test(p));
}

function checkHelperName(helper: string, why: string): void {
  if (!HELPER_NAME.test(helper)) {
    throw new RegistryError('E_CREDENTIAL_HELPER', `credential helper name ${JSON.stringify(helper)} (${why}) may only contain letters, digits, ".", "_" and "-"`);
  }
}

async function helperGet(registry: string, helper: string, why: string, run: NonNullable<CredentialOptions['runHelper']>): Promise<Credential | undefined> {
  checkHelperName(helper, why);
  let stdout: string;
  try {
    stdout = await run(helper, 'get', serverURL(registry));
  } catch (err) {
    if (saysNotFound(err)) return undefined;
    throw helperError(helper, 'get', why, err);
  }
  const source = `docker-credential-${helper}`;
  let answer: unknown;
  try {
    answer = JSON.parse(stdout);
  } catch {
    throw new RegistryError('E_CREDENTIAL_HELPER', `${source} get answered with something that is not JSON (${why}); check that the helper works`);
  }
  if (!isObject(answer) || (answer.Username !== undefined && typeof answer.Username !== 'string') || (answer.Secret !== undefined && typeof answer.Secret !== 'string')) {
    throw new RegistryError('E_CREDENTIAL_HELPER', `${source} get answered without string "Username" and "Secret" fields (${why}); check that the helper works`);
  }
  const username = (answer.Username as string | undefined) ?? '';
  const secret = (answer.Secret as string | undefined) ?? '';
  if (secret === '') return undefined;
  if (username === '<token>') return { kind: 'identity-token', token: secret, source };
  return { kind: 'basic', username, password: secret, source };
}

// ---------------------------------------------------------------------------------------------------
// Lookup

function tildePath(p: string, home: string): string {
  const rel = path.relative(home, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? `~/${rel.split(path.sep).join('/')}` : p;
}

function dockerConfigFile(env: NodeJS.ProcessEnv, home: string): ConfigFile {
  if (env.DOCKER_CONFIG) {
    const p = path.join(env.DOCKER_CONFIG, 'config.json');
    return { path: p, label: '$DOCKER_CONFIG/config.json', display: `$DOCKER_CONFIG/config.json (${tildePath(p, home)})` };
  }
  const p = path.join(home, '.docker', 'config.json');
  return { path: p, label: '~/.docker/config.json', display: '~/.docker/config.json' };
}

function authFiles(env: NodeJS.ProcessEnv, home: string): ConfigFile[] {
  const files: ConfigFile[] = [];
  if (env.REGISTRY_AUTH_FILE) {
    files.push({ path: env.REGISTRY_AUTH_FILE, label: '$REGISTRY_AUTH_FILE', display: `$REGISTRY_AUTH_FILE (${tildePath(env.REGISTRY_AUTH_FILE, home)})` });
  }
  if (env.XDG_RUNTIME_DIR) {
    const p = path.join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json');
    files.push({ path: p, label: '$XDG_RUNTIME_DIR/containers/auth.json', display: `$XDG_RUNTIME_DIR/containers/auth.json (${p})` });
  }
  files.push({ path: path.join(home, '.config', 'containers', 'auth.json'), label: '~/.config/containers/auth.json', display: '~/.config/containers/auth.json' });
  return files;
}

/** `host`, `host/ns`, `host/ns/repo`… → the keys to try in a podman auth file, most specific first. */
function scopedKeys(target: string): string[] {
  const parts = target.split('/');
  const keys: string[] = [];
  for (let n = parts.length; n >= 1; n--) keys.push(parts.slice(0, n).join('/'));
  return keys;
}

async function fromAuthFile(file: ConfigFile, target: string, run: NonNullable<CredentialOptions['runHelper']>): Promise<Credential | undefined> {
  const config = await readConfig(file);
  if (!config) return undefined;
  const host = target.split('/')[0]!;
  const helperKey = matchingKeys(config.credHelpers, host, false, host)[0];
  if (helperKey !== undefined) {
    const helper = config.credHelpers[helperKey];
    if (typeof helper !== 'string') throw fileError(file, `credHelpers[${JSON.stringify(helperKey)}] must be a string naming a docker-credential helper`);
    const cred = await helperGet(host, helper, `credHelpers in ${file.display}`, run);
    if (cred) return cred;
  }
  for (const key of scopedKeys(target)) {
    for (const k of matchingKeys(config.auths, key, true, key)) {
      const cred = entryCredential(file, k, config.auths[k], `${file.label} (auths)`);
      if (cred) return cred;
    }
  }
  return undefined;
}

async function fromDockerConfig(file: ConfigFile, registry: string, run: NonNullable<CredentialOptions['runHelper']>): Promise<Credential | undefined> {
  const config = await readConfig(file);
  if (!config) return undefined;
  const helperKey = matchingKeys(config.credHelpers, registry, false, serverURL(registry))[0];
  if (helperKey !== undefined) {
    const helper = config.credHelpers[helperKey];
    if (typeof helper !== 'string') throw fileError(file, `credHelpers[${JSON.stringify(helperKey)}] must be a string naming a docker-credential helper`);
    const cred = await helperGet(registry, helper, `credHelpers in ${file.display}`, run);
    if (cred) return cred;
  }
  for (const k of matchingKeys(config.auths, registry, false, serverURL(registry))) {
    const cred = entryCredential(file, k, config.auths[k], `${file.label} (auths)`);
    if (cred) return cred;
  }
  if (config.credsStore) return helperGet(registry, config.credsStore, `credsStore in ${file.display}`, run);
  return undefined;
}

function resolveOptions(options: CredentialOptions): { env: NodeJS.ProcessEnv; home: string; run: NonNullable<CredentialOptions['runHelper']> } {
  const env = options.env ?? process.env;
  const home = options.home ?? os.homedir();
  const run = options.runHelper ?? ((helper, action, input) => spawnHelper(helper, action, input, env));
  return { env, home, run };
}

/**
 * The credential for a registry, or undefined for anonymous access. `registry` is a registry host
 * (`ghcr.io`, `localhost:5000`, `docker.io`) or, to use repository-scoped entries of podman auth files,
 * `host/repository` (`ghcr.io/org/app`). First hit wins: REGISTRY_USERNAME + REGISTRY_PASSWORD;
 * GITHUB_TOKEN for ghcr.io; $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json,
 * ~/.config/containers/auth.json; $DOCKER_CONFIG/config.json or ~/.docker/config.json (credHelpers,
 * auths, credsStore).
 */
export async function findCredential(registry: string, options: CredentialOptions = {}): Promise<Credential | undefined> {
  const { env, home, run } = resolveOptions(options);
  const slash = registry.indexOf('/');
  const host = normalizeRegistry(slash === -1 ? registry : registry.slice(0, slash));
  const target = host + (slash === -1 ? '' : registry.slice(slash).replace(/\/+$/, ''));

  if (env.REGISTRY_USERNAME && env.REGISTRY_PASSWORD) {
    return { kind: 'basic', username: env.REGISTRY_USERNAME, password: env.REGISTRY_PASSWORD, source: 'REGISTRY_USERNAME/REGISTRY_PASSWORD' };
  }
  if (host === 'ghcr.io' && env.GITHUB_TOKEN) {
    return { kind: 'basic', username: env.GITHUB_ACTOR || 'token', password: env.GITHUB_TOKEN, source: 'GITHUB_TOKEN' };
  }
  for (const file of authFiles(env, home)) {
    const cred = await fromAuthFile(file, target, run);
    if (cred) return cred;
  }
  return fromDockerConfig(dockerConfigFile(env, home), host, run);
}

/**
 * Saves a username and password for a registry the way `docker login` does: through the credential
 * helper the Docker config names for it (credHelpers, then credsStore), else as `auths[…].auth` in
 * $DOCKER_CONFIG/config.json or ~/.docker/config.json, keeping everything else in the file, written
 * atomically with mode 0600. Returns where it went, e.g. `~/.docker/config.json (auths)`.
 */
export async function storeCredential(registry: string, username: string, password: string, options: CredentialOptions = {}): Promise<string> {
  const { env, home, run } = resolveOptions(options);
  const host = normalizeKey(registry, false); // also accepts what `docker login` accepts: https://host/v1/
  if (host === '') throw new RegistryError('E_CREDENTIALS', 'name the registry to log in to, e.g. ghcr.io');
  if (username === '' || username.includes(':')) {
    throw new RegistryError('E_CREDENTIALS', `the user name for ${host} must be non-empty and must not contain ":"`);
  }
  if (password === '') throw new RegistryError('E_CREDENTIALS', `the password for ${host} is empty; give it on stdin or in REGISTRY_PASSWORD`);
  const file = dockerConfigFile(env, home);
  const config = (await readConfig(file)) ?? { data: {}, auths: {}, credHelpers: {}, credsStore: undefined };

  const helperKey = matchingKeys(config.credHelpers, host, false, serverURL(host))[0];
  let helper: string | undefined;
  let why = '';
  if (helperKey !== undefined) {
    const named = config.credHelpers[helperKey];
    if (typeof named !== 'string') throw fileError(file, `credHelpers[${JSON.stringify(helperKey)}] must be a string naming a docker-credential helper`);
    helper = named;
    why = `credHelpers in ${file.display}`;
  } else if (config.credsStore) {
    helper = config.credsStore;
    why = `credsStore in ${file.display}`;
  }
  if (helper !== undefined) {
    checkHelperName(helper, why);
    const input = JSON.stringify({ ServerURL: serverURL(host), Username: username, Secret: password });
    try {
      await run(helper, 'store', input);
    } catch (err) {
      throw helperError(helper, 'store', why, err, password);
    }
    return `docker-credential-${helper}`;
  }

  // Replace any entry that means this registry under another spelling, so exactly one remains.
  const auths: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config.auths)) if (normalizeKey(k, false) !== host) auths[k] = v;
  auths[serverURL(host)] = { auth: Buffer.from(`${username}:${password}`).toString('base64') };
  const data = { ...config.data, auths };
  await writeFileAtomic(file, `${JSON.stringify(data, null, '\t')}\n`);
  return `${file.label} (auths)`;
}

async function writeFileAtomic(file: ConfigFile, text: string): Promise<void> {
  let target = file.path;
  try {
    target = await realpath(file.path); // keep a symlinked config.json a symlink
  } catch {
    // does not exist yet
  }
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(tmp, 0o600);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    const code = (err as NodeJS.ErrnoException).code;
    throw fileError(file, `cannot be written (${code ?? 'error'}); check the permissions of its directory`, err);
  }
}
