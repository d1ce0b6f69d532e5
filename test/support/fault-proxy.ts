/**
 * Test fixture: an HTTP proxy on loopback in front of a plain-mode TestRegistry that
 * injects the faults a real registry will not produce on demand: 429 with Retry-After,
 * 503, 500 with an OCI error body, a connection reset in the middle of a response, and
 * redirects of blob GETs to another host (a "mirror" that serves the same bytes and
 * records whether an Authorization header followed the redirect).
 *
 * Everything that no rule claims is forwarded to the registry unchanged, bodies streamed
 * both ways. The Host header is passed through, so the registry builds upload Locations
 * that point at the proxy; absolute Locations that still name the registry are rewritten
 * too, so a whole upload keeps going through the proxy.
 *
 * The proxy has the shape of a TestRegistry (mode 'plain'), so it can stand in for one
 * (pushBaseImage, skopeo flags, env).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { closeServer, listenLoopback, type TestRegistry } from './registry.js';

export type FaultAction =
  /** Answer with this status and an OCI error body ({"errors":[{code,message,detail}]}). */
  | {
      kind: 'status';
      status: number;
      /** Retry-After header value (seconds or an HTTP date). */
      retryAfter?: number | string;
      /** OCI error code; default by status: 429 TOOMANYREQUESTS, 503 UNAVAILABLE, else UNKNOWN. */
      code?: string;
      message?: string;
      headers?: Record<string, string>;
    }
  /**
   * Reset the connection (TCP RST). 'mid-body' (default): forward the request, send the
   * registry's status line, headers and `afterBytes` of its body (default: half of it), then
   * reset; when the registry's body is empty, reset before anything is sent (the request was
   * processed, the response is lost). 'before-forward': reset at once; the registry never
   * sees the request.
   */
  | { kind: 'reset'; when?: 'mid-body' | 'before-forward'; afterBytes?: number }
  /** Answer 307 (or `status`) with Location on the mirror host, which serves the same bytes. */
  | { kind: 'redirect'; status?: 301 | 302 | 303 | 307 | 308 }
  /** Forwards the response with one body byte flipped: a blob that does not match its digest. */
  | { kind: 'corrupt' };

export interface FaultRule {
  /** HTTP method to match (case-insensitive); any when omitted. */
  method?: string;
  /** Tested against the request target (path + query), e.g. /^\/v2\/[^?]+\/blobs\/sha256:/. */
  path: RegExp;
  /** Inject the fault on the first `times` matches (default 1; Infinity for all). */
  times?: number;
  action: FaultAction;
}

export interface ProxyLogEntry {
  method: string;
  /** Request target (path + query). */
  path: string;
  /** Status the client got; 0 when the connection was reset before a status line. */
  status: number;
  /** Whether the request carried an Authorization header (never its value). */
  authorization: boolean;
  /** Index of the rule that injected a fault, if one did. */
  rule?: number;
  fault?: 'status' | 'reset' | 'redirect' | 'corrupt';
  /** Whether the fault came from the seeded chaos schedule (not a rule). */
  chaos?: boolean;
  /**
   * What exactly happened: `status 503`, `reset before forward` (the registry never saw it),
   * `lost reply` (the registry processed it, the answer was reset), `cut body` (part of the body sent).
   */
  detail?: string;
}

export interface MirrorLogEntry {
  method: string;
  path: string;
  status: number;
  authorization: boolean;
}

export interface FaultProxy extends TestRegistry {
  mode: 'plain';
  /** Per rule: how many times its fault was injected. */
  hits: number[];
  /** Per rule: how many requests matched it (injected or passed through). */
  matches: number[];
  /** Every request the proxy answered, in order of completion. */
  log: ProxyLogEntry[];
  /** The redirect target. */
  mirror: { host: string; url: string; log: MirrorLogEntry[] };
  /** Replace the rules and reset hits/matches (the log is kept). */
  setRules(rules: FaultRule[]): void;
  /**
   * Seeded random faults for requests no rule claims (undefined: none). The decision for a request is
   * a pure function of the seed, the request's shape (method, path without upload ids and `_state`)
   * and how many requests of that shape came before, so a seed replays the same schedule.
   */
  setChaos(chaos: Chaos | undefined): void;
}

