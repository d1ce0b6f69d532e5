/* Generated from schema/ by `npm run generate`. Do not edit. */

/**
 * Take org.opencontainers.image.revision (HEAD's commit), .created (its commit time, unless SOURCE_DATE_EPOCH is set) and .source (the origin remote's URL, without credentials) from git. Off by default: they change with every commit, so a committed plan would never pass plan --check; turn it on where the plan is made and applied in one go (pycontainer build in CI).
 */
export type AnnotationsFromGit = boolean;
/**
 * The image to build on: a registry reference (python:3.12-slim, ghcr.io/org/py@sha256:...), a local OCI layout (oci:PATH[:TAG], PATH relative to the context) or scratch. Default: python:<version>-slim, where the version comes from requires-python.
 */
export type BaseImage = string;
/**
 * Absolute directory in the image that receives the project's files and is the container's working directory. No ".." segments.
 */
export type WorkingDirectory = string;
/**
 * Install the project's locked dependencies (pylock.toml, uv.lock or a uv workspace root's, poetry.lock, pdm.lock, or a pinned requirements file) into the venv at <workdir>/.venv, in their own layer below the application. Default: installed when the project has a lock; a project that declares dependencies and has none fails to plan. false: build without them (the base image must provide them).
 */
export type IncludeDependencies = boolean;
/**
 * Dependency groups to install in addition to the project's main dependencies (PEP 735 [dependency-groups], Poetry groups, PDM groups, uv dev-dependencies). dev and test are never installed unless named here.
 */
export type DependencyGroups = string[];
/**
 * The project's optional-dependency extras to install ([project.optional-dependencies], [tool.poetry.extras]).
 */
export type Extras = string[];
/**
 * Normalize timestamps (SOURCE_DATE_EPOCH or 0), ownership and modes so the same inputs give the same image digest.
 */
export type Reproducible = boolean;
/**
 * Precompile the .py files of the dependency and application layers to __pycache__/*.pyc (PEP 552 unchecked-hash, deterministic), for faster start-up on read-only filesystems. Needs an interpreter of the target's minor version on the build host (python3.X on PATH, `uv python find`, or pyenv); the plan records its exact version.
 */
export type CompileBytecode = boolean;
/**
 * The image's Entrypoint (exec form). Default: detected from [project.scripts], __main__.py or the web framework.
 *
 * @minItems 1
 */
export type Entrypoint = string[];
/**
 * The image's Cmd: default arguments to the entrypoint (exec form).
 */
export type Cmd = string[];
/**
 * The user the container runs as: a numeric uid[:gid], or a name that exists in the base image. Default: the base image's own User when it is not root, else 65532:65532 (non-root). Use "root" to run as root.
 */
export type User = string;
/**
 * Paths relative to the workdir that the runtime user owns (files or directories, recursively; a missing directory is created, a missing file's directories are created so the app can make it). The workdir itself is always writable by any user (mode 1777: the app can add files, not replace the code).
 */
export type WritablePaths = string[];
/**
 * Ports the container listens on: numbers, or strings like "8080/tcp" or "53/udp". Default: the web framework's port when one is detected.
 */
export type ExposedPorts = (number | string)[];
/**
 * Files and directories (relative to the context) copied into the workdir. Default: detected (src/, app/, the package directory, pyproject.toml, requirements*.txt, lock files, manage.py).
 */
export type IncludePaths = string[];
/**
 * Extra ignore patterns (.dockerignore syntax), added to .dockerignore/.gitignore and the defaults.
 */
export type Exclude = string[];
/**
 * How the image's own layers are cut, so that a change rebuilds and re-pushes little. "auto" (default): application files of large_file or more that are not Python source (.py, .pyi, .pyw, .pyx, .pxd: data, models, assets) go in up to 4 `assets` layers below the code, by a hash of their path (so a changed data file rebuilds and re-pushes its group only); each dependency whose installed size is large_package or more gets a layer of its own, the others share up to 4 layers by a hash of their name (so adding, removing or upgrading one changes only its layer), and workspace members get a layer of their own; at most `max` layers of ours per platform (five are kept for the application: its asset groups and the code; fewer asset groups under a low max), the smallest large dependencies joining their group first. Dependency diff_ids are kept in the cache, so a `plan` with unchanged wheels builds nothing. "single": one dependency layer and one application layer. A table sets the thresholds: { strategy = "auto", large_file = "1MiB", large_package = "20MiB", max = 20 }.
 */
