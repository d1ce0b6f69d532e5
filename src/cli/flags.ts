import { Option } from 'clipanion';
import type { FlagValues } from '../config/merge.js';
import { BaseCommand } from './base.js';

/**
 * A command that compiles a plan: the flags that shape it (names as in the original tool), shared by
 * `plan` and `build`.
 */
export abstract class PlanningCommand extends BaseCommand {
  contextDir = Option.String('--context,-C', { description: 'Project directory (default: .)' });
  configFile = Option.String('--config,-c', { description: 'pycontainer.toml to read (default: <context>/pycontainer.toml)' });
  tag = Option.Array('--tag,-t', { description: 'Image reference to tag (repeatable)' });
  baseImage = Option.String('--base-image', { description: 'Base image: oci:PATH[:TAG] or scratch (registry references need registry support)' });
  workdir = Option.String('--workdir', { description: 'Directory in the image for the project (default /app)' });
  env = Option.Array('--env,-e', { description: 'KEY=VALUE set in the image (repeatable)' });
  platform = Option.Array('--platform', { description: 'Target platform(s), e.g. linux/amd64,linux/arm64 (repeatable)' });
  includeDeps = Option.Boolean('--include-deps', { description: 'Install locked dependencies into the image venv (not in this version)' });
  requirements = Option.String('--requirements', { description: 'Requirements file to read (default requirements.txt)' });
  reproducible = Option.Boolean('--reproducible', { description: '--no-reproducible stamps the build time into the config' });
  user = Option.String('--user', { description: 'User to run as (default 65532:65532; "root" for root)' });

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
    return out;
  }

  /** compilePlan's options from the flags. */
  compileOptions() {
    return {
      ...(this.contextDir !== undefined ? { context: this.contextDir } : {}),
      ...(this.configFile !== undefined ? { config: this.configFile } : {}),
      flags: this.flagValues(),
      onWarning: (m: string) => this.warn(m),
    };
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type CommandClass = abstract new (...args: any[]) => BaseCommand;

/** Adds the options of commands that write an image (`apply`, `build`). */
export function withApplyOptions<T extends CommandClass>(Base: T) {
  abstract class Applying extends Base {
    output = Option.String('--output,-o', { description: "Where to write the image: oci:DIR or DIR (a layout), oci-archive:FILE (default: the plan's output, dist/image)" });
    noCache = Option.Boolean('--no-cache', false, { description: 'Do not read or write the layer cache' });
    cacheDir = Option.String('--cache-dir', { description: 'Cache directory (default $XDG_CACHE_HOME/pycontainer)' });
    quiet = Option.Boolean('--quiet,-q', false, { description: 'Print nothing but errors' });
    json = Option.Boolean('--json', false, { description: 'Print the result (image digest, tags, layers) as JSON' });
    push = Option.Boolean('--push', false, { description: 'Push to a registry (needs registry support, not in this version)' });
  }
  return Applying;
}
