import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { crc32, gunzipSync } from 'node:zlib';
import { COMPRESSION, createLayerCompressor } from '../../src/oci/compress.js';
import { looksIncompressible, ParallelGzip, splitRuns, storedBlocks, UNIT, type ParallelGzipOptions } from '../../src/oci/pgzip.js';

const KiB = 1024;
/** Small blocks in most tests, so a few hundred KB of input spans many blocks; the layers' threshold. */
const SMALL: ParallelGzipOptions = { level: 6, blockSize: 64 * KiB, storedEntropy: COMPRESSION.storedEntropy };

/** Deterministic incompressible bytes: an AES-256-CTR keystream keyed by `seed`. */
function randomBytes(seed: string, length: number): Buffer {
  const key = createHash('sha256').update(seed).digest();
  return createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(length));
}

/** Deterministic compressible bytes: Python-like source lines with varying numbers and names. */
function textBytes(seed: string, length: number): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < length; i++) {
    const h = createHash('sha256').update(`${seed}/${i}`).digest('hex');
    const line = `def f_${i % 997}(x: int) -> int:\n    return (x * ${parseInt(h.slice(0, 6), 16)} + ${i}) % 1000003  # ${h.slice(0, 8 + (i % 24))}\n`;
    lines.push(line);
    size += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, length);
}

/** Feeds `input` in pieces of the given sizes (cycled; default: one piece) and returns the gzip bytes. */
async function compress(input: Buffer, options: ParallelGzipOptions = SMALL, pieces: number[] = [input.length || 1]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let off = 0, i = 0; off < input.length; i++) {
    const n = pieces[i % pieces.length]!;
    chunks.push(input.subarray(off, off + n));
    off += n;
  }
  return buffer(Readable.from(chunks).pipe(new ParallelGzip(options)));
}

