/**
 * Ignore rules: pycontainer's defaults, then the root .gitignore (gitignore semantics), then .dockerignore
 * (Docker semantics: patterns are anchored at the context root), then `exclude` from the config. The last
 * matching rule wins, so `!pattern` re-includes.
 */
export interface IgnoreRule {
  regex: RegExp;
  negate: boolean;
  dirOnly: boolean;
  /** Where the rule came from, for messages. */
  origin: string;
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
  '.env',
  '.idea',
  '.vscode',
];

/** gitignore semantics: a pattern without an inner slash matches at any depth. */
export function parseGitignore(text: string, origin: string): IgnoreRule[] {
  return parseLines(text, origin, false);
}

/** .dockerignore semantics: every pattern is relative to the context root; `**` spans directories. */
export function parseDockerignore(text: string, origin: string): IgnoreRule[] {
  return parseLines(text, origin, true);
}

function parseLines(text: string, origin: string, anchored: boolean): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const rule = compileRule(line, origin, anchored);
    if (rule) rules.push(rule);
  }
  return rules;
}

export function compileRule(pattern: string, origin: string, anchored: boolean): IgnoreRule | undefined {
  let p = pattern;
  const negate = p.startsWith('!');
  if (negate) p = p.slice(1);
  if (p.startsWith('\\')) p = p.slice(1);
  p = p.replace(/^\.\//, '');
  const dirOnly = p.endsWith('/');
  p = p.replace(/\/+$/, '');
  if (p === '' || p === '.') return undefined;
  const rooted = anchored || p.startsWith('/') || p.slice(0, -1).includes('/');
  p = p.replace(/^\/+/, '');
  const body = globToRegex(p);
  // A match on a directory covers everything below it.
  const regex = new RegExp(`^${rooted ? '' : '(?:.*/)?'}${body}(?:/.*)?$`);
  return { regex, negate, dirOnly, origin };
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
    if (rule.negate === !ignored) {
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
