/**
 * Test fixture: the real CNCF distribution registry (Debian's `docker-registry`,
 * distribution 2.8.2, `/usr/bin/docker-registry serve <config.yml>`) on a random
 * loopback port, in three security modes:
 *
 *   plain      http://127.0.0.1:<port>, no auth.
 *   tls-basic  https with a throwaway CA, `auth.htpasswd` (bcrypt, made by `htpasswd -B`).
 *   token      https with the same kind of CA, `auth.token` pointing at a token issuer
 *              that runs inside the test process (an https server on another loopback port).
 *
 * What distribution 2.8.2 needs from a token (checked against the binary): the JWS header must
 * say which key signed it; a header with neither `x5c` nor a known `kid` is rejected (401).
 * It accepts `x5c` (base64 DER certificate chain whose leaf verifies against `rootcertbundle`;
 * a self-signed signing cert that is itself the bundle works), and equally a `kid` equal to
 * the libtrust key id of a key in the bundle (see `libtrustKeyId`). We send `x5c`. ES256 signatures must be raw r||s (JWS form), not DER. The registry accepts a token
 * for 60 s past its `exp` (its leeway), so we put `exp` 60 s before the advertised
 * `expires_in` ends: a token stops working when the client was told it would.
 *
 * Every instance lives in its own temp dir (config, storage, keys); stop() kills the
 * child and removes the dir. A process 'exit' hook SIGKILLs and removes whatever a
 * failed test did not stop, and the child and servers are unref'd so a forgotten
 * stop() cannot hang the test runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureBaseImage } from './base-image.js';
import { run } from './tools.js';

export type RegistryMode = 'plain' | 'tls-basic' | 'token';

export interface TokenRequest {
  scope: string[];
  account?: string;
  service?: string;
}

export interface TestRegistry {
  /** '127.0.0.1:<port>' */
  host: string;
  /** 'http://127.0.0.1:<port>' or 'https://127.0.0.1:<port>' */
  url: string;
  mode: RegistryMode;
  /** PEM of the CA that signed the registry's (and the token issuer's) TLS cert. */
  caFile?: string;
  /** Valid credentials (tls-basic: the htpasswd user; token: the issuer's user). */
  username?: string;
  password?: string;
  /** Env for child processes so Node trusts the CA: { NODE_EXTRA_CA_CERTS: caFile } ({} for plain). */
  env: Record<string, string>;
  /** skopeo flags to reach it as the destination of `skopeo copy` (TLS trust + creds). */
  skopeoDest: string[];
  /** The same as the source of `skopeo copy`. */
  skopeoSrc: string[];
  /** The same for one-image commands (`skopeo inspect`, `delete`, `list-tags`). */
  skopeoFlags: string[];
  /** Token mode: the realm's URL (https://127.0.0.1:<port>/token). */
  realm?: string;
  /** Token mode: the `service` the registry advertises (and the tokens' `aud`). */
  service?: string;
  /** Token mode: every token request the issuer received, in order. */
  tokenRequests?: TokenRequest[];
  stop(): Promise<void>;
}

export interface StartRegistryOptions {
  /** Token mode: lifetime of issued tokens (default 300). */
  tokenTtlSeconds?: number;
}

const REGISTRY_BIN = 'docker-registry';
const SERVICE = 'pycontainer-test-registry';
const ISSUER = 'pycontainer-test-issuer';
/** distribution's token.Leeway. */
const REGISTRY_LEEWAY_SECONDS = 60;
const START_TIMEOUT_MS = 15_000;

// ---------------------------------------------------------------------------
// leftovers: kill children and remove dirs at exit, whatever happened

const liveChildren = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;

