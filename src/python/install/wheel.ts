import { createHash, type Hash } from 'node:crypto';
import path from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pack as createPack, type Header, type Pack } from 'tar-stream';
import type { ScriptEntry } from '../../config/detect.js';
import { ConfigError } from '../../errors.js';
import { addEntry, checkMemberPath, compareUtf8, sortEntries } from '../../oci/layer.js';
import { escapeDistName, relativeTo, sitePackages, wrapper } from './venv.js';
import { ZipFile, ZipFormatError, ZipReader, type ZipEntry } from './zip.js';
import { cachePathOf, type Compiled } from '../bytecode.js';

/**
 * Installs wheels into a venv layer the way pypa/installer does (binary distribution format, recording
 * installed projects, PEP 610), without running Python: the result is a reproducible tar streamed from
 * the wheels' zip members, every member checked against the wheel's RECORD as it flows.
 */
export interface WheelToInstall {
  /** Absolute path of a verified .whl on disk (the cache, where it is named by its digest). */
  file: string;
  /** The wheel's file name (its tags and name); default: the basename of `file`. */
  filename?: string;
  /** Normalized project name. */
  name: string;
  version: string;
  /** A top-level requirement: gets a REQUESTED file. */
  requested: boolean;
  /** Only for direct URL installs: written as direct_url.json (PEP 610). */
  directUrl?: { url: string; archiveHash?: string };
}

export interface VenvTarget {
  /** Absolute path of the venv in the image, e.g. '/app/.venv'. */
  venv: string;
  /** major.minor of the target interpreter, e.g. '3.11'. */
  pythonMinor: string;
  /** compile_bytecode: site-packages' .py files get a __pycache__/*.pyc each (src/python/bytecode.ts). */
  bytecode?: Bytecode;
}

/** What packing needs to compile: the .pyc file names' tag and the compiler (started on first use). */
export interface Bytecode {
  cacheTag: string;
  compile(path: string, source: Buffer): Promise<Compiled>;
}

/** A file the layer will hold: its final bytes' sha256 and size are known before any is written. */
export interface Planned {
  /** Path in the image, no leading '/'. */
  path: string;
  mode: '0644' | '0755';
  /** The wheel's file name, for messages. */
  wheel: string;
  /** The distribution's name as given (WheelToInstall.name): which layer the file goes in. */
  dist: string;
  /** What in the wheel it comes from (member name or a description), for messages. */
  origin: string;
  size: number;
  sha256: Buffer;
  source: { kind: 'content'; body: Buffer } | { kind: 'member'; zip: ZipFile; entry: ZipEntry; shebang: string | undefined };
}

interface RecordRow {
  algorithm?: string;
  digest?: Buffer;
  size?: number;
}

const HASHES = new Set(['sha256', 'sha384', 'sha512']);

/** compile_bytecode: modules sent to the compiler ahead of the one the tar is writing. */
const COMPILE_AHEAD = 64;

/**
 * A reproducible tar (tar-stream Pack) of the wheels installed into the venv: entries sorted byte-wise
 * by path (no leading '/'), every parent directory present (0755), mtime = `mtime` seconds, uid/gid 0,
 * no user names, files 0644 or 0755 (from the zip's unix mode executable bits; scripts 0755).
 * Streams: memory does not grow with wheel size (member contents are streamed from the zip).
 *
 * The promise rejects (ConfigError E_WHEEL) for any problem found while planning: a malformed wheel,
 * a RECORD that does not match the zip, escaping paths, clashes between wheels. A member whose bytes
 * do not match the wheel's RECORD is found while streaming and destroys the Pack with such an error.
 */
export async function wheelsLayerTar(wheels: WheelToInstall[], target: VenvTarget, mtime: number): Promise<Pack> {
  return packWheelsLayer(await planWheelsLayer(wheels, target), mtime);
}

/**
 * Wheels planned for installation into one venv: every file each installs, with its final size and
 * digest, every clash between them refused. One plan can be packed into several layers (build.layers
 * cuts the dependencies into groups): checked together, written apart.
 */
export interface WheelsLayerPlan {
  /** Path in the image → the file, sorted by wheel. */
  files: Map<string, Planned>;
  /** compile_bytecode: .pyc path → its source file (compiled while packing; one that does not compile is left out, as compileall does). */
  bytecode: Map<string, Planned>;
  compiler?: Bytecode;
}

