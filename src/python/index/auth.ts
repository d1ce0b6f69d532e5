/**
 * Credentials for files on a package index. A page request resolves them (URL userinfo or netrc) and
 * remembers them for the index's origin, so the wheel and sdist downloads that follow send them to
 * that same origin, and never to another host (a CDN, a redirect target). A download from a host no
 * page was read from takes a netrc `machine` entry for exactly that host, as pip does; the `default`
 * entry only ever goes to an index that was asked for pages.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** origin (scheme://host:port) → index root path → Authorization header; in memory only. */
const indexAuth = new Map<string, Map<string, string>>();

export function rememberIndexAuth(indexUrl: string, header: string): void {
  const u = new URL(indexUrl);
  let roots = indexAuth.get(u.origin);
  if (!roots) indexAuth.set(u.origin, (roots = new Map()));
  roots.set(u.pathname, header);
}

/**
 * The credentials of the index on this URL's origin whose root shares the longest path prefix with it
 * (one host may serve several indexes with their own credentials: /team-a/simple, /team-b/simple).
 */
function rememberedFor(u: URL): string | undefined {
  const roots = indexAuth.get(u.origin);
  if (!roots) return undefined;
  let best: { header: string; shared: number } | undefined;
  for (const [root, header] of roots) {
    let shared = 0;
    while (shared < root.length && shared < u.pathname.length && root[shared] === u.pathname[shared]) shared++;
    if (!best || shared > best.shared) best = { header, shared };
  }
  return best?.header;
}

/** The Authorization header for a file URL: the index's own for its origin, else netrc for its host. */
export async function readDownloadAuthorization(url: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
  if (u.username !== '' || u.password !== '') {
    return `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
  }
  const remembered = rememberedFor(u);
  if (remembered) return remembered;
  const entry = (await readNetrc(env)).find((e) => e.machine === u.hostname);
  if (!entry || (entry.login === undefined && entry.password === undefined)) return undefined;
  return `Basic ${Buffer.from(`${entry.login ?? ''}:${entry.password ?? ''}`).toString('base64')}`;
}

/** The entries of $NETRC or ~/.netrc; none when there is no such file. */
export async function readNetrc(env: NodeJS.ProcessEnv = process.env): Promise<NetrcEntry[]> {
  const file = env.NETRC ?? path.join(env.HOME ?? os.homedir(), '.netrc');
  try {
    return parseNetrc(await readFile(file, 'utf8'));
  } catch {
    return [];
  }
}

export interface NetrcEntry {
  /** Undefined for the `default` entry. */
  machine?: string;
  login?: string;
  password?: string;
}

/** Parses a .netrc: machine/default entries with login and password; macdef bodies are skipped. */
export function parseNetrc(text: string): NetrcEntry[] {
  const entries: NetrcEntry[] = [];
  const lines = text.split(/\r?\n/);
  const tokens: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*#/.test(line)) continue;
    const lineTokens = [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!));
    const macdef = lineTokens.indexOf('macdef');
    if (macdef >= 0) {
      tokens.push(...lineTokens.slice(0, macdef));
      while (i + 1 < lines.length && lines[i + 1]!.trim() !== '') i++; // the macro body runs to a blank line
      continue;
    }
    tokens.push(...lineTokens);
  }
  let current: NetrcEntry | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === 'machine') {
      current = { machine: tokens[++i] ?? '' };
      entries.push(current);
    } else if (t === 'default') {
      current = {};
      entries.push(current);
    } else if (current && (t === 'login' || t === 'password' || t === 'account')) {
      const v = tokens[++i];
      if (t === 'login') current.login = v;
      else if (t === 'password') current.password = v;
    }
  }
  return entries;
}
