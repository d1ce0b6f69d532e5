import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';

/** The C library of a Linux image, which decides the manylinux/musllinux wheels it can load. */
export interface Libc {
  kind: 'glibc' | 'musl';
  version: [number, number];
}

const GLIBC_FILE = /^(?:usr\/)?lib(?:64|32)?\/(?:[a-z0-9_]+-linux-gnu[a-z0-9_]*\/)?(libc\.so\.6|libc-(\d+)\.(\d+)\.so)$/;
const MUSL_FILE = /^(?:usr\/)?lib\/ld-musl-[a-z0-9_]+\.so\.1$/;
const GLIBC_VERSION = /GNU C Library[^\n]*?release version (\d+)\.(\d+)/;
const MUSL_VERSION = /musl libc \(?[a-z0-9_]*\)?\s*\n?Version (\d+)\.(\d+)|\bVersion (\d+)\.(\d+)\.\d+/;

/**
 * Finds the C library in an image's layers (gzip or plain tars, base first): glibc's version from the
 * "release version" string in libc.so.6 (or a libc-2.NN.so file name), musl from /lib/ld-musl-*.so.1.
 * Later layers win. Only the few candidate files are read; the rest is skipped as it streams by.
 */
export async function detectLibc(layers: (() => Promise<Readable>)[]): Promise<Libc | undefined> {
  let found: Libc | undefined;
  for (const open of layers) {
    const result = await scanLayer(await open());
    if (result) found = result;
  }
  return found;
}

async function scanLayer(stream: Readable): Promise<Libc | undefined> {
  let found: Libc | undefined;
  const tar = extract();
  const head = await peek(stream);
  const source = head.gzip ? head.stream.pipe(createGunzip()) : head.stream;
  source.pipe(tar as unknown as NodeJS.WritableStream);
  for await (const entry of tar) {
    const name = entry.header.name.replace(/^\.?\//, '');
    const glibc = GLIBC_FILE.exec(name);
    if (glibc && glibc[2]) {
      found = { kind: 'glibc', version: [Number(glibc[2]), Number(glibc[3])] };
    } else if (glibc && entry.header.type === 'file') {
      const version = await searchContent(entry as AsyncIterable<Buffer>, GLIBC_VERSION);
      if (version) found = { kind: 'glibc', version };
      continue;
    } else if (MUSL_FILE.test(name) && entry.header.type === 'file') {
      found = { kind: "musl", version: (await searchContent(entry as AsyncIterable<Buffer>, MUSL_VERSION)) ?? [1, 2] };
      continue;
    }
    entry.resume();
  }
  return found;
}

/** Streams an entry looking for a version pattern, keeping only a small overlap between chunks. */
async function searchContent(entry: AsyncIterable<Buffer>, pattern: RegExp): Promise<[number, number] | undefined> {
  let tail = '';
  let result: [number, number] | undefined;
  for await (const chunk of entry) {
    if (result) continue;
    const text = tail + chunk.toString('latin1');
    const m = pattern.exec(text);
    if (m) {
      const major = m[1] ?? m[3];
      const minor = m[2] ?? m[4];
      result = [Number(major), Number(minor)];
    }
    tail = text.slice(-256);
  }
  return result;
}

/** Reads the first bytes to tell gzip from plain tar, then hands back a stream with them put back. */
async function peek(stream: Readable): Promise<{ gzip: boolean; stream: Readable }> {
  const first: Buffer | null = await new Promise((resolve, reject) => {
    const onReadable = () => {
      const chunk = stream.read() as Buffer | null;
      if (chunk === null) return;
      cleanup();
      resolve(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
  if (first) stream.unshift(first);
  return { gzip: !!first && first[0] === 0x1f && first[1] === 0x8b, stream };
}

export function formatLibc(libc: Libc): string {
  return `${libc.kind} ${libc.version.join('.')}`;
}
