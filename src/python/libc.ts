import { readRootfs, type LayerSource } from '../oci/rootfs.js';
import type { Libc } from '../oci/libc.js';

export { formatLibc, type Libc } from '../oci/libc.js';

/**
 * The C library in an image's layers (base first; later layers win). The layers are read by the
 * root filesystem scan, which the interpreter search and the start-up check share: layers that carry
 * their digest are read once per process.
 */
export async function detectLibc(layers: LayerSource[]): Promise<Libc | undefined> {
  return (await readRootfs(layers)).libc;
}
