/**
 * STAND-IN (branch resolve-index only): resolve-core's resolver replaces this file at merge. It picks,
 * for every name, the preferred version when it fits, else the newest that satisfies every specifier
 * seen so far, and starts over when a later specifier rules out a choice (no conflict learning).
 */
import { ConfigError } from '../../errors.js';
import { evaluateMarker } from '../markers.js';
import { parseRequirement, type Requirement } from '../locks/model.js';
import { compareVersions, satisfies } from '../version.js';
import type { Candidate, ResolvedPackage, Resolution, ResolveOptions, ResolverProvider } from './types.js';

export async function resolve(provider: ResolverProvider, options: ResolveOptions): Promise<Resolution> {
  const banned = new Map<string, Set<string>>();
  for (let round = 0; round < 50; round++) {
    const result = await attempt(provider, options, banned);
    if ('packages' in result) return result;
    let set = banned.get(result.name);
    if (!set) banned.set(result.name, (set = new Set()));
    if (set.has(result.version)) break;
    set.add(result.version);
  }
  throw new ConfigError('E_RESOLVE', 'no set of versions satisfies the requirements');
}

interface State {
  version: string;
  extras: Set<string>;
  requiredBy: Set<string>;
  specs: { spec: string; from: string }[];
}

async function attempt(provider: ResolverProvider, options: ResolveOptions, banned: Map<string, Set<string>>): Promise<Resolution | { name: string; version: string }> {
  const chosen = new Map<string, State>();
  const constraints = new Map<string, string[]>();
  for (const c of options.constraints ?? []) {
    const r = parseRequirement(c.requirement);
    if (r.marker && !evaluateMarker(r.marker, options.env)) continue;
    if (r.specifier) constraints.set(r.name, [...(constraints.get(r.name) ?? []), r.specifier]);
  }
  const queue: { req: Requirement; from: string }[] = [];
  for (const root of options.roots) {
    const r = parseRequirement(root.requirement);
    if (r.marker && !evaluateMarker(r.marker, options.env)) continue;
    queue.push({ req: r, from: root.source });
  }
  while (queue.length) {
    const { req, from } = queue.shift()!;
    let state = chosen.get(req.name);
    if (state) {
      state.requiredBy.add(from);
      if (req.specifier) state.specs.push({ spec: req.specifier, from });
      if (req.specifier && !satisfies(state.version, req.specifier, { prereleases: true })) return { name: req.name, version: state.version };
      const added = req.extras.filter((e) => !state!.extras.has(e));
      if (added.length === 0) continue;
      for (const e of added) state.extras.add(e);
      await expand(req.name, state, added);
      continue;
    }
    const specs = [req.specifier, ...(constraints.get(req.name) ?? [])].filter((s) => s !== '');
    const candidates = (await provider.versions(req.name)).filter((c) => !banned.get(req.name)?.has(c.version));
    const pick = choose(candidates, specs, options, req.name);
    if (!pick) throw new ConfigError('E_RESOLVE', `${from}: no version of ${req.name}${req.specifier} fits Python ${options.pythonVersion}`);
    state = { version: pick.version, extras: new Set(req.extras), requiredBy: new Set([from]), specs: req.specifier ? [{ spec: req.specifier, from }] : [] };
    chosen.set(req.name, state);
    await expand(req.name, state, ['']);
    if (req.extras.length) await expand(req.name, state, req.extras);
  }
  const packages: ResolvedPackage[] = [...chosen.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, s]) => ({ name, version: s.version, extras: [...s.extras].sort(), requiredBy: [...s.requiredBy].sort() }));
  return { packages };

  async function expand(name: string, state: State, extras: string[]): Promise<void> {
    const meta = await provider.metadata(name, state.version);
    for (const line of meta.requiresDist) {
      const r = parseRequirement(line);
      const base = r.marker === undefined || evaluateMarker(r.marker, options.env);
      const withExtras = extras.includes('') ? base : r.marker !== undefined && !base && evaluateMarker(r.marker, options.env, extras);
      if (withExtras) queue.push({ req: r, from: name });
    }
  }
}

function choose(candidates: Candidate[], specs: string[], options: ResolveOptions, name: string): Candidate | undefined {
  const explicitPre = specs.some((s) => /\d(a|b|rc|dev)\d*/i.test(s));
  const fits = (c: Candidate, pre: boolean) =>
    specs.every((s) => satisfies(c.version, s, { prereleases: pre })) &&
    (!c.yanked || specs.some((s) => /^===?[^,*]+$/.test(s))) &&
    (!c.requiresPython || safeSatisfies(options.pythonVersion, c.requiresPython));
  const sorted = [...candidates].sort((a, b) => compareVersions(b.version, a.version));
  const preferred = options.preferences?.get(name);
  const allowPre = options.prereleases === 'allow' || explicitPre;
  const pref = preferred ? sorted.find((c) => c.version === preferred && fits(c, true)) : undefined;
  if (pref) return pref;
  return sorted.find((c) => fits(c, allowPre) && (allowPre || !/[a-z]/i.test(c.version.replace(/post\d*/i, '')))) ?? (options.prereleases === 'disallow' ? undefined : sorted.find((c) => fits(c, true)));
}

function safeSatisfies(version: string, spec: string): boolean {
  try {
    return satisfies(version, spec, { prereleases: true });
  } catch {
    return true;
  }
}
