import { valid as validVersion, validRange } from '@renovatebot/pep440';
import { parseRequirement } from './python/locks/model.js';
import { parseMarker } from './python/markers.js';

// The string formats the schemas use, apart from src/schemas.ts: generated/validators.ts (which
// src/schemas.ts imports) looks them up by name when it loads, so they cannot live in a module that
// imports it.

/** PEP 508's name rule (the same as the core metadata's Name field). */
const PEP508_NAME = /^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$/i;

/**
 * The string formats the schemas use that JSON Schema does not define: Python's own grammars, checked
 * by the same code that later reads the values (so what validates is what the build understands).
 */
export const FORMATS: Record<string, (value: string) => boolean> = {
  'pep508-name': (v) => PEP508_NAME.test(v),
  'pep440-version': (v) => validVersion(v) !== null,
  // An empty specifier allows every version; validRange('') says so too.
  'pep440-specifier': (v) => v.trim() === '' || validRange(v.replace(/\s+/g, '')),
  'pep508-requirement': (v) => {
    try {
      const req = parseRequirement(v);
      if (req.specifier !== '' && !validRange(req.specifier)) return false;
      if (req.marker !== undefined) parseMarker(req.marker);
      return true;
    } catch {
      return false;
    }
  },
};
