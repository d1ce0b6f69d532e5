/**
 * Typed errors. Each carries a user-facing message (never a secret), a stable code and the process exit
 * code; only src/cli turns them into output.
 */
/** Exit codes, one meaning each. */
export const EXIT = {
  ok: 0,
  /** A difference: `plan --check`, `plan --locked`, `diff`. */
  difference: 1,
  /** A problem in the input: files, keys, flags, usage. */
  input: 2,
  /** A network or registry failure (sysexits' EX_UNAVAILABLE): retrying later may help. */
  network: 69,
  /**
   * Another pycontainer is writing the same output (sysexits' EX_TEMPFAIL): nothing is wrong with the
   * input and nothing with the network; trying again later succeeds.
   */
  busy: 75,
  /** A bug in pycontainer (sysexits' EX_SOFTWARE). */
  bug: 70,
} as const;

export class PycontainerError extends Error {
  /** Stable, never reassigned: scripts may match on it. */
  readonly code: string;
  readonly exitCode: number;
  /** Extra lines for the user (one problem per line), printed after the message. */
  readonly details: string[];

  constructor(code: string, message: string, options: { exitCode?: number; details?: string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? 2;
    this.details = options.details ?? [];
  }
}

/** A problem in pyproject.toml, pycontainer.toml or flags. */
export class ConfigError extends PycontainerError {}

/** A plan file that cannot be read, is of another format, or no longer matches its inputs. */
export class PlanError extends PycontainerError {}

/** A failure while materializing an image. */
export class ApplyError extends PycontainerError {}

/**
 * A host that could not be reached or a transfer that broke (index, wheel download): not a problem in
 * the input, so it exits with EXIT.network. The message names the host, never credentials.
 */
export class NetworkError extends PycontainerError {
  constructor(code: string, message: string, options: { details?: string[]; cause?: unknown } = {}) {
    super(code, message, { ...options, exitCode: EXIT.network });
  }
}

/** A problem with an OCI layout or image. */
export class ImageError extends PycontainerError {}

/**
 * A URL as messages and logs may show it: scheme, host and path, without user info or the query
 * (upload locations and signed URLs carry tokens there).
 */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url.split('?')[0]!.replace(/\/\/[^@/]*@/, '//');
  }
}

/** One user-facing problem: where it is and what is wrong. */
export interface Diagnostic {
  /** File (relative to the context where possible) or flag, e.g. `pycontainer.toml` or `--env`. */
  source: string;
  /** Key path such as `build.workdir`, when the problem is in a key. */
  key?: string;
  line?: number;
  column?: number;
  message: string;
}

/** `file:line:col: key: message`, one line. */
export function formatDiagnostic(d: Diagnostic): string {
  let where = d.source;
  if (d.line !== undefined) where += `:${d.line}${d.column !== undefined ? `:${d.column}` : ''}`;
  return `${where}: ${d.key ? `${d.key}: ` : ''}${d.message}`;
}

/** Throws one ConfigError that lists every diagnostic, when there are any. */
export function throwIfDiagnostics(diagnostics: Diagnostic[]): void {
  if (diagnostics.length === 0) return;
  const lines = diagnostics.map(formatDiagnostic);
  throw new ConfigError(
    'E_CONFIG',
    diagnostics.length === 1 ? lines[0]! : `${diagnostics.length} problems in the configuration`,
    { details: diagnostics.length === 1 ? [] : lines },
  );
}

/**
 * RegistryError codes that are problems in the input (a malformed reference, a base without the asked
 * platform, an unreadable credentials file): exit 2. Every other registry error is the registry's or the
 * network's answer (refused, not found, broken, unreachable, corrupt): EXIT.network.
 */
const REGISTRY_INPUT_CODES = new Set(['E_REFERENCE', 'E_BASE_PLATFORM', 'E_CREDENTIALS', 'E_CREDENTIALS_FILE', 'E_CREDENTIAL_HELPER']);

/** A registry or reference problem: bad reference, auth failure, HTTP/OCI error, network. */
export class RegistryError extends PycontainerError {
  /** HTTP status, when the registry answered. */
  readonly status: number | undefined;
  /** Whether retrying may help (429, 5xx, resets). */
  readonly temporary: boolean;

  constructor(code: string, message: string, options: { status?: number; temporary?: boolean; exitCode?: number; details?: string[]; cause?: unknown } = {}) {
    super(code, message, { ...options, exitCode: options.exitCode ?? (REGISTRY_INPUT_CODES.has(code) ? EXIT.input : EXIT.network) });
    this.status = options.status;
    this.temporary = options.temporary ?? false;
  }
}