function gunzipWithTool(gz: Buffer): Buffer {
  const r = spawnSync('gunzip', ['-c'], { input: gz, maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, `gunzip failed: ${r.stderr?.toString()}`);
  return r.stdout;
}

function gunzipWithPython(gz: Buffer): Buffer {
  const r = spawnSync('python3', ['-c', 'import gzip, sys; sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))'], {
    input: gz,
    maxBuffer: 1 << 30,
  });
  assert.equal(r.status, 0, `python3 gzip failed: ${r.stderr?.toString()}`);
  return r.stdout;
}

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/**
 * The deflate stream of `gz` read as stored blocks only (throws at any other block type): the
 * payloads concatenated, and how many blocks there were. Used on random input, which must be stored.
 */
function readStoredOnly(gz: Buffer): { payload: Buffer; blocks: number; sizes: number[] } {
  const parts: Buffer[] = [];
  const sizes: number[] = [];
  let o = 10;
  for (;;) {
    const head = gz[o]!;
    assert.equal((head >> 1) & 3, 0, `block ${sizes.length} at byte ${o} is not a stored block (header byte ${head})`);
    assert.equal(head >> 3, 0, 'the padding bits of a stored block header are zero');
    const len = gz.readUInt16LE(o + 1);
    assert.equal(gz.readUInt16LE(o + 3), len ^ 0xffff, `NLEN of block ${sizes.length} is the complement of LEN`);
    parts.push(gz.subarray(o + 5, o + 5 + len));
    sizes.push(len);
    o += 5 + len;
    if (head & 1) break;
  }
  assert.equal(o, gz.length - 8, 'the final stored block is followed by the 8-byte trailer only');
  return { payload: Buffer.concat(parts), blocks: sizes.length, sizes };
}

test('the header is gzip -n style (MTIME 0, OS 255) and the trailer holds the CRC-32 and size of the input', async () => {
  const input = Buffer.concat([textBytes('hdr', 150 * KiB), randomBytes('hdr', 70 * KiB)]);
  const gz = await compress(input);
  assert.deepEqual([...gz.subarray(0, 10)], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  assert.equal(gz.readUInt32LE(gz.length - 8), crc32(input));
  assert.equal(gz.readUInt32LE(gz.length - 4), input.length);
  const nine = await compress(input, { ...SMALL, level: 9 });
  assert.equal(nine[8], 2, 'XFL 2 at level 9, as gzip writes it');
  const one = await compress(input, { ...SMALL, level: 1 });
  assert.equal(one[8], 4, 'XFL 4 at level 1');
});

test('gunzip, Python gzip and zlib all give back the exact input, at every size around the block boundaries', async () => {
  const source = Buffer.concat([textBytes('sizes', 200 * KiB), randomBytes('sizes', 100 * KiB), textBytes('sizes2', 100 * KiB)]);
  const b = SMALL.blockSize;
  const inputs: Buffer[] = [];
  const members: Buffer[] = [];
  for (const size of [0, 1, 100, b - 1, b, b + 1, 2 * b, 3 * b + 17, source.length]) {
    const input = source.subarray(0, size);
    const gz = await compress(input);
    assert.equal(sha(gunzipSync(gz)), sha(input), `zlib, ${size} bytes`);
    inputs.push(input);
    members.push(gz);
  }
  // One run of each tool: both read concatenated gzip members, checking each member's CRC and size.
  const all = Buffer.concat(members);
  assert.equal(sha(gunzipWithTool(all)), sha(Buffer.concat(inputs)), 'gunzip');
  assert.equal(sha(gunzipWithPython(all)), sha(Buffer.concat(inputs)), 'python gzip');
});

test('empty input gives one final empty deflate block and a zero trailer', async () => {
  const gz = await compress(Buffer.alloc(0));
  assert.equal(gz.length, 10 + 2 + 8, `${gz.toString('hex')}`);
  assert.deepEqual([...gz.subarray(10)], [0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(gunzipWithTool(gz).length, 0);
  assert.equal(gunzipWithPython(gz).length, 0);
});

test('the bytes are the same for every in-flight limit and every chunking of the input', async () => {
  const input = Buffer.concat([textBytes('det', 300 * KiB), randomBytes('det', 130 * KiB), textBytes('det2', 90 * KiB + 5)]);
  const expected = sha(await compress(input));
  for (const maxInFlight of [1, 2, 3, 16]) {
    assert.equal(sha(await compress(input, { ...SMALL, maxInFlight })), expected, `maxInFlight ${maxInFlight}`);
  }
  for (const pieces of [[1], [7], [4096], [65_535, 1, 3], [64 * KiB], [64 * KiB + 1], [1_000_000]]) {
    const pieceInput = pieces[0] === 1 ? input.subarray(0, 70 * KiB) : input;
    const want = pieces[0] === 1 ? sha(await compress(pieceInput)) : expected;
    assert.equal(sha(await compress(pieceInput, SMALL, pieces)), want, `pieces ${pieces.join(',')}`);
  }
  // And again, run to run.
  assert.equal(sha(await compress(input)), expected);
});

test('the bytes are the same whatever the size of the libuv threadpool (child processes)', () => {
  const moduleUrl = pathToFileURL(new URL('../../src/oci/pgzip.js', import.meta.url).pathname).href;
  const script = [
    `import { ParallelGzip } from ${JSON.stringify(moduleUrl)};`,
    "import { createHash, createCipheriv } from 'node:crypto';",
    "import { Readable } from 'node:stream';",
    "import { buffer } from 'node:stream/consumers';",
    "const rnd = createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16)).update(Buffer.alloc(200000));",
    "const txt = Buffer.from('import os\\nprint(os.getcwd())\\n'.repeat(20000));",
    'const gz = await buffer(Readable.from([txt, rnd, txt]).pipe(new ParallelGzip({ level: 6, blockSize: 65536, storedEntropy: 7.8 })));',
    "process.stdout.write(createHash('sha256').update(gz).digest('hex'));",
  ].join('\n');
  const digests = ['1', '2', '7'].map((threads) => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, UV_THREADPOOL_SIZE: threads } });
    assert.equal(r.status, 0, r.stderr.toString());
    return r.stdout.toString();
  });
  assert.match(digests[0]!, /^[0-9a-f]{64}$/);
  assert.deepEqual(digests, [digests[0], digests[0], digests[0]]);
});