/** Plans `wheels` (see wheelsLayerTar): reads each wheel's RECORD, WHEEL and entry points, not its contents. */
export async function planWheelsLayer(wheels: WheelToInstall[], target: VenvTarget): Promise<WheelsLayerPlan> {
  if (!target.venv.startsWith('/') || target.venv.endsWith('/') || target.venv.split('/').slice(1).some((s) => !s || s === '.' || s === '..')) {
    throw new ConfigError('E_WHEEL', `the venv path must be absolute and normalized, not ${JSON.stringify(target.venv)}`);
  }
  if (!/^\d+\.\d+$/.test(target.pythonMinor)) throw new ConfigError('E_WHEEL', `the python version must be major.minor, not ${JSON.stringify(target.pythonMinor)}`);

  const ordered = [...wheels].sort((a, b) => compare(a.name, b.name) || compare(a.version, b.version) || compare(a.file, b.file));
  const byName = new Map<string, string>();
  for (const w of ordered) {
    const seen = byName.get(escapeDistName(w.name));
    if (seen !== undefined) throw new ConfigError('E_WHEEL', `${seen} and ${w.filename ?? path.basename(w.file)} are both ${w.name}: install one version`);
    byName.set(escapeDistName(w.name), w.filename ?? path.basename(w.file));
  }

  const files = new Map<string, Planned>();
  for (const w of ordered) {
    for (const p of await planWheel(w, target)) {
      const other = files.get(p.path);
      if (other) throw new ConfigError('E_WHEEL', `${other.wheel} and ${p.wheel} both install /${p.path}`);
      files.set(p.path, p);
    }
  }
  for (const d of parentDirs(files.keys())) {
    const f = files.get(d);
    if (f) {
      const inside = [...files.values()].find((p) => p.path.startsWith(`${d}/`))!;
      throw new ConfigError('E_WHEEL', `${f.wheel} installs /${d} as a file but ${inside.wheel} installs /${inside.path} inside it`);
    }
  }
  const bytecode = new Map<string, Planned>();
  if (target.bytecode) {
    const site = `${sitePackages(target.venv, target.pythonMinor).slice(1)}/`;
    for (const f of files.values()) {
      const pyc = f.path.startsWith(site) ? cachePathOf(f.path, target.bytecode.cacheTag) : undefined;
      // A wheel that ships its own .pyc keeps it.
      if (pyc && !files.has(pyc)) bytecode.set(pyc, f);
    }
  }
  return { files, bytecode, ...(target.bytecode ? { compiler: target.bytecode } : {}) };
}

/** Every parent directory of `paths`. */
function parentDirs(paths: Iterable<string>): Set<string> {
  const dirs = new Set<string>();
  for (const p of paths) {
    // From the nearest parent up, stopping at one already known (its parents are too).
    for (let slash = p.lastIndexOf('/'); slash > 0; slash = p.lastIndexOf('/', slash - 1)) {
      const dir = p.slice(0, slash);
      if (dirs.has(dir)) break;
      dirs.add(dir);
    }
  }
  return dirs;
}

/** The planned files of the distributions named (all when `only` is undefined). */
function selectFiles(plan: WheelsLayerPlan, only: ReadonlySet<string> | undefined): Planned[] {
  return [...plan.files.values()].filter((f) => only === undefined || only.has(f.dist));
}

/** What a layer of these distributions will hold (paths without a leading '/', modes), for the start-up check. */
export function wheelsLayerListing(plan: WheelsLayerPlan, only?: ReadonlySet<string>): { path: string; type: 'file' | 'dir'; mode: number }[] {
  const files = selectFiles(plan, only);
  return [...[...parentDirs(files.map((f) => f.path))].map((path) => ({ path, type: 'dir' as const, mode: 0o755 })), ...files.map((f) => ({ path: f.path, type: 'file' as const, mode: parseInt(f.mode, 8) }))];
}

/**
 * The reproducible tar of a planned install, or of the distributions in `only` (normalized names as
 * given to planWheelsLayer): their files and the directories above them, nothing of the others. Packing
 * the subset of a plan gives the same bytes as planning the subset alone.
 */
