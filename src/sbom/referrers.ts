import { Readable } from 'node:stream';
import { sha256Digest } from '../oci/digest.js';
import { canonicalJson, MEDIA_TYPES } from '../oci/image.js';
import type { Descriptor } from '../oci/layout.js';
import type { RegistryClient } from '../registry/client.js';
import { RegistryError } from '../errors.js';
import { repositoryScope, type ImageReference } from '../registry/reference.js';
import { SBOM_MEDIA_TYPES, SBOM_SUFFIX, type SbomFormat } from './model.js';

/**
 * An SBOM as an OCI 1.1 artifact (image-spec 1.1 "artifacts guidance", distribution-spec 1.1
 * "referrers"): an image manifest whose artifactType is the SBOM's media type, whose config is the
 * empty descriptor (`{}`), whose one layer is the SBOM, and whose `subject` is the image manifest it
 * describes (one per platform: an index has no files to describe, and `docker buildx` / cosign attach
 * per-platform attestations the same way). Registries with the referrers API list it at
 * `GET /v2/<name>/referrers/<subject digest>`; for those without, the referrers tag schema
 * (`sha256-<hex>` → an index of referrers) is kept up to date, merged with what is there.
 */
export const EMPTY_CONFIG = Buffer.from('{}', 'utf8');
export const EMPTY_MEDIA_TYPE = 'application/vnd.oci.empty.v1+json';
/** Says in a layout's index.json which tagged image (digest) an unnamed artifact belongs to. */
export const REFERRER_OF = 'dev.pycontainer.referrer-of';

export interface SbomArtifact {
  format: SbomFormat;
  platform: string;
  sbom: Buffer;
  /** The artifact manifest (canonical JSON) and its descriptor (artifactType and annotations included, as referrers lists show it). */
  manifest: Buffer;
  descriptor: Descriptor & { artifactType: string };
  config: Descriptor;
  layer: Descriptor;
  subject: Descriptor;
}

/** The artifact manifest of an SBOM for `subject`. `created` (the SBOM's own time) is annotated so referrer lists can show it. Pure. */
export function assembleSbomArtifact(sbom: Buffer, format: SbomFormat, platform: string, subject: Descriptor, created: string): SbomArtifact {
  const artifactType = SBOM_MEDIA_TYPES[format];
  const config = { mediaType: EMPTY_MEDIA_TYPE, digest: sha256Digest(EMPTY_CONFIG), size: EMPTY_CONFIG.length, data: EMPTY_CONFIG.toString('base64') };
  const layer: Descriptor = {
    mediaType: artifactType,
    digest: sha256Digest(sbom),
    size: sbom.length,
    annotations: { 'org.opencontainers.image.title': `image${SBOM_SUFFIX[format]}` },
  };
  const annotations = { 'org.opencontainers.image.created': created, 'dev.pycontainer.platform': platform };
  const manifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    artifactType,
    config,
    layers: [layer],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations,
  };
  const bytes = Buffer.from(canonicalJson(manifest), 'utf8');
  return {
    format,
    platform,
    sbom,
    manifest: bytes,
    descriptor: { mediaType: MEDIA_TYPES.ociManifest, digest: sha256Digest(bytes), size: bytes.length, artifactType, annotations },
    config: { mediaType: EMPTY_MEDIA_TYPE, digest: config.digest, size: config.size },
    layer,
    subject: manifest.subject,
  };
}

/** The referrers tag schema's tag for a subject: `sha256:abc…` → `sha256-abc…`. */
export function referrersTag(subjectDigest: string): string {
  return subjectDigest.replace(':', '-');
}

/** The fallback referrers index with `artifact` added (replacing an entry of the same digest), sorted by digest. Pure. */
export function mergeReferrersIndex(existing: { manifests?: (Descriptor & { artifactType?: string })[] } | undefined, artifact: Descriptor & { artifactType: string }): Buffer {
  const others = (existing?.manifests ?? []).filter((m) => m.digest !== artifact.digest);
  const manifests = [...others, artifact].sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  return Buffer.from(canonicalJson({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests }), 'utf8');
}

export interface PushedReferrer {
  digest: string;
  /** 'api': the registry took the subject (OCI-Subject header); 'tag': the referrers tag was updated. */
  via: 'api' | 'tag';
}

/**
 * Pushes an SBOM artifact as a referrer of its subject (already pushed): its two blobs, then its
 * manifest by digest. A registry that answers without an `OCI-Subject` header has no referrers API:
 * then the `sha256-<subject>` tag is pointed at the current referrers index plus this artifact.
 */
export async function pushSbomReferrer(client: RegistryClient, repo: ImageReference, artifact: SbomArtifact): Promise<PushedReferrer> {
  await client.pushBlob(repo, artifact.config, () => Readable.from([EMPTY_CONFIG]));
  await client.pushBlob(repo, artifact.layer, () => Readable.from([artifact.sbom]));
  const scopes = [repositoryScope(repo, ['pull', 'push'])];
  const res = await client.http(repo.registry).send({
    method: 'PUT',
    path: `/v2/${repo.repository}/manifests/${artifact.descriptor.digest}`,
    headers: { 'content-type': MEDIA_TYPES.ociManifest, 'content-length': String(artifact.manifest.length) },
    body: () => artifact.manifest,
    scopes,
  });
  await res.body.dump();
  const subjectHeader = res.headers['oci-subject'];
  if (typeof subjectHeader === 'string' && subjectHeader.trim() === artifact.subject.digest) return { digest: artifact.descriptor.digest, via: 'api' };
  // No referrers API: the referrers tag schema, merged with the index already there.
  const tag = referrersTag(artifact.subject.digest);
  const current = await client.http(repo.registry).sendAndRead({
    method: 'GET',
    path: `/v2/${repo.repository}/manifests/${tag}`,
    headers: { accept: MEDIA_TYPES.ociIndex },
    scopes,
    accept: [404],
  });
  let existing: { manifests?: (Descriptor & { artifactType?: string })[] } | undefined;
  if (current.status === 200) {
    try {
      existing = JSON.parse(current.bytes.toString('utf8')) as typeof existing;
    } catch {
      throw new RegistryError('E_REFERRERS', `registry ${repo.registry}: the referrers tag ${repo.repository}:${tag} is not a JSON index; delete it and push again`);
    }
  }
  await client.putManifest(repo, tag, mergeReferrersIndex(existing, artifact.descriptor), MEDIA_TYPES.ociIndex);
  return { digest: artifact.descriptor.digest, via: 'tag' };
}
