import type { Readable } from 'node:stream';
import { Agent, getGlobalDispatcher, type Dispatcher } from 'undici';
import { displayUrl, RegistryError } from '../errors.js';
import type { Credential } from './credentials.js';
import { isLoopback, registryEndpoint } from './reference.js';
import { statusText } from '../lazy-builtins.js';


/** A request body that can be produced again for a retry (undici sends an async iterable chunk by chunk). */
export type BodyFactory = () => Readable | AsyncIterable<Buffer> | Buffer | string;

export interface RegistryRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query under the registry (`/v2/...`), or an absolute URL (upload locations). */
  path: string;
  headers?: Record<string, string>;
  body?: BodyFactory;
  /** Token scopes this request needs (`repository:org/app:pull,push`). */
  scopes: string[];
  /** Statuses that are answers, not errors (e.g. 404 for a HEAD that checks existence). */
  accept?: number[];
  /**
   * Send once, never retry here: for upload-session requests (PATCH, the PUT that completes an
   * upload), whose retry against the same session is unsafe; the caller recovers.
   */
  once?: boolean;
}

export interface RegistryResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
  url: string;
}

export interface HttpOptions {
  /** Hosts that may be spoken to over plain HTTP (loopback hosts always may). */
  insecure?: string[];
  credential?: (registry: string) => Promise<Credential | undefined>;
  /** Attempts for 408/429/5xx and connection resets. */
  attempts?: number;
  /** First backoff in ms; doubles each attempt, with jitter; Retry-After wins when the registry sends it. */
  backoffMs?: number;
  dispatcher?: Dispatcher;
  userAgent?: string;
  /** Observes each request (method, URL without query secrets, status): for --verbose. Never sees headers. */
  onRequest?: (line: string) => void;
}

/** An error status from the registry, with its OCI error codes and the Retry-After it asked for. */
export class RegistryStatusError extends RegistryError {
  readonly ociCodes: string[];
  readonly retryAfterMs: number | undefined;

  constructor(code: string, message: string, options: { status: number; temporary: boolean; ociCodes: string[]; retryAfterMs?: number }) {
    super(code, message, { status: options.status, temporary: options.temporary });
    this.ociCodes = options.ociCodes;
    this.retryAfterMs = options.retryAfterMs;
  }
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * HTTP for one registry: picks https (or http for loopback/insecure hosts that do not speak TLS),
 * answers Basic and Bearer challenges with the credentials found for the registry, caches tokens per
 * scope set, retries temporary failures with backoff, follows redirects without carrying the
 * Authorization header to another host, and turns error responses into RegistryErrors that carry the
 * registry's OCI error code. Credentials never reach a message.
 */
export class RegistryHttp {
  private base: string | undefined;
  private challenge: Challenge | undefined;
  private credentialLoaded = false;
  private cred: Credential | undefined;
  private readonly tokens = new Map<string, { token: string; expires: number }>();
  private readonly dispatcher: Dispatcher;

  constructor(
    readonly registry: string,
    private readonly options: HttpOptions = {},
  ) {
    this.dispatcher = options.dispatcher ?? sharedAgent();
  }

  private get allowHttp(): boolean {
    return isLoopback(this.registry) || (this.options.insecure ?? []).includes(this.registry);
  }

  /** The base URL: https://host, or http://host for an insecure/loopback registry that does not do TLS. */
  async baseUrl(): Promise<string> {
    if (this.base) return this.base;
    const host = registryEndpoint(this.registry);
    const https = `https://${host}`;
    if (!this.allowHttp) return (this.base = https);
    try {
      const res = await requestUrl(`${https}/v2/`, { method: 'GET', headersTimeout: 10_000 }, this.dispatcher);
      await res.body.dump();
      return (this.base = https);
    } catch (err) {
      if (!isTlsMismatch(err)) throw this.networkError(err, 'GET', '/v2/');
      return (this.base = `http://${host}`);
    }
  }

