import { ConfigError } from '../errors.js';
import { RegistryClient } from '../registry/client.js';
import { findCredential, type Credential } from '../registry/credentials.js';
import { parseReference } from '../registry/reference.js';
import type { BaseCommand } from './base.js';

interface RegistryFlags {
  insecureRegistry?: string[] | undefined;
  username?: string | undefined;
  passwordStdin: boolean;
  password?: string | undefined;
}

/** Reads all of standard input (for --password-stdin), without the trailing newline. */
async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text.replace(/\r?\n$/, '');
}

/**
 * The registry client of a command: insecure hosts from --insecure-registry, credentials from the
 * usual places, and --username with --password-stdin (or --password) for `explicitFor`, the one registry
 * they are meant for — never sent to any other.
 */
export async function registryClient(cmd: BaseCommand & RegistryFlags, explicitFor: () => string | undefined): Promise<RegistryClient> {
  let explicit: Credential | undefined;
  let explicitRegistry: string | undefined;
  if (cmd.password !== undefined || cmd.passwordStdin) {
    if (!cmd.username) throw new ConfigError('E_CREDENTIALS', '--password/--password-stdin need --username');
  }
  if (cmd.username !== undefined) {
    if (cmd.password !== undefined) {
      cmd.warn('--password on the command line is visible to other users of this machine; use --password-stdin');
    } else if (!cmd.passwordStdin) {
      throw new ConfigError('E_CREDENTIALS', '--username needs a password: pipe it to --password-stdin (or set REGISTRY_USERNAME and REGISTRY_PASSWORD)');
    }
    const password = cmd.password ?? (await readStdin(cmd.context.stdin));
    if (!password) throw new ConfigError('E_CREDENTIALS', '--password-stdin: standard input was empty');
    explicitRegistry = explicitFor();
    if (!explicitRegistry) throw new ConfigError('E_CREDENTIALS', '--username: name the registry it is for with --registry or a --tag that includes the registry host');
    explicit = { kind: 'basic', username: cmd.username, password, source: '--username' };
  }
  // PYCONTAINER_CHUNK_SIZE: upload blobs larger than this many bytes in chunks of this size.
  const chunk = Number(process.env.PYCONTAINER_CHUNK_SIZE ?? '');
  return new RegistryClient({
    ...(Number.isInteger(chunk) && chunk > 0 ? { chunkThreshold: chunk, chunkSize: chunk } : {}),
    insecure: cmd.insecureRegistry ?? [],
    credential: async (registry) => (explicit && registry === explicitRegistry ? explicit : findCredential(registry)),
    ...(cmd.verbose ? { onRequest: (line: string) => cmd.context.stderr.write(`  http: ${line}\n`) } : {}),
  });
}

/** The registry host of a reference, or undefined when it is not a valid one. */
export function registryOf(reference: string | undefined): string | undefined {
  if (!reference) return undefined;
  try {
    return parseReference(reference).registry;
  } catch {
    return undefined;
  }
}