export function packWheelsLayer(plan: WheelsLayerPlan, mtime: number, only?: ReadonlySet<string>): Pack {
  const files = selectFiles(plan, only);
  const compiled = [...plan.bytecode].filter(([, f]) => only === undefined || only.has(f.dist));
  const items = sortEntries<{ path: string; file?: Planned; bytecodeOf?: Planned }>([
    ...[...parentDirs([...files.map((f) => f.path), ...compiled.map(([p]) => p)])].map((d) => ({ path: d })),
    ...files.map((f) => ({ path: f.path, file: f })),
    ...compiled.map(([path, f]) => ({ path, bytecodeOf: f })),
  ]);
  // The wheel checks above refuse escapes; this is the layer writer's own guard (src/oci/layer.ts).
  for (const item of items) checkMemberPath(item.path);
  const pack = createPack();
  const time = new Date(mtime * 1000);
  // One descriptor per wheel for the whole pack: members are read with one system call each.
  const readers = new Map<ZipFile, ZipReader>();
  const readerOf = (zip: ZipFile) => {
    let r = readers.get(zip);
    if (!r) readers.set(zip, (r = zip.reader()));
    return r;
  };
  // compile_bytecode: the compiler answers requests in order, one after another; sending the next
  // sources while it works keeps it busy instead of paying a round trip per module.
  const compiling = new Map<number, Promise<Buffer | undefined>>();
  let ahead = 0;
  const compiledAt = (index: number): Promise<Buffer | undefined> => {
    while (ahead <= index || (compiling.size < COMPILE_AHEAD && ahead < items.length)) {
      const source = items[ahead]!.bytecodeOf;
      if (source) {
        const p = compileMember(source, plan.compiler!, readerOf);
        p.catch(() => undefined); // surfaced when taken; a pack that failed before takes none
        compiling.set(ahead, p);
      }
      ahead++;
    }
    const p = compiling.get(index)!;
    compiling.delete(index);
    return p;
  };
  (async () => {
    try {
      for (const [index, item] of items.entries()) {
        const header: Partial<Header> & { name: string } = {
          name: item.file ? item.path : `${item.path}/`,
          mode: item.file ? parseInt(item.file.mode, 8) : 0o755,
          uid: 0,
          gid: 0,
          uname: '',
          gname: '',
          mtime: time,
          type: item.file ? 'file' : 'directory',
        };
        const f = item.file;
        if (item.bytecodeOf) {
          const body = await compiledAt(index);
          if (body === undefined) continue;
          header.type = 'file';
          header.name = item.path;
          header.mode = 0o644;
          header.size = body.length;
          await addEntry(pack, header, body);
        } else if (!f) {
          await addEntry(pack, header);
        } else if (f.source.kind === 'content') {
          header.size = f.source.body.length;
          await addEntry(pack, header, f.source.body);
        } else if (ZipReader.isSmall(f.source.entry)) {
          const body = readVerified(f, readerOf(f.source.zip));
          header.size = body.length;
          await addEntry(pack, header, body);
        } else {
          header.size = f.size;
          try {
            await streamInto(pack, header, memberStream(f, readerOf(f.source.zip)));
          } catch (err) {
            throw wheelError(f.wheel, err, f.origin);
          }
        }
      }
      pack.finalize();
    } finally {
      for (const r of readers.values()) r.close();
    }
  })().catch((err: unknown) => pack.destroy(err as Error));
  return pack;
}

/** A small member's final bytes (shebang rewritten for scripts), read whole, failing unless they match the plan. */
function readVerified(f: Planned, reader: ZipReader): Buffer {
  if (f.source.kind !== 'member') throw new Error('not a member');
  let body: Buffer;
  try {
    body = reader.readSmall(f.source.entry);
  } catch (err) {
    throw wheelError(f.wheel, err, f.origin);
  }
  if (f.source.shebang !== undefined) {
    const rewriter = new ShebangRewriter(f.source.shebang);
    body = Buffer.concat([...rewriter.push(body), ...rewriter.end()]);
  }
  if (body.length !== f.size || !sha256(body).equals(f.sha256)) throw corrupt(f.wheel, f.origin);
  return body;
}