  private async credential(): Promise<Credential | undefined> {
    if (!this.credentialLoaded) {
      this.cred = await this.options.credential?.(this.registry);
      this.credentialLoaded = true;
    }
    return this.cred;
  }

  /**
   * Sends a request; the caller must consume or dump the body. Temporary failures (408/429/5xx,
   * resets) are retried with backoff unless `req.once` says the caller recovers on its own.
   */
  async send(req: RegistryRequest): Promise<RegistryResponse> {
    return this.withRetries(req, async (res) => res);
  }

  /**
   * Sends a GET or HEAD and reads the whole body inside the retry: a body cut off halfway is retried
   * like a reset before the status line (the status and headers alone prove nothing).
   */
  async sendAndRead(req: RegistryRequest & { method: 'GET' | 'HEAD' }): Promise<RegistryResponse & { bytes: Buffer }> {
    return this.withRetries(req, async (res) => {
      try {
        return { ...res, bytes: Buffer.from(await res.body.arrayBuffer()) };
      } catch (err) {
        throw this.networkError(err, req.method, req.path);
      }
    });
  }

  /** Runs `req` and `finish` (which reads the response) up to `attempts` times. */
  private async withRetries<T>(req: RegistryRequest, finish: (res: RegistryResponse) => Promise<T>): Promise<T> {
    const attempts = req.once ? 1 : (this.options.attempts ?? DEFAULT_ATTEMPTS);
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const res = await this.sendAuthorized(req);
        if (isTemporaryStatus(res.status) && attempt < attempts && !(req.accept ?? []).includes(res.status)) {
          const wait = retryAfterMs(res.headers['retry-after']) ?? this.backoff(attempt);
          await res.body.dump().catch(() => undefined);
          this.options.onRequest?.(`${req.method} ${displayUrl(res.url)} → ${res.status}, retrying in ${wait} ms`);
          await sleep(wait);
          continue;
        }
        if (res.status >= 400 && !(req.accept ?? []).includes(res.status)) throw await this.errorFrom(req, res);
        return await finish(res);
      } catch (err) {
        lastError = err;
        if (err instanceof RegistryError && !err.temporary) throw err;
        if (attempt >= attempts) break;
        const wait = this.backoff(attempt);
        this.options.onRequest?.(`${req.method} ${displayUrl(req.path)} failed (${(err as Error).message}), retrying in ${wait} ms`);
        await sleep(wait);
      }
    }
    const error = lastError instanceof RegistryError ? lastError : this.networkError(lastError, req.method, req.path);
    if (attempts > 1 && error.temporary) {
      // Name the registry and how often we tried: a hostile network, not a bug and not bad input.
      throw new RegistryError(error.code, `${error.message} (gave up after ${attempts} attempts)`, { temporary: true, cause: error, ...(error.status !== undefined ? { status: error.status } : {}) });
    }
    throw error;
  }

  /** Exponential backoff from PYCONTAINER_RETRY_BASE_MS (or the option, or 500 ms), ±25% jitter, at most 30 s. */
  backoff(attempt: number): number {
    const base = this.options.backoffMs ?? retryBaseFromEnv() ?? 500;
    return Math.round(Math.min(30_000, base * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5));
  }

  /** One attempt, answering an auth challenge once, following redirects. */
  private async sendAuthorized(req: RegistryRequest): Promise<RegistryResponse> {
    let res = await this.sendOnce(req, await this.authorization(req.scopes, false));
    if (res.status === 401) {
      const challenge = parseChallenge(res.headers['www-authenticate']);
      await res.body.dump();
      if (!challenge) throw new RegistryError('E_AUTH', `registry ${this.registry} refused ${req.method} ${req.path.split('?')[0]} (401) without saying how to authenticate`, { status: 401 });
      this.challenge = challenge;
      // A cached token may have expired or lack this scope: fetch afresh.
      res = await this.sendOnce(req, await this.authorization(req.scopes, true));
      if (res.status === 401 || res.status === 403) {
        const cred = await this.credential();
        await res.body.dump();
        throw new RegistryError(
          'E_AUTH',
          `registry ${this.registry} denied ${req.scopes.join(' ') || 'access'} (${res.status})${cred ? ` with the credentials from ${cred.source}` : ' to an anonymous client'}; ${cred ? 'check them' : 'log in with `pycontainer login` or set REGISTRY_USERNAME/REGISTRY_PASSWORD'}`,
          { status: res.status },
        );
      }
    }
    return res;
  }

  private async sendOnce(req: RegistryRequest, authorization: string | undefined): Promise<RegistryResponse> {
    const base = await this.baseUrl();
    let url = /^https?:\/\//.test(req.path) ? req.path : `${base}${req.path}`;
    const origin = new URL(base).host;
    let method = req.method;
    let body = req.body?.();
    for (let hop = 0; hop < 6; hop++) {
      const headers: Record<string, string> = { 'user-agent': this.options.userAgent ?? 'pycontainer', ...(req.headers ?? {}) };
      // Authorization only ever goes to the registry's own host.
      if (authorization && new URL(url).host === origin) headers.authorization = authorization;
      let res: Dispatcher.ResponseData;
      try {
        // undici sends async iterables too (writeIterable), though its types only list streams and buffers.
        res = await requestUrl(url, { method, headers, body: (body ?? null) as Dispatcher.RequestOptions['body'], headersTimeout: 60_000, bodyTimeout: 300_000 }, this.dispatcher);
      } catch (err) {
        // A body stream that failed (e.g. a source blob that did not match its digest) is that failure.
        const cause = (err as { cause?: unknown }).cause;
        if (err instanceof RegistryError) throw err;
        if (cause instanceof RegistryError) throw cause;
        throw this.networkError(err, method, url);
      }
      this.options.onRequest?.(`${method} ${displayUrl(url)} → ${res.statusCode}`);
      const location = res.headers.location;
      if (res.statusCode >= 300 && res.statusCode < 400 && res.statusCode !== 304 && typeof location === 'string' && (method === 'GET' || method === 'HEAD')) {
        await res.body.dump();
        url = new URL(location, url).toString();
        body = undefined;
        continue;
      }
      return { status: res.statusCode, headers: res.headers, body: res.body, url };
    }
    throw new RegistryError('E_REDIRECTS', `registry ${this.registry}: too many redirects for ${req.method} ${req.path.split('?')[0]}`);
  }

  /** The Authorization header for these scopes, fetching a token when the registry asked for Bearer. */
  private async authorization(scopes: string[], refresh: boolean): Promise<string | undefined> {
    const challenge = this.challenge;
    if (!challenge) return undefined;
    const cred = await this.credential();
    if (challenge.scheme === 'basic') {
      if (!cred || cred.kind !== 'basic') return undefined;
      return `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}`;
    }
    if (challenge.scheme !== 'bearer') {
      throw new RegistryError('E_AUTH', `registry ${this.registry} asks for ${challenge.scheme} authentication, which pycontainer does not speak`);
    }
    const key = [...scopes].sort().join(' ');
    const cached = this.tokens.get(key);
    if (cached && !refresh && cached.expires > Date.now()) return `Bearer ${cached.token}`;
    const token = await this.fetchToken(challenge, scopes, cred);
    this.tokens.set(key, token);
    return `Bearer ${token.token}`;
  }

  private async fetchToken(challenge: Challenge, scopes: string[], cred: Credential | undefined): Promise<{ token: string; expires: number }> {
    const realm = challenge.params.realm;
    if (!realm) throw new RegistryError('E_AUTH', `registry ${this.registry}: Bearer challenge without a realm`);
    const url = new URL(realm);
    if (url.protocol !== 'https:' && !isLoopback(url.host) && !(this.options.insecure ?? []).includes(url.host)) {
      throw new RegistryError('E_AUTH', `registry ${this.registry}: refusing to send credentials to a token service over plain HTTP (${url.origin})`);
    }
    const headers: Record<string, string> = { 'user-agent': this.options.userAgent ?? 'pycontainer' };
    let method: 'GET' | 'POST' = 'GET';
    let body: string | undefined;
    if (cred?.kind === 'identity-token') {
      // An OAuth2 refresh token (docker's identitytoken) is exchanged with a form POST.
      method = 'POST';
      headers['content-type'] = 'application/x-www-form-urlencoded';
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: cred.token, client_id: 'pycontainer' });
      if (challenge.params.service) form.set('service', challenge.params.service);
      if (scopes.length) form.set('scope', scopes.join(' '));
      body = form.toString();
    } else {
      if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
      for (const scope of scopes) url.searchParams.append('scope', scope);
      if (cred?.kind === 'basic') {
        headers.authorization = `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}`;
        url.searchParams.set('account', cred.username);
      }
    }
    // The token service is as exposed to a bad network as the registry: retried the same way.
    const attempts = this.options.attempts ?? DEFAULT_ATTEMPTS;
    let res: Dispatcher.ResponseData | undefined;
    let json: { token?: string; access_token?: string; expires_in?: number } | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        res = await requestUrl(url.toString(), { method, headers, body: body ?? null, headersTimeout: 30_000 }, this.dispatcher);
        if (res.statusCode === 200) json = (await res.body.json()) as typeof json;
        else if (isTemporaryStatus(res.statusCode) && attempt < attempts) {
          await res.body.dump().catch(() => undefined);
          await sleep(retryAfterMs(res.headers['retry-after']) ?? this.backoff(attempt));
          continue;
        }
        break;
      } catch (err) {
        if (!isConnectionFailure(err) || attempt >= attempts) throw this.networkError(err, method, `${url.origin}${url.pathname}`);
        await sleep(this.backoff(attempt));
      }
    }
    this.options.onRequest?.(`${method} ${url.origin}${url.pathname} (token) → ${res.statusCode}`);
    if (res.statusCode !== 200 || !json) {
      await res.body.dump();
      throw new RegistryError(
        'E_AUTH',
        `the token service of ${this.registry} (${url.origin}${url.pathname}) refused ${cred ? `the credentials from ${cred.source}` : 'an anonymous token'} (${res.statusCode})`,
        { status: res.statusCode },
      );
    }
    const token = json.token ?? json.access_token;
    if (!token) throw new RegistryError('E_AUTH', `the token service of ${this.registry} answered without a token`);
    // Renew a little early; registries default to 60 s when expires_in is missing.
    return { token, expires: Date.now() + Math.max(10, (json.expires_in ?? 60) - 10) * 1000 };
  }

  /** A RegistryError from an error response: status, the OCI error codes and messages, what was asked. */
  private async errorFrom(req: RegistryRequest, res: RegistryResponse): Promise<RegistryError> {
    let detail = '';
    let codes: string[] = [];
    if (req.method !== 'HEAD') {
      try {
        const text = (await res.body.text()).slice(0, 4096);
        const parsed = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
        detail = (parsed.errors ?? []).map((e) => `${e.code ?? 'ERROR'}: ${e.message ?? ''}`.trim()).join('; ');
        codes = (parsed.errors ?? []).map((e) => e.code ?? '').filter((c) => c !== '');
      } catch {
        // Not an OCI error body.
      }
    } else await res.body.dump();
    const what = `${req.method} ${req.path.startsWith('http') ? new URL(req.path).pathname : req.path.split('?')[0]}`;
    const wait = retryAfterMs(res.headers['retry-after']);
    return new RegistryStatusError(
      res.status === 404 ? 'E_NOT_FOUND' : 'E_REGISTRY',
      `registry ${this.registry}: ${what} failed with ${res.status} ${statusText(res.status)}${detail ? ` (${detail})` : ''}`.replace(/ +\(/, ' ('),
      { status: res.status, temporary: isTemporaryStatus(res.status), ociCodes: codes, ...(wait !== undefined ? { retryAfterMs: wait } : {}) },
    );
  }

  private networkError(err: unknown, method: string, path: string): RegistryError {
    const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
    const code = e?.code ?? e?.cause?.code;
    const p = path.startsWith('http') ? new URL(path).pathname : path.split('?')[0];
    const hint =
      code === 'ECONNREFUSED'
        ? ' (is the registry running, and the host and port right?)'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? ' (the host name does not resolve: check it, or the network; a base image can also come from a local layout, oci:PATH[:TAG])'
          : /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code ?? '')
            ? ' (a TLS certificate problem: add the CA with NODE_EXTRA_CA_CERTS)'
            : '';
    return new RegistryError('E_NETWORK', `registry ${this.registry}: ${method} ${p} failed: ${code ?? e?.message ?? String(err)}${hint}`, {
      temporary: isConnectionFailure(err),
      cause: err,
    });
  }
}

