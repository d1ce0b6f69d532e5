/* Generated from schema/ by `npm run generate`. Do not edit. */

export type Digest = string;

/**
 * A pycontainer build plan: everything apply needs, fully resolved and deterministic. Written by `pycontainer plan`, executed by `pycontainer apply`.
 */
export interface Plan {
  /**
   * Schema reference for editors.
   */
  $schema?: string;
  /**
   * Marks the file as a pycontainer plan.
   */
  kind: 'pycontainer.plan';
  /**
   * Major version of this format. A pycontainer that does not know it refuses the plan.
   */
  formatVersion: number;
  /**
   * Version of the pycontainer that wrote the plan.
   */
  pycontainerVersion: string;
  project: {
    /**
     * Normalized project name ([project].name).
     */
    name: string;
    /**
     * [project].version, or 0.0.0 when absent.
     */
    version: string;
  };
  /**
   * Files that configured the build (pyproject.toml, pycontainer.toml, lock files, ignore files) with their digests; apply refuses the plan when one changed.
   */
  inputs: InputFile[];
  /**
   * Target platforms (os/arch[/variant]), sorted.
   *
   * @minItems 1
   */
  platforms: string[];
  python: {
    /**
     * Target Python version (major.minor or full).
     */
    version: string;
    /**
     * The base image's interpreter the venv links to.
     */
    interpreter: string;
    /**
     * The virtual environment in the image.
     */
    venv: string;
    /**
     * Present when the dependency and application layers hold compiled bytecode (compile_bytecode): the exact version of the interpreter that compiled it on the build host (the .pyc bytes can depend on it).
     */
    bytecode?: {
      /**
       * e.g. 3.11.9
       */
      compiler: string;
      /**
       * e.g. cpython-311: the .pyc file names.
       */
      cacheTag: string;
    };
  };
  base: Base;
  /**
   * Layers pycontainer builds, in order, above the base layers.
   */
  layers: Layer[];
  /**
   * One image per platform: its full config and the config's digest.
   *
   * @minItems 1
   */
  images: Image[];
  /**
   * Image references to tag the result with.
   */
  tags: string[];
  annotations: StringMap1;
  /**
   * Default output of apply, relative to the context (oci:DIR).
   */
  output: string;
  /**
   * Where each resolved setting came from: flag, pycontainer.toml, pyproject.toml, detected, base image or default.
   */
  provenance: {
    [k: string]: string;
  };
  /**
   * Per platform: the dependency layer, installed from the lock into the venv, below the application layer. Absent when the project installs no dependencies.
   */
  dependencies?: DependencyLayer[];
}
export interface InputFile {
  /**
   * Path relative to the context.
   */
  path: string;
  sha256: string;
}
export interface Base {
  /**
   * The base image as configured: scratch, oci:PATH[:TAG] or a registry reference.
   */
  ref: string;
  /**
   * Digest of the index or manifest the reference resolved to.
   */
  digest?: string;
  /**
   * Per platform: the base manifest, config and layers this build uses.
   */
  images: {
    platform: string;
    manifest?: Descriptor;
    config?: Descriptor;
    layers: BaseLayer[];
    /**
     * What the image config inherits from this base image: its config (Env, User, WorkingDir, Entrypoint, Cmd, Labels, ExposedPorts, ...) and history. Lets `plan --offline` re-plan without the registry.
     */
    inherited: {
      config: {};
      history: {}[];
    };
  }[];
}
export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
}
export interface BaseLayer {
  mediaType: string;
  digest: Digest;
  size: number;
  diffId: Digest;
}
export interface Layer {
  /**
   * What the layer holds: `assets` (large non-code project files, build.layers) or `app` (code, small files, venv entry points).
   */
  name: string;
  /**
   * History text for the image config.
   */
  createdBy: string;
  /**
   * sha256 of the uncompressed tar.
   */
  diffId: string;
  /**
   * Size of the uncompressed tar.
   */
  size: number;
  entries: Entry[];
  /**
   * Modification time of every entry, seconds since the epoch (SOURCE_DATE_EPOCH or 0).
   */
  mtime: number;
  /**
   * Context paths copied into the layer (files and directories).
   */
  include: string[];
  /**
   * Ignore patterns in order, anchored at the context (.dockerignore syntax; the last match wins): defaults, .gitignore, .dockerignore, build.exclude. Apply lists the context with them to find added or removed files.
   */
  exclude: string[];
}
export interface Entry {
  /**
   * Path in the image, without a leading slash.
   */
  path: string;
  type: 'dir' | 'file' | 'symlink';
  /**
   * Octal permission bits.
   */
  mode: string;
  /**
   * Owner, when not 0.
   */
  uid?: number;
  /**
   * Group, when not 0.
   */
  gid?: number;
  size?: number;
  sha256?: string;
  /**
   * For files, directories and symlinks copied from the context: the path relative to the context.
   */
  source?: string;
  /**
   * For files pycontainer generates (venv files, wrappers): the exact text.
   */
  content?: string;
  /**
   * For symlinks: the link target.
   */
  target?: string;
  /**
   * For compiled bytecode (compile_bytecode): the path in the image, in this layer, of the .py file it is compiled from; apply compiles it again and checks the bytes.
   */
  bytecodeOf?: string;
}
export interface Image {
  platform: string;
  configDigest: Digest;
  configSize: number;
  config: ImageConfig;
}
/**
 * The OCI image config exactly as written (application/vnd.oci.image.config.v1+json).
 */
