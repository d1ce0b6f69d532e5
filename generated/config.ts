/* Generated from schema/ by `npm run generate`. Do not edit. */

/**
 * The image to build on: a registry reference (python:3.12-slim, ghcr.io/org/py@sha256:...), a local OCI layout (oci:PATH[:TAG], PATH relative to the context) or scratch. Default: python:<version>-slim, where the version comes from requires-python.
 */
export type BaseImage = string;
/**
 * Absolute directory in the image that receives the project's files and is the container's working directory.
 */
export type WorkingDirectory = string;
/**
 * Install the project's locked dependencies (pylock.toml, uv.lock, or a hashed requirements file) into the venv at <workdir>/.venv, in their own layer below the application. Default: true when a lock is found.
 */
export type IncludeDependencies = boolean;
/**
 * Normalize timestamps (SOURCE_DATE_EPOCH or 0), ownership and modes so the same inputs give the same image digest.
 */
export type Reproducible = boolean;
/**
 * The image's Entrypoint (exec form). Default: detected from [project.scripts], __main__.py or the web framework.
 */
export type Entrypoint = string[];
/**
 * The image's Cmd: default arguments to the entrypoint (exec form).
 */
export type Cmd = string[];
/**
 * The user the container runs as: a numeric uid[:gid], or a name that exists in the base image. Default: 65532:65532 (non-root). Use "root" to run as root.
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
 * The requirements file to read dependencies from when there is no pylock.toml or uv.lock (relative to the context).
 */
export type RequirementsFile = string;
/**
 * Write a software bill of materials in this format.
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
 * Registry host (and optional namespace) that tags without a registry are pushed to.
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
 * pycontainer configuration: pycontainer.toml, or the same tables under [tool.pycontainer] in pyproject.toml. Command-line flags override pycontainer.toml, which overrides [tool.pycontainer].
 */
export interface PycontainerConfig {
  build?: BuildConfig;
  registry?: RegistryConfig;
}
/**
 * What goes into the image and how it runs.
 */
export interface BuildConfig {
  base_image?: BaseImage;
  workdir?: WorkingDirectory;
  include_deps?: IncludeDependencies;
  reproducible?: Reproducible;
  entrypoint?: Entrypoint;
  cmd?: Cmd;
  user?: User;
  writable?: WritablePaths;
  exposed_ports?: ExposedPorts;
  include_paths?: IncludePaths;
  exclude?: Exclude;
  platform?: Platform;
  platforms?: Platforms;
  tag?: Tag;
  tags?: Tags;
  output?: Output;
  requirements?: RequirementsFile;
  sbom?: SBOMFormat;
  cache?: UseTheCache;
  cache_dir?: CacheDirectory;
  env?: Environment;
  labels?: Labels;
}
/**
 * Environment variables set in the image; they override the base image's and the defaults.
 */
export interface Environment {
  [k: string]: string;
}
/**
 * Image labels (config.Labels); they override the base image's.
 */
export interface Labels {
  [k: string]: string;
}
/**
 * Where images are pushed. Credentials are never read from here: they come from docker/podman auth files, credential helpers or environment variables at apply time.
 */
export interface RegistryConfig {
  url?: Registry;
  username?: Username;
  insecure?: Insecure;
}
