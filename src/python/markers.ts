/**
 * PEP 508 environment markers (with PEP 751's `extras` and `dependency_groups` sets): a small parser
 * and evaluator for a target environment, so no Python has to run.
 */
import { ConfigError } from '../errors.js';
import { linuxMachine, normalizeName, pythonMajorMinor } from './tags.js';
import { isValidSpecifier, isValidVersion, satisfies } from './version.js';

export interface MarkerEnvironment {
  implementation_name: string;
  implementation_version: string;
  os_name: string;
  platform_machine: string;
  platform_python_implementation: string;
  platform_release: string;
  platform_system: string;
  platform_version: string;
  python_full_version: string;
  python_version: string;
  sys_platform: string;
}

/**
 * The environment of a target: CPython `pythonFullVersion` on Linux, `platform_machine` from the OCI
 * architecture (amd64 → x86_64, arm64 → aarch64, arm → armv7l, 386 → i686, ppc64le, s390x, riscv64).
 * `platform_release` and `platform_version` (the kernel of whatever host runs the image) are unknown: ''.
 */
export function targetEnvironment(pythonFullVersion: string, architecture: string): MarkerEnvironment {
  const full = pythonFullVersion.trim();
  const [major, minor] = pythonMajorMinor(full);
  return {
    implementation_name: 'cpython',
    implementation_version: full,
    os_name: 'posix',
    platform_machine: linuxMachine(architecture),
    platform_python_implementation: 'CPython',
    platform_release: '',
    platform_system: 'Linux',
    platform_version: '',
    python_full_version: full,
    python_version: `${major}.${minor}`,
    sys_platform: 'linux',
  };
}

/** A variable that holds one string. */
export type MarkerStringVariable = keyof MarkerEnvironment | 'extra';
/** A variable that holds a set of names (PEP 751); only usable as `'name' in extras`. */
export type MarkerSetVariable = 'extras' | 'dependency_groups';
export type MarkerVariable = MarkerStringVariable | MarkerSetVariable;

export type MarkerOperand = { type: 'variable'; name: MarkerVariable } | { type: 'string'; value: string };
export type MarkerOperator = '===' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '~=' | 'in' | 'not in';

export type Marker =
  | { type: 'compare'; left: MarkerOperand; op: MarkerOperator; right: MarkerOperand }
  | { type: 'and' | 'or'; left: Marker; right: Marker };

const ENV_VARIABLES: ReadonlySet<string> = new Set<keyof MarkerEnvironment>([
  'implementation_name',
  'implementation_version',
  'os_name',
  'platform_machine',
  'platform_python_implementation',
  'platform_release',
  'platform_system',
  'platform_version',
  'python_full_version',
  'python_version',
  'sys_platform',
]);

/** Older spellings that pip and packaging still accept. */
const ALIASES: Readonly<Record<string, MarkerStringVariable>> = {
  'os.name': 'os_name',
  'sys.platform': 'sys_platform',
  'platform.version': 'platform_version',
  'platform.machine': 'platform_machine',
  'platform.python_implementation': 'platform_python_implementation',
  python_implementation: 'platform_python_implementation',
};

function variableNamed(name: string): MarkerVariable | undefined {
  if (ENV_VARIABLES.has(name) || name === 'extra' || name === 'extras' || name === 'dependency_groups') return name as MarkerVariable;
  return Object.hasOwn(ALIASES, name) ? ALIASES[name] : undefined;
}

function isSetVariable(name: MarkerVariable): name is MarkerSetVariable {
  return name === 'extras' || name === 'dependency_groups';
}

// ---------------------------------------------------------------------------------------------------------
// Parsing

type Token =
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'name'; value: string; pos: number }
  | { kind: 'op'; value: MarkerOperator; pos: number }
  | { kind: '(' | ')' | 'and' | 'or' | 'end'; pos: number };

