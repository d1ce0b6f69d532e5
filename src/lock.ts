/**
 * Advisory locks between pycontainer processes: a lock file created with O_EXCL holding the owner's
 * pid, host and start time. Two builds writing one output (or evicting one cache) take turns instead of
 * deleting each other's files. A lock whose owner is gone — its pid no longer runs on this host, or the
 * pid now belongs to a process started after the lock was taken, or (on another host, where we cannot
 * ask) it was not refreshed for a while — is taken over, so a build killed with SIGKILL never blocks the
 * next one. Holders refresh the file's mtime while they run.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { ApplyError, EXIT } from './errors.js';

/** Who holds a lock, as written in the lock file. */
export interface LockOwner {
  pid: number;
  host: string;
  /** When the lock was taken (ms since the epoch). */
  started: number;
}

export interface LockOptions {
  /** What the lock protects, for messages (the output directory or file). */
  what: string;
  /** How long to wait for a live owner before giving up (ms); 0 fails at once. */
  waitMs?: number;
  /** Called once when the lock is held by another live process and we start waiting. */
  onWait?: (owner: LockOwner) => void;
  /** The fix the busy message suggests. */
  hint?: string;
}

/** A lock on another host is taken over when its file was not refreshed for this long. */
export const FOREIGN_STALE_MS = 5 * 60_000;
/** How often a holder refreshes its lock file. */
const HEARTBEAT_MS = 30_000;
/** A lock file still empty after this long was left by a process killed between create and write. */
const EMPTY_STALE_MS = 10_000;
const POLL_MS = 100;

/** The lock file's content, or undefined when it is not one of ours (or not yet written). Pure. */
export function parseLockOwner(text: string): LockOwner | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockOwner>;
    if (Number.isInteger(v.pid) && v.pid! > 0 && typeof v.host === 'string' && typeof v.started === 'number') return { pid: v.pid!, host: v.host, started: v.started };
  } catch {
    // not JSON: a partly written or foreign file
  }
  return undefined;
}

/** What is known about the owner's process on this host: not running, running since `startedMs`, or running (start unknown). */
export type ProcessState = { running: false } | { running: true; startedMs?: number };

/**
 * Whether a lock is still held. Pure: the caller supplies the file's age, this host's name and what it
 * knows of the owner's pid (when the owner is on this host).
 */
export function judgeLock(owner: LockOwner | undefined, ageMs: number, host: string, process: ProcessState | undefined): 'held' | 'stale' {
  if (!owner) return ageMs > EMPTY_STALE_MS ? 'stale' : 'held';
  if (owner.host !== host) return ageMs > FOREIGN_STALE_MS ? 'stale' : 'held';
  if (!process || !process.running) return 'stale';
  // The pid was reused: the process running under it started after the lock was taken.
  if (process.startedMs !== undefined && process.startedMs > owner.started + 2000) return 'stale';
  return 'held';
}

/** Whether `pid` runs on this host, and since when (Linux /proc; elsewhere the start is unknown). */
export function processState(pid: number): ProcessState {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return { running: false };
  }
  const startedMs = linuxStartMs(pid);
  return startedMs === undefined ? { running: true } : { running: true, startedMs };
}

/** A pid's start time from /proc/PID/stat (field 22, clock ticks after boot) and /proc/stat's btime. */
function linuxStartMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(btime)) return undefined;
    // USER_HZ is 100 on every Linux architecture Node runs on.
    return btime * 1000 + ticks * 10;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid runs on this host (for temporary files named after their writer). */
export function isLiveProcess(pid: number): boolean {
  return pid === process.pid || processState(pid).running;
}

/** A held lock; release it when done (also on failure). */
export class HeldLock {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly path: string,
    readonly owner: LockOwner,
  ) {
    this.timer = setInterval(() => {
      const now = new Date();
      void utimes(path, now, now).catch(() => undefined);
    }, HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Removes the lock file, if it is still ours. */
  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const current = parseLockOwner(await readFile(this.path, 'utf8').catch(() => ''));
    if (current && current.pid === this.owner.pid && current.host === this.owner.host && current.started === this.owner.started) await rm(this.path, { force: true });
  }
}

/** The busy error: exit EXIT.busy (75, EX_TEMPFAIL), since trying again later helps. */
export function busyError(owner: LockOwner | undefined, what: string, hint: string): ApplyError {
  const who = owner ? `pid ${owner.pid}${owner.host !== hostname() ? ` on ${owner.host}` : ''}` : 'pid unknown';
  return new ApplyError('E_OUTPUT_BUSY', `another pycontainer (${who}) is writing ${what}; ${hint}`, { exitCode: EXIT.busy });
}

/**
 * Takes the lock at `path`, waiting up to `waitMs` for a live owner; takes over a stale one. Throws the
 * busy error when the wait runs out.
 */
