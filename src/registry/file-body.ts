/**
 * A file as an upload body that allocates nothing per chunk. A stream (`createReadStream`) allocates a
 * new buffer for every read; pushing a 200 MB layer then leaves ~40 MB of spent buffers for the garbage
 * collector at any moment, and peak RSS grows with it. This reader cycles through three fixed buffers
 * instead, reading one chunk ahead while the previous one is on the wire.
 *
 * The contract that makes reuse safe: a chunk's bytes stay valid until the consumer has asked for two
 * more chunks. undici's request body loop (writeIterable) writes each chunk to the socket and, for any
 * chunk larger than the socket's 16 KiB high-water mark, waits for 'drain' (every queued byte written)
 * before it asks for the next; only the file's last chunk can be smaller. So by the time a buffer is
 * filled again, what it held two chunks ago has left the process. A consumer that holds on to chunks
 * (a Readable that reads ahead, a re-chunker) must copy them. And if the contract were ever broken, the
 * registry would still refuse the blob: it checks every upload against the digest it is PUT under.
 */
import { open } from 'node:fs/promises';
import { RegistryError } from '../errors.js';

/** Bytes read (and sent) per chunk: large enough for few writes per blob, small enough to stay cheap. */
export const FILE_BODY_CHUNK = 512 * 1024;

export interface FileBodyOptions {
  chunkSize?: number;
  /** Called after each chunk is handed out, with the bytes handed out so far (progress). */
  onBytes?: (bytes: number) => void;
}

/**
 * The file's bytes in chunks, through three reused buffers (see above: only for consumers that are done
 * with a chunk before they ask for the next but one). Fails when the file is shorter than `size` or longer.
 */
export async function* readFileBody(path: string, size: number, options: FileBodyOptions = {}): AsyncGenerator<Buffer> {
  const chunkSize = Math.max(1, Math.min(options.chunkSize ?? FILE_BODY_CHUNK, Math.max(size, 1)));
  const handle = await open(path, 'r');
  let next: Promise<number> | undefined;
  try {
    const ring = [Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize)];
    // Fills `buffer` from `position` (a short read only at the end of the file).
    const fill = async (buffer: Buffer, position: number): Promise<number> => {
      let filled = 0;
      while (filled < buffer.length && position + filled < size) {
        const { bytesRead } = await handle.read(buffer, filled, Math.min(buffer.length - filled, size - position - filled), position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return filled;
    };
    let position = 0;
    let turn = 0;
    next = fill(ring[0]!, 0);
    while (position < size) {
      const buffer = ring[turn % 3]!;
      const length = await next!;
      next = undefined;
      if (length === 0) throw new RegistryError('E_BLOB_SIZE', `${path} ended after ${position} of the ${size} bytes expected; the file changed while it was pushed`);
      position += length;
      turn++;
      // Read ahead into the buffer the chunk before last used: the consumer is done with it.
      if (position < size) next = fill(ring[turn % 3]!, position);
      options.onBytes?.(position);
      yield buffer.subarray(0, length);
    }
    const extra = Buffer.allocUnsafe(1);
    if ((await handle.read(extra, 0, 1, size)).bytesRead !== 0) throw new RegistryError('E_BLOB_SIZE', `${path} is longer than the ${size} bytes expected; the file changed while it was pushed`);
  } finally {
    // A consumer that stops early leaves a read ahead in flight: let it land before the handle closes.
    await next?.catch(() => undefined);
    await handle.close();
  }
}
