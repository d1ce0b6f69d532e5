#!/usr/bin/env node
// Runs the bundled CLI (one file: fast to start) unless the compiled modules are newer than it — a
// `tsc` run without `npm run build` — so that a stale bundle never runs in place of the code just built.
import { statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// V8's young generation starts at 1 MiB semi-spaces and doubles them up to 16 MiB as a program
// allocates; pycontainer's many small short-lived objects (file entries, tar headers) make it grow to the
// top, and a 16 MiB semi-space pair costs ~25 MB of RSS (warm `plan` of 10,000 files: 115 → 92 MB; cold
// `build`: 148 → 106 MB) for no measurable CPU. --max-semi-space-size would cap it but is read only when
// the process starts (a re-exec costs a second Node start; a `#!/usr/bin/env -S` line does not run under
// BusyBox's env); the growth factor is read at each growth, so it works from here, before anything
// allocates, for every way pycontainer is started (npm bin, `node bin/pycontainer.js`, the Python
// launcher, the GitHub Action all come through this file). A semi-space flag the user gave wins.
if (!/semi-space/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`)) {
  setFlagsFromString('--semi-space-growth-factor=1');
}
// The old generation is collected again once it has grown by this much over what the last full
// collection kept. V8 picks up to 4× for a small heap that it collects fast, and pycontainer's is small
// (10-30 MB live); but what piles up meanwhile is mostly buffers that outlived a scavenge in flight
// (file reads, tar headers, deflate output), whose memory is freed only then: a 20,000-file build held
// ~14 MB of them at its peak. 30% keeps that pile small (cold build of the benchmark project 89 → 85 MB,
// 20,000 code files 86 → 81 MB) for no measurable time (4 interleaved runs each). Read at every
// collection, so it works from here; one the user gave wins.
if (!/heap-growing-percent/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`)) {
  setFlagsFromString('--heap-growing-percent=30');
}
// undici parses HTTP with llhttp compiled to WebAssembly. V8 compiles it with its baseline compiler
// (Liftoff) and, once the parser has run a little (one response is enough), again on a background thread
// with its optimizing one (TurboFan): measured, that second compile costs ~0.15 s of CPU and ~35 MB of
// peak RSS in every process that opens a connection, a third of an unchanged re-push, for a parser that
// reads a few header lines per request. Liftoff code is all we need. Set here, not in the library: it
// is the process's setting, and a program that imports pycontainer keeps its own.
setFlagsFromString('--liftoff-only');

const bundle = new URL('../dist/bundle/pycontainer.mjs', import.meta.url);
const modules = new URL('../dist/src/cli/main.js', import.meta.url);
const mtime = (url) => statSync(url, { throwIfNoEntry: false })?.mtimeMs;
const bundled = mtime(bundle);
const compiled = mtime(modules);
const entry = bundled !== undefined && (compiled === undefined || bundled >= compiled) ? bundle : modules;
const { main } = await import(entry.href);

process.exitCode = await main(process.argv.slice(2));
