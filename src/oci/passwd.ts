/**
 * /etc/passwd and /etc/group as the base image has them, and the runtime user they decide. A user the
 * system cannot name breaks `getpass.getuser()` and `~` (Python raises KeyError / returns '/'), so
 * the default non-root user gets real entries, added in a layer of ours. Pure.
 */
export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
}

export function parsePasswd(text: string | undefined): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of (text ?? '').split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || line.startsWith('#') || !/^\d+$/.test(f[2]!) || !/^\d+$/.test(f[3]!)) continue;
    out.push({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5]! });
  }
  return out;
}

export function parseGroup(text: string | undefined): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of (text ?? '').split('\n')) {
    const f = line.split(':');
    if (f.length < 3 || line.startsWith('#') || !/^\d+$/.test(f[2]!)) continue;
    out.push({ name: f[0]!, gid: Number(f[2]) });
  }
  return out;
}

/** The runtime user as numbers, and where its home is (when the passwd names it). */
export interface RuntimeUser {
  /** As the image config states it. */
  user: string;
  uid: number;
  gid: number;
  home?: string;
}

/**
 * Resolves a config `User` (`name`, `uid`, `name:group`, `uid:gid`) against the base's files. Numeric
 * ids need no entry; a name that is not there is an error message (the caller adds where it was set).
 */
export function resolveRuntimeUser(user: string, passwd: PasswdEntry[], groups: GroupEntry[]): RuntimeUser | { error: string } {
  const [u, g] = user.split(':', 2) as [string, string | undefined];
  let uid: number;
  let gid: number | undefined;
  let home: string | undefined;
  if (/^\d+$/.test(u)) {
    uid = Number(u);
    const entry = passwd.find((p) => p.uid === uid);
    gid = entry?.gid;
    home = entry?.home;
  } else {
    const entry = passwd.find((p) => p.name === u);
    if (!entry) return { error: `user "${u}" is not in the base image's /etc/passwd (${passwd.length ? `it has ${passwd.map((p) => p.name).join(', ')}` : 'it has none'})` };
    uid = entry.uid;
    gid = entry.gid;
    home = entry.home;
  }
  if (g !== undefined) {
    if (/^\d+$/.test(g)) gid = Number(g);
    else {
      const group = groups.find((x) => x.name === g);
      if (!group) return { error: `group "${g}" is not in the base image's /etc/group (${groups.length ? `it has ${groups.map((x) => x.name).join(', ')}` : 'it has none'})` };
      gid = group.gid;
    }
  }
  return { user, uid, gid: gid ?? uid, ...(home ? { home } : {}) };
}

/** Whether a config User means root (unset counts as root, as for Docker). */
export function isRootUser(user: string | undefined): boolean {
  if (!user) return true;
  const u = user.split(':', 1)[0];
  return u === '0' || u === 'root';
}

/**
 * The base's passwd and group text with the default user and group appended when no entry has their
 * id (bases such as distroless already have `nonroot`), or undefined when nothing needs adding. The
 * result depends only on the base's files (pinned by digest), so it is deterministic.
 */
export function withDefaultUser(
  passwdText: string | undefined,
  groupText: string | undefined,
  account: { name: string; uid: number; gid: number; home: string },
): { passwd?: string; group?: string } {
  const out: { passwd?: string; group?: string } = {};
  const passwd = parsePasswd(passwdText);
  if (!passwd.some((p) => p.uid === account.uid)) {
    const base = passwdText === undefined ? 'root:x:0:0:root:/root:/sbin/nologin\n' : ensureNewline(passwdText);
    out.passwd = `${base}${account.name}:x:${account.uid}:${account.gid}:${account.name}:${account.home}:/sbin/nologin\n`;
  }
  const groups = parseGroup(groupText);
  if (!groups.some((g) => g.gid === account.gid)) {
    const base = groupText === undefined ? 'root:x:0:\n' : ensureNewline(groupText);
    out.group = `${base}${account.name}:x:${account.gid}:\n`;
  }
  return out;
}

function ensureNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
