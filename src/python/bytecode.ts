/**
 * Deterministic bytecode (build.compile_bytecode): `.py` files compiled to
 * `__pycache__/<name>.cpython-XY.pyc` in PEP 552 unchecked-hash mode (flags 0b01, the source's
 * siphash), so a .pyc never goes stale by mtime and two builds give the same bytes.
 *
 * Compiling needs an interpreter of the target's minor version on the build host. One process serves a
 * whole build: it reads length-prefixed (path, source) records on stdin and answers each with the .pyc
 * bytes. marshal flags an object for back-references when its reference count is above 1 (interned
 * strings always): for a freshly compiled code object that count comes from the code object alone, so
 * a file gives the same bytes whatever the process compiled before (a unit test checks it); the code
 * object is dropped before the next file, and PYTHONHASHSEED=0 fixes the order of frozenset constants. Code objects carry the in-image
 * path as co_filename.
 *
 * A build compiles each file once: what plan compiles (to learn the .pyc digests) is kept in a
 * BytecodeCache, and apply takes it from there instead of compiling again; the plan's digests still
 * check every .pyc that goes into a layer.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { childProcess } from '../lazy-builtins.js';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { ConfigError, PlanError } from '../errors.js';
import type { CompileBytecode } from '../oci/layer.js';

/** The compile helper: one request per record, answered in order. */
export const COMPILER_SCRIPT = String.raw`
import sys, os, struct, marshal, importlib.util
out = sys.stdout.buffer
inp = sys.stdin.buffer
def read_exact(n):
    b = bytearray()
    while len(b) < n:
        c = inp.read(n - len(b))
        if not c:
            return None
        b.extend(c)
    return bytes(b)
def send(status, body):
    out.write(struct.pack('>BI', status, len(body)) + body)
    out.flush()
v = sys.version_info
send(0, ('%d.%d.%d %s' % (v[0], v[1], v[2], sys.implementation.cache_tag)).encode())
while True:
    head = read_exact(8)
    if head is None:
        break
    plen, slen = struct.unpack('>II', head)
    path = read_exact(plen).decode('utf-8')
    source = read_exact(slen)
    try:
        code = compile(source, path, 'exec', dont_inherit=True, optimize=0)
        send(0, importlib.util.MAGIC_NUMBER + struct.pack('<I', 0b01) + importlib.util.source_hash(source) + marshal.dumps(code))
    except Exception as e:
        send(1, ('%s: %s' % (type(e).__name__, e)).encode('utf-8', 'replace'))
    code = None
`;

/** What the plan records about the compiler: the .pyc bytes can depend on its exact version. */
export interface CompilerInfo {
  /** The exact version, e.g. 3.11.9. */
  version: string;
  /** sys.implementation.cache_tag, e.g. cpython-311: the .pyc file names. */
  cacheTag: string;
}

/** `pkg/mod.py` → `pkg/__pycache__/mod.cpython-311.pyc`; undefined for a path that is not a module source. Pure. */
export function cachePathOf(path: string, cacheTag: string): string | undefined {
  const m = /^(.*\/)?([^/]+)\.py$/.exec(path);
  if (!m || m[2] === '') return undefined;
  return `${m[1] ?? ''}__pycache__/${m[2]}.${cacheTag}.pyc`;
}

/** The cache tag CPython uses for a minor version: 3.11 → cpython-311. Pure. */
export function cacheTagOf(minor: string): string {
  return `cpython-${minor.replace('.', '')}`;
}

/** Where to look for a `python3.X` on the build host, in order: PATH, `uv python find`, pyenv. */
export function findHostInterpreter(minor: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = `python${minor}`;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  try {
    const found = childProcess().execFileSync('uv', ['python', 'find', '--no-project', minor], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 }).trim();
    if (found) return found;
  } catch {
    // no uv, or no such Python known to it
  }
  const root = env.PYENV_ROOT ?? join(homedir(), '.pyenv');
  try {
    const versions = readdirSync(join(root, 'versions'))
      .filter((v) => v === minor || v.startsWith(`${minor}.`))
      .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
    for (const v of versions) {
      const exe = join(root, 'versions', v, 'bin', name);
      if (existsSync(exe)) return exe;
    }
  } catch {
    // no pyenv
  }
  return undefined;
}

