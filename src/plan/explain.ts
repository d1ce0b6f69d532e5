import type { Plan } from '../../generated/plan.js';

/**
 * `plan --explain`: every resolved setting the plan records a provenance for, its value as the plan
 * states it, and where it came from (a flag, `pycontainer.toml:12`, `pyproject.toml:7`, detection, the
 * base image, a default). Pure; columns aligned.
 */
export function explainPlan(plan: Plan): string {
  const rows: [string, string, string][] = [['setting', 'value', 'from']];
  for (const key of Object.keys(plan.provenance).sort(byGroup)) {
    rows.push([key, settingValue(plan, key), plan.provenance[key]!]);
  }
  // Long values would push every source far right: cap the value column, let longer ones overflow.
  const keyWidth = Math.max(...rows.map((r) => r[0].length));
  const valueWidth = Math.min(48, Math.max(...rows.map((r) => r[1].length)));
  const lines = rows.map(([k, v, from]) => {
    const value = v.length > valueWidth ? `${v}  ` : v.padEnd(valueWidth + 2);
    return `${k.padEnd(keyWidth + 2)}${value}${from}`.trimEnd();
  });
  return `${lines.join('\n')}\n`;
}

/** python first, then build.* (env and labels after the scalar settings), then registry.*. */
function byGroup(a: string, b: string): number {
  const rank = (k: string) => (k === 'python' ? 0 : /^build\.(env|labels)\./.test(k) ? 2 : k.startsWith('build.') ? 1 : 3);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** A setting's resolved value, read from the plan (never from the configuration). */
export function settingValue(plan: Plan, key: string): string {
  const cfg = plan.images[0]?.config.config ?? {};
  const list = (xs: string[] | undefined) => (xs && xs.length ? xs.join(', ') : 'none');
  const json = (xs: string[] | undefined) => (xs ? JSON.stringify(xs) : 'none');
  const env = /^build\.env\.(.+)$/.exec(key);
  if (env) {
    const entry = cfg.Env?.find((e) => e.startsWith(`${env[1]}=`));
    return entry ?? `${env[1]} (not set)`;
  }
  const label = /^build\.labels\.(.+)$/.exec(key);
  if (label) return cfg.Labels?.[label[1]!] ?? '(not set)';
  switch (key) {
    case 'python':
      return plan.python.version;
    case 'build.workdir':
      return cfg.WorkingDir ?? '/';
    case 'build.base_image':
      return plan.base.digest ? `${plan.base.ref}@${plan.base.digest}` : plan.base.ref;
    case 'build.platforms':
    case 'build.platform':
      return list(plan.platforms);
    case 'build.tags':
    case 'build.tag':
      return list(plan.tags);
    case 'build.user':
      return cfg.User ?? 'root (base default)';
    case 'build.exposed_ports':
      return list(Object.keys(cfg.ExposedPorts ?? {}));
    case 'build.entrypoint':
    case 'build.cmd': {
      // Detection sets either; show what the image runs.
      const parts: string[] = [];
      if (cfg.Entrypoint?.length) parts.push(`entrypoint ${json(cfg.Entrypoint)}`);
      if (cfg.Cmd?.length) parts.push(`cmd ${json(cfg.Cmd)}`);
      if (key === 'build.cmd' && cfg.Cmd?.length) return json(cfg.Cmd);
      if (key === 'build.entrypoint' && cfg.Entrypoint?.length && !cfg.Cmd?.length) return json(cfg.Entrypoint);
      return parts.join(' ') || 'none (base image default)';
    }
    case 'build.include_paths':
      return list(plan.layers[0]?.include);
    case 'build.exclude':
      return list(plan.layers[0]?.exclude);
    case 'build.output':
      return plan.output;
    case 'build.include_deps': {
      const n = plan.dependencies?.[0]?.packages.length ?? 0;
      return plan.dependencies?.length ? `true (${n} package${n === 1 ? '' : 's'})` : 'false';
    }
    case 'build.layers': {
      // What the plan holds (the thresholds are config; the cut is here).
      const deps = plan.dependencies?.[0]?.layers.map((l) => l.name) ?? [];
      return `${plan.layers.map((l) => l.name).join(', ')}${deps.length ? `; ${deps.length === 1 ? deps[0] : `${deps.length} dependency layers`}${(plan.dependencies?.length ?? 0) > 1 ? ' per platform' : ''}` : ''}`;
    }
    case 'build.requirements':
      return plan.dependencies?.[0]?.lock ?? '(no dependency layer)';
    case 'build.reproducible':
      return `created ${plan.images[0]?.config.created ?? '?'}`;
    case 'registry.url':
      return list(plan.tags);
    default:
      return key.startsWith('registry.') || /^build\.(cache|cache_dir|sbom)$/.test(key) ? '(used by apply)' : '—';
  }
}