/** A source file's .pyc bytes (its bytes checked against the plan first), or undefined when it does not compile. */
async function compileMember(f: Planned, compiler: Bytecode, readerOf: (zip: ZipFile) => ZipReader): Promise<Buffer | undefined> {
  let source: Buffer;
  if (f.source.kind === 'content') source = f.source.body;
  else if (ZipReader.isSmall(f.source.entry)) source = readVerified(f, readerOf(f.source.zip));
  else {
    source = await readMember(f.source.zip, f.source.entry, f.wheel);
    if (f.source.shebang !== undefined || source.length !== f.size || !sha256(source).equals(f.sha256)) {
      if (f.source.shebang === undefined) throw corrupt(f.wheel, f.origin);
      const rewriter = new ShebangRewriter(f.source.shebang);
      source = Buffer.concat([...rewriter.push(source), ...rewriter.end()]);
      if (!sha256(source).equals(f.sha256)) throw corrupt(f.wheel, f.origin);
    }
  }
  const r = await compiler.compile(`/${f.path}`, source);
  return 'pyc' in r ? r.pyc : undefined;
}

/**
 * Streams `source` into a new tar entry with backpressure. Unlike layer.ts's copyInto, a failing source
 * leaves no unhandled 'error' event or rejection behind: the caller gets the error and destroys the pack.
 */
async function streamInto(pack: Pack, header: Partial<Header> & { name: string }, source: Readable): Promise<void> {
  let sink!: ReturnType<Pack['entry']>;
  const finished = new Promise<void>((ok, fail) => {
    sink = pack.entry(header, (err) => (err ? fail(err) : ok()));
  });
  finished.catch(() => undefined); // awaited below, or superseded by the source's error
  sink.on('error', () => undefined); // reported through `finished`
  try {
    for await (const chunk of source) {
      if (!sink.write(chunk)) await Promise.race([new Promise<void>((resolve) => sink.once('drain', () => resolve())), finished]);
    }
  } catch (err) {
    sink.destroy(err as Error);
    throw err;
  }
  sink.end(undefined);
  await finished;
}

/** The member's final bytes (shebang rewritten for scripts), failing unless they match the plan. */
function memberStream(f: Planned, reader: ZipReader): Readable {
  if (f.source.kind !== 'member') throw new Error('not a member');
  const { entry, shebang } = f.source;
  const verify = new Verify(f);
  // Errors from the zip (CRC, size, I/O) reach the consumer as E_WHEEL errors naming the wheel and member.
  const source = reader.stream(entry);
  const failed = (err: Error) => verify.destroy(wheelError(f.wheel, err, f.origin));
  source.on('error', failed);
  verify.on('close', () => source.destroy());
  if (shebang === undefined) {
    source.pipe(verify);
  } else {
    const rewriter = new ShebangRewriter(shebang);
    const rewrite = new Transform({
      transform(chunk: Buffer, _enc, done: TransformCallback) {
        for (const out of rewriter.push(chunk)) this.push(out);
        done();
      },
      flush(done: TransformCallback) {
        for (const out of rewriter.end()) this.push(out);
        done();
      },
    });
    rewrite.on('error', failed);
    source.pipe(rewrite).pipe(verify);
  }
  return verify;
}

class Verify extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;

  constructor(private readonly f: Planned) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.f.size) return done(corrupt(this.f.wheel, this.f.origin));
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.bytes !== this.f.size || !this.hash.digest().equals(this.f.sha256)) return done(corrupt(this.f.wheel, this.f.origin));
    done();
  }
}

function corrupt(wheel: string, member: string): ConfigError {
  return new ConfigError('E_WHEEL', `${wheel}: ${member} does not match its hash in RECORD: the wheel is corrupt`);
}

