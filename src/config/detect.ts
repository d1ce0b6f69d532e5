/**
 * Detection: what a project is and how it runs, from its files, with no configuration. The rules live
 * in src/config/detect/ (metadata, python version, include paths, frameworks, command, version files);
 * this module runs them in order and is the API the rest of pycontainer imports. Pure: the caller
 * reads the files (and git) and passes their texts in.
 */
import { detectCommand } from './detect/command.js';
import { detectFramework } from './detect/frameworks.js';
import { detectImportRoots, detectIncludePaths, detectionCandidates } from './detect/include.js';
import { directPackageNames, parseProjectMetadata } from './detect/metadata.js';
import { detectPythonVersion } from './detect/python.js';
import type { DetectInput, Detection } from './detect/types.js';
import { detectVersionFiles } from './detect/version-file.js';

export type { Command, CommandInput, CommandResult } from './detect/command.js';
export { COMMAND_DETECTORS, detectCommand, parseProcfileWeb, procfileCommand } from './detect/command.js';
export type { FoundFramework, FrameworkContext, FrameworkDetector } from './detect/frameworks.js';
export { detectFramework, FRAMEWORK_DETECTORS, serverCommand } from './detect/frameworks.js';
export { detectImportRoots, detectIncludePaths, detectionCandidates, INPUT_FILE, isIncluded, moduleName } from './detect/include.js';
export type { MetadataInput, MetadataResult, ProjectMetadata, ScriptEntry } from './detect/metadata.js';
export { directPackageNames, needsGitVersion, normalizeName, parseIni, parseProjectMetadata, parseSetupCfg, parseSetupPy, versionFromGitDescribe } from './detect/metadata.js';
export { DEFAULT_PYTHON, detectPythonVersion, satisfiesMinor, SUPPORTED_PYTHONS } from './detect/python.js';
export type { DetectInput, Detection, Found, Framework, FrameworkName, GeneratedFile } from './detect/types.js';
export { detectVersionFiles, renderVersionFile, versionFileSettings, versionTuple } from './detect/version-file.js';

/**
 * Runs every detection over a context listing. Throws ConfigError for input that cannot work (a
 * script value that is not an entry point).
 */
export function detectProject(input: DetectInput, includePathsOverride?: string[]): Detection {
  const meta = parseProjectMetadata({
    ...(input.pyproject ? { pyproject: input.pyproject } : {}),
    texts: input.texts,
    ...(input.contextName !== undefined ? { contextName: input.contextName } : {}),
    ...(input.gitDescribe !== undefined ? { gitDescribe: input.gitDescribe } : {}),
  });
  const project = meta.project;
  const includePaths = includePathsOverride ? { value: includePathsOverride, why: 'configured' } : detectIncludePaths(input.files);
  const importRoots = detectImportRoots(includePaths.value, input.files);
  const candidates = input.candidates ?? detectionCandidates(input.files, includePaths.value);
  const framework = detectFramework({
    texts: input.texts,
    files: input.files,
    candidates,
    importRoots,
    known: new Set(project.knownPackages),
    direct: directPackageNames(project, input.texts),
    ...(input.pyproject ? { pyproject: input.pyproject } : {}),
  });
  const command = detectCommand({
    project,
    ...(framework ? { framework } : {}),
    ...(input.texts.Procfile !== undefined ? { procfile: input.texts.Procfile } : {}),
    files: input.files,
    importRoots,
    includePaths: includePaths.value,
    venv: input.venv,
  });
  const versionFiles = detectVersionFiles(input.pyproject, input.files, includePaths.value, project.version);
  const detection: Detection = {
    project,
    projectWhy: { name: meta.nameWhy, version: meta.versionWhy },
    includePaths,
    importRoots,
    ports: command.ports,
    env: command.env,
    generatedFiles: versionFiles.generated,
    commandWarnings: command.warnings,
    warnings: [...meta.warnings, ...versionFiles.warnings],
  };
  const python = detectPythonVersion(project, input.texts);
  if (python) detection.pythonVersion = python;
  if (framework) detection.framework = framework.framework;
  if (command.command) detection.command = command.command;
  return detection;
}
