import { Option } from 'clipanion';
import type { FlagValues } from '../config/merge.js';
import { join, resolve } from 'node:path';
import { BlobCache } from '../cache/store.js';
import type { Plan } from '../../generated/plan.js';
import { DEFAULT_PLAN_FILE, readPlan, readPlanPins } from '../plan/file.js';
import { BaseCommand } from './base.js';
import { registryClient, registryOf } from './registry.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type CommandClass = abstract new (...args: any[]) => BaseCommand;

/** Adds registry access options: insecure hosts and explicit credentials. */
export function withRegistryOptions<T extends CommandClass>(Base: T) {
  abstract class WithRegistry extends Base {
    insecureRegistry = Option.Array('--insecure-registry', { description: 'Allow plain HTTP to this registry host (repeatable; loopback hosts always may)' });
    username = Option.String('--username,-u', { description: 'User name for the registry pushed to' });
    passwordStdin = Option.Boolean('--password-stdin', false, { description: 'Read the password for --username from standard input' });
    password = Option.String('--password', { description: 'Password for --username (visible to other users: prefer --password-stdin)' });
  }
  return WithRegistry;
}

/**
 * A command that compiles a plan: the flags that shape it (names as in the original tool), shared by
 * `plan` and `build`.
 */
export abstract class PlanningCommand extends withRegistryOptions(BaseCommand) {
  contextDir = Option.String('--context,-C', { description: 'Project directory (default: .)' });
  configFile = Option.String('--config,-c', { description: 'pycontainer.toml to read (default: <context>/pycontainer.toml)' });
  tag = Option.Array('--tag,-t', { description: 'Image reference to tag (repeatable)' });
  baseImage = Option.String('--base-image', { description: 'Base image: a registry reference (python:3.12-slim), oci:PATH[:TAG] or scratch' });
  workdir = Option.String('--workdir', { description: 'Directory in the image for the project (default /app)' });
  env = Option.Array('--env,-e', { description: 'KEY=VALUE set in the image (repeatable)' });
  platform = Option.Array('--platform', { description: 'Target platform(s), e.g. linux/amd64,linux/arm64 (repeatable)' });
  includeDeps = Option.Boolean('--include-deps', { description: 'Install the locked dependencies into the image venv (--no-include-deps: build without them; the base image must provide them)' });
  requirements = Option.String('--requirements', { description: 'Requirements file to read (default requirements.txt)' });
  reproducible = Option.Boolean('--reproducible', { description: '--no-reproducible stamps the build time into the config' });
  user = Option.String('--user', { description: 'User to run as (default 65532:65532; "root" for root)' });
  registry = Option.String('--registry', {
    description: 'Where to push: a full repository (ghcr.io/org/app: tagged ghcr.io/org/app:<version>), a full reference (ghcr.io/org/app:1.0), or a prefix (ghcr.io, ghcr.io/org/); plan --explain says how it was read',
  });
  offline = Option.Boolean('--offline', false, { description: 'Do not contact registries: take the base image pinned in the existing plan' });
  upgrade = Option.Boolean('--upgrade', false, { description: 'Re-resolve every pin of the committed plan (base image digests, resolved dependency versions)' });
  upgradePackage = Option.Array('--upgrade-package', { description: 'Re-resolve this dependency instead of keeping the committed plan\'s version (repeatable; projects without a lock)' });
  upgradeBase = Option.Boolean('--upgrade-base', false, { description: 'Re-resolve the base image tag instead of keeping the committed digest' });

  /** The flags as the config merge takes them. */
  flagValues(): FlagValues {
    const out: FlagValues = {};
    if (this.tag?.length) out.tag = this.tag;
    if (this.baseImage !== undefined) out.baseImage = this.baseImage;
    if (this.workdir !== undefined) out.workdir = this.workdir;
    if (this.env?.length) out.env = this.env;
    if (this.platform?.length) out.platform = this.platform;
    if (this.includeDeps !== undefined) out.includeDeps = this.includeDeps;
    if (this.requirements !== undefined) out.requirements = this.requirements;
    if (this.reproducible !== undefined) out.reproducible = this.reproducible;
    if (this.user !== undefined) out.user = this.user;
    if (this.registry !== undefined) out.registry = this.registry;
    return out;
  }

