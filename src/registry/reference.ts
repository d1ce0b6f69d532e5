/**
 * Image references: parsing with Docker's normalization, validation against the distribution reference
 * grammar, and formatting. Pure: no I/O.
 */
import { RegistryError } from '../errors.js';

export interface ImageReference {
  /** Registry host with optional port: 'docker.io', 'ghcr.io', 'localhost:5000', '[::1]:5000'. */
  registry: string;
  /** Repository path inside the registry: 'library/python', 'org/app'. */
  repository: string;
  /** Set when given, or 'latest' when neither tag nor digest is given. */
  tag?: string;
  /** 'sha256:<64 hex>' when given. */
  digest?: string;
}

const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const DOCKER_HUB_ENDPOINT = 'registry-1.docker.io';
const MAX_NAME_LENGTH = 255;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);

function invalid(text: string, problem: string): RegistryError {
  return new RegistryError('E_REFERENCE', `invalid image reference ${JSON.stringify(text)}: ${problem}`);
}

/** Whether the first path component of a name is a registry host rather than part of the repository. */
function looksLikeRegistry(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

function isDockerHub(registry: string): boolean {
  return DOCKER_HUB_ALIASES.has(registry.toLowerCase());
}

function checkDigest(text: string, digest: string): void {
  if (!SHA256_DIGEST.test(digest)) {
    throw invalid(text, `digest ${JSON.stringify(digest)} must be sha256: followed by 64 lowercase hex digits`);
  }
}

function checkTag(text: string, tag: string): void {
  if (TAG.test(tag)) return;
  if (tag === '') throw invalid(text, 'the tag after ":" is empty; give a tag or leave out the ":"');
  if (tag.length > 128) throw invalid(text, `tag ${JSON.stringify(tag.slice(0, 20) + '…')} is ${tag.length} characters long, at most 128 are allowed`);
  if (tag[0] === '.' || tag[0] === '-') throw invalid(text, `tag ${JSON.stringify(tag)} must start with a letter, digit or "_"`);
  throw invalid(text, `tag ${JSON.stringify(tag)} may only contain letters, digits, "_", "." and "-" (at most 128)`);
}

function checkRepository(text: string, repository: string): void {
  if (repository === '') throw invalid(text, 'the repository name is empty');
  if (/[A-Z]/.test(repository)) throw invalid(text, 'repository names must be lowercase');
  for (const component of repository.split('/')) {
    if (component.includes(':')) {
      throw invalid(text, `${JSON.stringify(component)} holds a second ":"; only the tag follows a ":" (a registry port needs a "/" after it: host:port/repository)`);
    }
    if (component === '') throw invalid(text, `repository ${JSON.stringify(repository)} has an empty path component (leading, trailing or double "/")`);
    if (!PATH_COMPONENT.test(component)) {
      throw invalid(
        text,
        `path component ${JSON.stringify(component)} may only contain lowercase letters and digits, separated by one ".", one or two "_", or dashes`,
      );
    }
  }
}

/**
 * Parses `[registry/]repository[:tag][@digest]` the way Docker does: no registry means docker.io, a
 * single-component Docker Hub repository gets `library/`, index.docker.io and registry-1.docker.io
 * become docker.io, and no tag nor digest means `:latest`.
 */
export function parseReference(text: string): ImageReference {
  if (text === '') throw invalid(text, 'it is empty');
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text);
  if (scheme) throw invalid(text, `leave out the scheme (${JSON.stringify(scheme[0])}): write host/repository[:tag]`);

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    checkDigest(text, digest);
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/') && !rest.slice(colon).includes(']')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    checkTag(text, tag);
  }

  const name = rest;
  if (name === '') throw invalid(text, 'the repository name is empty');
  if (name.length > MAX_NAME_LENGTH) throw invalid(text, `the name is ${name.length} characters long, at most ${MAX_NAME_LENGTH} are allowed`);

  let registry = DOCKER_HUB;
  let repository = name;
  const slash = name.indexOf('/');
  if (slash !== -1 && looksLikeRegistry(name.slice(0, slash))) {
    registry = name.slice(0, slash);
    repository = name.slice(slash + 1);
    if (!HOST.test(registry)) {
      throw invalid(text, `registry ${JSON.stringify(registry)} is not a valid host[:port] (letters, digits, "-" and "." with an optional numeric port, or [IPv6]:port)`);
    }
  } else if (name.startsWith('[')) {
    throw invalid(text, `registry ${JSON.stringify(name)} needs a repository after it: write host/repository`);
  }
  checkRepository(text, repository);

  if (isDockerHub(registry)) {
    registry = DOCKER_HUB;
    if (!repository.includes('/')) repository = `library/${repository}`;
  }
  const ref: ImageReference = { registry, repository };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  if (tag === undefined && digest === undefined) ref.tag = 'latest';
  return ref;
}

/**
 * Why `text` is not a valid image reference by the distribution grammar (the message names the rule),
 * or undefined when it is one. For checking tags before anything is pulled or written.
 */
export function referenceProblem(text: string): string | undefined {
  try {
    parseReference(text);
    return undefined;
  } catch (err) {
    if (err instanceof RegistryError) return err.message;
    throw err;
  }
}

/** The canonical, fully qualified form: 'docker.io/library/python:3.12-slim', 'host/repo:tag@sha256:…'. */
export function formatReference(ref: ImageReference): string {
  let out = `${ref.registry}/${ref.repository}`;
  if (ref.tag !== undefined) out += `:${ref.tag}`;
  if (ref.digest !== undefined) out += `@${ref.digest}`;
  return out;
}

/** The same reference pinned to a digest; the tag is kept. */
export function withDigest(ref: ImageReference, digest: string): ImageReference {
  if (!SHA256_DIGEST.test(digest)) {
    throw new RegistryError('E_REFERENCE', `cannot pin ${formatReference(ref)} to ${JSON.stringify(digest)}: a digest must be sha256: followed by 64 lowercase hex digits`);
  }
  return { ...ref, digest };
}

/** The host that serves the registry API: Docker Hub's is registry-1.docker.io; others serve it themselves. */
export function registryEndpoint(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_ENDPOINT : registry;
}

/** localhost[:port], 127.0.0.0/8[:port] or [::1][:port]: where plain HTTP is allowed without asking. */
export function isLoopback(registry: string): boolean {
  const match = /^(\[[^\]]*\]|[^:]*)(?::([0-9]+))?$/.exec(registry);
  if (!match) return false;
  const host = match[1]!.toLowerCase();
  if (host === 'localhost' || host === '[::1]') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets.slice(1).every((o) => Number(o) <= 255);
}

/** The token scope for a repository: 'repository:library/python:pull,push'. */
export function repositoryScope(ref: ImageReference, actions: ('pull' | 'push')[]): string {
  if (actions.length === 0) throw new TypeError('repositoryScope needs at least one action');
  const ordered = (['pull', 'push'] as const).filter((a) => actions.includes(a));
  return `repository:${ref.repository}:${ordered.join(',')}`;
}