export type Layers =
  | ('auto' | 'single')
  | {
      /**
       * auto (split by how often things change) or single (one dependency layer, one application layer).
       */
      strategy?: 'auto' | 'single';
      /**
       * Application files this large or larger (and not code) go in the assets layers. Default 1MiB. A size: bytes as an integer, or a number with a unit (kB, MB, GB decimal; KiB, MiB, GiB binary), e.g. "1MiB".
       */
      large_file?: number | string;
      /**
       * Dependencies whose installed size is this large or larger get a layer of their own. Default 20MiB. A size: bytes as an integer, or a number with a unit (kB, MB, GB decimal; KiB, MiB, GiB binary), e.g. "1MiB".
       */
      large_package?: number | string;
      /**
       * The most layers pycontainer adds per platform (dependencies and application; containerd allows 127 in all, the base's included). Default 20.
       */
      max?: number;
    };
/**
 * One target platform, os/arch[/variant]. Use platforms for several.
 */
export type Platform = string;
/**
 * Target platforms; several give an OCI image index.
 *
 * @minItems 1
 */
export type Platforms = string[];
/**
 * Image reference to tag the result with. Default: <project name>:<project version>.
 */
export type Tag = string;
/**
 * Several image references to tag the result with.
 */
export type Tags = string[];
/**
 * Where apply writes the image: an OCI layout directory (oci:DIR or a plain path).
 */
export type Output = string;
/**
 * The requirements file to read dependencies from when there is no pylock.toml, uv.lock, poetry.lock or pdm.lock (relative to the context): pinned with == (with or without --hash).
 */
export type RequirementsFile = string;
/**
 * Write a software bill of materials in this format (SPDX 2.3 or CycloneDX 1.6 JSON): beside the output (dist/image.spdx.json, dist/image.cdx.json), into the OCI layout as an artifact whose subject is the image manifest, and with --push as an OCI 1.1 referrer. Like --sbom.
 */
export type SBOMFormat = 'spdx' | 'cyclonedx';
/**
 * Reuse pulled base blobs and built layers from the cache.
 */
export type UseTheCache = boolean;
/**
 * Cache location. Default: $XDG_CACHE_HOME/pycontainer (~/.cache/pycontainer).
 */
export type CacheDirectory = string;
/**
 * With --push: images in registries (full references) whose layers are reused instead of built when their diff_ids match; the tags being pushed are always looked at. The --cache-from flag replaces this list.
 */
export type CacheFrom = string[];
/**
 * Push to the registries the tags name after building (pycontainer build only, like --push). From pycontainer-build's Poetry plugin.
 */
export type Push = boolean;
/**
 * Explain more while building (like --verbose). From pycontainer-build.
 */
export type Verbose = boolean;
/**
 * pycontainer build prints what would be built and writes nothing (like --dry-run). From pycontainer-build.
 */
export type DryRun = boolean;
/**
 * pycontainer-build's name for output.
 */
export type OutputDirectory = string;
/**
 * pycontainer-build's name for cache.
 */
export type UseTheCachePycontainerBuild = boolean;
/**
 * The opposite of cache: no_cache = true is cache = false (pycontainer-build's Poetry plugin).
 */
export type DoNotUseTheCache = boolean;
/**
 * pycontainer-build's name for requirements.
 */
export type RequirementsFilePycontainerBuild = string;
/**
 * pycontainer-build's name for sbom: a format, or true for spdx.
 */
export type GenerateAnSBOM = boolean | ('spdx' | 'cyclonedx');
/**
 * Accepted from pycontainer-build and not used: pycontainer's cache keeps itself under a fixed 4 GiB, least recently used first.
 */
export type MaximumCacheSize = number;
/**
 * pycontainer-build's build context. pycontainer takes the context from --context (-C); only "." is accepted here.
 */
export type ContextDirectory = '.' | './';
/**
 * Where the image is pushed. With a path (ghcr.io/org/app, localhost:5000/app) it is the image's full repository when the tags carry no repository of their own (a bare tag like "1.0", the default tag, or a tag whose name is the url's last part): ghcr.io/org/app + tag 1.0 is ghcr.io/org/app:1.0; otherwise it is a prefix: ghcr.io/org + myapp:1.0 is ghcr.io/org/myapp:1.0. Without a path (ghcr.io, localhost:5000), or ending with / (ghcr.io/org/), it is always a prefix. With a tag (ghcr.io/org/app:v1) it is the image's one reference. plan --explain says how it was read.
 */
export type Registry = string;
/**
 * User name for the registry; the password comes from REGISTRY_PASSWORD, --password-stdin or a credential store.
 */