function wheelError(wheel: string, err: unknown, member?: string): Error {
  if (err instanceof ConfigError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const what = err instanceof ZipFormatError ? 'not a valid zip' : 'cannot be read';
  return new ConfigError('E_WHEEL', `${wheel}: ${what}${member && !message.startsWith(member) ? ` (${member})` : ''}: ${message}`, { cause: err });
}

async function planWheel(w: WheelToInstall, target: VenvTarget): Promise<Planned[]> {
  const wheel = w.filename ?? path.basename(w.file);
  const fail = (what: string): never => {
    throw new ConfigError('E_WHEEL', `${wheel}: ${what}`);
  };
  const venv = target.venv.slice(1);
  const site = sitePackages(target.venv, target.pythonMinor).slice(1);

  // {distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl
  const parts = wheel.endsWith('.whl') ? wheel.slice(0, -4).split('-') : [];
  if (parts.length !== 5 && parts.length !== 6) fail('not a wheel file name ({name}-{version}(-{build})-{python}-{abi}-{platform}.whl)');
  if (escapeDistName(parts[0]!) !== escapeDistName(w.name) || versionKey(parts[1]!) !== versionKey(w.version)) {
    fail(`the file name does not match ${w.name} ${w.version}`);
  }

  let zip: ZipFile;
  try {
    zip = await ZipFile.open(w.file);
  } catch (err) {
    throw wheelError(wheel, err);
  }
  const members = new Map<string, ZipEntry>();
  const topDirs = new Set<string>();
  for (const entry of zip.entries) {
    const problem = pathProblem(entry.name);
    if (problem) fail(`${JSON.stringify(entry.name)} ${problem}`);
    const segments = entry.name.split('/').filter(Boolean);
    if (segments.length > 1 || entry.directory) topDirs.add(segments[0]!);
    if (!entry.directory) members.set(entry.name, entry);
  }

  const distInfos = [...topDirs].filter((d) => d.endsWith('.dist-info')).sort(compare);
  if (distInfos.length !== 1) fail(distInfos.length ? `has ${distInfos.length} .dist-info directories (${distInfos.join(', ')})` : 'has no .dist-info directory');
  const distInfo = distInfos[0]!;
  const stem = distInfo.slice(0, -'.dist-info'.length);
  const dash = stem.indexOf('-');
  if (dash < 0 || escapeDistName(stem.slice(0, dash)) !== escapeDistName(w.name) || versionKey(stem.slice(dash + 1)) !== versionKey(w.version)) {
    fail(`its ${distInfo} is not named for ${w.name} ${w.version}`);
  }
  const dataDir = `${stem}.data`;
  for (const d of topDirs) {
    if (d.endsWith('.data') && d !== dataDir) fail(`installs into ${d}, which is not its own ${dataDir}`);
  }

  // RECORD: every file in the zip, with its hash (but RECORD itself and its signatures).
  const recordName = `${distInfo}/RECORD`;
  const recordEntry = members.get(recordName) ?? fail(`has no ${recordName}`);
  const unhashed = new Set([recordName, `${recordName}.jws`, `${recordName}.p7s`]);
  const record = new Map<string, RecordRow>();
  const recordText = await readMember(zip, recordEntry, wheel);
  for (const row of parseCsv(recordText.toString('utf8'))) {
    const [name = '', hash = '', size = ''] = row;
    if (!name) fail('RECORD has a row with no path');
    if (record.has(name)) fail(`RECORD lists ${name} twice`);
    const r: RecordRow = {};
    if (hash) {
      const eq = hash.indexOf('=');
      const algorithm = hash.slice(0, eq);
      if (eq < 0 || !HASHES.has(algorithm)) fail(`RECORD has an unsupported hash for ${name}: ${hash}`);
      r.algorithm = algorithm;
      r.digest = Buffer.from(hash.slice(eq + 1), 'base64url');
      if (r.digest.length * 8 !== Number(algorithm.slice(3))) fail(`RECORD has a malformed hash for ${name}`);
    } else if (!unhashed.has(name)) {
      fail(`RECORD has no hash for ${name}`);
    }
    if (size) {
      if (!/^\d+$/.test(size)) fail(`RECORD has a malformed size for ${name}`);
      r.size = Number(size);
    }
    record.set(name, r);
  }
  for (const name of members.keys()) if (!record.has(name)) fail(`${name} is not listed in RECORD`);
  for (const [name, r] of record) {
    const entry = members.get(name) ?? fail(`RECORD lists ${name}, which is not in the wheel`);
    if (r.size !== undefined && r.size !== entry.size) fail(`${name} is ${entry.size} bytes but RECORD says ${r.size}`);
  }

  /** A small member's bytes, checked against RECORD. */
  const readVerified = async (name: string): Promise<Buffer> => {
    const bytes = await readMember(zip, members.get(name)!, wheel);
    const r = record.get(name)!;
    if (!createHash(r.algorithm!).update(bytes).digest().equals(r.digest!)) throw corrupt(wheel, name);
    return bytes;
  };

  // WHEEL: the format version, and Root-Is-Purelib (purelib and platlib are one directory in a venv).
  const wheelName = `${distInfo}/WHEEL`;
  if (!members.has(wheelName)) fail(`has no ${wheelName}`);
  const meta = parseHeaders((await readVerified(wheelName)).toString('utf8'));
  const formatVersion = meta.get('wheel-version') ?? fail(`${wheelName} has no Wheel-Version`);
  if (!/^1(\.\d+)*$/.test(formatVersion.trim())) fail(`Wheel-Version ${formatVersion.trim()} is not supported (1.x is)`);
  const purelib = meta.get('root-is-purelib')?.trim().toLowerCase();
  if (purelib !== 'true' && purelib !== 'false') fail(`${wheelName} has no valid Root-Is-Purelib`);

  const planned: Planned[] = [];
  const origins = new Map<string, string>();
  const reservedPaths = reserved(venv, target.pythonMinor);
  const add = (p: Planned) => {
    const other = origins.get(p.path);
    if (other !== undefined) fail(`${other} and ${p.origin} both install /${p.path}`);
    if (reservedPaths.has(p.path)) fail(`${p.origin} would replace the venv's /${p.path}`);
    origins.set(p.path, p.origin);
    planned.push(p);
  };
  const generated = (file: string, origin: string, body: Buffer, mode: '0644' | '0755' = '0644') =>
    add({ path: file, mode, wheel, dist: w.name, origin, size: body.length, sha256: sha256(body), source: { kind: 'content', body } });

  const ours = new Set([recordName, `${recordName}.jws`, `${recordName}.p7s`, `${distInfo}/INSTALLER`, `${distInfo}/REQUESTED`, `${distInfo}/direct_url.json`]);
  const interpreter = `${target.venv}/bin/python`;
  for (const [name, entry] of [...members].sort((a, b) => compare(a[0], b[0]))) {
    if (ours.has(name)) continue; // written below: RECORD is rewritten, signatures would no longer hold
    let dest: string;
    let script = false;
    const segments = name.split('/');
    if (segments[0] === dataDir) {
      const scheme = segments[1]!;
      const rest = segments.slice(2).join('/');
      if (!rest) fail(`${name} is not inside a scheme directory of ${dataDir}`);
      switch (scheme) {
        case 'purelib':
        case 'platlib':
          dest = `${site}/${rest}`;
          break;
        case 'scripts':
          dest = `${venv}/bin/${rest}`;
          script = true;
          break;
        case 'headers':
          dest = `${venv}/include/site/python${target.pythonMinor}/${w.name}/${rest}`;
          break;
        case 'data':
          dest = `${venv}/${rest}`;
          break;
        default:
          fail(`${name} is in an unknown scheme ${JSON.stringify(scheme)} (purelib, platlib, scripts, headers, data are known)`);
      }
    } else {
      dest = `${site}/${name}`;
    }
    const r = record.get(name)!;
    const executable = script || ((ZipFile.unixMode(entry) ?? 0) & 0o111) !== 0;
    const shebang = script ? interpreter : undefined;
    let digest: Buffer;
    let size: number;
    if (shebang === undefined && r.algorithm === 'sha256') {
      digest = r.digest!;
      size = entry.size;
    } else {
      ({ digest, size } = await measure(zip, entry, r, shebang, wheel));
    }
    add({ path: dest!, mode: executable ? '0755' : '0644', wheel, dist: w.name, origin: name, size, sha256: digest, source: { kind: 'member', zip, entry, shebang } });
  }

  // Console and GUI scripts: the same wrappers as for the project itself.
  const entryPointsName = `${distInfo}/entry_points.txt`;
  if (members.has(entryPointsName)) {
    const sections = parseEntryPoints((await readVerified(entryPointsName)).toString('utf8'), (what) => fail(`${entryPointsName}: ${what}`));
    for (const group of ['console_scripts', 'gui_scripts']) {
      for (const script of sections.get(group) ?? []) {
        generated(`${venv}/bin/${script.name}`, `${group} ${script.name}`, Buffer.from(wrapper(target.venv, script), 'utf8'), '0755');
      }
    }
  }

  generated(`${site}/${distInfo}/INSTALLER`, 'INSTALLER', Buffer.from('pycontainer\n'));
  if (w.requested) generated(`${site}/${distInfo}/REQUESTED`, 'REQUESTED', Buffer.alloc(0));
  if (w.directUrl) generated(`${site}/${distInfo}/direct_url.json`, 'direct_url.json', Buffer.from(directUrlJson(w.directUrl, fail)));

  const recordPath = `${site}/${distInfo}/RECORD`;
  const lines = planned.map((p) => csvLine([relativeTo(p.path, site), `sha256=${p.sha256.toString('base64url')}`, String(p.size)]));
  lines.push(csvLine([relativeTo(recordPath, site), '', '']));
  generated(recordPath, 'RECORD', Buffer.from(`${lines.sort().join('\n')}\n`, 'utf8'));
  return planned;
}

async function readMember(zip: ZipFile, entry: ZipEntry, wheel: string): Promise<Buffer> {
  try {
    return await zip.read(entry);
  } catch (err) {
    throw wheelError(wheel, err, entry.name);
  }
}

/** Reads a member once (before the tar is written) to learn its final hash and size, checking RECORD. */
async function measure(zip: ZipFile, entry: ZipEntry, r: RecordRow, shebang: string | undefined, wheel: string): Promise<{ digest: Buffer; size: number }> {
  const original = createHash(r.algorithm!);
  const final = createHash('sha256');
  const rewriter = shebang === undefined ? undefined : new ShebangRewriter(shebang);
  let size = 0;
  const take = (chunks: Buffer[]) => {
    for (const c of chunks) {
      final.update(c);
      size += c.length;
    }
  };
  try {
    for await (const chunk of zip.stream(entry)) {
      original.update(chunk as Buffer);
      take(rewriter ? rewriter.push(chunk as Buffer) : [chunk as Buffer]);
    }
  } catch (err) {
    throw wheelError(wheel, err, entry.name);
  }
  if (rewriter) take(rewriter.end());
  if (!original.digest().equals(r.digest!)) throw corrupt(wheel, entry.name);
  return { digest: final.digest(), size };
}

/**
 * Rewrites a first line `#!python` or `#!pythonw` (followed by arguments or the end of the line) to
 * `#!<interpreter>`, keeping arguments and line ending; anything else passes through unchanged.
 */
export class ShebangRewriter {
  private head: Buffer | undefined = Buffer.alloc(0);
  private static readonly MAX_LINE = 64 * 1024;

  constructor(private readonly interpreter: string) {}

  push(chunk: Buffer): Buffer[] {
    if (!this.head) return [chunk];
    this.head = Buffer.concat([this.head, chunk]);
    const newline = this.head.indexOf(0x0a);
    if (newline >= 0) return this.decide(newline);
    const prefix = Buffer.from('#!python');
    const n = Math.min(prefix.length, this.head.length);
    if (!this.head.subarray(0, n).equals(prefix.subarray(0, n)) || this.head.length > ShebangRewriter.MAX_LINE) return this.release();
    return [];
  }

  end(): Buffer[] {
    if (!this.head) return [];
    return this.decide(this.head.length);
  }

  private decide(lineEnd: number): Buffer[] {
    const head = this.head!;
    const line = head.subarray(0, lineEnd).toString('latin1');
    const match = /^#!pythonw?(?=[ \t\r]|$)/.exec(line);
    if (!match) return this.release();
    this.head = undefined;
    const out = Buffer.concat([Buffer.from(`#!${this.interpreter}`, 'utf8'), head.subarray(match[0].length)]);
    return out.length ? [out] : [];
  }

  private release(): Buffer[] {
    const head = this.head!;
    this.head = undefined;
    return head.length ? [head] : [];
  }
}

/** Paths that belong to the venv itself (another layer), which a wheel must not replace. */
function reserved(venv: string, minor: string): Set<string> {
  return new Set([`${venv}/pyvenv.cfg`, `${venv}/bin/python`, `${venv}/bin/python3`, `${venv}/bin/python${minor}`, `${venv}/lib64`]);
}

/** Why a member name cannot be installed, or undefined. */
function pathProblem(name: string): string | undefined {
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
  if (name.includes('\\') || name.includes('\0')) return 'is not a portable path';
  const segments = name.split('/');
  if (segments.some((s) => s === '..')) return 'escapes the install directory';
  if (segments.slice(0, name.endsWith('/') ? -1 : undefined).some((s) => s === '' || s === '.')) return 'is not a normalized path';
  return undefined;
}

function versionKey(version: string): string {
  return version.trim().toLowerCase().replace(/-/g, '_');
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Byte-wise (UTF-8) order, without encoding the strings (thousands of member names are sorted). */
const compare = compareUtf8;

/** `Key: value` lines (WHEEL), keys lower-cased; the first occurrence wins. */
function parseHeaders(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    if (!out.has(key)) out.set(key, line.slice(colon + 1).trim());
  }
  return out;
}

/** entry_points.txt (INI-like): groups of `name = module:attr [extras]`. */
export function parseEntryPoints(text: string, fail: (what: string) => never): Map<string, ScriptEntry[]> {
  const sections = new Map<string, ScriptEntry[]>();
  let current: ScriptEntry[] | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      const name = section[1]!.trim();
      current = sections.get(name) ?? [];
      sections.set(name, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0 || !current) fail(`cannot read the line ${JSON.stringify(line)}`);
    current!.push({ name: line.slice(0, eq).trim(), ...parseReference(line.slice(eq + 1)) });
  }
  for (const group of ['console_scripts', 'gui_scripts']) {
    for (const s of sections.get(group) ?? []) {
      if (!/^[^/\\\0\s]+$/.test(s.name) || s.name === '.' || s.name === '..') fail(`${group} has an invalid script name ${JSON.stringify(s.name)}`);
      const ident = /^[\p{L}\p{Nl}_][\p{L}\p{N}_]*(\.[\p{L}\p{Nl}_][\p{L}\p{N}_]*)*$/u;
      if (!ident.test(s.module) || (s.attr !== undefined && !ident.test(s.attr))) fail(`${group} ${s.name} has an invalid object reference`);
    }
  }
  return sections;
}

