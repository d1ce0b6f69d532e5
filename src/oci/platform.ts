/** An OCI platform, as written in `os/architecture[/variant]`. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

const KNOWN_OS = new Set(['linux', 'windows', 'darwin', 'freebsd']);
const KNOWN_ARCH = new Set(['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x', 'riscv64', 'mips64le', 'loong64']);
const ALIASES: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64', 'x86-64': 'amd64', armhf: 'arm', i386: '386' };

/**
 * Parses `linux/amd64`, `linux/arm64/v8`, `linux/arm/v7`. Returns an error message instead of throwing so
 * callers can attach the flag or key that held the value.
 */
export function parsePlatform(text: string): Platform | { error: string } {
  const parts = text.trim().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    return { error: `invalid platform "${text}": expected os/arch[/variant], e.g. linux/amd64` };
  }
  const os = parts[0]!.toLowerCase();
  const rawArch = parts[1]!.toLowerCase();
  const architecture = ALIASES[rawArch] ?? rawArch;
  if (!KNOWN_OS.has(os)) return { error: `invalid platform "${text}": unknown os "${os}" (use linux)` };
  if (!KNOWN_ARCH.has(architecture)) {
    return { error: `invalid platform "${text}": unknown architecture "${rawArch}" (known: ${[...KNOWN_ARCH].join(', ')})` };
  }
  if (os !== 'linux') return { error: `invalid platform "${text}": only linux images can run Python from a wheel venv` };
  let variant: string | undefined = parts[2]?.toLowerCase();
  // arm64 images are v8 unless said otherwise; drop the default so linux/arm64 and linux/arm64/v8 match.
  if (architecture === 'arm64' && variant === 'v8') variant = undefined;
  return variant ? { os, architecture, variant } : { os, architecture };
}

export function formatPlatform(p: Platform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

export function platformMatches(wanted: Platform, have: Platform): boolean {
  const haveVariant = have.architecture === 'arm64' && have.variant === 'v8' ? undefined : have.variant;
  return (
    wanted.os === have.os &&
    wanted.architecture === have.architecture &&
    (wanted.variant === undefined || wanted.variant === haveVariant)
  );
}