test('random input goes out as stored blocks only, the input bytes verbatim', async () => {
  const input = randomBytes('stored', 200 * KiB + 3);
  const gz = await compress(input);
  const { payload, sizes } = readStoredOnly(gz);
  assert.ok(payload.equals(input));
  // Each full 64 KiB block: stored blocks of 65535 bytes and 1 byte; the last block: the 8 KiB + 3 left.
  assert.deepEqual(sizes, [65_535, 1, 65_535, 1, 65_535, 1, 8 * KiB + 3]);
  assert.equal(gz.length, input.length + 10 + 8 + 5 * sizes.length);
  assert.ok(gunzipWithTool(gz).equals(input));
});

test('huge stored runs: megabytes of random input in 1 MiB blocks stay within 5 bytes per 64 KiB of the input size', async () => {
  const input = randomBytes('huge', 5 * 1024 * KiB + 12_345);
  const gz = await compress(input, { level: 6, blockSize: 1024 * KiB }, [100_000]);
  const { payload, blocks } = readStoredOnly(gz);
  assert.ok(payload.equals(input));
  assert.equal(blocks, 5 * 17 + 1, 'per 1 MiB block: 16 stored blocks of 65535 bytes and one of 16');
  assert.equal(sha(gunzipWithPython(gz)), sha(input));
});

test('stored and deflated blocks mix: random between compressible runs decompresses exactly and shrinks only the text', async () => {
  const text = textBytes('mix', 256 * KiB);
  const rnd = randomBytes('mix', 256 * KiB);
  const input = Buffer.concat([text, rnd, text, rnd.subarray(0, 1000), text.subarray(0, 64 * KiB)]);
  const gz = await compress(input);
  assert.ok(gunzipWithTool(gz).equals(input));
  assert.ok(gunzipWithPython(gz).equals(input));
  // The random part costs its own size plus 5 bytes per stored block; the text compresses several-fold.
  assert.ok(gz.length < rnd.length + 1000 + 2 * text.length / 3, `${gz.length} bytes`);
  // The verbatim random bytes appear in the output (stored, not re-coded).
  assert.ok(gz.includes(rnd.subarray(0, 65_535)));
});

test('storedBlocks writes LEN/NLEN headers, at most 65535 bytes each, BFINAL on the last only when asked', () => {
  const data = randomBytes('sb', 65_535 * 2 + 10);
  const notFinal = storedBlocks(data, false);
  assert.equal(notFinal.length, data.length + 15);
  assert.deepEqual([notFinal[0], notFinal[65_540], notFinal[131_080]], [0, 0, 0]);
  assert.equal(notFinal.readUInt16LE(131_081), 10);
  assert.equal(notFinal.readUInt16LE(131_083), 10 ^ 0xffff);
  const final = storedBlocks(data, true);
  assert.deepEqual([final[0], final[65_540], final[131_080]], [0, 0, 1]);
  assert.deepEqual([...storedBlocks(Buffer.alloc(0), true)], [1, 0, 0, 0xff, 0xff]);
});

test('the layer compressor is within 2% of gzip -6 on compressible input and its name states every setting that shapes the bytes', async (t) => {
  const { level, blockSize, unit, storedEntropy } = COMPRESSION;
  assert.equal(COMPRESSION.name, `gzip-${level}-pz${blockSize / KiB}k-st${unit / KiB}k${Math.round(storedEntropy * 10)}-dd`);
  const input = textBytes('ratio', 3 * 1024 * KiB);
  const gz = await buffer(Readable.from([input]).pipe(createLayerCompressor()));
  assert.ok(gunzipWithTool(gz).equals(input));
  const ref = spawnSync('gzip', ['-6', '-n', '-c'], { input, maxBuffer: 1 << 30 });
  if (ref.status !== 0) return t.skip('gzip did not run');
  const ratio = gz.length / ref.stdout.length;
  assert.ok(ratio <= 1.02, `parallel ${gz.length} bytes vs gzip -6 ${ref.stdout.length} bytes (${ratio.toFixed(4)})`);
});

