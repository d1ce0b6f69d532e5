/**
 * OCI platforms (`os/architecture[/variant]`) and how they are compared. Users write `linux/arm64`;
 * real indexes (Docker Hub's official images) list `linux/arm64` with `variant: v8`. We compare the
 * way containerd does: both sides normalized, so arm64 without a variant is v8, arm without one is v7
 * and amd64 v1 is plain amd64. What we write keeps the base image's own spelling (see keepBaseVariant).
 */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

const KNOWN_OS = new Set(['linux', 'windows', 'darwin', 'freebsd']);
const KNOWN_ARCH = new Set(['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x', 'riscv64', 'mips64le', 'loong64']);
/** Architecture spellings of uname, Debian and others, with the variant they imply (if any). */
const ALIASES: Record<string, [string, string?]> = {
  x86_64: ['amd64'],
  'x86-64': ['amd64'],
  aarch64: ['arm64'],
  armhf: ['arm', 'v7'],
  armel: ['arm', 'v6'],
  i386: ['386'],
};

/**
 * The canonical form of a platform, for comparing: lower case, arm64 v8 (or none) as no variant,
 * arm64 v9 as `v9`, arm with none as `v7`, arm `N` as `vN`, amd64 `v1` as none. Pure.
 */
export function normalizePlatform(p: Platform): Platform {
  const os = p.os.toLowerCase();
  const alias = ALIASES[p.architecture.toLowerCase()];
  const architecture = alias?.[0] ?? p.architecture.toLowerCase();
  let variant = (alias?.[1] ?? p.variant)?.toLowerCase() || undefined;
  if (architecture === 'arm64') {
    if (variant === '8' || variant === 'v8' || variant === 'v8.0') variant = undefined;
    else if (variant === '9' || variant === '9.0' || variant === 'v9.0') variant = 'v9';
  } else if (architecture === 'arm') {
    if (variant === undefined || variant === '7') variant = 'v7';
    else if (variant === '5' || variant === '6' || variant === '8') variant = `v${variant}`;
  } else if (architecture === 'amd64') {
    if (variant === 'v1') variant = undefined;
  } else if (architecture === '386') {
    variant = undefined;
  }
  return variant ? { os, architecture, variant } : { os, architecture };
}

/**
 * Parses `linux/amd64`, `linux/arm64/v8`, `linux/arm/v7` into the normalized form (so `linux/arm64`
 * and `linux/arm64/v8` are one platform). Returns an error message instead of throwing so callers can
 * attach the flag or key that held the value.
 */
export function parsePlatform(text: string): Platform | { error: string } {
  const parts = text.trim().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    return { error: `invalid platform "${text}": expected os/arch[/variant], e.g. linux/amd64` };
  }
  const rawArch = parts[1]!.toLowerCase();
  const p = normalizePlatform({ os: parts[0]!, architecture: rawArch, ...(parts[2] ? { variant: parts[2] } : {}) });
  if (!KNOWN_OS.has(p.os)) return { error: `invalid platform "${text}": unknown os "${p.os}" (use linux)` };
  if (!KNOWN_ARCH.has(p.architecture)) {
    return { error: `invalid platform "${text}": unknown architecture "${rawArch}" (known: ${[...KNOWN_ARCH].join(', ')})` };
  }
  if (p.os !== 'linux') return { error: `invalid platform "${text}": only linux images can run Python from a wheel venv` };
  return p;
}

export function formatPlatform(p: Platform): string {
  return p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
}

/** Splits `os/arch[/variant]` as the plan writes it, without normalizing (the plan's own spelling). */
export function splitPlatform(text: string): Platform {
  const [os = '', architecture = '', variant] = text.split('/');
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** Whether an image of platform `have` (an index entry, a config) is the `wanted` one: equal once normalized. */
export function platformMatches(wanted: Platform | string, have: Platform | string): boolean {
  const a = normalizePlatform(typeof wanted === 'string' ? splitPlatform(wanted) : wanted);
  const b = normalizePlatform(typeof have === 'string' ? splitPlatform(have) : have);
  return a.os === b.os && a.architecture === b.architecture && a.variant === b.variant;
}

/**
 * The target platforms as the base image spells them: `linux/arm64` becomes `linux/arm64/v8` when the
 * base's index entry says v8, so the image config and the index we write carry the same variant as the
 * base (as a Dockerfile FROM would). Platforms the base has no image for (scratch) stay as given. Pure.
 */
export function keepBaseVariant(wanted: Platform[], baseImages: readonly { platform: string }[] | undefined): Platform[] {
  return wanted.map((p) => {
    const match = baseImages?.find((i) => platformMatches(p, i.platform));
    if (!match) return p;
    const own = splitPlatform(match.platform);
    return own.variant ? { ...p, variant: own.variant } : { os: p.os, architecture: p.architecture };
  });
}