function killLeftovers(): void {
  for (const c of liveChildren) {
    try {
      c.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const d of liveDirs) {
    try {
      rmSync(d, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killLeftovers);
  // The test runner stops a timed-out file with SIGTERM; Ctrl-C sends SIGINT. Clean up, then
  // die of the same signal (unless someone else handles it).
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    if (process.listenerCount(sig) > 0) continue;
    process.once(sig, () => {
      killLeftovers();
      process.kill(process.pid, sig);
    });
  }
}

// ---------------------------------------------------------------------------
// ports

/** A port that was free a moment ago (the caller retries on EADDRINUSE). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Listen on a random loopback port; returns the port. */
export function listenLoopback(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/** Close a server and every connection it still has. */
export function closeServer(server: http.Server | https.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

// ---------------------------------------------------------------------------
// PKI (openssl CLI, EC P-256: each step takes a few ms)

interface Pki {
  caFile: string;
  /** Directory holding only ca.crt, for skopeo --cert-dir. */
  certDir: string;
  serverCert: string;
  serverKey: string;
  ca: Buffer;
  serverCertPem: Buffer;
  serverKeyPem: Buffer;
}

async function makePki(dir: string): Promise<Pki> {
  const p = (f: string) => path.join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', [
    'req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.crt'), '-days', '2',
    '-subj', '/CN=pycontainer test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await run('openssl', ['req', '-new', ...ec, '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=127.0.0.1']);
  await writeFile(
    p('server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' +
      'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
  );
  await run('openssl', [
    'x509', '-req', '-in', p('server.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial',
    '-out', p('server.crt'), '-days', '2', '-extfile', p('server.ext'),
  ]);
  const certDir = p('certs.d');
  await mkdir(certDir);
  const ca = await readFile(p('ca.crt'));
  await writeFile(path.join(certDir, 'ca.crt'), ca);
  return {
    caFile: p('ca.crt'),
    certDir,
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    ca,
    serverCertPem: await readFile(p('server.crt')),
    serverKeyPem: await readFile(p('server.key')),
  };
}

/** A self-signed EC P-256 cert + key for signing tokens (the registry's rootcertbundle). */
async function makeSigningCert(dir: string): Promise<{ certFile: string; key: KeyObject; certDer: Buffer }> {
  const certFile = path.join(dir, 'token-signer.crt');
  const keyFile = path.join(dir, 'token-signer.key');
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=pycontainer test token signer',
  ]);
  const key = createPrivateKey(await readFile(keyFile));
  const certDer = new X509Certificate(await readFile(certFile)).raw;
  return { certFile, key, certDer };
}

/**
 * The key id libtrust (and so distribution 2.x's `kid` lookup) gives a public key:
 * SHA-256 of its DER SubjectPublicKeyInfo, first 240 bits, base32, in 12 groups of 4
 * joined by ':'. The issuer sends x5c instead; a `kid` made with this was also accepted
 * by distribution 2.8.2.
 */
export function libtrustKeyId(publicKeyDer: Buffer): string {
  const bytes = createHash('sha256').update(publicKeyDer).digest().subarray(0, 30);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out.match(/.{4}/g)!.join(':');
}

// ---------------------------------------------------------------------------
// token issuer

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

interface Issuer {
  realm: string;
  requests: TokenRequest[];
  stop(): Promise<void>;
}

interface ParsedScope {
  type: string;
  name: string;
  actions: string[];
}

function parseScope(s: string): ParsedScope | undefined {
  const first = s.indexOf(':');
  const last = s.lastIndexOf(':');
  if (first <= 0 || last <= first) return undefined;
  return {
    type: s.slice(0, first),
    name: s.slice(first + 1, last),
    actions: s.slice(last + 1).split(',').filter(Boolean),
  };
}

async function startIssuer(
  pki: Pki,
  signer: { key: KeyObject; certDer: Buffer },
  user: { username: string; password: string },
  ttl: number,
): Promise<Issuer> {
  const requests: TokenRequest[] = [];
  const refreshTokens = new Set<string>();

  function makeToken(subject: string, scopes: string[], authorized: boolean): string {
    const now = Math.floor(Date.now() / 1000);
    const access = authorized
      ? scopes
          .map(parseScope)
          .filter((s): s is ParsedScope => s !== undefined)
          .map((s) => ({
            type: s.type,
            name: s.name,
            actions: s.actions.filter((a) => ['pull', 'push', 'delete', '*'].includes(a)),
          }))
      : [];
    const header = { typ: 'JWT', alg: 'ES256', x5c: [signer.certDer.toString('base64')] };
    const claims = {
      iss: ISSUER,
      sub: subject,
      aud: SERVICE,
      exp: now + ttl - REGISTRY_LEEWAY_SECONDS,
      nbf: now - 1,
      iat: now,
      jti: randomBytes(12).toString('hex'),
      access,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const sig = sign('sha256', Buffer.from(input), { key: signer.key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${b64url(sig)}`;
  }

  function reply(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  function tokenResponse(res: http.ServerResponse, subject: string, scopes: string[], authorized: boolean, refresh?: string) {
    const token = makeToken(subject, scopes, authorized);
    reply(res, 200, {
      token,
      access_token: token,
      expires_in: ttl,
      issued_at: new Date().toISOString(),
      ...(refresh ? { refresh_token: refresh } : {}),
    });
  }

  const server = https.createServer({ cert: pki.serverCertPem, key: pki.serverKeyPem }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    if (url.pathname !== '/token') return reply(res, 404, { error: 'not found' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'GET') {
        // Docker token protocol: Basic credentials (or none), ?service=&scope=&scope=&account=
        const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
        const account = url.searchParams.get('account') ?? undefined;
        const service = url.searchParams.get('service') ?? undefined;
        requests.push({ scope: scopes, ...(account ? { account } : {}), ...(service ? { service } : {}) });
        const auth = req.headers.authorization;
        if (!auth) return tokenResponse(res, '', scopes, false);
        const m = /^Basic\s+(\S+)$/i.exec(auth);
        const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
        const colon = decoded.indexOf(':');
        const u = colon >= 0 ? decoded.slice(0, colon) : '';
        const p = colon >= 0 ? decoded.slice(colon + 1) : '';
        if (u !== user.username || p !== user.password) {
          return reply(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] }, {
            'WWW-Authenticate': 'Basic realm="pycontainer-test-issuer"',
          });
        }
        const refresh = url.searchParams.get('offline_token') === 'true' ? randomBytes(16).toString('hex') : undefined;
        if (refresh) refreshTokens.add(refresh);
        return tokenResponse(res, u, scopes, true, refresh);
      }
      if (req.method === 'POST') {
        // OAuth2 form: grant_type=password|refresh_token, service, scope (space separated), client_id
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
        const service = form.get('service') ?? undefined;
        const account = form.get('username') ?? undefined;
        requests.push({ scope: scopes, ...(account ? { account } : {}), ...(service ? { service } : {}) });
        const grant = form.get('grant_type');
        if (grant === 'password' && form.get('username') === user.username && form.get('password') === user.password) {
          const refresh = form.get('access_type') === 'offline' ? randomBytes(16).toString('hex') : undefined;
          if (refresh) refreshTokens.add(refresh);
          return tokenResponse(res, user.username, scopes, true, refresh);
        }
        if (grant === 'refresh_token' && refreshTokens.has(form.get('refresh_token') ?? '')) {
          return tokenResponse(res, user.username, scopes, true);
        }
        return reply(res, 401, { error: 'invalid_grant' });
      }
      reply(res, 405, { error: 'method not allowed' });
    });
  });
  const port = await listenLoopback(server);
  server.unref();
  return { realm: `https://127.0.0.1:${port}/token`, requests, stop: () => closeServer(server) };
}

// ---------------------------------------------------------------------------
// the registry

function yamlString(s: string): string {
  return JSON.stringify(s); // JSON strings are valid YAML double-quoted scalars
}

function registryConfig(o: {
  dir: string;
  port: number;
  tls?: { cert: string; key: string };
  htpasswd?: string;
  token?: { realm: string; rootcertbundle: string };
}): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${yamlString(path.join(o.dir, 'storage'))}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: 127.0.0.1:${o.port}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
    '  headers:',
    '    X-Content-Type-Options: [nosniff]',
  ];
  if (o.tls) {
    lines.push('  tls:', `    certificate: ${yamlString(o.tls.cert)}`, `    key: ${yamlString(o.tls.key)}`);
  }
  if (o.htpasswd) {
    lines.push('auth:', '  htpasswd:', '    realm: pycontainer-test', `    path: ${yamlString(o.htpasswd)}`);
  }
  if (o.token) {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${yamlString(o.token.realm)}`,
      `    service: ${SERVICE}`,
      `    issuer: ${ISSUER}`,
      `    rootcertbundle: ${yamlString(o.token.rootcertbundle)}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** GET /v2/ once: the status, or undefined if nothing answered. */
function probe(url: string, ca?: Buffer): Promise<number | undefined> {
  return new Promise((resolve) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.get(`${url}/v2/`, { ca, agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class AddressInUse extends Error {}

/** Start the registry on a random port; resolves once GET /v2/ answers 200 or 401. */
async function spawnRegistry(
  dir: string,
  makeConfig: (port: number) => string,
  scheme: 'http' | 'https',
  ca?: Buffer,
): Promise<{ child: ChildProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const configFile = path.join(dir, 'config.yml');
    await writeFile(configFile, makeConfig(port));
    try {
      const child = await spawnOnce(configFile, `${scheme}://127.0.0.1:${port}`, ca);
      return { child, port };
    } catch (e) {
      if (e instanceof AddressInUse && attempt < 5) continue;
      throw e;
    }
  }
}

async function spawnOnce(configFile: string, url: string, ca?: Buffer): Promise<ChildProcess> {
  const child = spawn(REGISTRY_BIN, ['serve', configFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OTEL_TRACES_EXPORTER: 'none' },
  });
  liveChildren.add(child);
  let output = '';
  const collect = (b: Buffer) => {
    output = (output + b.toString('utf8')).slice(-8000);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = signal ?? `exit ${code}`;
    liveChildren.delete(child);
  });
  let spawnError: Error | undefined;
  child.on('error', (e) => {
    spawnError = e;
    liveChildren.delete(child);
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (spawnError) throw new Error(`${REGISTRY_BIN}: failed to start: ${spawnError.message}`);
    if (exited !== undefined) {
      await sleep(20); // let the last output arrive
      if (/address already in use/i.test(output)) throw new AddressInUse(output);
      throw new Error(`${REGISTRY_BIN} serve ${configFile} exited (${exited}) before answering:\n${output}`);
    }
    const status = await probe(url, ca);
    if (status === 200 || status === 401) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${REGISTRY_BIN} did not answer GET ${url}/v2/ within ${START_TIMEOUT_MS} ms:\n${output}`);
    }
    await sleep(25);
  }
  child.unref();
  (child.stdout as net.Socket).unref();
  (child.stderr as net.Socket).unref();
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startRegistry(mode: RegistryMode, opts: StartRegistryOptions = {}): Promise<TestRegistry> {
  if (mode !== 'plain' && mode !== 'tls-basic' && mode !== 'token') {
    throw new Error(`startRegistry: unknown mode ${JSON.stringify(mode)}`);
  }
  installExitHook();
  const dir = await mkdtemp(path.join(os.tmpdir(), `pyc-registry-${mode}-`));
  liveDirs.add(dir);
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    cleanups.length = 0;
    await rm(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
  };
  try {
    if (mode === 'plain') {
      const { child, port } = await spawnRegistry(dir, (p) => registryConfig({ dir, port: p }), 'http');
      cleanups.push(() => stopChild(child));
      const host = `127.0.0.1:${port}`;
      return {
        host,
        url: `http://${host}`,
        mode,
        env: {},
        skopeoDest: ['--dest-tls-verify=false'],
        skopeoSrc: ['--src-tls-verify=false'],
        skopeoFlags: ['--tls-verify=false'],
        stop: cleanup,
      };
    }

    const pki = await makePki(dir);
    const username = 'pyc-tester';
    const password = randomBytes(12).toString('base64url');
    const tls = { cert: pki.serverCert, key: pki.serverKey };
    let makeConfig: (port: number) => string;
    let issuer: Issuer | undefined;
    if (mode === 'tls-basic') {
      const htpasswdFile = path.join(dir, 'htpasswd');
      const { stdout } = await run('htpasswd', ['-Bbn', username, password]);
      await writeFile(htpasswdFile, stdout.trim() + '\n');
      makeConfig = (port) => registryConfig({ dir, port, tls, htpasswd: htpasswdFile });
    } else {
      const signer = await makeSigningCert(dir);
      const iss = await startIssuer(pki, signer, { username, password }, opts.tokenTtlSeconds ?? 300);
      issuer = iss;
      cleanups.push(() => iss.stop());
      makeConfig = (port) => registryConfig({ dir, port, tls, token: { realm: iss.realm, rootcertbundle: signer.certFile } });
    }
    const { child, port } = await spawnRegistry(dir, makeConfig, 'https', pki.ca);
    cleanups.push(() => stopChild(child));
    const host = `127.0.0.1:${port}`;
    const creds = `${username}:${password}`;
    return {
      host,
      url: `https://${host}`,
      mode,
      caFile: pki.caFile,
      username,
      password,
      env: { NODE_EXTRA_CA_CERTS: pki.caFile },
      skopeoDest: ['--dest-cert-dir', pki.certDir, '--dest-creds', creds],
      skopeoSrc: ['--src-cert-dir', pki.certDir, '--src-creds', creds],
      skopeoFlags: ['--cert-dir', pki.certDir, '--creds', creds],
      ...(issuer ? { realm: issuer.realm, service: SERVICE, tokenRequests: issuer.requests } : {}),
      stop: cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** skopeo flags for `reg` without credentials (anonymous), for one-image commands. */
export function skopeoAnonymousFlags(reg: TestRegistry): string[] {
  const out: string[] = [];
  for (let i = 0; i < reg.skopeoFlags.length; i++) {
    if (reg.skopeoFlags[i] === '--creds') i++;
    else out.push(reg.skopeoFlags[i]!);
  }
  return out;
}

/**
 * skopeo copy of the Debian-made base image into the registry as <repo>:<tag>;
 * returns the pushed manifest digest (the layout's own manifest, byte for byte).
 */
export async function pushBaseImage(reg: TestRegistry, variant: 'plain' | 'web', repo: string, tag: string): Promise<string> {
  const base = await ensureBaseImage(variant);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'pyc-push-'));
  try {
    const digestFile = path.join(tmp, 'digest');
    await run(
      'skopeo',
      ['copy', '--quiet', '--preserve-digests', ...reg.skopeoDest, '--digestfile', digestFile, base.ref, `docker://${reg.host}/${repo}:${tag}`],
      { timeoutMs: 300_000 },
    );
    return (await readFile(digestFile, 'utf8')).trim();
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * One HTTP(S) request to the registry (or anything on `reg.url`), trusting its CA.
 * No credentials unless you pass an Authorization header.
 */
export function registryRequest(
  reg: Pick<TestRegistry, 'url' | 'caFile'>,
  method: string,
  pathAndQuery: string,
  init: { headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<RawResponse> {
  const target = new URL(pathAndQuery, reg.url);
  return rawRequest(method, target.href, { ...init, ...(reg.caFile ? { caFile: reg.caFile } : {}) });
}

/** One HTTP(S) request to any URL; `caFile` is trusted for https. */
export async function rawRequest(
  method: string,
  url: string,
  init: { headers?: Record<string, string>; body?: Buffer | string; caFile?: string } = {},
): Promise<RawResponse> {
  const ca = init.caFile ? await readFile(init.caFile) : undefined;
  return new Promise((resolve, reject) => {
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.request(url, { method, headers: init.headers, ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
