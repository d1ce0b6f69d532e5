import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export type Digest = `sha256:${string}`;

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function isDigest(value: string): value is Digest {
  return DIGEST.test(value);
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256Digest(data: string | Uint8Array): Digest {
  return `sha256:${sha256Hex(data)}`;
}

/** The hex part of a sha256 digest. */
export function digestHex(digest: string): string {
  if (!isDigest(digest)) throw new Error(`not a sha256 digest: ${digest}`);
  return digest.slice('sha256:'.length);
}

/** Reads a stream (or chunks) to its end: the sha256 of its bytes (hex) and how many there were. */
export async function sha256OfStream(stream: AsyncIterable<Buffer> | Iterable<Buffer> | NodeJS.ReadableStream): Promise<{ hex: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { hex: hash.digest('hex'), size };
}

/** A pass-through stream that hashes and counts what flows through it. */
export class HashCounter extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private result: Digest | undefined;
  bytes = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }

  /**
   * Valid once the stream has ended. May be called any number of times: a node Hash can be finalized
   * only once, and a second call used to throw "Digest already called" from inside the very messages
   * that report a mismatch (and so masked them as a crash).
   */
  digest(): Digest {
    this.result ??= `sha256:${this.hash.digest('hex')}`;
    return this.result;
  }
}