/**
 * A request to an absolute URL through `dispatcher` (default: undici's global one): undici's
 * Dispatcher.request with the URL as origin and path. Everything of ours that speaks HTTP goes through
 * this rather than undici's top-level request(): the bundle carries undici's dispatchers and request
 * API only (scripts/undici-core.cjs), not its index, which also loads fetch, WebSocket, cookies, caches
 * and mocks — twice the code to read and compile at the first connection of every process.
 */
export function requestUrl(url: string, options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'>, dispatcher: Dispatcher = getGlobalDispatcher()): Promise<Dispatcher.ResponseData> {
  const { origin, pathname, search } = new URL(url);
  return dispatcher.request({ ...options, origin, path: `${pathname}${search}` });
}

let agent: Agent | undefined;
function sharedAgent(): Agent {
  return (agent ??= new Agent({ connections: 8, keepAliveTimeout: 10_000 }));
}

/** Closes pooled registry connections so the process can exit at once. */
export async function closeRegistryConnections(): Promise<void> {
  const a = agent;
  agent = undefined;
  await a?.close();
}

/** Attempts per request when the options do not say. */
export const DEFAULT_ATTEMPTS = 6;

/**
 * PYCONTAINER_RETRY_BASE_MS: the first backoff in ms (tests set it low to keep fault runs short);
 * Retry-After from the registry still wins.
 */
