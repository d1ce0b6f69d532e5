import type { Diagnostic } from '../errors.js';
import type { MergedConfig } from './merge.js';

/**
 * The image's tags, from the configured tags (or the default `<name>:<version>`) and the registry url
 * (`[registry] url`, pycontainer-build's `registry = "..."`, or `--registry`).
 *
 * The url means two things in the wild: pycontainer-build documents `url = "ghcr.io/org/app"`, the full
 * repository the image is pushed to, and its `--registry` takes a full reference; ours was a prefix for
 * tags that name no registry (`ghcr.io/org` + `app:1.0`). The rule that serves both:
 * - a url with a tag (`ghcr.io/org/app:v1`) is the image's one reference;
 * - a url without a path (`ghcr.io`, `localhost:5000`), or ending with "/" (`ghcr.io/org/`), is a prefix;
 * - a url with a path is the full repository when the tags carry no repository of their own (a bare tag
 *   like `1.0`, the default tag, or a tag whose name is the url's last part: `app:1.0` for `.../app`),
 *   and a prefix otherwise (`ghcr.io/org` + `web:1.0` → `ghcr.io/org/web:1.0`).
 * The plan's provenance says which reading was taken; a notice says so when it is a guess.
 */
export interface TagResolution {
  tags: string[];
  /** `build.tags` and `registry.url` entries for the plan's provenance. */
  provenance: Record<string, string>;
  notices: string[];
  diagnostics: Diagnostic[];
}

type Reading = 'full' | 'prefix';

export function resolveTags(merged: MergedConfig, project: { name: string; version: string }): TagResolution {
  const provenance: Record<string, string> = {};
  const notices: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const version = sanitizeTag(project.version);
  const configured = merged.build.tags;
  const defaultTag = `${project.name}:${version}`;
  if (!configured) provenance['build.tags'] = 'default (project name and version)';
  const tags = configured ?? [defaultTag];

  const raw = merged.registry.url;
  if (raw === undefined) return { tags: unique(tags), provenance, notices, diagnostics };
  const from = merged.provenance['registry.url'] ?? 'configuration';
  const flag = from.startsWith('flag');
  const what = flag ? '--registry' : 'registry url';
  const bare = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const url = bare.replace(/\/+$/, '');
  // A trailing slash (ghcr.io/org/) says "a namespace": always a prefix.
  const saysPrefix = bare !== url;
  const fail = (message: string) => {
    diagnostics.push({ source: flag ? '--registry' : from, ...(flag ? {} : { key: 'registry.url' }), message });
    return { tags: unique(tags), provenance, notices, diagnostics };
  };
  if (url === '') return fail('is empty: give a registry host or repository, e.g. ghcr.io/org/app');
  if (url.includes('@')) return fail(`"${url}" names a digest; give a repository (ghcr.io/org/app) or a reference with a tag (ghcr.io/org/app:1.0)`);

  const slash = url.lastIndexOf('/');
  const colon = url.lastIndexOf(':');
  if (slash !== -1 && colon > slash) {
    // A full reference, as pycontainer-build's --registry takes it.
    provenance['registry.url'] = `${from}; read as the image's full reference`;
    const dropped = configured?.filter((t) => t !== url) ?? [];
    if (dropped.length) {
      notices.push(`${what} "${url}" is a full reference: the image is tagged ${url} only, not ${dropped.join(', ')} (${merged.provenance['build.tags'] ?? 'configuration'})`);
    }
    return { tags: [url], provenance, notices, diagnostics };
  }
  if (slash === -1 || saysPrefix) {
    provenance['registry.url'] = `${from}; read as a ${slash === -1 ? 'registry ' : ''}prefix (${url}/<name>:<tag>)`;
    return { tags: unique(tags.map((t) => (namesRegistry(t) ? t : `${url}/${t}`))), provenance, notices, diagnostics };
  }

  // A url with a path: per tag, the reading its shape implies; they must agree.
  const last = url.slice(slash + 1);
  const readings = new Map<string, Reading>();
  const out = tags.map((t) => {
    if (namesRegistry(t)) return t;
    if (!configured) {
      readings.set(t, 'full');
      if (sameName(last, project.name)) return `${url}:${version}`;
      notices.push(
        `${what} "${url}" (${from}) is read as the image's full repository: it is tagged ${url}:${version}; for ${url}/${defaultTag} end the url with "/" (${url}/), which makes it a prefix`,
      );
      return `${url}:${version}`;
    }
    const ref = splitTag(t);
    if (!ref.name.includes('/') && ref.tag === undefined) {
      // A bare tag ("1.0"): a tag of the url's repository.
      readings.set(t, 'full');
      if (!/^(v?\d|latest$)/i.test(t)) {
        notices.push(`tag "${t}" is read as a tag of ${what} "${url}" (${url}:${t}); for the repository ${url}/${t} write "${t}:latest"`);
      }
      return `${url}:${t}`;
    }
    if (sameName(last, ref.name) || url.endsWith(`/${ref.name}`)) {
      readings.set(t, 'full');
      return `${url}:${ref.tag ?? 'latest'}`;
    }
    readings.set(t, 'prefix');
    return `${url}/${t}`;
  });
  const full = [...readings].filter(([, r]) => r === 'full').map(([t]) => t);
  const prefix = [...readings].filter(([, r]) => r === 'prefix').map(([t]) => t);
  if (full.length && prefix.length) {
    return fail(
      `"${url}" would be the full repository for tag "${full[0]}" but a prefix for tag "${prefix[0]}": write the tags as full references, or give them all a name of their own`,
    );
  }
  if (full.length) provenance['registry.url'] = `${from}; read as the full repository (${url}:<tag>)`;
  else if (prefix.length) provenance['registry.url'] = `${from}; read as a prefix (${url}/<name>:<tag>)`;
  else provenance['registry.url'] = `${from}; not used: every tag names its registry`;
  return { tags: unique(out), provenance, notices, diagnostics };
}

/** Whether a reference starts with a registry host (`ghcr.io/…`, `localhost:5000/…`), as Docker decides it. */
export function namesRegistry(reference: string): boolean {
  const slash = reference.indexOf('/');
  if (slash === -1) return false;
  const first = reference.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost';
}

/** `name[:tag]` of a reference that names no registry. */
function splitTag(reference: string): { name: string; tag?: string } {
  const colon = reference.lastIndexOf(':');
  if (colon > reference.lastIndexOf('/')) return { name: reference.slice(0, colon), tag: reference.slice(colon + 1) };
  return { name: reference };
}

/** A project version as a tag: characters a tag cannot hold become "-". */
export function sanitizeTag(version: string): string {
  return version.replace(/[^A-Za-z0-9_.-]/g, '-');
}

/** Repository names compare as registries and PyPI do: case and -_. runs aside. */
function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[-_.]+/g, '-');
  return norm(a) === norm(b);
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
