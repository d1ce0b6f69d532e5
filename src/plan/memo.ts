/**
 * The plan memo: the last plan compiled for a context, reused when nothing it was compiled from has
 * changed, like make's up-to-date check or git's index. A warm `plan` (and the compile half of
 * `build` and `build --push`) then lists the context (which it must do to know that nothing changed)
 * and skips detection, the base image's filesystem, the dependency layers, the stat cache, the layer
 * keys and the plan's assembly.
 *
 * A stale plan is worse than a slow one, so the memo is kept only for compiles whose every input is
 * one of:
 * - the flags, the options, the working directory, the whole environment, pycontainer's own build,
 *   the machine's platform (all in the key);
 * - pyproject.toml, pycontainer.toml and every build file at the context root, by content (the plan's
 *   `inputs` digests, in the key: a root file that appears or disappears changes them too);
 * - the context as listed (every path, type, link text, and each file's lstat stamp: size, mtime,
 *   ctime, inode, device, mode), in the key;
 * - files outside the context that lock discovery may read (each ancestor's pyproject.toml, which
 *   can make the context a uv workspace member) and the lock files used: their stamps (or their
 *   absence) are recorded and compared;
 * - content-addressed things only: a base image named by digest or pinned by the committed plan (the
 *   pins it took are recorded and compared), dependency wheels named by URL and sha256 in a uv.lock
 *   or pylock.toml.
 * A compile that reached the network to resolve a tag or a requirement, ran git (dynamic versions,
 * annotations_from_git) or a host interpreter (compile_bytecode), read a base from an OCI layout,
 * copied a host venv, built a wheel from local sources, or stamped the current time
 * (reproducible = false) is not memoized: `memoReason` says why (for --verbose and tests).
 *
 * Racy stamps, as in the stat cache: a file changed at or after the memoized compile began (less the
 * file system clock's margin) could have changed after it was read within one clock tick, so a memo
 * whose inputs include one is not trusted; the next compile replaces it.
 *
 * One memo per context and flag set (its slot: a hash of the context path, working directory, config
 * path and flags), replaced when the project changes, in the derived/ store (evicted with it).
 */
import { createHash } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plan } from '../../generated/plan.js';
import { DerivedCache } from '../cache/derived.js';
import { CLOCK_MARGIN_MS, stampOf } from '../cache/stat.js';
import type { ContextFile } from '../config/context.js';
import { sha256Hex } from '../oci/digest.js';
import { PYCONTAINER_VERSION } from '../version.js';
import { jsonPieces } from './file.js';

const FORMAT = 'pycontainer-plan-memo 1';
const KIND = 'plan-memo';

/**
 * A memo's first line: its key (first, so a mismatch is seen before anything is parsed), what its
 * trust rests on beyond the key, and the warnings to repeat. The plan follows as serializePlan wrote
 * it when the caller writes plans out (`plan -o`: a warm one neither serializes nor encodes it again).
 */
interface MemoHeader {
  key: string;
  /** Stamps changed at or after this (ms) are racy: the memo is not trusted over them. */
  trustBefore: number;
  /** Files outside the context: absolute path and stamp key, or '' for absent. */
  external: [string, string][];
  /**
   * The pins the base was taken from, when it was (a tag kept by the committed plan, or --offline):
   * they are an input then, and only then (a scratch or digest base does not read them, and a plan
   * refreshed with `plan -o` offers its previous self as pins).
   */
  pins: string | null;
  /** Whether the plan text is serializePlan's (the file form), or JSON.stringify's. */
  canonical: boolean;
  warnings: string[];
}

/** What the key covers besides the project's files: the options of the compile, as given. */
export interface MemoOptions {
  context: string;
  cwd: string;
  config: string | undefined;
  flags: unknown;
  env: NodeJS.ProcessEnv;
  /** The base pins of the committed plan (kept like a lock) and of --offline's plan, when given. */
  pins: { kept: unknown; offline: unknown };
  resolveFresh: boolean;
  upgradePackages: string[];
}

/** A plan memo slot for one compile: look it up once the context is listed; store the plan when pure. */
export class PlanMemo {
  private key: string | undefined;
  private readonly startedMs = Date.now();