function retryBaseFromEnv(): number | undefined {
  const raw = process.env.PYCONTAINER_RETRY_BASE_MS;
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

export function isTemporaryStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

export function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Math.min(Number(value) * 1000, 60_000);
  const when = Date.parse(value);
  return Number.isNaN(when) ? undefined : Math.max(0, Math.min(when - Date.now(), 60_000));
}

/** A connection that broke (before the status line or in the middle of a body): worth another try. */
export function isConnectionFailure(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  if (err instanceof RegistryError) return err.temporary;
  const text = `${e?.code ?? ''} ${e?.cause?.code ?? ''} ${e?.name ?? ''} ${e?.message ?? ''}`;
  return /ECONNRESET|ETIMEDOUT|EPIPE|ECONNABORTED|UND_ERR_SOCKET|UND_ERR_CLOSED|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|UND_ERR_RES_CONTENT_LENGTH_MISMATCH|EAI_AGAIN|other side closed|terminated/i.test(text);
}

function isTlsMismatch(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const text = `${e?.code ?? ''} ${e?.message ?? ''} ${e?.cause?.code ?? ''} ${e?.cause?.message ?? ''}`;
  return /EPROTO|wrong version number|packet length too long|ECONNRESET|UND_ERR_SOCKET|SSL/i.test(text);
}

/** Parses `Bearer realm="…",service="…",scope="…"` / `Basic realm="…"`. */
export function parseChallenge(header: string | string[] | undefined): Challenge | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const m = /^\s*(\w+)\s*(.*)$/.exec(value);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) params[p[1]!.toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme: m[1]!.toLowerCase(), params };
}


function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
