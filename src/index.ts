/**
 * pycontainer's programmatic API: what the CLI itself runs. `build` compiles a project and applies the
 * plan (output and/or push); `compilePlan` and `applyPlan` are the two halves, for a plan reviewed or
 * committed in between.
 */
export { build, applyPlan, defaultRegistryClient, type BuildOptions, type BuildResult, type BuildEvent, type ApplyPlanOptions, type ApplyPlanResult, type ApplyEvent } from './build.js';
export { compilePlan, type CompileOptions } from './plan/compile.js';
export type { FlagValues } from './config/merge.js';
export { parsePlan, readPlan, serializePlan, writePlan } from './plan/file.js';
export { summarizePlan } from './plan/summary.js';
export { RegistryClient, type RegistryClientOptions } from './registry/client.js';
export { ConfigError, PlanError, ApplyError, ImageError, NetworkError, RegistryError, PycontainerError, EXIT } from './errors.js';
export type { Plan } from '../generated/plan.js';
export type { PycontainerConfig } from '../generated/config.js';
export { PYCONTAINER_VERSION, PLAN_FORMAT_VERSION } from './version.js';