export interface Chaos {
  seed: number;
  /** Share of requests that get a fault, 0..1. */
  rate: number;
  /** The faults that may be given to a request; one is picked by the seed. Empty: no fault. */
  actions: (method: string, path: string) => FaultAction[];
}

// ---------------------------------------------------------------------------
// convenience constructors

export const faults = {
  tooManyRequests: (retryAfterSeconds: number | string = 1): FaultAction => ({
    kind: 'status',
    status: 429,
    retryAfter: retryAfterSeconds,
  }),
  unavailable: (retryAfterSeconds?: number | string): FaultAction => ({
    kind: 'status',
    status: 503,
    ...(retryAfterSeconds !== undefined ? { retryAfter: retryAfterSeconds } : {}),
  }),
  serverError: (code = 'UNKNOWN', message = 'injected internal server error'): FaultAction => ({
    kind: 'status',
    status: 500,
    code,
    message,
  }),
  reset: (afterBytes?: number): FaultAction => ({
    kind: 'reset',
    when: 'mid-body',
    ...(afterBytes !== undefined ? { afterBytes } : {}),
  }),
  resetBeforeForward: (): FaultAction => ({ kind: 'reset', when: 'before-forward' }),
  redirect: (status: 301 | 302 | 303 | 307 | 308 = 307): FaultAction => ({ kind: 'redirect', status }),
  corrupt: (): FaultAction => ({ kind: 'corrupt' }),
};

const DEFAULT_CODES: Record<number, string> = {
  400: 'UNSUPPORTED',
  401: 'UNAUTHORIZED',
  403: 'DENIED',
  404: 'NAME_UNKNOWN',
  429: 'TOOMANYREQUESTS',
  503: 'UNAVAILABLE',
};

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
]);

function forwardHeaders(h: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(h)) {
    if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  }
  return out;
}

function resetSocket(sock: import('node:net').Socket | null | undefined): void {
  if (!sock || sock.destroyed) return;
  if (typeof sock.resetAndDestroy === 'function') sock.resetAndDestroy();
  else sock.destroy();
}

/**
 * The shape of a request for the chaos schedule: upload session ids and state tokens (random per run)
 * are left out; the digest of a completing PUT stays.
 */
export function chaosKey(method: string, url: string): string {
  const [pathPart, query = ''] = url.split('?') as [string, string?];
  const shape = pathPart.replace(/\/blobs\/uploads\/[^/]+$/, '/blobs/uploads/<id>');
  const digest = new URLSearchParams(query).get('digest');
  return `${method.toUpperCase()} ${shape}${digest ? ` digest=${digest}` : ''}`;
}

