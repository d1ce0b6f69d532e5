// Bundles the compiled CLI (dist/src/cli/main.js) and its npm dependencies into one ES module,
// dist/bundle/pycontainer.mjs. Node loads one file instead of ~200 modules: a CLI start costs about a
// third of the CPU time, which every user command and every end-to-end test pays. The bundle sits two
// levels below the package root, as dist/src/*.js do, so the package-relative URLs (schema/,
// package.json) resolve the same way in both. The Python wheel carries this same file.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/src/cli/main.js'],
  outfile: 'dist/bundle/pycontainer.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Bundled CommonJS dependencies call require() for Node's built-ins.
  banner: { js: "import { createRequire as __pycontainerRequire } from 'node:module'; const require = __pycontainerRequire(import.meta.url);" },
  legalComments: 'eof',
  logLevel: 'warning',
});