test('backpressure: with nobody reading, the compressor stops taking input after a bounded amount', async () => {
  const blockSize = 64 * KiB;
  const input = Buffer.concat([textBytes('bp', 20 * blockSize)]);
  const gz = new ParallelGzip({ level: 6, blockSize, maxInFlight: 2 });
  let accepted = 0;
  for (let off = 0; off < input.length; off += blockSize) {
    const chunk = input.subarray(off, off + blockSize);
    gz.write(chunk, () => (accepted += chunk.length));
  }
  // Let the threadpool finish whatever it was given, until nothing moves any more.
  let last = -1;
  for (let still = 0; still < 5; ) {
    await new Promise((r) => setTimeout(r, 20));
    const now = accepted + gz.readableLength;
    still = now === last ? still + 1 : 0;
    last = now;
  }
  assert.ok(accepted < input.length / 2, `accepted ${accepted} of ${input.length} bytes without a reader`);
  assert.ok(gz.writableLength > 0, 'the rest of the input waits in the writable buffer');
  gz.end();
  const out = await buffer(gz);
  assert.ok(gunzipSync(out).equals(input));
});

/** Float32 samples of a smooth signal with noise, as model weights or audio would be stored. */
function floatBytes(seed: string, length: number): Buffer {
  const noise = randomBytes(seed, length);
  const values = new Float32Array(length / 4);
  for (let i = 0; i < values.length; i++) values[i] = Math.sin(i / 50) + (noise[i]! - 128) / 1000;
  return Buffer.from(values.buffer, 0, length);
}

test('the incompressibility test: random and already-compressed bytes look incompressible; text, zeros and floats do not', async () => {
  const judge = (b: Buffer) => looksIncompressible(b, 0, b.length, COMPRESSION.storedEntropy);
  assert.equal(judge(randomBytes('judge', UNIT)), true, 'random bytes');
  // gzip output of text: high-entropy bytes, which deflate cannot shrink further.
  const gz = await compress(textBytes('judge-gz', 200 * KiB), { level: 9, blockSize: 256 * KiB });
  assert.equal(judge(gz.subarray(100, 100 + UNIT)), true, 'gzip output');
  assert.equal(judge(textBytes('judge', UNIT)), false, 'python-like text');
  assert.equal(judge(Buffer.from(randomBytes('hex', UNIT / 2).toString('hex'))), false, 'hex text (4 bits per byte)');
  assert.equal(judge(Buffer.alloc(UNIT)), false, 'zeros');
  assert.equal(judge(floatBytes('judge', UNIT)), false, 'float32 samples');
  // Random bytes with a tenth of the unit in text: the text is worth deflating.
  const tenth = Buffer.concat([randomBytes('mixed', UNIT - UNIT / 8), textBytes('mixed', UNIT / 8)]);
  assert.equal(judge(tenth), false, 'random with an eighth of text');
  // The verdict does not depend on the alignment of the unit in memory (word-wise or byte-wise counting).
  const big = Buffer.concat([Buffer.alloc(3), randomBytes('align', UNIT), textBytes('align', UNIT)]);
  for (const offset of [0, 1, 2, 3]) {
    const copy = Buffer.from(big.subarray(offset));
    assert.equal(judge(copy.subarray(3 - offset, 3 - offset + UNIT)), true, `random at byte offset ${offset}`);
  }
  assert.equal(looksIncompressible(randomBytes('short', 1000), 0, 1000, COMPRESSION.storedEntropy), false, 'too short to judge');
});

