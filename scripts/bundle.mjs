// Bundles the compiled CLI (dist/src/cli/main.js) and its npm dependencies into one ES module,
// dist/bundle/pycontainer.mjs (and undici beside it, below). Node loads one file instead of ~200 modules: a CLI start costs about a
// third of the CPU time, which every user command and every end-to-end test pays. The bundle sits two
// levels below the package root, as dist/src/*.js do, so the package-relative URLs (schema/,
// package.json) resolve the same way in both. The Python wheel carries the same directory.
//
// undici (half of the code) is a file of its own, dist/bundle/undici.cjs, loaded on its first use: `plan`
// of a local project, `--version`, `diff` never open a connection, and reading, compiling and
// evaluating it cost ~0.15 s of CPU at every start. The other code is minified (whitespace and syntax,
// names kept as they are): Node reads, decodes and compiles the whole file at each start, and that
// time follows its size. See lazyUndici below.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// The part of undici we use (see the file): what dist/bundle/undici.cjs holds.
const UNDICI_CORE = new URL('./undici-core.cjs', import.meta.url).pathname;
const common = { bundle: true, platform: 'node', target: 'node20', minifyWhitespace: true, minifySyntax: true, legalComments: 'eof', logLevel: 'warning' };

/**
 * Every `import ... from 'undici'` in our code gets a stand-in module with the same named exports, each
 * a Proxy that loads undici.cjs when it is first called, constructed or read (`new Agent(...)`,
 * `request(...)`, `errors.X`, `instanceof`): the real undici objects come out, so behaviour is
 * unchanged. A synchronous require, not import(): `new Agent()` cannot wait.
 */
const lazyUndici = {
  name: 'lazy-undici',
  setup(b) {
    const exported = Object.entries(require(UNDICI_CORE)).filter(([name]) => /^[A-Za-z_$][\w$]*$/.test(name));
    const contents = [
      "import { createRequire } from 'node:module';",
      'let loaded;',
      "const undici = () => (loaded ??= createRequire(import.meta.url)('./undici.cjs'));",
      'const pick = (name) => (name === undefined ? undici() : undici()[name]);',
      'const lazy = (name, target) => new Proxy(target, {',
      '  get: (_, prop) => Reflect.get(pick(name), prop),',
      '  has: (_, prop) => Reflect.has(pick(name), prop),',
      '  apply: (_, self, args) => Reflect.apply(pick(name), self, args),',
      '  construct: (_, args, newTarget) => Reflect.construct(pick(name), args, newTarget),',
      '});',
      ...exported.map(([name, value]) => {
        if (typeof value === 'function') return `export const ${name} = lazy(${JSON.stringify(name)}, function () {});`;
        if (typeof value === 'object' && value !== null) return `export const ${name} = lazy(${JSON.stringify(name)}, {});`;
        return `export const ${name} = undici()[${JSON.stringify(name)}];`;
      }),
      'export default lazy(undefined, {});',
    ].join('\n');
    b.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici', namespace: 'lazy-undici' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-undici' }, () => ({ contents, loader: 'js', resolveDir: process.cwd() }));
  },
};

/**
 * undici's HTTP/1.1 client requires its HTTP/2 one at load, which loads Node's http2 module (~16 ms at
 * every start of a process that opens a connection, a few percent of an unchanged re-push); it is only
 * called when TLS negotiates h2, which pycontainer never asks for (allowH2 is off). So the require moves
 * into the call: esbuild still bundles client-h2.js, and evaluates it on that first call. The build
 * fails, rather than silently loading it eagerly again, when undici no longer has that line.
 */
const lazyHttp2 = {
  name: 'lazy-http2',
  setup(b) {
    b.onLoad({ filter: /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/ }, ({ path }) => {
      const text = readFileSync(path, 'utf8');
      const line = "const connectH2 = require('./client-h2.js')";
      if (!text.includes(line)) throw new Error(`${path}: no \`${line}\` to make lazy; see lazyHttp2 in scripts/bundle.mjs`);
      return { contents: text.replace(line, "let clientH2\nconst connectH2 = (...args) => (clientH2 ??= require('./client-h2.js'))(...args)"), loader: 'js' };
    });
  },
};

// No file of an earlier build stays behind (the wheel and the npm package ship the directory).
rmSync('dist/bundle', { recursive: true, force: true });
await build({ ...common, entryPoints: [UNDICI_CORE], outfile: 'dist/bundle/undici.cjs', format: 'cjs', plugins: [lazyHttp2] });
await build({
  ...common,
  // main.js answers --version itself and import()s the commands: with splitting they are a chunk of
  // their own, read only when a command runs. Chunks lie beside the entry, not in a subdirectory,
  // so that their package-relative URLs (../../schema) resolve as the entry's do.
  entryPoints: { pycontainer: 'dist/src/cli/main.js' },
  outdir: 'dist/bundle',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: '[name]-[hash]',
  format: 'esm',
  plugins: [lazyUndici],
  // Bundled CommonJS dependencies call require() for Node's built-ins.
  banner: { js: "import { createRequire as __pycontainerRequire } from 'node:module'; const require = __pycontainerRequire(import.meta.url);" },
});