/** The answer for one file: the .pyc bytes, or why it does not compile (a SyntaxError: no .pyc, as compileall). */
export type Compiled = { pyc: Buffer } | { error: string };

/** Changes whenever the compile helper does (its mode, optimization level or format): part of every cache key. */
const SCRIPT_DIGEST = createHash('sha256').update(COMPILER_SCRIPT).digest('hex');

/**
 * The cache key of a .pyc: everything its bytes are a function of — the module's path in the image
 * (co_filename), the source's bytes, the compiler's exact version and cache tag, and the helper script
 * (unchecked-hash mode, optimize=0). Pure.
 */
export function bytecodeKey(path: string, source: Buffer, compiler: CompilerInfo): string {
  const sourceSha256 = createHash('sha256').update(source).digest('hex');
  return createHash('sha256').update(JSON.stringify(['pyc', SCRIPT_DIGEST, compiler.version, compiler.cacheTag, path, sourceSha256])).digest('hex');
}

/** A .pyc as the helper writes it: a 16-byte header whose flags word says unchecked-hash (0b01). Pure. */
function looksLikeOurPyc(bytes: Buffer): boolean {
  return bytes.length > 16 && bytes.readUInt32LE(4) === 0b01;
}

/**
 * Compiled .pyc bytes by bytecodeKey: `bytecode/` in the cache directory, or a scratch directory of
 * this process (no cache directory: build's plan and apply still share it) that close() removes.
 * Entries are written to a temporary name and renamed, so a reader sees a whole entry or none; a
 * damaged entry is a miss. Nothing is held in memory.
 */
export class BytecodeCache {
  private dir: Promise<string> | undefined;
  private readonly shards = new Set<string>();

  private constructor(
    root: string | undefined,
    private readonly scratch: boolean,
  ) {
    if (root !== undefined) this.dir = Promise.resolve(root);
  }

  /** The cache directory's store (`<cacheRoot>/bytecode`). */
  static in(cacheRoot: string): BytecodeCache {
    return new BytecodeCache(join(cacheRoot, 'bytecode'), false);
  }

  /** A store in a temporary directory, made on the first write and removed by close(). */
  static scratch(): BytecodeCache {
    return new BytecodeCache(undefined, true);
  }