function markerError(text: string, pos: number, message: string): ConfigError {
  return new ConfigError('E_MARKER', `invalid environment marker ${JSON.stringify(text)}: ${message} at column ${pos + 1}`, {
    details: [text, `${' '.repeat(pos)}^`],
  });
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === '(' || c === ')') {
      tokens.push({ kind: c, pos });
      i++;
    } else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw markerError(text, pos, 'unterminated string');
      tokens.push({ kind: 'string', value: text.slice(i + 1, end), pos });
      i = end + 1;
    } else if (/[<>=!~]/.test(c)) {
      const op = (['===', '==', '!=', '<=', '>=', '~=', '<', '>'] as const).find((o) => text.startsWith(o, i));
      if (op === undefined) throw markerError(text, pos, `unknown operator ${JSON.stringify(text.slice(i, i + 2))}`);
      tokens.push({ kind: 'op', value: op, pos });
      i += op.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i))![0];
      i += word.length;
      if (word === 'and' || word === 'or') {
        tokens.push({ kind: word, pos });
      } else if (word === 'in') {
        tokens.push({ kind: 'op', value: 'in', pos });
      } else if (word === 'not') {
        const rest = /^\s+in(?![A-Za-z0-9_.])/.exec(text.slice(i));
        if (!rest) throw markerError(text, pos, "expected 'not in'");
        tokens.push({ kind: 'op', value: 'not in', pos });
        i += rest[0].length;
      } else {
        tokens.push({ kind: 'name', value: word, pos });
      }
    } else {
      throw markerError(text, pos, `unexpected character ${JSON.stringify(c)}`);
    }
  }
  tokens.push({ kind: 'end', pos: text.length });
  return tokens;
}

/**
 * Parse a PEP 508 marker: `or` binds looser than `and`, parentheses group, each comparison is
 * `operand op operand` where an operand is a variable or a quoted string. Throws E_MARKER naming the marker
 * and the column of the problem (unknown variable, bad operator, unbalanced parentheses, trailing text).
 */
export function parseMarker(text: string): Marker {
  const tokens = tokenize(text);
  let at = 0;
  const peek = (): Token => tokens[at]!;
  const describe = (t: Token): string =>
    t.kind === 'end' ? 'end of marker' : t.kind === 'string' ? `string ${JSON.stringify(t.value)}` : `'${'value' in t ? t.value : t.kind}'`;

  const operand = (): [MarkerOperand, number] => {
    const t = peek();
    if (t.kind === 'string') {
      at++;
      return [{ type: 'string', value: t.value }, t.pos];
    }
    if (t.kind === 'name') {
      const name = variableNamed(t.value);
      if (name === undefined) throw markerError(text, t.pos, `unknown marker variable ${JSON.stringify(t.value)}`);
      at++;
      return [{ type: 'variable', name }, t.pos];
    }
    throw markerError(text, t.pos, `expected a marker variable or a quoted string, found ${describe(t)}`);
  };

  const comparison = (): Marker => {
    const [left, leftPos] = operand();
    const t = peek();
    if (t.kind !== 'op') throw markerError(text, t.pos, `expected a comparison operator, found ${describe(t)}`);
    at++;
    const [right] = operand();
    if (left.type === 'variable' && isSetVariable(left.name)) {
      throw markerError(text, leftPos, `${left.name} can only be used as 'name' in ${left.name}`);
    }
    if (right.type === 'variable' && isSetVariable(right.name)) {
      if (t.value !== 'in' && t.value !== 'not in') throw markerError(text, t.pos, `${right.name} can only be compared with 'in' or 'not in'`);
      if (left.type !== 'string') throw markerError(text, leftPos, `expected a quoted name before '${t.value} ${right.name}'`);
    }
    return { type: 'compare', left, op: t.value, right };
  };

  const atom = (): Marker => {
    const t = peek();
    if (t.kind === '(') {
      at++;
      const inner = or();
      const close = peek();
      if (close.kind !== ')') throw markerError(text, close.pos, `expected ')' to close the '(' at column ${t.pos + 1}, found ${describe(close)}`);
      at++;
      return inner;
    }
    return comparison();
  };

  const and = (): Marker => {
    let left = atom();
    while (peek().kind === 'and') {
      at++;
      left = { type: 'and', left, right: atom() };
    }
    return left;
  };

  const or = (): Marker => {
    let left = and();
    while (peek().kind === 'or') {
      at++;
      left = { type: 'or', left, right: and() };
    }
    return left;
  };

  const marker = or();
  const rest = peek();
  if (rest.kind !== 'end') throw markerError(text, rest.pos, `expected 'and', 'or' or the end of the marker, found ${describe(rest)}`);
  return marker;
}

