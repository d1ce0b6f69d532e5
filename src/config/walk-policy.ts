/**
 * Whether the context walk may change the process's working directory while it lists (see
 * walkContextSync in context.ts). Only the CLI, whose process this is, says yes: a program that
 * imports pycontainer keeps its working directory, even for the few milliseconds of a walk. A module
 * of its own so that the CLI's entry can say so without loading the walk.
 */
let allowed = false;

/** Lets the walk change directories: called once by the CLI's entry (src/cli/main.ts). */
export function letWalkChangeDirectory(): void {
  allowed = true;
}

export function walkMayChangeDirectory(): boolean {
  return allowed;
}