  /** compilePlan's options from the flags, with a registry client for the base image. */
  async compileOptions() {
    return {
      ...(this.contextDir !== undefined ? { context: this.contextDir } : {}),
      ...(this.configFile !== undefined ? { config: this.configFile } : {}),
      flags: this.flagValues(),
      registry: await registryClient(this, () => this.explicitRegistry()),
      ...(this.offline ? { offline: await this.pinnedPlan() } : {}),
      ...(await this.pinsOption()),
      ...(this.upgradePackage?.length ? { upgradePackages: this.upgradePackage } : {}),
      ...this.cacheOption(),
      onWarning: (m: string) => this.warn(m),
    };
  }

  /** build's --no-cache / --cache-dir also govern the cache plan uses for base layers and wheels. */
  cacheOption(): { cache?: BlobCache | null } {
    const own = this as { noCache?: boolean; cacheDir?: string };
    if (own.noCache) return { cache: null };
    return own.cacheDir ? { cache: new BlobCache(resolve(own.cacheDir)) } : {};
  }

  /** The committed plan file: the plan being refreshed (`plan -o`), else pycontainer.plan.json in the project. */
  committedPlanPath(): string {
    return (this as { out?: string }).out ?? join(this.contextDir ?? '.', DEFAULT_PLAN_FILE);
  }

  /** The committed plan, when there is one and it is readable. */
  async committedPlan(): Promise<Plan | undefined> {
    try {
      return await readPlan(this.committedPlanPath());
    } catch {
      return undefined;
    }
  }

  /** The committed plan's pins (base digests, dependency versions): readPlanPins, without its app layers. */
  async committedPins(): Promise<Plan | undefined> {
    try {
      return await readPlanPins(this.committedPlanPath());
    } catch {
      return undefined;
    }
  }

  /** The plan --offline takes pins from. */
  async pinnedPlan(): Promise<{ pinned: Plan | undefined; source: string }> {
    return { pinned: await this.committedPins(), source: this.committedPlanPath() };
  }

  /** Whether pins are re-resolved rather than kept. */
  upgradeAll(): boolean {
    return this.upgrade || this.upgradeBase;
  }

  /** Keep the committed plan's pins (like a lock file) unless asked to upgrade. */
  async pinsOption(): Promise<{ pins?: Plan }> {
    if (this.upgradeAll()) return {};
    const pins = await this.committedPins();
    return pins ? { pins } : {};
  }

  /** The registry --username is for: --registry's host, else the first --tag's, else the base image's. */
  explicitRegistry(): string | undefined {
    if (this.registry) {
      const url = this.registry.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
      // A host alone (ghcr.io, localhost:5000), else the reference's registry (docker.io for user/app).
      return url.includes('/') ? registryOf(url) : url;
    }
    const tagged = this.tag?.find((t) => registryOf(t) && t.includes('/'));
    return registryOf(tagged) ?? (this.baseImage && !this.baseImage.startsWith('oci:') && this.baseImage !== 'scratch' ? registryOf(this.baseImage) : undefined);
  }
}


/** Adds the options of commands that write an image (`apply`, `build`). */
export function withApplyOptions<T extends CommandClass>(Base: T) {
  abstract class Applying extends Base {
    output = Option.String('--output,-o', { description: "Where to write the image: oci:DIR or DIR (a layout), oci-archive:FILE, docker-archive:FILE (for docker/podman load; one platform) (default: the plan's output, dist/image)" });
    noCache = Option.Boolean('--no-cache', false, { description: 'Do not read or write the layer cache' });
    cacheDir = Option.String('--cache-dir', { description: 'Cache directory (default $XDG_CACHE_HOME/pycontainer)' });
    quiet = Option.Boolean('--quiet,-q', false, { description: 'Print nothing but errors' });
    json = Option.Boolean('--json', false, { description: 'Print the result (image digest, tags, layers) as JSON' });
    progress = Option.Boolean('--progress', true, { description: '--no-progress: show no progress, only the result' });
    push = Option.Boolean('--push', false, { description: 'Push to the registries the tags name (without --output, no local layout is written)' });
    cacheFrom = Option.Array('--cache-from', { description: 'With --push: images (registry references) whose layers are reused instead of built when their diff_ids match; the tags pushed are always looked at' });
  }
  return Applying;
}

