import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { normalizePath, peekGzip } from '../oci/rootfs.js';

/**
 * The base image's operating-system packages, as its package manager recorded them: dpkg's
 * `var/lib/dpkg/status` (and distroless' `var/lib/dpkg/status.d/*`), apk's `lib/apk/db/installed`,
 * and `/etc/os-release` for the distribution. Read from the base layers themselves (pinned by digest in
 * the plan), stacked the way the image spec stacks layers, so the SBOM names what the image really
 * holds. Only these few files are kept in memory; everything else streams past.
 */
export interface OsPackage {
  manager: 'deb' | 'apk';
  name: string;
  version: string;
  architecture?: string;
  /** The source package when it differs (dpkg `Source:`, apk `o:`). */
  source?: string;
  /** apk records it (`L:`); dpkg does not. */
  license?: string;
  /** purl, e.g. pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12. */
  purl: string;
}

export interface OsRelease {
  /** ID, e.g. debian, alpine, ubuntu. */
  id: string;
  /** VERSION_ID, e.g. 12, 3.20.3. */
  versionId?: string;
  prettyName?: string;
}

export interface BaseSoftware {
  os?: OsRelease;
  packages: OsPackage[];
}

const STATUS = 'var/lib/dpkg/status';
const STATUS_D = 'var/lib/dpkg/status.d/';
const APK = 'lib/apk/db/installed';
const OS_RELEASE = ['etc/os-release', 'usr/lib/os-release'];
/** A package database bigger than this is not one (full Debian images have about 3 MB). */
const KEPT_MAX = 64 * 1024 * 1024;

function wanted(path: string): boolean {
  return path === STATUS || path === APK || OS_RELEASE.includes(path) || (path.startsWith(STATUS_D) && !path.slice(STATUS_D.length).includes('/'));
}

/**
 * The package databases of an image whose layers `open` returns in order (gzip or plain tar, verified by
 * the caller's source). A file in an upper layer replaces the lower one; a whiteout removes it, an
 * opaque directory its lower contents; a symlinked os-release is followed to usr/lib.
 */
export async function readBaseSoftware(layers: (() => Promise<Readable>)[]): Promise<BaseSoftware> {
  const files = new Map<string, Buffer>();
  const links = new Map<string, string>();
  for (const open of layers) {
    const seen = new Map<string, Buffer>();
    const seenLinks = new Map<string, string>();
    const hidden: string[] = [];
    const opaque: string[] = [];
    const ex = extract();
    ex.on('entry', (header, stream, next) => {
      const path = normalizePath(header.name);
      const base = path.split('/').pop() ?? '';
      const dir = path.slice(0, path.length - base.length).replace(/\/$/, '');
      if (base === '.wh..wh..opq') opaque.push(dir);
      else if (base.startsWith('.wh.')) hidden.push(dir ? `${dir}/${base.slice(4)}` : base.slice(4));
      else if (header.type === 'symlink' && OS_RELEASE.includes(path)) seenLinks.set(path, header.linkname ?? '');
      else if (header.type === 'file' && wanted(path) && (header.size ?? 0) <= KEPT_MAX) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: unknown) => chunks.push(c as Buffer));
        stream.on('end', () => {
          seen.set(path, Buffer.concat(chunks));
          next();
        });
        return;
      }
      stream.on('end', () => next());
      stream.resume();
    });
    await pipeline(await tarOf(await open()), ex);
    const gone = (p: string) => hidden.some((h) => p === h || p.startsWith(`${h}/`)) || opaque.some((d) => p.startsWith(`${d}/`));
    for (const p of [...files.keys()]) if (gone(p)) files.delete(p);
    for (const p of [...links.keys()]) if (gone(p)) links.delete(p);
    for (const [p, b] of seen) {
      files.set(p, b);
      links.delete(p);
    }
    for (const [p, t] of seenLinks) {
      links.set(p, t);
      files.delete(p);
    }
  }
  const text = (p: string) => files.get(p)?.toString('utf8');
  let osText = text('etc/os-release');
  if (osText === undefined && links.has('etc/os-release')) osText = text(normalizePath(resolveLink('etc', links.get('etc/os-release')!)));
  osText ??= text('usr/lib/os-release');
  const os = osText === undefined ? undefined : parseOsRelease(osText);
  const dpkg = [text(STATUS) ?? '', ...[...files.keys()].filter((p) => p.startsWith(STATUS_D)).sort().map((p) => text(p)!)].join('\n\n');
  const packages = [...parseDpkgStatus(dpkg, os), ...parseApkInstalled(text(APK) ?? '', os)];
  return { ...(os ? { os } : {}), packages: sortPackages(packages) };
}

