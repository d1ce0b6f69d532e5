#!/usr/bin/env node
// Runs the bundled CLI (one file: fast to start) unless the compiled modules are newer than it — a
// `tsc` run without `npm run build` — so that a stale bundle never runs in place of the code just built.
import { statSync } from 'node:fs';

const bundle = new URL('../dist/bundle/pycontainer.mjs', import.meta.url);
const modules = new URL('../dist/src/cli/main.js', import.meta.url);
const mtime = (url) => statSync(url, { throwIfNoEntry: false })?.mtimeMs;
const bundled = mtime(bundle);
const compiled = mtime(modules);
const entry = bundled !== undefined && (compiled === undefined || bundled >= compiled) ? bundle : modules;
const { main } = await import(entry.href);

process.exitCode = await main(process.argv.slice(2));