function parseReference(value: string): { module: string; attr?: string } {
  const spec = value.replace(/\[[^\]]*\]\s*$/, '').trim();
  const colon = spec.indexOf(':');
  if (colon < 0) return { module: spec };
  return { module: spec.slice(0, colon).trim(), attr: spec.slice(colon + 1).trim() };
}

/** PEP 610 direct_url.json for an archive (wheel) URL, keys sorted. */
function directUrlJson(direct: { url: string; archiveHash?: string }, fail: (what: string) => never): string {
  const archiveInfo: Record<string, unknown> = {};
  if (direct.archiveHash) {
    const m = /^([a-z0-9_]+)[=:]([0-9a-fA-F]+)$/.exec(direct.archiveHash) ?? (/^[0-9a-fA-F]{64}$/.test(direct.archiveHash) ? [direct.archiveHash, 'sha256', direct.archiveHash] : null);
    if (!m) fail(`cannot read the archive hash ${JSON.stringify(direct.archiveHash)} (expected sha256=<hex>)`);
    const [, algorithm, hex] = m!;
    archiveInfo.hash = `${algorithm}=${hex!.toLowerCase()}`;
    archiveInfo.hashes = { [algorithm!]: hex!.toLowerCase() };
  }
  return JSON.stringify({ archive_info: archiveInfo, url: direct.url });
}

/** RFC 4180-style CSV as Python's csv module reads it (quoted fields, doubled quotes, \n or \r\n). */
export function parseCsv(text: string): string[][] {
  // RECORD files hardly ever quote: without a quote character, rows and fields are plain splits (slices
  // of the text, where the general parser below builds each field a character at a time).
  if (!text.includes('"')) {
    const rows: string[][] = [];
    for (const line of text.split(/\r\n|\n|\r/)) if (line) rows.push(line.split(','));
    return rows;
  }
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') {
      quoted = true;
      started = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
      started = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (started || field) {
        row.push(field);
        rows.push(row);
      }
      row = [];
      field = '';
      started = false;
    } else {
      field += c;
      started = true;
    }
  }
  if (started || field) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** One CSV line as Python's csv writer writes it (minimal quoting). */
function csvLine(fields: string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
}

/** The bytes a wheel installs: its members' uncompressed sizes (from the zip's central directory). */
export async function wheelInstalledSize(file: string, filename = path.basename(file)): Promise<number> {
  try {
    const zip = await ZipFile.open(file);
    return zip.entries.reduce((sum, e) => sum + (e.directory ? 0 : e.size), 0);
  } catch (err) {
    throw wheelError(filename, err);
  }
}
