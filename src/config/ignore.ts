/**
 * Ignore rules: pycontainer's defaults, then the root .gitignore, then .dockerignore, then `exclude`
 * from the config, all in .dockerignore's form (anchored at the context root, `**` spans directories).
 * The last matching rule wins, so `!pattern` re-includes.
 */
export interface IgnoreRule {
  regex: RegExp;
  negate: boolean;
  dirOnly: boolean;
  /** Where the rule came from, for messages. */
  origin: string;
  /**
   * A `**\/NAME` rule (NAME without `/` or `**`) matches a path when NAME matches one of its
   * names: NAME's pattern, for childIgnoreMatcher.
   */
  name?: { literal: string } | { regex: string };
}

export const DEFAULT_IGNORES = [
  '.git',
  '.hg',
  '.svn',
  '.venv',
  'venv',
  '__pycache__',
  '*.pyc',
  '*.pyo',
  'dist',
  'build',
  '*.egg-info',
  'node_modules',
  '.pytest_cache',
  '.mypy_cache',
  '.ruff_cache',
  '.tox',
  '.nox',
  '.coverage',
  '.DS_Store',
  // .env, .env.local, .envrc: secrets stay out of images, as in every Dockerfile's .dockerignore.
  '.env*',
  '.idea',
  '.vscode',
  // The committed plan states the image's files; inside the image it would change what it states.
  'pycontainer.plan.json',
  // Build configuration, not the app's: editing it must not change the application layer.
  'pycontainer.toml',
];

/** Defaults that are build outputs at the root but may be package names deeper (src/pkg/build/). */
const ROOT_ONLY_DEFAULTS = new Set(['dist', 'build', 'venv', 'pycontainer.toml']);

/**
 * Normalizes gitignore lines to the anchored (.dockerignore) form the plan records: a pattern with no
 * inner slash matches at any depth in gitignore, so it becomes `**\/pattern`.
 */
export function gitignoreToAnchored(text: string): string[] {
  return patternLines(text).map((line) => {
    const negate = line.startsWith('!') ? '!' : '';
    let p = negate ? line.slice(1) : line;
    if (p.startsWith('\\')) p = p.slice(1);
    const dirOnly = p.endsWith('/') ? '/' : '';
    p = p.replace(/\/+$/, '');
    if (p.startsWith('/')) return `${negate}${p.slice(1)}${dirOnly}`;
    return p.includes('/') ? `${negate}${p}${dirOnly}` : `${negate}**/${p}${dirOnly}`;
  });
}

