/** The shapes detection works with: its input (a context listing and file texts) and its result. */
import type { ContextFile } from '../context.js';
import type { ProjectMetadata } from './metadata.js';

/** What detection found, each value with the reason (for provenance and `plan --explain`). */
export interface Detection {
  project: ProjectMetadata;
  pythonVersion?: Found<string>;
  includePaths: Found<string[]>;
  /** Directories (relative to the context, '' = the context root) that hold importable top-level code. */
  importRoots: string[];
  framework?: Framework;
  /** The default command: Entrypoint for CLI scripts, Cmd for servers and modules. */
  command?: Found<{ entrypoint?: string[]; cmd?: string[] }>;
  ports: Found<string[]>;
  /** Environment the detected command needs (PORT for a Procfile, GRADIO_SERVER_NAME); config overrides it. */
  env: Record<string, string>;
  /**
   * Files a build backend would generate that the context lacks (a VCS version file): written into the
   * application layer, path relative to the context.
   */
  generatedFiles: GeneratedFile[];
  /** Where the name and version came from ([project], setup.cfg, git describe, the directory's name). */
  projectWhy: { name: string; version: string };
  /** About the detected command (a development server): moot when entrypoint or cmd is configured. */
  commandWarnings: string[];
  /** Things the user should know whatever the command (a version that is only "latest"). */
  warnings: string[];
}

export interface GeneratedFile {
  path: string;
  content: string;
  why: string;
}

export interface Found<T> {
  value: T;
  why: string;
}

export type FrameworkName = 'fastapi' | 'starlette' | 'flask' | 'django' | 'streamlit' | 'gradio';

export interface Framework {
  name: FrameworkName;
  /** `module:attribute` the server loads, or the script file streamlit/python runs. */
  target: string;
  server: 'uvicorn' | 'fastapi-cli' | 'gunicorn' | 'flask' | 'django-runserver' | 'streamlit' | 'python';
  port: number;
  /** The file the app was found in (relative to the context). */
  file: string;
  /** The target is a function that returns the app (uvicorn --factory). */
  factory?: boolean;
}

/** Inputs to detection: the context listing and the text of the files detection reads. */
export interface DetectInput {
  pyproject?: Record<string, unknown>;
  files: ContextFile[];
  texts: Record<string, string>;
  venv: string;
  /** The context directory's base name (not a path): the project's name when nothing declares one. */
  contextName?: string;
  /** `git describe --tags --always`, read only when the version must come from git. */
  gitDescribe?: string;
  /** detectionCandidates of `files` for the include paths detection uses, when the caller has them (it read their texts). */
  candidates?: string[];
}