/** The marker written back in a canonical form (double quotes, minimal parentheses). */
export function formatMarker(marker: Marker): string {
  const operand = (o: MarkerOperand): string => (o.type === 'variable' ? o.name : o.value.includes('"') ? `'${o.value}'` : `"${o.value}"`);
  if (marker.type === 'compare') return `${operand(marker.left)} ${marker.op} ${operand(marker.right)}`;
  const side = (m: Marker): string => (marker.type === 'and' && m.type === 'or' ? `(${formatMarker(m)})` : formatMarker(m));
  return `${side(marker.left)} ${marker.type} ${side(marker.right)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Evaluation

const cache = new Map<string, Marker>();

function parseCached(text: string): Marker {
  let marker = cache.get(text);
  if (marker === undefined) {
    marker = parseMarker(text);
    if (cache.size >= 1000) cache.clear();
    cache.set(text, marker);
  }
  return marker;
}

interface Scope {
  env: MarkerEnvironment;
  extra: string;
  extras: ReadonlySet<string>;
  groups: ReadonlySet<string>;
  source: Marker | string;
}

function usesExtra(marker: Marker): boolean {
  if (marker.type !== 'compare') return usesExtra(marker.left) || usesExtra(marker.right);
  const is = (o: MarkerOperand): boolean => o.type === 'variable' && o.name === 'extra';
  return is(marker.left) || is(marker.right);
}

function compareStrings(left: string, op: MarkerOperator, right: string): boolean | undefined {
  switch (op) {
    case '==': return left === right;
    case '!=': return left !== right;
    case '<': return left < right;
    case '<=': return left <= right;
    case '>': return left > right;
    case '>=': return left >= right;
    case 'in': return right.includes(left);
    case 'not in': return !right.includes(left);
    case '===': return left.toLowerCase() === right.toLowerCase();
    default: return undefined;
  }
}

function evaluateComparison(m: Extract<Marker, { type: 'compare' }>, scope: Scope): boolean {
  if (m.right.type === 'variable' && isSetVariable(m.right.name) && m.left.type === 'string') {
    const set = m.right.name === 'extras' ? scope.extras : scope.groups;
    const member = set.has(normalizeName(m.left.value));
    return m.op === 'not in' ? !member : member;
  }
  const value = (o: MarkerOperand): string => {
    if (o.type === 'string') return o.value;
    if (o.name === 'extra') return scope.extra;
    if (isSetVariable(o.name)) throw new Error('unreachable: set variable outside in/not in');
    return scope.env[o.name];
  };
  let left = value(m.left);
  let right = value(m.right);
  const isExtra = (o: MarkerOperand): boolean => o.type === 'variable' && o.name === 'extra';
  if (isExtra(m.left) || isExtra(m.right)) {
    left = normalizeName(left);
    right = normalizeName(right);
  }
  // As packaging does: a version comparison when the right side makes a valid specifier with the operator
  // and the left side is a version (pre-releases included); otherwise a string comparison.
  if (m.op !== 'in' && m.op !== 'not in' && isValidVersion(left) && isValidSpecifier(`${m.op}${right}`) && right.trim() !== '') {
    return satisfies(left, `${m.op}${right}`, { prereleases: true });
  }
  const result = compareStrings(left, m.op, right);
  if (result === undefined) {
    const source = typeof scope.source === 'string' ? scope.source : formatMarker(scope.source);
    throw new ConfigError(
      'E_MARKER',
      `cannot evaluate environment marker ${JSON.stringify(source)}: ${JSON.stringify(left)} ${m.op} ${JSON.stringify(right)} needs PEP 440 versions on both sides`,
    );
  }
  return result;
}

function evaluate(marker: Marker, scope: Scope): boolean {
  switch (marker.type) {
    case 'and': return evaluate(marker.left, scope) && evaluate(marker.right, scope);
    case 'or': return evaluate(marker.left, scope) || evaluate(marker.right, scope);
    case 'compare': return evaluateComparison(marker, scope);
  }
}

/**
 * Evaluate a marker (parsed or text) for an environment. `extras` are the requested extras: they fill
 * PEP 751's `extras` set, and a marker that uses `extra` is true when it holds for the base requirement
 * (`extra == ''`) or for any one requested extra, which is how installers read `Requires-Dist` markers.
 * `extra` values and set members are compared after PEP 503 name normalization. `groups` fills
 * `dependency_groups`. Throws E_MARKER for a marker that does not parse or a comparison that cannot be made
 * (such as `~=` between non-versions).
 */
export function evaluateMarker(marker: Marker | string, env: MarkerEnvironment, extras: string[] = [], groups: string[] = []): boolean {
  const parsed = typeof marker === 'string' ? parseCached(marker) : marker;
  const scope: Scope = {
    env,
    extra: '',
    extras: new Set(extras.map(normalizeName)),
    groups: new Set(groups.map(normalizeName)),
    source: marker,
  };
  if (!usesExtra(parsed)) return evaluate(parsed, scope);
  for (const extra of ['', ...scope.extras]) {
    if (evaluate(parsed, { ...scope, extra })) return true;
  }
  return false;
}
