// Retries and upload recovery of the registry client against a small in-process registry that follows
// the distribution API's upload rules (a session is one UUID with a state token; a request that carries
// a stale state cancels the session, as distribution does) and misbehaves on request.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, beforeEach, describe, test } from 'node:test';
import { EXIT, RegistryError } from '../../src/errors.js';
import { RegistryClient } from '../../src/registry/client.js';
import { closeRegistryConnections, retryAfterMs } from '../../src/registry/http.js';

const digestOf = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** What the next requests of a kind get: `cut` sends half the body then resets; `lost` acts, then resets. */
type Misbehaviour = 'cut' | 'lost' | 503 | 500;
let plan: Record<string, Misbehaviour[]> = {};
let log: string[] = [];
const blobs = new Map<string, Buffer>();
const sessions = new Map<string, { data: Buffer[]; size: number; state: number }>();
let nextId = 0;
let server: Server;
let host = '';
const MANIFEST = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: {}, layers: [] }));

function misbehave(kind: string, res: ServerResponse, act: () => void, reply: () => void): void {
  const next = plan[kind]?.shift();
  if (next === 503 || next === 500) {
    res.writeHead(next, { 'content-type': 'application/json', ...(next === 503 ? { 'retry-after': '0' } : {}) });
    res.end(JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'injected' }] }));
    return;
  }
  act();
  if (next === 'lost') {
    res.socket?.resetAndDestroy();
    return;
  }
  if (next === 'cut') {
    const body = MANIFEST;
    res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': body.length });
    res.write(body.subarray(0, body.length >> 1), () => res.socket?.resetAndDestroy());
    return;
  }
  reply();
}

function sessionUrl(id: string): string {
  const s = sessions.get(id)!;
  return `/v2/app/blobs/uploads/${id}?_state=${s.state}`;
}

function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const method = req.method ?? 'GET';
  log.push(`${method} ${url.pathname.replace(/uploads\/\d+/, 'uploads/ID')}`);
  const oci = (status: number, code: string) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code, message: code.toLowerCase() }] }));
  };
  if (url.pathname === '/v2/app/manifests/1' && method === 'GET') {
    misbehave('manifest', res, () => undefined, () => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': MANIFEST.length });
      res.end(MANIFEST);
    });
    return;
  }
  const blob = /^\/v2\/app\/blobs\/(sha256:[0-9a-f]{64})$/.exec(url.pathname);
  if (blob && method === 'HEAD') {
    const b = blobs.get(blob[1]!);
    res.writeHead(b ? 200 : 404, b ? { 'content-length': b.length } : {});
    res.end();
    return;
  }
  if (url.pathname === '/v2/app/blobs/uploads/' && method === 'POST') {
    const id = String(++nextId);
    sessions.set(id, { data: [], size: 0, state: 0 });
    res.writeHead(202, { location: sessionUrl(id), range: '0-0' });
    res.end();
    return;
  }
  const upload = /^\/v2\/app\/blobs\/uploads\/(\d+)$/.exec(url.pathname);
  if (upload) {
    const id = upload[1]!;
    const s = sessions.get(id);
    if (!s) return oci(404, 'BLOB_UPLOAD_UNKNOWN');
    // distribution: a state token whose offset is not the session's size cancels the session.
    if (Number(url.searchParams.get('_state')) !== s.state) {
      sessions.delete(id);
      return oci(400, 'BLOB_UPLOAD_INVALID');
    }
    const advance = () => {
      s.data.push(body);
      s.size += body.length;
      s.state = s.size;
    };
    if (method === 'GET') {
      res.writeHead(204, { location: sessionUrl(id), range: `0-${Math.max(0, s.size - 1)}` });
      res.end();
      return;
    }
    if (method === 'PATCH') {
      misbehave('patch', res, advance, () => {
        res.writeHead(202, { location: sessionUrl(id), range: `0-${s.size - 1}` });
        res.end();
      });
      return;
    }
    if (method === 'PUT') {
      misbehave(
        'put',
        res,
        () => {
          advance();
          const all = Buffer.concat(s.data);
          sessions.delete(id);
          if (digestOf(all) === url.searchParams.get('digest')) blobs.set(digestOf(all), all);
        },
        () => {
          res.writeHead(201, { location: `/v2/app/blobs/${url.searchParams.get('digest')}` });
          res.end();
        },
      );
      return;
    }
  }
  oci(404, 'NAME_UNKNOWN');
}

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await closeRegistryConnections();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  plan = {};
  log = [];
  blobs.clear();
  sessions.clear();
});

