import { readFileSync } from 'node:fs';

/** The version of this pycontainer, from package.json (two levels up, compiled or bundled). */
export const PYCONTAINER_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Major version of the plan format this pycontainer reads and writes. */
export const PLAN_FORMAT_VERSION = 1;
