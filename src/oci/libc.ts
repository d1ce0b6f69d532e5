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
 * Looks at one regular file of a layer as it streams by: glibc's version from the "release version"
 * string in libc.so.6 (or a libc-2.NN.so file name), musl from /lib/ld-musl-*.so.1. Returns null when
 * the file is not a C library (the content is left unread), else what was found (the content read).
 */
export async function probeLibc(path: string, content: AsyncIterable<Buffer>): Promise<Libc | undefined | null> {
  const glibc = GLIBC_FILE.exec(path);
  if (glibc && glibc[2]) {
    await drain(content);
    return { kind: 'glibc', version: [Number(glibc[2]), Number(glibc[3])] };
  }
  if (glibc) {
    const version = await searchContent(content, GLIBC_VERSION);
    return version ? { kind: 'glibc', version } : undefined;
  }
  if (MUSL_FILE.test(path)) return { kind: 'musl', version: (await searchContent(content, MUSL_VERSION)) ?? [1, 2] };
  return null;
}

async function drain(content: AsyncIterable<Buffer>): Promise<void> {
  for await (const _ of content);
}

/** Streams an entry looking for a version pattern, keeping only a small overlap between chunks. */
async function searchContent(entry: AsyncIterable<Buffer>, pattern: RegExp): Promise<[number, number] | undefined> {
  let tail = '';
  let result: [number, number] | undefined;
  for await (const chunk of entry) {
    if (result) continue;
    const text = tail + chunk.toString('latin1');
    const m = pattern.exec(text);
    if (m) result = [Number(m[1] ?? m[3]), Number(m[2] ?? m[4])];
    tail = text.slice(-256);
  }
  return result;
}

export function formatLibc(libc: Libc): string {
  return `${libc.kind} ${libc.version.join('.')}`;
}