/** A number in [0, 1) from a seed and a text (FNV-1a, then a 32-bit mix). */
export function seededUnit(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

// ---------------------------------------------------------------------------

export async function startFaultProxy(target: TestRegistry, rules: FaultRule[]): Promise<FaultProxy> {
  if (target.mode !== 'plain' || !target.url.startsWith('http:')) {
    throw new Error(`startFaultProxy: the target must be a plain-mode registry, got ${target.mode} ${target.url}`);
  }
  const [upHost, upPortText] = target.host.split(':') as [string, string];
  const upPort = Number(upPortText);
  const agent = new http.Agent({ keepAlive: true });

  let current = [...rules];
  let hits = current.map(() => 0);
  let matches = current.map(() => 0);
  let chaos: Chaos | undefined;
  const seen = new Map<string, number>();
  const log: ProxyLogEntry[] = [];
  const mirrorLog: MirrorLogEntry[] = [];
  let proxyHost = '';
  let mirrorUrl = '';

  /** Forward req to the registry; calls onResponse with its response (or answers 502). */
  function forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    headers: http.OutgoingHttpHeaders,
    onResponse: (up: http.IncomingMessage) => void,
  ): void {
    const upReq = http.request(
      { host: upHost, port: upPort, method: req.method, path: req.url, headers, agent },
      onResponse,
    );
    upReq.on('error', (e) => {
      if (!res.headersSent) {
        const body = JSON.stringify({ errors: [{ code: 'UNKNOWN', message: `fault proxy: upstream: ${e.message}` }] });
        res.writeHead(502, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      } else {
        resetSocket(res.socket);
      }
    });
    req.on('aborted', () => upReq.destroy());
    res.on('close', () => {
      if (!res.writableFinished) upReq.destroy();
    });
    req.pipe(upReq);
  }

  function rewriteLocation(headers: http.OutgoingHttpHeaders): void {
    const loc = headers.location;
    if (typeof loc === 'string' && loc.startsWith(target.url)) {
      headers.location = `http://${proxyHost}${loc.slice(target.url.length)}`;
    }
  }

  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const authorization = req.headers.authorization !== undefined;
    const entry: ProxyLogEntry = { method, path: url, status: 0, authorization };
    const record = () => log.push(entry);

    let ruleIndex = -1;
    current.forEach((r, i) => {
      if (ruleIndex >= 0) return;
      if (r.method && r.method.toUpperCase() !== method.toUpperCase()) return;
      if (!r.path.test(url)) return;
      matches[i] += 1;
      if (hits[i] < (r.times ?? 1)) ruleIndex = i;
    });
    // A rule that matched but is used up lets later rules have a go; the loop above stops
    // at the first rule that still fires.

    const headers = forwardHeaders(req.headers);

    let chaosAction: FaultAction | undefined;
    if (ruleIndex < 0 && chaos) {
      const key = chaosKey(method, url);
      const nth = seen.get(key) ?? 0;
      seen.set(key, nth + 1);
      const choices = chaos.actions(method, url);
      if (choices.length > 0 && seededUnit(chaos.seed, `${key} #${nth}`) < chaos.rate) {
        chaosAction = choices[Math.floor(seededUnit(chaos.seed + 1, `${key} #${nth}`) * choices.length)]!;
      }
    }

    if (ruleIndex < 0 && !chaosAction) {
      forward(req, res, headers, (up) => {
        const out = forwardHeaders(up.headers);
        rewriteLocation(out);
        res.writeHead(up.statusCode ?? 502, out);
        entry.status = up.statusCode ?? 502;
        up.pipe(res);
        res.on('close', record);
      });
      return;
    }

    let action: FaultAction;
    if (chaosAction) {
      action = chaosAction;
      entry.chaos = true;
    } else {
      hits[ruleIndex] += 1;
      action = current[ruleIndex]!.action;
      entry.rule = ruleIndex;
    }
    entry.fault = action.kind;

    if (action.kind === 'status') {
      entry.detail = `status ${action.status}`;
      req.resume();
      req.on('end', () => {
        const code = action.code ?? DEFAULT_CODES[action.status] ?? 'UNKNOWN';
        const body = JSON.stringify({
          errors: [{ code, message: action.message ?? `injected ${action.status} (fault proxy rule ${ruleIndex})`, detail: null }],
        });
        res.writeHead(action.status, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': Buffer.byteLength(body),
          'Docker-Distribution-API-Version': 'registry/2.0',
          ...(action.retryAfter !== undefined ? { 'Retry-After': String(action.retryAfter) } : {}),
          ...action.headers,
        });
        entry.status = action.status;
        res.end(method === 'HEAD' ? undefined : body);
        record();
      });
      return;
    }

    if (action.kind === 'redirect') {
      req.resume();
      req.on('end', () => {
        const status = action.status ?? 307;
        res.writeHead(status, { Location: `${mirrorUrl}${url}`, 'Content-Length': 0 });
        entry.status = status;
        res.end();
        record();
      });
      return;
    }

    if (action.kind === 'corrupt') {
      forward(req, res, headers, (up) => {
        const out = forwardHeaders(up.headers);
        rewriteLocation(out);
        res.writeHead(up.statusCode ?? 502, out);
        entry.status = up.statusCode ?? 502;
        let flipped = false;
        up.on('data', (chunk: Buffer) => {
          if (!flipped && chunk.length > 0) {
            chunk = Buffer.from(chunk);
            chunk[0] = chunk[0]! ^ 0xff;
            flipped = true;
          }
          res.write(chunk);
        });
        up.on('end', () => {
          res.end();
          record();
        });
      });
      return;
    }

    // reset
    if (action.when === 'before-forward') {
      entry.detail = 'reset before forward';
      record();
      resetSocket(req.socket);
      return;
    }
    forward(req, res, headers, (up) => {
      const length = Number(up.headers['content-length'] ?? NaN);
      const empty = method === 'HEAD' || length === 0 || up.statusCode === 204 || up.statusCode === 304;
      if (empty) {
        entry.detail = 'lost reply';
        up.resume();
        up.on('end', () => {
          record();
          resetSocket(req.socket);
        });
        return;
      }
      entry.detail = 'cut body';
      const limit = action.afterBytes ?? (Number.isFinite(length) ? Math.max(1, Math.floor(length / 2)) : undefined);
      const out = forwardHeaders(up.headers);
      rewriteLocation(out);
      res.writeHead(up.statusCode ?? 502, out);
      entry.status = up.statusCode ?? 502;
      res.flushHeaders();
      let sent = 0;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        up.destroy();
        record();
        resetSocket(req.socket);
      };
      up.on('data', (chunk: Buffer) => {
        if (done) return;
        const room = limit === undefined ? chunk.length : limit - sent;
        const part = chunk.subarray(0, Math.max(0, room));
        sent += part.length;
        const last = limit === undefined || sent >= limit;
        if (part.length > 0) res.write(part, () => (last ? finish() : undefined));
        else if (last) finish();
        if (last) up.pause();
      });
      up.on('end', finish);
    });
  });

  const mirror = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const entry: MirrorLogEntry = { method, path: url, status: 0, authorization: req.headers.authorization !== undefined };
    if (method !== 'GET' && method !== 'HEAD') {
      entry.status = 405;
      mirrorLog.push(entry);
      res.writeHead(405, { 'Content-Length': 0 });
      res.end();
      return;
    }
    // Like a storage backend: the bytes come from the registry, credentials are not needed.
    const headers = forwardHeaders(req.headers);
    delete headers.authorization;
    headers.host = target.host;
    const upReq = http.request({ host: upHost, port: upPort, method, path: url, headers, agent }, (up) => {
      entry.status = up.statusCode ?? 502;
      const out = forwardHeaders(up.headers);
      delete out['docker-distribution-api-version'];
      res.writeHead(entry.status, out);
      up.pipe(res);
      res.on('close', () => mirrorLog.push(entry));
    });
    upReq.on('error', () => {
      entry.status = 502;
      mirrorLog.push(entry);
      if (!res.headersSent) res.writeHead(502, { 'Content-Length': 0 });
      res.end();
    });
    upReq.end();
  });

  const proxyPort = await listenLoopback(server);
  let mirrorPort: number;
  try {
    mirrorPort = await listenLoopback(mirror);
  } catch (e) {
    await closeServer(server);
    throw e;
  }
  server.unref();
  mirror.unref();
  proxyHost = `127.0.0.1:${proxyPort}`;
  const mirrorHost = `127.0.0.1:${mirrorPort}`;
  mirrorUrl = `http://${mirrorHost}`;

  const proxy: FaultProxy = {
    host: proxyHost,
    url: `http://${proxyHost}`,
    mode: 'plain',
    env: {},
    skopeoDest: ['--dest-tls-verify=false'],
    skopeoSrc: ['--src-tls-verify=false'],
    skopeoFlags: ['--tls-verify=false'],
    hits,
    matches,
    log,
    mirror: { host: mirrorHost, url: mirrorUrl, log: mirrorLog },
    setRules(next: FaultRule[]) {
      current = [...next];
      hits = current.map(() => 0);
      matches = current.map(() => 0);
      proxy.hits = hits;
      proxy.matches = matches;
    },
    setChaos(next: Chaos | undefined) {
      chaos = next;
      seen.clear();
    },
    async stop() {
      await Promise.all([closeServer(server), closeServer(mirror)]);
      agent.destroy();
    },
  };
  return proxy;
}

/** A random tag/repo suffix, handy for parallel tests sharing a registry. */
export function uniqueName(prefix = 'pyc'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
