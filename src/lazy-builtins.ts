/**
 * Node built-ins that most runs never use, loaded on first use. A warm `plan` and an unchanged push
 * would otherwise load node:child_process (and dgram, which it pulls in) and node:http (with net and
 * the HTTP server) at every start, for a git call, a credential helper or an error message's reason
 * phrase that they never need: about 10 ms of a 0.5 s run.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/** node:child_process, loaded when first asked for. */
export function childProcess(): typeof import('node:child_process') {
  return load('node:child_process') as typeof import('node:child_process');
}

/** The reason phrase of an HTTP status code (`404` → `Not Found`), or '' for an unknown one. */
export function statusText(status: number): string {
  return (load('node:http') as typeof import('node:http')).STATUS_CODES[status] ?? '';
}
