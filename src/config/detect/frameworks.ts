/**
 * Web frameworks, one small detector each, in a table: each knows the distribution that signals it,
 * how its app object (or script) is found in the code, and which server runs it given the packages
 * the project declares or locks. Pure: file texts come in, a Framework (or nothing) comes out.
 */
import type { ContextFile } from '../context.js';
import { moduleName } from './include.js';
import type { Framework, FrameworkName } from './types.js';

/** What every detector looks at. */
export interface FrameworkContext {
  texts: Record<string, string>;
  files: ContextFile[];
  /** Python files worth reading, most likely first (bounded). */
  candidates: string[];
  importRoots: string[];
  /** Normalized names of every package declared or locked (servers come from here). */
  known: Set<string>;
  /** Normalized names the project itself declares: the framework signals. */
  direct: Set<string>;
  pyproject?: Record<string, unknown>;
}

export interface FrameworkDetector {
  name: FrameworkName;
  /** Distributions whose presence among the direct dependencies says "this is a <name> app". */
  packages: string[];
  find(ctx: FrameworkContext): Framework | undefined;
}

export interface FoundFramework {
  framework: Framework;
  /** The project declares the framework itself (it then outranks console scripts). */
  declared: boolean;
  /** About the server chosen (a development server, a missing ASGI server). */
  warnings: string[];
}

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
/** `name = Class(` or `name: Type = Class(` at module level (not indented: not inside a function). */
const assignedCall = (callee: string) => new RegExp(`^(${IDENT})\\s*(?::\\s*[A-Za-z_.\\[\\]]+\\s*)?=\\s*${callee}\\s*\\(`, 'm');
/** A module-level app built by a call: `app = get_application()`, `app = create_app()`. */
const APP_FROM_FACTORY_CALL = new RegExp(`^(app|application)\\s*(?::\\s*[A-Za-z_.]+\\s*)?=\\s*(?:${IDENT}\\.)*(${IDENT})\\s*\\(`, 'm');
/** A factory function at module level, by the names the frameworks' docs use. */
const FACTORY_DEF = /^(?:async\s+)?def\s+(create_app|make_app|get_app|get_application|app_factory)\s*\(/m;
const DJANGO_SETTINGS = /DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([A-Za-z0-9_.]+)['"]/;

/** The first candidate file (in rank order) whose text gives a match. */
function firstMatch<T>(ctx: FrameworkContext, match: (text: string, path: string, mod: string | undefined) => T | undefined): T | undefined {
  for (const path of ctx.candidates) {
    const text = ctx.texts[path];
    if (text === undefined) continue;
    const found = match(text, path, moduleName(path, ctx.importRoots));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** `[tool.fastapi] entrypoint = "pkg.mod:app"`: FastAPI CLI's own setting, the author's word. */
function fastapiEntrypoint(ctx: FrameworkContext): string | undefined {
  const tool = (ctx.pyproject?.tool ?? {}) as Record<string, unknown>;
  const value = ((tool.fastapi ?? {}) as Record<string, unknown>).entrypoint;
  return typeof value === 'string' && /^[\w.]+:[\w.]+$/.test(value) ? value : undefined;
}

/** FastAPI and Starlette: an app object, a module-level factory call, or a factory function (uvicorn --factory). */
function asgiDetector(name: 'fastapi' | 'starlette', className: string): FrameworkDetector {
  const mentions = new RegExp(`\\b(${name}|${className})\\b`);
  const assigned = assignedCall(`(?:${name}\\.)?${className}`);
  return {
    name,
    packages: [name],
    find(ctx) {
      const configured = name === 'fastapi' ? fastapiEntrypoint(ctx) : undefined;
      if (configured) return { name, target: configured, server: 'uvicorn', port: 8000, file: 'pyproject.toml' };
      const declared = ctx.direct.has(name);
      return firstMatch(ctx, (text, path, mod) => {
        if (!mod) return undefined;
        const speaks = mentions.test(text);
        const app = speaks ? assigned.exec(text) : null;
        if (app) return { name, target: `${mod}:${app[1]}`, server: 'uvicorn', port: 8000, file: path };
        // `app = get_application()` needs no mention of the framework when the project declares it.
        const built = speaks || declared ? APP_FROM_FACTORY_CALL.exec(text) : null;
        if (built && !/(Router|^FastAPI|^Starlette|^Flask|^print|^dict)$/.test(built[2]!)) return { name, target: `${mod}:${built[1]}`, server: 'uvicorn', port: 8000, file: path };
        const factory = speaks ? FACTORY_DEF.exec(text) : null;
        if (factory) return { name, target: `${mod}:${factory[1]}`, server: 'uvicorn', port: 8000, file: path, factory: true };
        return undefined;
      });
    },
  };
}

const flask: FrameworkDetector = {
  name: 'flask',
  packages: ['flask'],
  find(ctx) {
    const declared = ctx.direct.has('flask');
    const assigned = assignedCall('(?:flask\\.)?Flask');
    return firstMatch(ctx, (text, path, mod) => {
      if (!mod) return undefined;
      const speaks = /\bflask\b/i.test(text);
      const app = speaks ? assigned.exec(text) : null;
      if (app) return { name: 'flask', target: `${mod}:${app[1]}`, server: 'flask', port: 5000, file: path };
      const built = speaks || declared ? APP_FROM_FACTORY_CALL.exec(text) : null;
      if (built && !/(Blueprint|Router|Namespace)$/.test(built[2]!) && (speaks || /^(create_app|make_app|get_app)$/.test(built[2]!))) return { name: 'flask', target: `${mod}:${built[1]}`, server: 'flask', port: 5000, file: path };
      // Flask's tutorial (flaskr): `def create_app()` in the package's __init__.py.
      const factory = speaks ? FACTORY_DEF.exec(text) : null;
      if (factory) return { name: 'flask', target: `${mod}:${factory[1]}()`, server: 'flask', port: 5000, file: path, factory: true };
      return undefined;
    });
  },
};

const django: FrameworkDetector = {
  name: 'django',
  packages: ['django'],
  find(ctx) {
    const manage = ctx.texts['manage.py'];
    const settings = manage && DJANGO_SETTINGS.exec(manage)?.[1];
    if (!settings) return undefined;
    return { name: 'django', target: `${djangoProjectPackage(settings, ctx.files, ctx.importRoots)}.wsgi:application`, server: 'django-runserver', port: 8000, file: 'manage.py' };
  },
};

/** Streamlit apps are scripts: `import streamlit` at the top of a file `streamlit run` is given. */
const streamlit: FrameworkDetector = {
  name: 'streamlit',
  packages: ['streamlit'],
  find(ctx) {
    return firstMatch(ctx, (text, path) =>
      /^\s*(import\s+streamlit\b|from\s+streamlit\b)/m.test(text) && !path.endsWith('__init__.py') ? { name: 'streamlit', target: path, server: 'streamlit', port: 8501, file: path } : undefined,
    );
  },
};

/** Gradio apps are scripts that build an interface and call .launch(). */
const gradio: FrameworkDetector = {
  name: 'gradio',
  packages: ['gradio'],
  find(ctx) {
    return firstMatch(ctx, (text, path) =>
      /^\s*(import\s+gradio\b|from\s+gradio\b)/m.test(text) && /\.launch\s*\(/.test(text) ? { name: 'gradio', target: path, server: 'python', port: 7860, file: path } : undefined,
    );
  },
};

/** Strongest evidence first: manage.py is unambiguous; ASGI before Flask (a FastAPI app may mount Flask). */
export const FRAMEWORK_DETECTORS: FrameworkDetector[] = [django, asgiDetector('fastapi', 'FastAPI'), asgiDetector('starlette', 'Starlette'), flask, streamlit, gradio];

/**
 * The web app: frameworks the project declares are tried first (in table order), then the others (an
 * app found in code whose framework nobody declared: a project with no metadata). The server is the
 * best one among the packages the project declares or locks.
 */
export function detectFramework(ctx: FrameworkContext): FoundFramework | undefined {
  const declared = (d: FrameworkDetector) => d.packages.some((p) => ctx.direct.has(p));
  const ordered = [...FRAMEWORK_DETECTORS.filter(declared), ...FRAMEWORK_DETECTORS.filter((d) => !declared(d))];
  for (const detector of ordered) {
    const found = detector.find(ctx);
    if (found) return { ...chooseServer(found, ctx.known), declared: declared(detector) };
  }
  return undefined;
}

/** Production servers when the dependencies have them; the development server with a warning otherwise. */
function chooseServer(fw: Framework, known: Set<string>): { framework: Framework; warnings: string[] } {
  const fix = 'add gunicorn to the project\'s dependencies (and lock), or set build.cmd';
  switch (fw.name) {
    case 'fastapi':
    case 'starlette': {
      if (known.has('uvicorn')) return { framework: { ...fw, server: 'uvicorn' }, warnings: [] };
      if (fw.name === 'fastapi' && known.has('fastapi-cli') && !fw.factory && fw.file.endsWith('.py')) return { framework: { ...fw, server: 'fastapi-cli' }, warnings: [] };
      return {
        framework: { ...fw, server: 'uvicorn' },
        warnings: [`${fw.name} app ${fw.target} runs with uvicorn, which is not among the project's dependencies: add uvicorn${fw.name === 'fastapi' ? ' (or fastapi[standard])' : ''} to them, or set build.cmd`],
      };
    }
    case 'flask':
      if (known.has('gunicorn')) return { framework: { ...fw, server: 'gunicorn', port: 8000 }, warnings: [] };
      return { framework: fw, warnings: [`flask app ${fw.target} runs on Flask's development server (flask run), which is not meant for production: ${fix}`] };
    case 'django':
      if (known.has('gunicorn')) return { framework: { ...fw, server: 'gunicorn' }, warnings: [] };
      return { framework: fw, warnings: [`django project ${fw.target.replace(/\.wsgi:application$/, '')} runs on manage.py runserver, Django's development server, which is not meant for production: ${fix}`] };
    default:
      return { framework: fw, warnings: [] };
  }
}

/**
 * The package holding wsgi.py for a settings module: `mysite.settings` → `mysite`; with split
 * settings (`config.settings.production`) the nearest enclosing package that has a wsgi.py.
 */
function djangoProjectPackage(settings: string, files: ContextFile[], importRoots: string[]): string {
  const parts = settings.split('.');
  for (let n = parts.length - 1; n >= 1; n--) {
    const pkg = parts.slice(0, n);
    const rel = `${pkg.join('/')}/wsgi.py`;
    if (importRoots.some((root) => files.some((f) => f.path === (root ? `${root}/${rel}` : rel)))) return pkg.join('.');
  }
  return parts.slice(0, -1).join('.') || parts[0]!;
}

/** The command a framework's server runs with, through the venv's interpreter; the port it listens on. */
export function serverCommand(fw: Framework, python: string): string[] {
  const port = String(fw.port);
  switch (fw.server) {
    case 'uvicorn':
      return [python, '-m', 'uvicorn', fw.target, ...(fw.factory ? ['--factory'] : []), '--host', '0.0.0.0', '--port', port];
    case 'fastapi-cli':
      return [python, '-m', 'fastapi', 'run', fw.file, '--app', fw.target.split(':')[1]!, '--host', '0.0.0.0', '--port', port];
    case 'gunicorn':
      return [python, '-m', 'gunicorn', '--bind', `0.0.0.0:${port}`, fw.target];
    case 'flask':
      return [python, '-m', 'flask', '--app', fw.target, 'run', '--host', '0.0.0.0', '--port', port];
    case 'django-runserver':
      return [python, 'manage.py', 'runserver', '--noreload', `0.0.0.0:${port}`];
    case 'streamlit':
      return [python, '-m', 'streamlit', 'run', fw.target, '--server.port', port, '--server.address', '0.0.0.0', '--server.headless', 'true'];
    case 'python':
      return [python, fw.target];
  }
}

/** Environment a framework's server needs to answer outside the container. */
export function serverEnv(fw: Framework): Record<string, string> {
  return fw.name === 'gradio' ? { GRADIO_SERVER_NAME: '0.0.0.0' } : {};
}