const client = (extra: { chunkThreshold?: number; chunkSize?: number; attempts?: number } = {}) => new RegistryClient({ backoffMs: 1, ...extra });
const ref = () => ({ registry: host, repository: 'app' });

describe('registry retries', () => {
  test('a manifest whose body is cut off is fetched again', async () => {
    plan.manifest = ['cut', 'cut', 503];
    const m = await client().getManifest({ ...ref(), tag: '1' });
    assert.equal(m.digest, digestOf(MANIFEST));
    assert.equal(log.filter((l) => l === 'GET /v2/app/manifests/1').length, 4);
  });

  test('giving up names the registry and exits with the network code, not 70', async () => {
    plan.manifest = ['cut', 'cut', 'cut'];
    await assert.rejects(client({ attempts: 3 }).getManifest({ ...ref(), tag: '1' }), (err: unknown) => {
      assert.ok(err instanceof RegistryError, String(err));
      assert.equal(err.exitCode, EXIT.network);
      assert.match(err.message, new RegExp(`^registry ${host.replace(/\./g, '\\.')}: GET /v2/app/manifests/1 failed: .*\\(gave up after 3 attempts\\)$`));
      return true;
    });
  });

  test('Retry-After: seconds and HTTP dates, capped', () => {
    assert.equal(retryAfterMs('2'), 2000);
    assert.equal(retryAfterMs('86400'), 60_000);
    assert.equal(retryAfterMs(new Date(0).toUTCString()), 0);
    assert.equal(retryAfterMs('soon'), undefined);
  });
});

describe('uploads after a lost reply', () => {
  const data = Buffer.from('a blob of some bytes, long enough for a few chunks');
  const desc = { digest: digestOf(data), size: data.length };
  const open = () => Readable.from([data]);

  test('a PUT whose reply is lost but whose blob landed: a HEAD says so, nothing is sent again', async () => {
    plan.put = ['lost'];
    assert.equal(await client().pushBlob(ref(), desc, open), 'uploaded');
    assert.deepEqual(log, ['HEAD /v2/app/blobs/' + desc.digest, 'POST /v2/app/blobs/uploads/', 'PUT /v2/app/blobs/uploads/ID', 'HEAD /v2/app/blobs/' + desc.digest]);
    assert.deepEqual(blobs.get(desc.digest), data);
  });

  test('a PUT that failed: a new session, never the old one again', async () => {
    plan.put = [500, 503];
    assert.equal(await client().pushBlob(ref(), desc, open), 'uploaded');
    assert.equal(log.filter((l) => l.startsWith('POST')).length, 3, 'one session per attempt');
    assert.equal(log.filter((l) => l.startsWith('PUT')).length, 3);
    assert.deepEqual(blobs.get(desc.digest), data);
  });

  test('a PATCH that never arrived: the session says where it stands, the chunk goes again on its fresh state', async () => {
    plan.patch = [503];
    assert.equal(await client({ chunkThreshold: 8, chunkSize: 16 }).pushBlob(ref(), desc, open), 'uploaded');
    assert.equal(log.filter((l) => l.startsWith('POST')).length, 1, 'the same session carries on');
    assert.equal(log.filter((l) => l === 'GET /v2/app/blobs/uploads/ID').length, 1);
    assert.deepEqual(blobs.get(desc.digest), data);
  });

  test('a PATCH whose reply was lost: the stale state ends that session, a new one uploads everything', async () => {
    plan.patch = ['lost'];
    assert.equal(await client({ chunkThreshold: 8, chunkSize: 16 }).pushBlob(ref(), desc, open), 'uploaded');
    assert.equal(log.filter((l) => l.startsWith('POST')).length, 2);
    assert.deepEqual(blobs.get(desc.digest), data, 'no chunk twice, none missing');
  });

  test('a session that keeps failing: a clean error naming the registry, exit 69', async () => {
    plan.put = [500, 500, 500];
    await assert.rejects(client({ attempts: 3 }).pushBlob(ref(), desc, open), (err: unknown) => {
      assert.ok(err instanceof RegistryError, String(err));
      assert.equal(err.exitCode, EXIT.network);
      assert.match(err.message, new RegExp(`^registry ${host.replace(/\./g, '\\.')}: .*failed in 3 upload sessions`));
      return true;
    });
  });
});