  private constructor(
    private readonly derived: DerivedCache,
    private readonly slot: string,
    private readonly fixed: string,
    private readonly context: string,
    private readonly pins: MemoOptions['pins'],
  ) {}

  /** The base pins a compile took (from the committed plan, or --offline's), as a memo compares them. */
  private pinsTaken(by: 'kept' | 'offline' | undefined): string | null {
    return by === undefined ? null : JSON.stringify([by, this.pins[by] ?? null]);
  }

  static for(cacheRoot: string, options: MemoOptions): PlanMemo {
    const slot = sha256Hex(JSON.stringify([FORMAT, options.context, options.cwd, options.config ?? null, options.flags ?? null]));
    // The whole environment but `_`, which shells set to the path of the program being run.
    const env = Object.keys(options.env)
      .filter((k) => k !== '_')
      .sort()
      .map((k) => `${k}=${options.env[k]}`);
    const fixed = JSON.stringify([
      FORMAT,
      PYCONTAINER_VERSION,
      buildIdentity(),
      process.version,
      process.platform,
      process.arch,
      options.context,
      options.cwd,
      options.config ?? null,
      options.flags ?? null,
      options.resolveFresh,
      options.upgradePackages,
      env,
    ]);
    return new PlanMemo(new DerivedCache(cacheRoot), slot, fixed, options.context, options.pins);
  }

  /**
   * The memoized plan and its warnings when every input is as it was when it was compiled: the key
   * (options, root build files' digests, the context's listing and stamps) matches, no stamp is
   * racy, and the files outside the context are as recorded. Undefined otherwise (or unreadable).
   */
  async lookup(inputs: readonly { path: string; sha256: string }[], files: readonly ContextFile[]): Promise<{ plan: Plan; planText?: string; warnings: string[] } | undefined> {
    const listed = keyOfListing(this.fixed, inputs, files);
    if (!listed) return undefined;
    this.key = listed.key;
    const text = await this.derived.getText(KIND, this.slot);
    if (!text?.startsWith(`{"key":"${listed.key}"`)) return undefined;
    const newline = text.indexOf('\n');
    try {
      const header: unknown = JSON.parse(text.slice(0, newline));
      if (!isMemoHeader(header) || listed.newestMs >= header.trustBefore) return undefined;
      // A base taken from the committed plan's pins: those pins must still say the same.
      if (header.pins !== null && header.pins !== this.pinsTaken(JSON.parse(header.pins)[0])) return undefined;
      for (const [path, stamp] of header.external) {
        const now = externalStamp(path);
        if (now.key !== stamp || now.changedMs >= header.trustBefore) return undefined;
      }
      const planText = text.slice(newline + 1);
      const plan = JSON.parse(planText) as Plan;
      if (typeof plan !== 'object' || plan === null || !Array.isArray(plan.layers) || !Array.isArray(plan.images)) return undefined;
      return { plan, ...(header.canonical ? { planText } : {}), warnings: header.warnings };
    } catch {
      // A damaged memo is a miss.
      return undefined;
    }
  }

  /**
   * Keeps the plan of a pure compile (see memoReason), with the lock files it read: as `canonicalText`
   * (serializePlan's form, which a caller that writes the plan out has at hand) when given, else as
   * JSON.stringify gives it, written piecewise: several times cheaper to make and to encode (a build
   * needs the plan, not its file form).
   */
  async store(plan: Plan, canonicalText: string | undefined, warnings: readonly string[], locks: readonly string[], basePinnedBy: 'kept' | 'offline' | undefined): Promise<void> {
    if (this.key === undefined) return;
    const paths = [...ancestorPyprojects(this.context), ...locks.map((l) => resolve(this.context, l))];
    const external: [string, string][] = [];
    for (const path of paths) {
      const now = externalStamp(path);
      // Changed since this compile began: it may have read the file before or after; not memoized.
      if (now.changedMs >= this.startedMs - CLOCK_MARGIN_MS) return;
      external.push([path, now.key]);
    }
    const header: MemoHeader = { key: this.key, trustBefore: this.startedMs - CLOCK_MARGIN_MS, external, pins: this.pinsTaken(basePinnedBy), canonical: canonicalText !== undefined, warnings: [...warnings] };
    await this.derived.putPieces(KIND, this.slot, memoPieces(header, plan, canonicalText));
  }
}