export async function acquireLock(path: string, options: LockOptions): Promise<HeldLock> {
  const deadline = Date.now() + (options.waitMs ?? 0);
  let announced = false;
  for (;;) {
    const lock = await tryCreate(path);
    if (lock) return lock;
    // Watched, not tried, while someone holds it: each try writes a temporary file, which a waiter
    // killed at that moment would leave behind (the next holder sweeps it, but one that already did
    // would not).
    for (;;) {
      const { owner, state } = await inspect(path);
      if (state === 'stale') {
        await takeOver(path, owner);
        break;
      }
      if (state === 'gone') break;
      if (Date.now() >= deadline) throw busyError(owner, options.what, options.hint ?? 'wait for it or choose another --output');
      if (!announced && owner) {
        announced = true;
        options.onWait?.(owner);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
}

/** Takes the lock if it is free or stale; undefined when a live process holds it. */
export async function tryAcquireLock(path: string): Promise<HeldLock | undefined> {
  try {
    return await acquireLock(path, { what: path, waitMs: 0 });
  } catch (err) {
    if (err instanceof ApplyError && err.code === 'E_OUTPUT_BUSY') return undefined;
    throw err;
  }
}

/**
 * Creates the lock file with its owner already in it: written under a temporary name, then hard-linked
 * to the lock's name (link fails with EEXIST when the lock exists, as O_EXCL does). A lock created empty
 * and then written would show a competitor an empty file in between ("pid unknown"). A file system
 * without hard links gets the exclusive create and write.
 */
async function tryCreate(path: string): Promise<HeldLock | undefined> {
  const owner: LockOwner = { pid: process.pid, host: hostname(), started: Date.now() };
  const text = `${JSON.stringify(owner)}\n`;
  // Named after this process: one left by a run killed in between is swept by the output's next
  // holder (removeAbandonedSiblings in src/apply/layout.ts), never one of a live process.
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, { flag: 'wx' });
  } catch (err) {
    throw lockCreateError(path, err);
  }
  try {
    await link(tmp, path);
    return new HeldLock(path, owner);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return undefined;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') return tryCreateWithoutLink(path, owner, text);
    throw lockCreateError(path, err);
  } finally {
    await rm(tmp, { force: true });
  }
}

async function tryCreateWithoutLink(path: string, owner: LockOwner, text: string): Promise<HeldLock | undefined> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw lockCreateError(path, err);
  }
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
  return new HeldLock(path, owner);
}

function lockCreateError(path: string, err: unknown): ApplyError {
  return new ApplyError('E_LOCK', `cannot create the lock file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}); check that its directory is writable`);
}

async function inspect(path: string): Promise<{ owner: LockOwner | undefined; text: string; state: 'held' | 'stale' | 'gone' }> {
  let text: string;
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(path)).mtimeMs;
    text = await readFile(path, 'utf8');
  } catch {
    return { owner: undefined, text: '', state: 'gone' };
  }
  const owner = parseLockOwner(text);
  const here = owner && owner.host === hostname() ? processState(owner.pid) : undefined;
  return { owner, text, state: judgeLock(owner, Date.now() - mtimeMs, hostname(), here) };
}

/**
 * Removes a stale lock. Two processes may judge the same lock stale at once; a second lock file
 * (`PATH.takeover`, itself O_EXCL) makes only one of them remove it, after checking that the file still
 * holds the stale owner — so a fresh lock taken meanwhile by a third process is never removed.
 */
async function takeOver(path: string, stale: LockOwner | undefined): Promise<void> {
  const guard = `${path}.takeover`;
  let handle;
  try {
    handle = await open(guard, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another process is taking over; a guard left by a killed one is removed after a while.
    const age = await stat(guard).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > EMPTY_STALE_MS) await rm(guard, { force: true });
    await new Promise((r) => setTimeout(r, POLL_MS));
    return;
  }
  try {
    await handle.close();
    const now = parseLockOwner(await readFile(path, 'utf8').catch(() => ''));
    const same = JSON.stringify(now) === JSON.stringify(stale);
    if (same) await rm(path, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

/** The lock file guarding an output path: a hidden sibling, so it exists before the output does. */
export function outputLockPath(output: string): string {
  const slash = output.lastIndexOf('/');
  return `${output.slice(0, slash + 1)}.${output.slice(slash + 1)}.pycontainer-lock`;
}

/** How long to wait for a busy output: PYCONTAINER_LOCK_WAIT seconds, else 5 minutes. */
export function lockWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PYCONTAINER_LOCK_WAIT;
  if (raw !== undefined && /^\d+(\.\d+)?$/.test(raw.trim())) return Math.round(Number(raw) * 1000);
  return 5 * 60_000;
}
