import type { Plan } from '../../generated/plan.js';

/** Human units: 1.2 kB, 3.4 MB (decimal, as registries show sizes). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  do {
    v /= 1000;
    u++;
  } while (v >= 1000 && u < units.length - 1);
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/**
 * A readable summary of a plan: base, platforms, layers with file counts and sizes, the command,
 * ports, user and environment. What `plan` prints without -o and `build --dry-run` shows.
 */
export function summarizePlan(plan: Plan): string {
  const lines: string[] = [];
  const image = plan.images[0]!;
  const cfg = image.config.config ?? {};
  lines.push(`${plan.project.name} ${plan.project.version} → ${plan.tags.join(', ')}`);
  lines.push(`  base       ${plan.base.ref}${plan.base.digest ? `@${plan.base.digest}` : ''}`);
  lines.push(`  platforms  ${plan.platforms.join(', ')}`);
  lines.push(`  python     ${plan.python.version} (${plan.python.interpreter}, venv ${plan.python.venv})`);
  lines.push('  layers');
  for (const b of plan.base.images) {
    const size = b.layers.reduce((s, l) => s + l.size, 0);
    lines.push(`    base     ${b.layers.length} layer${b.layers.length === 1 ? '' : 's'}, ${formatBytes(size)} compressed (${b.platform})`);
  }
  for (const deps of plan.dependencies ?? []) {
    const bytes = deps.packages.reduce((s, p) => s + p.size, 0);
    const tar = deps.layers.reduce((s, l) => s + l.size, 0);
    const count = deps.layers.length;
    lines.push(`    deps     ${deps.packages.length} wheels, ${formatBytes(bytes)} from ${deps.lock} (${count === 1 ? 'tar' : `${count} layers, tar`} ${formatBytes(tar)}, ${deps.platform}, ${deps.target.libc})`);
    // One line per layer when there are several: which packages went where.
    if (count > 1) for (const l of deps.layers) lines.push(`      ${l.name.padEnd(16)} ${formatNames(l.packages)} (tar ${formatBytes(l.size)}, ${l.diffId.slice(0, 19)})`);
  }
  for (const layer of plan.layers) {
    const files = layer.entries.filter((e) => e.type === 'file');
    const bytes = files.reduce((s, e) => s + (e.size ?? 0), 0);
    lines.push(`    ${layer.name.padEnd(8)} ${files.length} files, ${formatBytes(bytes)} (tar ${formatBytes(layer.size)}, ${layer.diffId.slice(0, 19)})`);
  }
  if (cfg.Entrypoint?.length) lines.push(`  entrypoint ${JSON.stringify(cfg.Entrypoint)}`);
  if (cfg.Cmd?.length) lines.push(`  cmd        ${JSON.stringify(cfg.Cmd)}`);
  lines.push(`  workdir    ${cfg.WorkingDir ?? '/'}`);
  lines.push(`  user       ${cfg.User ?? 'root (base default)'}`);
  const ports = Object.keys(cfg.ExposedPorts ?? {});
  lines.push(`  ports      ${ports.length ? ports.join(', ') : 'none'}`);
  lines.push('  env');
  for (const e of cfg.Env ?? []) lines.push(`    ${e}`);
  for (const i of plan.images) lines.push(`  config     ${i.platform} ${i.configDigest}`);
  return `${lines.join('\n')}\n`;
}

/** `a, b, c and 4 more`. */
function formatNames(names: string[]): string {
  const shown = names.slice(0, 4);
  return `${shown.join(', ')}${names.length > shown.length ? ` and ${names.length - shown.length} more` : ''}`;
}