test('the incompressibility test stops early only when the whole unit would say the same (a plain full count agrees)', () => {
  /** The test without early exit: every byte counted, then Σc² · 2^bits ≤ n². */
  const fullCount = (b: Buffer, bits: number) => {
    const c = new Array<number>(256).fill(0);
    for (const x of b) c[x]++;
    return b.length >= 1024 && c.reduce((sum, k) => sum + k * k, 0) * 2 ** bits <= b.length * b.length;
  };
  let random = 0;
  let compressible = 0;
  // Random bytes with ever more of the unit replaced by text, at the front, the middle or the end:
  // the verdicts straddle the threshold, and the text sits before, across and after the check points.
  for (let textBytesCount = 0; textBytesCount <= 2048; textBytesCount += 64) {
    for (const at of [0, (UNIT - textBytesCount) >> 1, UNIT - textBytesCount]) {
      const unit = randomBytes(`edge${textBytesCount}/${at}`, UNIT);
      textBytes(`edge${textBytesCount}`, textBytesCount).copy(unit, at);
      for (const bits of [COMPRESSION.storedEntropy, 7.9, 7.95]) {
        const expected = fullCount(unit, bits);
        assert.equal(looksIncompressible(unit, 0, UNIT, bits), expected, `${textBytesCount} bytes of text at ${at}, ${bits} bits`);
        if (expected) random++;
        else compressible++;
      }
    }
  }
  assert.ok(random > 20 && compressible > 20, `both verdicts occur (${random} random, ${compressible} compressible)`);
});

test('runs follow the unit grid: random units are stored, the rest deflated, neighbours of one kind joined', () => {
  const block = Buffer.concat([textBytes('runs', 3 * UNIT), randomBytes('runs', 4 * UNIT), textBytes('runs2', UNIT), randomBytes('runs2', UNIT + 500)]);
  const runs = splitRuns(block, 0, block.length, COMPRESSION.storedEntropy);
  assert.deepEqual(runs, [
    { start: 0, end: 3 * UNIT, deflate: true },
    { start: 3 * UNIT, end: 7 * UNIT, deflate: false },
    { start: 7 * UNIT, end: 8 * UNIT, deflate: true },
    // The 500-byte tail is too short to judge and goes with the random unit before it.
    { start: 8 * UNIT, end: 9 * UNIT + 500, deflate: false },
  ]);
  // Without a threshold, the whole block is one deflated run.
  assert.deepEqual(splitRuns(block, 0, block.length, undefined), [{ start: 0, end: block.length, deflate: true }]);
  // Text: nothing is stored.
  const text = textBytes('runs-text', 10 * UNIT);
  assert.deepEqual(splitRuns(text, 0, text.length, COMPRESSION.storedEntropy), [{ start: 0, end: text.length, deflate: true }]);
});

test('random and text interleaved at odd offsets: stored units appear, and gunzip and Python gzip give back the exact bytes', async () => {
  const parts: Buffer[] = [];
  // Lengths that put every boundary off the unit grid, like files after 512-byte tar headers.
  const lengths = [70_001, 513, 33_333, 100_003, 8191, 8193, 150_007, 1, 65_537, 20_000];
  lengths.forEach((n, i) => parts.push(i % 2 ? textBytes(`odd${i}`, n) : randomBytes(`odd${i}`, n)));
  const input = Buffer.concat(parts);
  const gz = await compress(input, SMALL, [12_345]);
  assert.ok(gunzipWithTool(gz).equals(input), 'gunzip');
  assert.ok(gunzipWithPython(gz).equals(input), 'python gzip');
  // A unit lying wholly inside the first random part goes out verbatim, after a stored block header.
  const unit = input.subarray(2 * UNIT, 3 * UNIT);
  const at = gz.indexOf(unit);
  assert.ok(at > 0, 'a random unit appears verbatim in the output');
  // The text parts compress; the random parts cost their size and a few bytes per stored block.
  const randomTotal = lengths.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0);
  assert.ok(gz.length < randomTotal * 1.01 + (input.length - randomTotal) * 0.6, `${gz.length} bytes for ${randomTotal} random of ${input.length}`);
  // Same bytes whatever the chunking and in-flight limit.
  assert.ok((await compress(input, { ...SMALL, maxInFlight: 1 }, [1000, 77_777])).equals(gz));
  assert.ok((await compress(input, { ...SMALL, maxInFlight: 7 })).equals(gz));
});