export interface ImageConfig {
  created: string;
  architecture: string;
  os: string;
  variant?: string;
  config: {
    User?: string;
    Env?: string[];
    Entrypoint?: string[];
    Cmd?: string[];
    WorkingDir?: string;
    ExposedPorts?: {
      [k: string]: {};
    };
    Labels?: StringMap;
  };
  rootfs: {
    type: 'layers';
    diff_ids: Digest[];
  };
  history: {
    created?: string;
    created_by?: string;
    comment?: string;
    empty_layer?: boolean;
  }[];
}
export interface StringMap {
  [k: string]: string;
}
/**
 * Manifest (and index) annotations.
 */
export interface StringMap1 {
  [k: string]: string;
}
export interface DependencyLayer {
  platform: string;
  /**
   * The lock file the packages come from (or the venv directory), relative to the context.
   */
  lock: string;
  /**
   * What wheels were chosen for: the interpreter, the C library of the base image, and the most specific platform tag.
   */
  target: {
    python: string;
    libc: string;
    tag: string;
  };
  mtime: number;
  packages: LockedWheel[];
  /**
   * Where the packages come from: a lock file (wheels); pycontainer's own resolution of unpinned requirements (`lock` names the requirements file or pyproject.toml, and the plan is the lock); or, as a last resort, an existing virtual environment's site-packages copied file by file.
   */
  source?: 'lock' | 'resolved' | 'venv';
  /**
   * For a venv source: every file copied, as in the application layer.
   */
  entries?: Entry[];
  /**
   * The layers these packages are installed in, lowest first (build.layers): a large distribution alone, the others in groups by a hash of their name, workspace members apart; one layer for build.layers = "single" or a venv source. Each layer holds whole distributions.
   *
   * @minItems 1
   */
  layers: DependencyPart[];
}
export interface LockedWheel {
  name: string;
  version: string;
  /**
   * The wheel installed.
   */
  filename: string;
  /**
   * Where it is downloaded from (never with credentials).
   */
  url?: string;
  /**
   * A local wheel, relative to the context.
   */
  path?: string;
  sha256: string;
  size: number;
  /**
   * A direct dependency of the project (gets REQUESTED).
   */
  requested: boolean;
  /**
   * The compatibility tag the wheel was chosen by.
   */
  tag?: string;
  /**
   * Set when the wheel was built from this source distribution on the host.
   */
  sdist?: {
    filename: string;
    url?: string;
    path?: string;
    sha256: string;
  };
  /**
   * Set for direct URL requirements: recorded in the installed direct_url.json (PEP 610).
   */
  directUrl?: string;
  /**
   * Resolved dependencies only: why the package is there, sorted: the requirements that name it (`requirements.txt:3`, `pyproject.toml [project]`) and the resolved packages that require it.
   */
  requiredBy?: string[];
  /**
   * Set for a workspace member (or local path dependency) installed from its source directory: the wheel is built from exactly these files, which apply re-reads (a change makes the plan stale).
   */
  member?: {
    /**
     * The member's directory, relative to the context.
     */
    directory: string;
    files: {
      /**
       * Relative to the member's directory.
       */
      path: string;
      sha256: string;
      size: number;
    }[];
  };
}
export interface DependencyPart {
  /**
   * The layer's name: `deps` (one layer), `deps NAME` (a large distribution), `deps group N` (small ones, by name hash), `deps local` (workspace members).
   */
  name: string;
  /**
   * History text for the image config: what the layer holds and why.
   */
  createdBy: string;
  diffId: Digest;
  /**
   * Size of the uncompressed tar.
   */
  size: number;
  /**
   * Names of the distributions (of `packages` above) installed in this layer, sorted.
   */
  packages: string[];
}