export type Username = string;
/**
 * Allow plain HTTP to this registry (loopback registries are always allowed).
 */
export type Insecure = boolean;

/**
 * pycontainer configuration: pycontainer.toml, or the same tables under [tool.pycontainer] in pyproject.toml. The keys of [build] may also be written directly under [tool.pycontainer] (or at the top of pycontainer.toml), as pycontainer-build writes them: [tool.pycontainer] tag = "x" is [tool.pycontainer.build] tag = "x". Command-line flags override pycontainer.toml, which overrides [tool.pycontainer].
 */
export interface PycontainerConfig {
  annotations_from_git?: AnnotationsFromGit;
  base_image?: BaseImage;
  build?: BuildConfig;
  cache?: UseTheCache;
  cache_dir?: CacheDirectory;
  cache_from?: CacheFrom;
  cmd?: Cmd;
  compile_bytecode?: CompileBytecode;
  context_dir?: ContextDirectory;
  dependency_groups?: DependencyGroups;
  dry_run?: DryRun;
  entrypoint?: Entrypoint;
  env?: Environment;
  exclude?: Exclude;
  exposed_ports?: ExposedPorts;
  extras?: Extras;
  generate_sbom?: GenerateAnSBOM;
  include_deps?: IncludeDependencies;
  include_paths?: IncludePaths;
  labels?: Labels;
  layers?: Layers;
  max_cache_size_mb?: MaximumCacheSize;
  no_cache?: DoNotUseTheCache;
  output?: Output;
  output_dir?: OutputDirectory;
  platform?: Platform;
  platforms?: Platforms;
  push?: Push;
  /**
   * The [registry] table, or (as pycontainer-build's Poetry plugin writes it) the registry url as a string: registry = "ghcr.io/org/app" is [registry] url = "ghcr.io/org/app".
   */
  registry?: RegistryConfig | Registry;
  reproducible?: Reproducible;
  requirements?: RequirementsFile;
  requirements_file?: RequirementsFilePycontainerBuild;
  sbom?: SBOMFormat;
  tag?: Tag;
  tags?: Tags;
  use_cache?: UseTheCachePycontainerBuild;
  user?: User;
  verbose?: Verbose;
  workdir?: WorkingDirectory;
  writable?: WritablePaths;
}
/**
 * What goes into the image and how it runs. These keys may also be written directly under [tool.pycontainer] (or at the top of pycontainer.toml), as pycontainer-build writes them; the same key in both places is an error.
 */
export interface BuildConfig {
  base_image?: BaseImage;
  workdir?: WorkingDirectory;
  include_deps?: IncludeDependencies;
  dependency_groups?: DependencyGroups;
  extras?: Extras;
  reproducible?: Reproducible;
  compile_bytecode?: CompileBytecode;
  entrypoint?: Entrypoint;
  cmd?: Cmd;
  user?: User;
  writable?: WritablePaths;
  exposed_ports?: ExposedPorts;
  include_paths?: IncludePaths;
  exclude?: Exclude;
  layers?: Layers;
  platform?: Platform;
  platforms?: Platforms;
  tag?: Tag;
  tags?: Tags;
  output?: Output;
  requirements?: RequirementsFile;
  sbom?: SBOMFormat;
  cache?: UseTheCache;
  cache_dir?: CacheDirectory;
  cache_from?: CacheFrom;
  env?: Environment;
  labels?: Labels;
  annotations_from_git?: AnnotationsFromGit;
  push?: Push;
  verbose?: Verbose;
  dry_run?: DryRun;
  output_dir?: OutputDirectory;
  use_cache?: UseTheCachePycontainerBuild;
  no_cache?: DoNotUseTheCache;
  requirements_file?: RequirementsFilePycontainerBuild;
  generate_sbom?: GenerateAnSBOM;
  max_cache_size_mb?: MaximumCacheSize;
  context_dir?: ContextDirectory;
}
/**
 * Environment variables set in the image; they override the base image's and the defaults.
 */
export interface Environment {
  [k: string]: string;
}
/**
 * Image labels (config.Labels); they override the base image's. A dotted key written without quotes (org.opencontainers.image.source = "...") is a nested table in TOML; it is read as the dotted label name.
 */
export interface Labels {
  [k: string]: string | Labels;
}
/**
 * Where images are pushed. Credentials are never read from here: they come from docker/podman auth files, credential helpers or environment variables at apply time.
 */
export interface RegistryConfig {
  url?: Registry;
  username?: Username;
  insecure?: Insecure;
}