/** A memo's text: the header line, then the plan. */
function* memoPieces(header: MemoHeader, plan: Plan, canonicalText: string | undefined): Generator<string> {
  yield `${JSON.stringify(header)}\n`;
  if (canonicalText !== undefined) yield canonicalText;
  else yield* jsonPieces(plan);
}

/**
 * Why a compiled plan cannot be memoized (an input the key does not cover), or undefined when it
 * can. Pure: the compile reports what it did.
 */
export function memoReason(plan: Plan, did: { ranGit: boolean; baseFromNetworkOrLayout: boolean; bytecode: boolean; clock: boolean }): string | undefined {
  if (did.ranGit) return 'git was run (dynamic version or annotations_from_git)';
  if (did.baseFromNetworkOrLayout) return 'the base image was resolved by tag or read from an OCI layout';
  if (did.bytecode) return 'compile_bytecode runs a host interpreter';
  if (did.clock) return 'reproducible = false stamps the current time';
  for (const d of plan.dependencies ?? []) {
    if (d.source !== 'lock') return `the dependencies of ${d.platform} were ${d.source === 'venv' ? 'copied from a venv' : 'resolved from an index'}`;
    if (!/(^|\/)(uv\.lock|pylock(\.[^/]+)?\.toml)$/.test(d.lock)) return `${d.lock} does not pin every wheel's URL and digest`;
    const local = d.packages.find((p) => p.url === undefined || p.path !== undefined || p.sdist !== undefined || p.member !== undefined);
    if (local) return `${local.name} is built or read from local files`;
  }
  return undefined;
}

/** The key of a compile's inputs, and the newest change time among the listed files. Pure. */
function keyOfListing(fixed: string, inputs: readonly { path: string; sha256: string }[], files: readonly ContextFile[]): { key: string; newestMs: number } | undefined {
  const h = createHash('sha256').update(fixed).update('\n');
  for (const i of inputs) h.update(`${i.path}\0${i.sha256}\n`);
  let newestMs = 0;
  for (const f of files) {
    if (f.type === 'file') {
      if (!f.stamp) return undefined;
      if (f.stamp.changedMs > newestMs) newestMs = f.stamp.changedMs;
      h.update(`${f.path}\0f${f.executable ? 'x' : ''}\0${f.stamp.key}\n`);
    } else h.update(f.type === 'symlink' ? `${f.path}\0l\0${f.target}\n` : `${f.path}\0d\n`);
  }
  return { key: h.digest('hex'), newestMs };
}

/** Where uv's workspace discovery looks above the context: each ancestor's pyproject.toml. */
function ancestorPyprojects(context: string): string[] {
  const out: string[] = [];
  for (let dir = dirname(context); ; dir = dirname(dir)) {
    out.push(join(dir, 'pyproject.toml'));
    if (dirname(dir) === dir) return out;
  }
}

function externalStamp(path: string): { key: string; changedMs: number } {
  try {
    return stampOf(lstatSync(path));
  } catch {
    return { key: '', changedMs: 0 };
  }
}

/** The running pycontainer's own code, by its file's identity: a rebuilt pycontainer starts afresh. */
let identity: string | undefined;
function buildIdentity(): string {
  if (identity === undefined) {
    const here = fileURLToPath(import.meta.url);
    identity = isAbsolute(here) ? externalStamp(here).key : '';
  }
  return identity;
}

function isMemoHeader(v: unknown): v is MemoHeader {
  const m = v as MemoHeader;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.key === 'string' &&
    typeof m.trustBefore === 'number' &&
    Array.isArray(m.external) &&
    m.external.every((e) => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'string') &&
    (m.pins === null || (typeof m.pins === 'string' && /^\["(kept|offline)",/.test(m.pins))) &&
    typeof m.canonical === 'boolean' &&
    Array.isArray(m.warnings) &&
    m.warnings.every((w) => typeof w === 'string')
  );
}
