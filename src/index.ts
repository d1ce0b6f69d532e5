/** pycontainer's programmatic API. */
export { compilePlan, type CompileOptions } from './plan/compile.js';
export { parsePlan, readPlan, serializePlan, writePlan } from './plan/file.js';
export { summarizePlan } from './plan/summary.js';
export { ConfigError, PlanError, ApplyError, ImageError, PycontainerError } from './errors.js';
export type { Plan } from '../generated/plan.js';
export type { PycontainerConfig } from '../generated/config.js';
export { PYCONTAINER_VERSION, PLAN_FORMAT_VERSION } from './version.js';