function resolveLink(dir: string, target: string): string {
  return posix.normalize(target.startsWith('/') ? target : `/${dir}/${target}`);
}

/** The layer as a stream of tar bytes: gzip is unpacked, a plain tar passes through. */
async function tarOf(source: Readable): Promise<Readable> {
  const head = await peekGzip(source);
  if (!head.gzip) return head.stream;
  const gunzip = createGunzip();
  head.stream.on('error', (e) => gunzip.destroy(e));
  return head.stream.pipe(gunzip);
}

/** os-release: KEY=value lines, values optionally quoted. Pure. */
export function parseOsRelease(text: string): OsRelease {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2]!.trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
    fields.set(m[1]!, v);
  }
  return {
    id: (fields.get('ID') ?? 'linux').toLowerCase(),
    ...(fields.has('VERSION_ID') ? { versionId: fields.get('VERSION_ID')! } : {}),
    ...(fields.has('PRETTY_NAME') ? { prettyName: fields.get('PRETTY_NAME')! } : {}),
  };
}

/** RFC 822-style paragraphs separated by blank lines; continuation lines start with white space. */
function paragraphs(text: string, separator: RegExp): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  for (const block of text.replace(/\r\n/g, '\n').split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let last: string | undefined;
    for (const line of block.split('\n')) {
      if (/^[ \t]/.test(line) && last) {
        fields.set(last, `${fields.get(last)}\n${line.trim()}`);
        continue;
      }
      const m = separator.exec(line);
      if (!m) continue;
      last = m[1]!;
      fields.set(last, m[2]!.trim());
    }
    if (fields.size) out.push(fields);
  }
  return out;
}

/**
 * dpkg's status database: the packages whose Status ends `ok installed` (install or hold) (removed packages keep a
 * `deinstall ok config-files` paragraph, which is not software in the image). Pure.
 */
export function parseDpkgStatus(text: string, os?: OsRelease): OsPackage[] {
  const out: OsPackage[] = [];
  const namespace = os && os.id !== 'linux' ? os.id : 'debian';
  const distro = os?.versionId ? `${namespace}-${os.versionId}` : undefined;
  for (const f of paragraphs(text, /^([A-Za-z0-9-]+):\s?(.*)$/)) {
    const name = f.get('Package');
    const version = f.get('Version');
    const status = f.get('Status');
    if (!name || !version) continue;
    if (status !== undefined && !/ ok installed$/.test(status)) continue;
    const architecture = f.get('Architecture');
    const source = f.get('Source')?.split(/\s+/)[0];
    out.push({
      manager: 'deb',
      name,
      version,
      ...(architecture ? { architecture } : {}),
      ...(source && source !== name ? { source } : {}),
      purl: osPurl('deb', namespace, name, version, architecture, distro),
    });
  }
  return out;
}

/** An OS package's purl (purl-spec's deb and apk types): pkg:TYPE/NAMESPACE/NAME@VERSION?arch=..&distro=... Pure. */
function osPurl(type: 'deb' | 'apk', namespace: string, name: string, version: string, architecture: string | undefined, distro: string | undefined): string {
  const qualifiers = [...(architecture ? [`arch=${encodeURIComponent(architecture)}`] : []), ...(distro ? [`distro=${encodeURIComponent(distro)}`] : [])];
  return `pkg:${type}/${namespace}/${encodeURIComponent(name)}@${encodeURIComponent(version)}${qualifiers.length ? `?${qualifiers.join('&')}` : ''}`;
}

/** apk's installed database: one paragraph per package, single-letter keys (P name, V version, A arch, L license, o origin). Pure. */
export function parseApkInstalled(text: string, os?: OsRelease): OsPackage[] {
  const out: OsPackage[] = [];
  const namespace = os && os.id !== 'linux' ? os.id : 'alpine';
  const distro = os?.versionId ? `${namespace}-${os.versionId}` : undefined;
  for (const f of paragraphs(text, /^([A-Za-z]):(.*)$/)) {
    const name = f.get('P');
    const version = f.get('V');
    if (!name || !version) continue;
    const architecture = f.get('A');
    const origin = f.get('o');
    const license = f.get('L');
    out.push({
      manager: 'apk',
      name,
      version,
      ...(architecture ? { architecture } : {}),
      ...(origin && origin !== name ? { source: origin } : {}),
      ...(license ? { license } : {}),
      purl: osPurl('apk', namespace, name, version, architecture, distro),
    });
  }
  return out;
}

function sortPackages(list: OsPackage[]): OsPackage[] {
  const key = (p: OsPackage) => `${p.manager}\0${p.name}\0${p.architecture ?? ''}\0${p.version}`;
  const unique = new Map(list.map((p) => [key(p), p]));
  return [...unique.values()].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