/** .dockerignore lines, already anchored at the context root. */
export function dockerignorePatterns(text: string): string[] {
  return patternLines(text).map((l) => l.replace(/^(!?)\/+/, '$1').replace(/^(!?)\.\//, '$1'));
}

function patternLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * The ignore patterns of a build, in order (the last match wins): pycontainer's defaults, the root
 * .gitignore, .dockerignore, build.exclude. All anchored at the context root; this list is recorded in
 * the plan so apply can list the context exactly as plan did.
 */
export function ignorePatterns(input: { gitignore?: string; dockerignore?: string; exclude?: string[]; extra?: string[] }): string[] {
  return [
    ...DEFAULT_IGNORES.map((p) => (ROOT_ONLY_DEFAULTS.has(p) ? p : `**/${p}`)),
    ...(input.gitignore !== undefined ? gitignoreToAnchored(input.gitignore) : []),
    ...(input.dockerignore !== undefined ? dockerignorePatterns(input.dockerignore) : []),
    ...(input.exclude ?? []),
    ...(input.extra ?? []),
  ];
}

export function compileIgnore(patterns: string[]): IgnoreRule[] {
  return patterns.map((p) => compileRule(p, 'plan')).filter((r): r is IgnoreRule => r !== undefined);
}

/** Compiles one anchored pattern; blank or `.` patterns give undefined. */
export function compileRule(pattern: string, origin: string): IgnoreRule | undefined {
  let p = pattern;
  const negate = p.startsWith('!');
  if (negate) p = p.slice(1);
  if (p.startsWith('\\')) p = p.slice(1);
  p = p.replace(/^\.\//, '');
  const dirOnly = p.endsWith('/');
  p = p.replace(/\/+$/, '');
  if (p === '' || p === '.') return undefined;
  p = p.replace(/^\/+/, '');
  // A match on a directory covers everything below it.
  const regex = new RegExp(`^${globToRegex(p)}(?:/.*)?$`);
  const rest = p.startsWith('**/') ? p.slice(3) : undefined;
  if (rest === undefined || rest === '' || rest.includes('/') || rest.includes('**')) return { regex, negate, dirOnly, origin };
  const name = /[*?[\\]/.test(rest) ? { regex: globToRegex(rest) } : { literal: rest };
  return { regex, negate, dirOnly, origin, name };
}

/**
 * isIgnored for a walk that enters only directories that are not ignored: whether `path` (whose last
 * name is `name`) is ignored, given that its parent directory is not. With no negated rule that is
 * isIgnored's answer: a rule matching a parent would have ignored the parent, so a `**\/NAME`
 * rule can only match the last name (one lookup or one short regex for all of them, instead of
 * every rule's regex over the whole path), and a directory-only rule cannot match a file. Undefined
 * when some rule negates: then use isIgnored.
 */
export function childIgnoreMatcher(rules: IgnoreRule[]): ((path: string, name: string, isDir: boolean) => boolean) | undefined {
  if (rules.some((r) => r.negate)) return undefined;
  const literals = [new Set<string>(), new Set<string>()];
  const patterns: string[][] = [[], []];
  const pathRules: RegExp[][] = [[], []];
  for (const r of rules) {
    // [0]: rules for any path, [1]: directory-only rules.
    const kind = r.dirOnly ? 1 : 0;
    if (!r.name) pathRules[kind]!.push(r.regex);
    else if ('literal' in r.name) literals[kind]!.add(r.name.literal);
    else patterns[kind]!.push(r.name.regex);
  }
  const nameRegex = patterns.map((list) => (list.length ? new RegExp(`^(?:${list.join('|')})$`) : undefined));
  const matchesAny = (kind: number, path: string, name: string): boolean => {
    if (literals[kind]!.has(name) || nameRegex[kind]?.test(name)) return true;
    for (const regex of pathRules[kind]!) if (regex.test(path)) return true;
    return false;
  };
  return (path, name, isDir) => matchesAny(0, path, name) || (isDir && matchesAny(1, path, name));
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more directories; a trailing `**` everything.
        if (glob[i + 2] === '/') {
          out += '(?:.*/)?';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) out += '\\[';
      else {
        let cls = glob.slice(i + 1, end);
        if (cls.startsWith('!')) cls = `^${cls.slice(1)}`;
        out += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return out;
}

/**
 * Whether `path` (relative, `/`-separated) is ignored. A dir-only rule matches a path only through a
 * directory: the path itself when `isDir`, or one of its parents.
 */
export function isIgnored(rules: IgnoreRule[], path: string, isDir: boolean): boolean {
  let ignored = false;
  for (const rule of rules) {
    if (rule.negate === ignored) {
      // Only a rule that could flip the state is worth testing.
      if (matches(rule, path, isDir)) ignored = !rule.negate;
    }
  }
  return ignored;
}

function matches(rule: IgnoreRule, path: string, isDir: boolean): boolean {
  if (!rule.dirOnly) return rule.regex.test(path);
  // For a dir-only rule, test the directory prefixes of path (and path itself when it is a directory).
  const parts = path.split('/');
  const limit = isDir ? parts.length : parts.length - 1;
  for (let n = 1; n <= limit; n++) {
    if (rule.regex.test(parts.slice(0, n).join('/'))) return true;
  }
  return false;
}