  /** The .pyc bytes stored under `key`, or undefined. */
  async read(key: string): Promise<Buffer | undefined> {
    if (!this.dir) return undefined;
    try {
      const bytes = await readFile(this.pathOf(await this.dir, key));
      return looksLikeOurPyc(bytes) ? bytes : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores `pyc` under `key`; a failure is ignored (the cache only saves work). */
  async write(key: string, pyc: Buffer): Promise<void> {
    this.dir ??= mkdtemp(join(tmpdir(), 'pycontainer-bytecode-'));
    const dir = await this.dir.catch(() => undefined);
    if (dir === undefined) return;
    const path = this.pathOf(dir, key);
    const shard = dirname(path);
    const tmp = join(shard, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      if (!this.shards.has(shard)) {
        await mkdir(shard, { recursive: true });
        this.shards.add(shard);
      }
      await writeFile(tmp, pyc);
      await rename(tmp, path);
    } catch {
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  /** Removes a scratch store; a cache directory's is kept. */
  async close(): Promise<void> {
    if (!this.scratch || !this.dir) return;
    const dir = await this.dir.catch(() => undefined);
    this.dir = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  }

  private pathOf(dir: string, key: string): string {
    return join(dir, key.slice(0, 2), `${key}.pyc`);
  }
}

/**
 * One long-lived compile helper process, and a second one started when requests queue up on a machine
 * with more than one core (the dependency layers send modules ahead): the same interpreter, so the
 * same bytes whichever process compiles a module.
 */
export class BytecodeCompiler {
  private buffer = Buffer.alloc(0);
  private readonly waiting: { resolve: (r: { status: number; body: Buffer }) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | undefined;
  /** How to start the second process; undefined for the second process itself. */
  private startArgs: { minor: string; env: NodeJS.ProcessEnv; setting: string } | undefined;
  private second: Promise<BytecodeCompiler | undefined> | undefined;
  private secondReady: BytecodeCompiler | undefined;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly info: CompilerInfo,
    readonly executable: string,
    private readonly cache: BytecodeCache | undefined,
  ) {}

  /**
   * Starts the helper with an interpreter of `minor` found on the host (ConfigError E_NO_COMPILER, exit
   * 2, when there is none). `setting` names what asked for it in the message. With `cache`, what was
   * compiled before is taken from it and what is compiled is kept in it.
   */
  static async start(minor: string, env: NodeJS.ProcessEnv = process.env, setting = 'build.compile_bytecode', cache?: BytecodeCache): Promise<BytecodeCompiler> {
    const compiler = await BytecodeCompiler.spawn(minor, env, setting, cache);
    if (availableParallelism() > 1) compiler.startArgs = { minor, env, setting };
    return compiler;
  }

  private static async spawn(minor: string, env: NodeJS.ProcessEnv, setting: string, cache: BytecodeCache | undefined): Promise<BytecodeCompiler> {
    const exe = findHostInterpreter(minor, env);
    if (!exe) {
      throw new ConfigError('E_NO_COMPILER', `${setting}: compiling bytecode needs Python ${minor} on this machine and none was found (python${minor} on PATH, \`uv python find ${minor}\`, pyenv); install it (e.g. \`uv python install ${minor}\`) or set compile_bytecode = false`);
    }
    const child = childProcess().spawn(exe, ['-I', '-S', '-c', COMPILER_SCRIPT], { env: { PYTHONHASHSEED: '0', PATH: env.PATH ?? '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    const compiler = new BytecodeCompiler(child, { version: '', cacheTag: '' }, exe, cache);
    child.stdout.on('data', (chunk: Buffer) => compiler.receive(chunk));
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
    const fail = (why: string) => compiler.fail(new ConfigError('E_COMPILER', `${setting}: the bytecode compiler (${exe}) ${why}${stderr ? `: ${stderr.trim().split('\n').pop()}` : ''}`));
    child.on('error', (err) => fail(`could not run: ${err.message}`));
    child.on('exit', (code, signal) => fail(`exited (${signal ?? code})`));
    child.stdin.on('error', () => undefined); // reported through 'exit'
    const hello = await compiler.next();
    const [version = '', cacheTag = ''] = hello.body.toString('utf8').split(' ');
    Object.assign(compiler.info, { version, cacheTag });
    if (!version.startsWith(`${minor}.`) && version !== minor) {
      await compiler.close();
      throw new ConfigError('E_NO_COMPILER', `${setting}: ${exe} is Python ${version}, not ${minor}; put a python${minor} first on PATH`);
    }
    return compiler;
  }

  /** Compiles `source` as the module at `path` (absolute, in the image), or takes it from the cache. */
  async compile(path: string, source: Buffer): Promise<Compiled> {
    const key = this.cache ? bytecodeKey(path, source, this.info) : undefined;
    const kept = key !== undefined ? await this.cache!.read(key) : undefined;
    if (kept) return { pyc: kept };
    const compiled = await this.compileHere(path, source);
    if (key !== undefined && 'pyc' in compiled) await this.cache!.write(key, compiled.pyc);
    return compiled;
  }

  private async compileHere(path: string, source: Buffer): Promise<Compiled> {
    const other = this.lessBusy();
    if (other) return other.compileHere(path, source);
    const p = Buffer.from(path, 'utf8');
    const head = Buffer.alloc(8);
    head.writeUInt32BE(p.length, 0);
    head.writeUInt32BE(source.length, 4);
    const answer = this.next();
    this.child.stdin.write(Buffer.concat([head, p, source]));
    const { status, body } = await answer;
    return status === 0 ? { pyc: body } : { error: body.toString('utf8') };
  }

  /** The second process when it has fewer requests waiting than this one (started on the first queue). */
  private lessBusy(): BytecodeCompiler | undefined {
    if (!this.startArgs || this.waiting.length === 0) return undefined;
    if (!this.second) {
      const { minor, env, setting } = this.startArgs;
      this.second = BytecodeCompiler.spawn(minor, env, setting, undefined).then(
        async (c) => {
          // Another interpreter would compile other bytes: then this one works alone.
          if (c.executable !== this.executable || c.info.version !== this.info.version || c.info.cacheTag !== this.info.cacheTag || this.failure) {
            await c.close();
            return undefined;
          }
          this.secondReady = c;
          return c;
        },
        () => undefined,
      );
      return undefined;
    }
    const c = this.secondReady;
    return c && c.waiting.length < this.waiting.length ? c : undefined;
  }

  async close(): Promise<void> {
    await this.second?.then((c) => c?.close());
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.failure ??= new Error('closed');
    this.child.stdin.end();
    await exited;
  }

  private next(): Promise<{ status: number; body: Buffer }> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.drain();
    });
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    this.drain();
  }

  private drain(): void {
    while (this.waiting.length && this.buffer.length >= 5) {
      const length = this.buffer.readUInt32BE(1);
      if (this.buffer.length < 5 + length) return;
      const status = this.buffer[0]!;
      const body = Buffer.from(this.buffer.subarray(5, 5 + length));
      this.buffer = this.buffer.subarray(5 + length);
      this.waiting.shift()!.resolve({ status, body });
    }
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const w of this.waiting.splice(0)) w.reject(err);
  }
}

/**
 * Apply's compiler: the plan's compiler's .pyc files are taken from `cache` (what plan compiled);
 * a compiler of the plan's minor version is started only for a file the cache lacks. A compiler whose
 * exact version differs from the plan's may still give the same bytes; when it does not, `differs`
 * says why, for the error that refuses the layer.
 */
export class LazyCompiler {
  private started: Promise<BytecodeCompiler> | undefined;
  private compiler: BytecodeCompiler | undefined;

  constructor(
    readonly minor: string,
    readonly planned: { compiler: string; cacheTag: string },
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly cache?: BytecodeCache,
  ) {}

  /** The .pyc bytes the plan's compiler made of this source (from the cache), else compiled here. */
  async compile(path: string, source: Buffer): Promise<Compiled> {
    const kept = await this.cache?.read(bytecodeKey(path, source, { version: this.planned.compiler, cacheTag: this.planned.cacheTag }));
    if (kept) return { pyc: kept };
    return (await this.get()).compile(path, source);
  }

  get(): Promise<BytecodeCompiler> {
    this.started ??= BytecodeCompiler.start(this.minor, this.env, 'the plan compiles bytecode (compile_bytecode)', this.cache).then((c) => {
      this.compiler = c;
      if (c.info.cacheTag !== this.planned.cacheTag) throw new ConfigError('E_COMPILER', `the plan's bytecode is ${this.planned.cacheTag}, but ${c.executable} writes ${c.info.cacheTag}`);
      return c;
    });
    return this.started;
  }

  /** Why the bytecode built here may differ from the plan's: another patch version of Python. */
  differs(): string | undefined {
    const here = this.compiler?.info.version;
    if (here === undefined || here === this.planned.compiler) return undefined;
    return `the plan's bytecode was compiled with Python ${this.planned.compiler} and this machine's Python ${here} (${this.compiler!.executable}) gives other bytes; apply with Python ${this.planned.compiler} (e.g. \`uv python install ${this.planned.compiler}\`) or run \`pycontainer plan\` here`;
  }

  async close(): Promise<void> {
    await this.started?.then((c) => c.close(), () => undefined);
  }
}

/** The compiler as the layer writer uses it: a source that no longer compiles is an error. */
export function strictCompile(compiler: Pick<BytecodeCompiler, 'compile'>): CompileBytecode {
  return async (path, source) => {
    const r = await compiler.compile(path, source);
    if ('error' in r) throw new PlanError('E_BYTECODE', `${path.slice(1)} no longer compiles (${r.error}); fix it or run \`pycontainer plan\` again`);
    return r.pyc;
  };
}

