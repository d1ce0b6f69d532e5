import { Option } from 'clipanion';
import type { FlagValues } from '../config/merge.js';

/**
 * The flags that shape a plan, shared by `plan` and `build` (names as in the original tool). Mixed into
 * command classes as fields.
 */
export function planFlags() {
  return {
    contextDir: Option.String('--context,-C', { description: 'Project directory (default: .)' }),
    configFile: Option.String('--config,-c', { description: 'pycontainer.toml to read (default: <context>/pycontainer.toml)' }),
    tag: Option.Array('--tag,-t', { description: 'Image reference to tag (repeatable)' }),
    baseImage: Option.String('--base-image', { description: 'Base image: oci:PATH[:TAG] or scratch (registry references need registry support)' }),
    workdir: Option.String('--workdir', { description: 'Directory in the image for the project (default /app)' }),
    env: Option.Array('--env,-e', { description: 'KEY=VALUE set in the image (repeatable)' }),
    platform: Option.Array('--platform', { description: 'Target platform(s), e.g. linux/amd64,linux/arm64 (repeatable)' }),
    includeDeps: Option.Boolean('--include-deps', { description: 'Install locked dependencies into the image venv' }),
    requirements: Option.String('--requirements', { description: 'Requirements file to read (default requirements.txt)' }),
    reproducible: Option.Boolean('--reproducible', { description: '--no-reproducible stamps the build time into the config' }),
    user: Option.String('--user', { description: 'User to run as (default 65532:65532; "root" for root)' }),
  };
}

type PlanFlagFields = { [K in keyof ReturnType<typeof planFlags>]: ReturnType<typeof planFlags>[K] };

export function flagValues(cmd: PlanFlagFields & { output?: string | undefined }): FlagValues {
  const out: FlagValues = {};
  if (cmd.tag?.length) out.tag = cmd.tag;
  if (cmd.baseImage !== undefined) out.baseImage = cmd.baseImage;
  if (cmd.workdir !== undefined) out.workdir = cmd.workdir;
  if (cmd.env?.length) out.env = cmd.env;
  if (cmd.platform?.length) out.platform = cmd.platform;
  if (cmd.includeDeps !== undefined) out.includeDeps = cmd.includeDeps;
  if (cmd.requirements !== undefined) out.requirements = cmd.requirements;
  if (cmd.reproducible !== undefined) out.reproducible = cmd.reproducible;
  if (cmd.user !== undefined) out.user = cmd.user;
  return out;
}