test('content-aware output differs from deflate-everything output only where units were stored, and is no larger on random data', async () => {
  const input = Buffer.concat([textBytes('cmp', 100 * KiB), randomBytes('cmp', 300 * KiB), textBytes('cmp2', 50 * KiB)]);
  const aware = await compress(input, SMALL);
  const plain = await compress(input, { level: 6, blockSize: SMALL.blockSize });
  assert.ok(gunzipSync(aware).equals(input));
  assert.ok(gunzipSync(plain).equals(input));
  assert.ok(aware.length <= plain.length * 1.005, `content-aware ${aware.length} vs deflate-everything ${plain.length}`);
});

test('options are checked: the block size is a multiple of the unit, the threshold at most 8 bits', () => {
  assert.throws(() => new ParallelGzip({ level: 6, blockSize: 40 * KiB + 1 }), RangeError);
  assert.throws(() => new ParallelGzip({ level: 6, blockSize: 64 * KiB, storedEntropy: 9 }), RangeError);
  assert.throws(() => new ParallelGzip({ level: 0, blockSize: 64 * KiB }), RangeError);
});

test('GzipFileWriter writes the same bytes as ParallelGzip, hashes them, and reuses its buffers', async () => {
  const { mkdtemp, readFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { pipeline } = await import('node:stream/promises');
  const { GzipFileWriter } = await import('../../src/oci/pgzip.js');
  const dir = await mkdtemp(join(tmpdir(), 'pgzip-'));
  try {
    const lengths = [70_001, 513, 300_003, 8191, 150_007, 1, 65_537];
    const input = Buffer.concat(lengths.map((n, i) => (i % 2 ? textBytes(`fw${i}`, n) : randomBytes(`fw${i}`, n))));
    const expected = await compress(input);
    for (const [pieces, maxInFlight] of [[[input.length], 8], [[4096, 999], 1], [[64 * KiB], 2]] as const) {
      const path = join(dir, `blob-${maxInFlight}`);
      const writer = new GzipFileWriter(path, { ...SMALL, maxInFlight });
      const chunks: Buffer[] = [];
      for (let off = 0, i = 0; off < input.length; i++) chunks.push(input.subarray(off, (off += pieces[i % pieces.length]!)));
      await pipeline(Readable.from(chunks), writer);
      const written = await readFile(path);
      assert.ok(written.equals(expected), `same bytes as the Transform (pieces ${pieces.join(',')}, maxInFlight ${maxInFlight})`);
      assert.equal(writer.bytes, written.length);
      assert.equal(writer.digest(), `sha256:${sha(written)}`);
    }
    assert.ok(gunzipWithTool(await readFile(join(dir, 'blob-1'))).equals(input));
    // Empty input: still a whole gzip member.
    const empty = new GzipFileWriter(join(dir, 'empty'), SMALL);
    await pipeline(Readable.from([]), empty);
    assert.ok((await readFile(join(dir, 'empty'))).equals(await compress(Buffer.alloc(0))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('GzipFileWriter: a failing source destroys it, its file is closed and the error reaches the caller', async () => {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { pipeline } = await import('node:stream/promises');
  const { GzipFileWriter } = await import('../../src/oci/pgzip.js');
  const dir = await mkdtemp(join(tmpdir(), 'pgzip-'));
  try {
    async function* failing() {
      yield randomBytes('fail', 300 * KiB);
      yield textBytes('fail', 300 * KiB);
      throw new Error('the source broke');
    }
    const writer = new GzipFileWriter(join(dir, 'blob'), { ...SMALL, maxInFlight: 2 });
    await assert.rejects(pipeline(Readable.from(failing()), writer), /the source broke/);
    await new Promise((r) => (writer.closed ? r(undefined) : writer.once('close', r)));
    assert.equal(writer.destroyed, true);
    // The directory can be removed: no write lands after the close.
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** Random bytes and their hex text in alternating 64 KiB pieces, as in the benchmark's data files. */
function alternating(seed: string, length: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0, size = 0; size < length; i++) {
    const piece = i % 2 ? Buffer.from(randomBytes(`${seed}/${i}`, 32 * KiB).toString('hex')) : randomBytes(`${seed}/${i}`, 64 * KiB);
    parts.push(piece);
    size += piece.length;
  }
  return Buffer.concat(parts).subarray(0, length);
}

test('a reused lane gives the bytes of a fresh zlib stream for every run of LANE_MIN bytes or more, whatever ran on it before', async () => {
  const { DeflateLane, LANE_MIN } = await import('../../src/oci/pgzip.js');
  const { constants, deflateRawSync } = await import('node:zlib');
  // Hex text is where stale window bytes change matches most often (any byte of text may continue a
  // match of hex digits): shorter runs than LANE_MIN differ from a fresh stream in a few percent of cases.
  const hex = Buffer.from(randomBytes('lane-hex', 256 * KiB).toString('hex'));
  const sources = [hex, textBytes('lane', 512 * KiB), alternating('lane', 512 * KiB)];
  let lane = new DeflateLane(6, 4 * 1024 * KiB);
  let seed = 11;
  const next = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff), seed % n);
  const piece = (source: Buffer, length: number) => {
    const start = next(source.length - length);
    return source.subarray(start, start + length);
  };
  try {
    for (let i = 0; i < 150; i++) {
      // Whatever ran before (from 1 KiB up to a whole block), then a run just over the limit.
      const before = piece(sources[next(sources.length)]!, 1024 + next(256 * KiB - 1024));
      const data = piece(i % 3 ? hex : sources[next(sources.length)]!, LANE_MIN + next(32 * KiB));
      if (!lane.fits(before.length + data.length)) {
        lane.close();
        lane = new DeflateLane(6, 4 * 1024 * KiB);
      }
      await lane.deflate(before);
      const fresh = deflateRawSync(data, { level: 6, finishFlush: constants.Z_SYNC_FLUSH, chunkSize: 512 * KiB });
      assert.ok((await lane.deflate(data)).equals(fresh), `run ${i}: ${data.length} bytes after ${before.length}`);
    }
  } finally {
    lane.close();
  }
});

test('a lane writes every run from the start of one output buffer: it never fills up, and each output is right', async () => {
  const { DeflateLane } = await import('../../src/oci/pgzip.js');
  const { constants, deflateRawSync } = await import('node:zlib');
  // A capacity for a few runs only; 40 runs give ten times that much output.
  const lane = new DeflateLane(6, 1024 * KiB);
  const text = textBytes('rewind', 4 * 1024 * KiB);
  let first: ArrayBufferLike | undefined;
  try {
    for (let i = 0; i < 40; i++) {
      const data = text.subarray(i * 100 * KiB, (i + 1) * 100 * KiB);
      assert.ok(lane.fits(256 * KiB), `run ${i}: the lane has room`);
      const out = await lane.deflate(data);
      assert.ok(out.equals(deflateRawSync(data, { level: 6, finishFlush: constants.Z_SYNC_FLUSH, chunkSize: 512 * KiB })), `run ${i}`);
      first ??= out.buffer;
      assert.equal(out.buffer, first, `run ${i}: the same output buffer`);
      assert.equal(out.byteOffset, 0, `run ${i}: from its start`);
    }
  } finally {
    lane.close();
  }
});

test('the layer compressor gives the same bytes with 1, 2 or 4 deflate threads on interleaved random and hex input (lanes in use)', async () => {
  const input = Buffer.concat([textBytes('thr', 100 * KiB + 7), alternating('thr', 3 * 1024 * KiB), textBytes('thr2', 300 * KiB)]);
  const options: ParallelGzipOptions = { level: 6, blockSize: COMPRESSION.blockSize, storedEntropy: COMPRESSION.storedEntropy };
  const expected = await compress(input, { ...options, threads: 1, maxInFlight: 1 });
  assert.ok(gunzipSync(expected).equals(input));
  for (const [threads, maxInFlight] of [[2, 4], [4, 8], [4, 2]] as const) {
    assert.ok((await compress(input, { ...options, threads, maxInFlight }, [100_000])).equals(expected), `threads ${threads}, maxInFlight ${maxInFlight}`);
  }
});
