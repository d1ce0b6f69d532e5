/**
 * A copy of an OCI layout base (test/fixtures/stub-base by default) with each platform's image config
 * and index entry edited: e.g. a non-root User, or arm64 listed without its variant. The blobs that
 * change are rewritten with their new digests, the rest are copied as they are, so the copy is a valid
 * layout that differs from the stub base only where the test says.
 */
import { createHash } from 'node:crypto';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findRepoRoot } from './base-image.js';

type Json = Record<string, any>;
export interface BaseEdit {
  /** Changes one platform's config in place (`config.config.User = ...`). */
  config?: (config: Json, platform: Json) => void;
  /** Changes one platform's entry in the image index in place (`delete platform.variant`). */
  platform?: (platform: Json) => void;
}

/** Writes the edited copy to `dir` and returns the `oci:DIR:3.11` reference to build on. */
export async function writeEditedStubBase(dir: string, edit: BaseEdit, source = join(findRepoRoot(), 'test', 'fixtures', 'stub-base')): Promise<string> {
  await cp(source, dir, { recursive: true });
  const blob = async (digest: string): Promise<Json> => JSON.parse(await readFile(join(dir, 'blobs', 'sha256', digest.slice(7)), 'utf8')) as Json;
  const put = async (value: Json): Promise<{ digest: string; size: number }> => {
    const text = JSON.stringify(value);
    const hex = createHash('sha256').update(text).digest('hex');
    await writeFile(join(dir, 'blobs', 'sha256', hex), text);
    return { digest: `sha256:${hex}`, size: Buffer.byteLength(text) };
  };
  const top = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as Json;
  const entry = top.manifests[0] as Json;
  const index = await blob(entry.digest);
  for (const child of index.manifests as Json[]) {
    const manifest = await blob(child.digest);
    const config = await blob(manifest.config.digest);
    edit.config?.(config, child.platform);
    Object.assign(manifest.config, await put(config));
    Object.assign(child, await put(manifest));
    edit.platform?.(child.platform);
  }
  Object.assign(entry, await put(index));
  await writeFile(join(dir, 'index.json'), JSON.stringify(top));
  return `oci:${dir}:${entry.annotations['org.opencontainers.image.ref.name']}`;
}
